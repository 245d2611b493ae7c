/*
 * client.h - the HTTP client of sf serve's API (libcurl + jansson): what
 * "sf login", the browser and the player use to reach a server, local or
 * remote.
 *
 * A client talks to one server, named by its base URL
 * ("http://127.0.0.1:8080", "https://sf.example.com") or by a unix
 * socket ("unix:/path/to/sock").  It holds an access token and a
 * refresh token; a call answered 401 while the client has a refresh
 * token refreshes once (POST /auth/refresh, which rotates the pair) and
 * repeats the call, and the new pair goes to the client's saver, if set
 * (client_store.c writes it to the credentials file).
 *
 * Every call returns 0 or a negative SF_E* code with the server's own
 * one-line message (the HTTP status mapped back through the error table:
 * 404 is SF_ENOTFOUND, 409 SF_ECONFLICT, ...); a server that cannot be
 * reached is SF_EUNAVAIL naming the URL.  JSON results are the caller's
 * to json_decref.  A client is for one thread at a time.
 */
#ifndef SF_CLIENT_H
#define SF_CLIENT_H

#include <jansson.h>

struct sf_client;

/* Called with the new pair after a refresh (and after login). */
typedef int sf_client_saver(void *arg, const char *access, const char *refresh);

/* A client of server (checked: http://, https:// or unix:PATH; SF_EINVAL
 * naming it otherwise).  Tokens may be NULL. */
int sf_client_open(const char *server, const char *access, const char *refresh,
		   struct sf_client **out);
void sf_client_free(struct sf_client *c);
/* release (may be NULL) is called with arg when the client is freed. */
void sf_client_set_saver(struct sf_client *c, sf_client_saver *fn, void *arg,
			 void (*release)(void *arg));
const char *sf_client_server(const struct sf_client *c);
const char *sf_client_access(const struct sf_client *c);
const char *sf_client_refresh_token(const struct sf_client *c);

/* One request: path under the server ("/api/v1/titles/7?profile=3"),
 * body NULL or an object.  *out is the JSON answer (NULL for none; pass
 * NULL to drop it); an error answer is returned as its code and message. */
int sf_client_call(struct sf_client *c, const char *method, const char *path,
		   const json_t *body, json_t **out);

/* ---- auth ---- */
int sf_client_login(struct sf_client *c, const char *email, const char *password);
/* Exchanges the refresh token for a new pair. */
int sf_client_refresh(struct sf_client *c);
/* Revokes the session on the server and forgets the tokens. */
int sf_client_logout(struct sf_client *c);

/* ---- typed calls (profile: a profile id, or NULL for the first) ---- */
int sf_client_account(struct sf_client *c, json_t **out);
int sf_client_title(struct sf_client *c, const char *id, const char *profile, json_t **out);
int sf_client_search(struct sf_client *c, const char *query, const char *profile,
		     json_t **out);
int sf_client_list(struct sf_client *c, const char *profile, json_t **out);
int sf_client_list_add(struct sf_client *c, const char *profile, const char *title,
		       json_t **out);
int sf_client_list_remove(struct sf_client *c, const char *profile, const char *title);
int sf_client_rate(struct sf_client *c, const char *profile, const char *title, int stars,
		   json_t **out);

/* What a player needs to play the title, or its episode season/episode
 * (both 0: the movie, or where the profile is in the series). */
int sf_client_playback(struct sf_client *c, const char *profile, const char *title,
		       long long season, long long episode, json_t **out);

struct sf_client_progress {
	long long season, episode;   /* 0 for a movie */
	const char *event;           /* NULL: progress */
	long long position, duration; /* seconds; duration 0: the stored or catalog's */
	const char *at;              /* the client's time, ISO 8601 (idempotent retries) */
};
int sf_client_progress(struct sf_client *c, const char *profile, const char *title,
		       const struct sf_client_progress *p, json_t **out);
int sf_client_continue(struct sf_client *c, const char *profile, json_t **out);

/* ---- client_store.c: the credentials file ---- */

/* $XDG_CONFIG_HOME/sf/credentials (default ~/.config/sf/credentials);
 * caller frees. */
int sf_client_store_path(char **out);
/* Reads {server, email, access_token, refresh_token}; none saved is
 * SF_ENOTFOUND ("not logged in: run sf login --server URL").  A file
 * others can read is refused (SF_EFORBIDDEN). */
int sf_client_store_load(json_t **out);
/* Writes it whole (mode 0600, directory 0700, via a temporary file
 * renamed into place, so a crash leaves the old file or the new). */
int sf_client_store_save(const json_t *creds);
/* Removes the file; none is not an error. */
int sf_client_store_remove(void);
/* A client of the saved server and tokens, which saves refreshed pairs
 * back to the file. */
int sf_client_store_open(struct sf_client **out);

#endif
