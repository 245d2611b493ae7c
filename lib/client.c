/*
 * client.c - requests to sf serve over libcurl, the token refresh, and
 * the typed calls of client.h.
 *
 * One curl handle per client, kept between calls so the connection is
 * reused.  The server's error shape {"error": {code, message}} comes back
 * as the SF_E* code of the HTTP status and the server's message, so a
 * front end prints "sf: title '42': not found" whether the work was done
 * locally or on a server.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "error.h"
#include "text.h"
#include "xalloc.h"

struct sf_client {
	CURL *curl;
	char *server;      /* as given */
	char *base;        /* what paths are appended to */
	char *socket;      /* unix socket path, or NULL */
	char *access, *refresh;
	sf_client_saver *saver;
	void *saver_arg;
	void (*saver_release)(void *arg);
};

struct buf {
	char *data;
	size_t len;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int sf_client_open(const char *server, const char *access, const char *refresh,
		   struct sf_client **out)
{
	struct sf_client *c;
	size_t n;

	*out = NULL;
	if (!server || (strncmp(server, "http://", 7) && strncmp(server, "https://", 8) &&
			(strncmp(server, "unix:", 5) || !server[5])))
		return sf_error(SF_EINVAL, "server '%s': give http://HOST:PORT, https://HOST "
				"or unix:PATH", sf_text_quote(server ? server : ""));
	pthread_once(&curl_once, curl_init);
	c = sf_xcalloc(1, sizeof(*c));
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return sf_error(SF_EINTERNAL, "libcurl would not start");
	}
	c->server = sf_xstrdup(server);
	if (!strncmp(server, "unix:", 5)) {
		c->socket = sf_xstrdup(server + 5);
		c->base = sf_xstrdup("http://sf");
	} else {
		c->base = sf_xstrdup(server);
		n = strlen(c->base);
		while (n && c->base[n - 1] == '/')
			c->base[--n] = 0;
	}
	c->access = access ? sf_xstrdup(access) : NULL;
	c->refresh = refresh ? sf_xstrdup(refresh) : NULL;
	*out = c;
	return 0;
}

void sf_client_free(struct sf_client *c)
{
	if (!c)
		return;
	if (c->saver_release)
		c->saver_release(c->saver_arg);
	curl_easy_cleanup(c->curl);
	free(c->server);
	free(c->base);
	free(c->socket);
	free(c->access);
	free(c->refresh);
	free(c);
}

void sf_client_set_saver(struct sf_client *c, sf_client_saver *fn, void *arg,
			 void (*release)(void *arg))
{
	if (c->saver_release)
		c->saver_release(c->saver_arg);
	c->saver = fn;
	c->saver_arg = arg;
	c->saver_release = release;
}

const char *sf_client_server(const struct sf_client *c) { return c->server; }
const char *sf_client_access(const struct sf_client *c) { return c->access; }
const char *sf_client_refresh_token(const struct sf_client *c) { return c->refresh; }

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	b->data = sf_xrealloc(b->data, b->len + size * n + 1);
	memcpy(b->data + b->len, p, size * n);
	b->len += size * n;
	b->data[b->len] = 0;
	return size * n;
}

static int code_of(long status)
{
	switch (status) {
	case 400: case 413: return SF_EINVAL;
	case 401: return SF_EUNAUTH;
	case 403: return SF_EFORBIDDEN;
	case 404: return SF_ENOTFOUND;
	case 409: return SF_ECONFLICT;
	case 429: return SF_ERATELIMIT;
	case 502: case 503: case 504: return SF_EUNAVAIL;
	}
	return SF_EINTERNAL;
}

/* One round trip, no refresh. */
static int request(struct sf_client *c, const char *method, const char *path,
		   const json_t *body, json_t **out, long *status)
{
	struct curl_slist *h = NULL;
	struct buf b = { NULL, 0 };
	char *url = sf_xasprintf("%s%s", c->base, path), *text = NULL, *auth = NULL;
	json_t *j = NULL;
	CURLcode cc;
	int rc = 0;

	*status = 0;
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (c->socket)
		curl_easy_setopt(c->curl, CURLOPT_UNIX_SOCKET_PATH, c->socket);
	if (c->access) {
		auth = sf_xasprintf("Authorization: Bearer %s", c->access);
		h = curl_slist_append(h, auth);
	}
	if (body) {
		text = json_dumps(body, JSON_COMPACT);
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, text);
	}
	h = curl_slist_append(h, "Accept: application/json");
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	cc = curl_easy_perform(c->curl);
	if (cc != CURLE_OK) {
		rc = sf_error(SF_EUNAVAIL, "server '%s': %s", c->server, curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
	if (b.len) {
		j = json_loadb(b.data, b.len, 0, NULL);
		if (!j) {
			rc = sf_error(SF_EINTERNAL, "server '%s': %s %s: answer %ld is not JSON",
				      c->server, method, path, *status);
			goto out;
		}
	}
	if (*status >= 400) {
		const char *msg = json_string_value(json_object_get(json_object_get(j, "error"),
								    "message"));

		rc = sf_error(code_of(*status), "%s", msg ? msg : "the server answered an error");
		goto out;
	}
	if (out) {
		*out = j;
		j = NULL;
	}
out:
	json_decref(j);
	curl_slist_free_all(h);
	free(b.data);
	free(text);
	if (auth)
		memset(auth, 0, strlen(auth));
	free(auth);
	free(url);
	return rc;
}

/* Takes the pair in j and hands it to the saver. */
static int take_pair(struct sf_client *c, json_t *j)
{
	const char *a = json_string_value(json_object_get(j, "access_token"));
	const char *r = json_string_value(json_object_get(j, "refresh_token"));

	if (!a || !r)
		return sf_error(SF_EINTERNAL, "server '%s': no token pair in the answer",
				c->server);
	free(c->access);
	free(c->refresh);
	c->access = sf_xstrdup(a);
	c->refresh = sf_xstrdup(r);
	return c->saver ? c->saver(c->saver_arg, c->access, c->refresh) : 0;
}

int sf_client_call(struct sf_client *c, const char *method, const char *path,
		   const json_t *body, json_t **out)
{
	long status;
	int rc;

	if (out)
		*out = NULL;
	rc = request(c, method, path, body, out, &status);
	if (rc == SF_EUNAUTH && c->refresh && strncmp(path, "/api/v1/auth/", 13)) {
		if ((rc = sf_client_refresh(c)))
			return rc;
		rc = request(c, method, path, body, out, &status);
	}
	return rc;
}

int sf_client_login(struct sf_client *c, const char *email, const char *password)
{
	json_t *body = json_pack("{s:s, s:s}", "email", email, "password", password), *j = NULL;
	long status;
	int rc;

	free(c->access);
	c->access = NULL;
	rc = request(c, "POST", "/api/v1/auth/login", body, &j, &status);
	if (!rc)
		rc = take_pair(c, j);
	json_decref(j);
	json_decref(body);
	return rc;
}

int sf_client_refresh(struct sf_client *c)
{
	json_t *body, *j = NULL;
	char *access = c->access;
	long status;
	int rc;

	if (!c->refresh)
		return sf_error(SF_EUNAUTH, "not logged in: run sf login --server URL");
	body = json_pack("{s:s}", "refresh_token", c->refresh);
	c->access = NULL;   /* the refresh route is public */
	rc = request(c, "POST", "/api/v1/auth/refresh", body, &j, &status);
	c->access = access;
	if (!rc)
		rc = take_pair(c, j);
	else if (rc == SF_EUNAUTH)
		rc = sf_error_wrap(rc, "session ended (run sf login again)");
	json_decref(j);
	json_decref(body);
	return rc;
}

int sf_client_logout(struct sf_client *c)
{
	int rc = sf_client_call(c, "POST", "/api/v1/auth/logout", NULL, NULL);

	free(c->access);
	free(c->refresh);
	c->access = c->refresh = NULL;
	return rc;
}

/* ---- typed calls ---- */

/* PREFIX with "?profile=P" (or "&profile=P") added; a new string. */
static char *with_profile(const char *prefix, const char *profile)
{
	return profile ? sf_xasprintf("%s%sprofile=%s", prefix, strchr(prefix, '?') ? "&" : "?",
				      profile)
		       : sf_xstrdup(prefix);
}

/* Checks that a ref is safe in a path (an id or external id). */
static int path_ref(const char *what, const char *ref)
{
	if (!ref || !*ref || strpbrk(ref, "/?#%& "))
		return sf_error(SF_EINVAL, "%s '%s': not a usable id", what,
				sf_text_quote(ref ? ref : ""));
	return 0;
}

static int profile_ref(const char *profile)
{
	return profile ? path_ref("profile", profile) : 0;
}

static int get(struct sf_client *c, const char *path, const char *profile, json_t **out)
{
	char *p = with_profile(path, profile);
	int rc = sf_client_call(c, "GET", p, NULL, out);

	free(p);
	return rc;
}

int sf_client_account(struct sf_client *c, json_t **out)
{
	return sf_client_call(c, "GET", "/api/v1/account", NULL, out);
}

int sf_client_title(struct sf_client *c, const char *id, const char *profile, json_t **out)
{
	char *path;
	int rc = path_ref("title", id);

	if (!rc)
		rc = profile_ref(profile);
	if (rc)
		return rc;
	path = sf_xasprintf("/api/v1/titles/%s", id);
	rc = get(c, path, profile, out);
	free(path);
	return rc;
}

int sf_client_search(struct sf_client *c, const char *query, const char *profile,
		     json_t **out)
{
	char *q, *path;
	int rc = profile_ref(profile);

	if (rc)
		return rc;
	q = curl_easy_escape(c->curl, query, 0);
	path = sf_xasprintf("/api/v1/search?q=%s", q ? q : "");
	curl_free(q);
	rc = get(c, path, profile, out);
	free(path);
	return rc;
}

int sf_client_list(struct sf_client *c, const char *profile, json_t **out)
{
	int rc = profile_ref(profile);

	return rc ? rc : get(c, "/api/v1/my-list", profile, out);
}

int sf_client_list_add(struct sf_client *c, const char *profile, const char *title,
		       json_t **out)
{
	json_t *body;
	char *path;
	int rc = profile_ref(profile);

	if (rc)
		return rc;
	body = json_pack("{s:s}", "title", title);
	path = with_profile("/api/v1/my-list", profile);
	rc = sf_client_call(c, "POST", path, body, out);
	free(path);
	json_decref(body);
	return rc;
}

int sf_client_list_remove(struct sf_client *c, const char *profile, const char *title)
{
	char *prefix, *path;
	int rc = path_ref("title", title);

	if (!rc)
		rc = profile_ref(profile);
	if (rc)
		return rc;
	prefix = sf_xasprintf("/api/v1/my-list/%s", title);
	path = with_profile(prefix, profile);
	rc = sf_client_call(c, "DELETE", path, NULL, NULL);
	free(path);
	free(prefix);
	return rc;
}

int sf_client_rate(struct sf_client *c, const char *profile, const char *title, int stars,
		   json_t **out)
{
	json_t *body;
	char *prefix, *path;
	int rc = path_ref("title", title);

	if (!rc)
		rc = profile_ref(profile);
	if (rc)
		return rc;
	body = json_pack("{s:i}", "stars", stars);
	prefix = sf_xasprintf("/api/v1/titles/%s/rating", title);
	path = with_profile(prefix, profile);
	rc = sf_client_call(c, "PUT", path, body, out);
	free(path);
	free(prefix);
	json_decref(body);
	return rc;
}

int sf_client_playback(struct sf_client *c, const char *profile, const char *title,
		       long long season, long long episode, json_t **out)
{
	char *path;
	int rc = path_ref("title", title);

	if (!rc)
		rc = profile_ref(profile);
	if (rc)
		return rc;
	path = season ? sf_xasprintf("/api/v1/playback/%s?season=%lld&episode=%lld", title, season,
				     episode)
		      : sf_xasprintf("/api/v1/playback/%s", title);
	rc = get(c, path, profile, out);
	free(path);
	return rc;
}

int sf_client_progress(struct sf_client *c, const char *profile, const char *title,
		       const struct sf_client_progress *p, json_t **out)
{
	json_t *body;
	char *prefix, *path;
	int rc = path_ref("title", title);

	if (!rc)
		rc = profile_ref(profile);
	if (rc)
		return rc;
	body = json_pack("{s:I}", "position", (json_int_t)p->position);
	if (p->season || p->episode) {
		json_object_set_new(body, "season", json_integer(p->season));
		json_object_set_new(body, "episode", json_integer(p->episode));
	}
	if (p->duration)
		json_object_set_new(body, "duration", json_integer(p->duration));
	if (p->event)
		json_object_set_new(body, "event", json_string(p->event));
	if (p->at)
		json_object_set_new(body, "at", json_string(p->at));
	prefix = sf_xasprintf("/api/v1/titles/%s/progress", title);
	path = with_profile(prefix, profile);
	rc = sf_client_call(c, "PUT", path, body, out);
	free(path);
	free(prefix);
	json_decref(body);
	return rc;
}

int sf_client_continue(struct sf_client *c, const char *profile, json_t **out)
{
	int rc = profile_ref(profile);

	return rc ? rc : get(c, "/api/v1/continue-watching", profile, out);
}
