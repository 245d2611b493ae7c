/*
 * server.c - the libmicrohttpd daemon of sf serve: listening, reading
 * bodies under the cap, the access log, and the graceful stop.
 *
 * libmicrohttpd calls on_request several times per request: once when
 * the headers are in (a body declared too large is refused right there),
 * once per piece of body (gathered up to SF_HTTP_BODY_MAX), and once at
 * the end, when server_request.c answers.  on_completed then writes the
 * access-log line and the metrics.  The listening socket is made here
 * (TCP or a unix socket) and handed to libmicrohttpd, so both kinds of
 * address work the same way and port 0 picks a free port.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cluster.h"
#include "db.h"
#include "error.h"
#include "server.h"
#include "server_metrics.h"
#include "server_request.h"
#include "store.h"
#include "text.h"
#include "xalloc.h"

struct sf_server {
	struct sf_server_config cfg;
	struct MHD_Daemon *mhd;
	int fd;
	char *unix_path;
	char address[300];
	atomic_int in_flight;
	atomic_int stopping;
	atomic_ullong next_id;
	unsigned id_prefix;
};

struct request {
	struct timespec start;
	char id[24];
	char *body;
	size_t len;
	int too_large;
	int status;
	size_t bytes;
	int route;
	long long account;
	char *method, *path;   /* for the log line */
};

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* ---- the database ---- */

int sf_server_conninfo(const char *db_url, char **out)
{
	struct sf_store st;
	struct sf_cluster c;
	struct sf_db *db = NULL;
	int rc;

	*out = NULL;
	rc = sf_store_open(db_url, &db);   /* starts and migrates, or checks */
	sf_db_free(db);
	if (rc)
		return rc;
	sf_store_locate(&st, db_url);
	if (st.mode == SF_STORE_EXTERNAL) {
		*out = sf_xstrdup(st.conninfo);
	} else if (!(rc = sf_cluster_init(&c))) {
		*out = sf_cluster_conninfo(&c, "sf");
		sf_cluster_release(&c);
	}
	sf_store_release(&st);
	return rc;
}

/* ---- listening ---- */

static int listen_unix(struct sf_server *s, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (!*path || strlen(path) >= sizeof(sa.sun_path))
		return sf_error(SF_EINVAL, "--listen 'unix:%s': not a usable socket path",
				sf_text_quote(path));
	strcpy(sa.sun_path, path);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return sf_error(SF_EINTERNAL, "socket: %s", strerror(errno));
	unlink(path);   /* a stale socket of an earlier run */
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return sf_error(SF_EUNAVAIL, "--listen 'unix:%s': %s", sf_text_quote(path),
				strerror(errno));
	s->unix_path = sf_xstrdup(path);
	snprintf(s->address, sizeof(s->address), "unix:%s", path);
	return 0;
}

static int listen_tcp(struct sf_server *s, const char *spec)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	char host[256], *end;
	const char *colon = strrchr(spec, ':');
	socklen_t len;
	long port;
	int one = 1;

	if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof(host))
		goto bad;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = 0;
	port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || port < 0 || port > 65535)
		goto bad;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = 0;
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
			goto bad;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof(*in6);
	} else if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		len = sizeof(*in4);
	} else {
		goto bad;
	}
	s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return sf_error(SF_EINTERNAL, "socket: %s", strerror(errno));
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&ss, len) != 0)
		return sf_error(SF_EUNAVAIL, "--listen '%s': %s", sf_text_quote(spec),
				strerror(errno));
	getsockname(s->fd, (struct sockaddr *)&ss, &len);
	port = ntohs(ss.ss_family == AF_INET ? in4->sin_port : in6->sin6_port);
	snprintf(s->address, sizeof(s->address), ss.ss_family == AF_INET ? "%s:%ld" : "[%s]:%ld",
		 host + (host[0] == '['), port);
	return 0;
bad:
	return sf_error(SF_EINVAL, "--listen '%s': give HOST:PORT (127.0.0.1:8080, "
			"[::1]:8080) or unix:PATH", sf_text_quote(spec));
}

/* ---- requests ---- */

static void client_address(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, size, "unix");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)size);
}

struct query_ctx {
	json_t *obj;
	int rc;
};

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct query_ctx *q = cls;

	(void)kind;
	if (!value)
		value = "";
	if (!sf_utf8_valid(key, strlen(key)) || !sf_utf8_valid(value, strlen(value))) {
		q->rc = sf_error(SF_EINVAL, "query: not valid UTF-8");
		return MHD_NO;
	}
	if (json_object_get(q->obj, key)) {
		q->rc = sf_error(SF_EINVAL, "query: '%s' given more than once", sf_text_quote(key));
		return MHD_NO;
	}
	json_object_set_new(q->obj, key, json_string(value));
	return MHD_YES;
}

/* The response libmicrohttpd sends: a file (zero-copy, sendfile) or a
 * buffer, with the headers every answer carries. */
static struct MHD_Response *make_response(struct sf_http_resp *resp, struct request *r)
{
	struct MHD_Response *m;
	char *text = resp->text;
	const char *type = resp->content_type;

	if (resp->file) {
		m = MHD_create_response_from_fd_at_offset64((uint64_t)resp->length, resp->fd,
							    (uint64_t)resp->offset);
		if (!m)
			close(resp->fd);
		resp->file = 0;
		r->bytes = (size_t)resp->length;
	} else {
		if (!text && resp->body) {
			text = json_dumps(resp->body, JSON_COMPACT | JSON_PRESERVE_ORDER);
			type = "application/json";
		}
		resp->text = NULL;
		r->bytes = text ? strlen(text) : 0;
		m = MHD_create_response_from_buffer(r->bytes, text ? text : (char *)"",
						    text ? MHD_RESPMEM_MUST_FREE
							 : MHD_RESPMEM_PERSISTENT);
	}
	if (!m)
		return NULL;
	if (type)
		MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(m, "X-Request-Id", r->id);
	MHD_add_response_header(m, MHD_HTTP_HEADER_CACHE_CONTROL,
				resp->cache_control ? resp->cache_control : "no-store");
	MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(m, resp->headers[i].name, resp->headers[i].value);
	return m;
}

static enum MHD_Result reply(struct sf_server *s, struct MHD_Connection *c, struct request *r,
			    struct sf_http_resp *resp, const char *allow)
{
	struct MHD_Response *m = make_response(resp, r);
	enum MHD_Result ok;
	char retry[24];

	json_decref(resp->body);
	if (!m)
		return MHD_NO;
	if (resp->retry_after) {
		snprintf(retry, sizeof(retry), "%lld", resp->retry_after);
		MHD_add_response_header(m, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	}
	if (resp->status == 401)
		MHD_add_response_header(m, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"sf\"");
	if (allow && *allow)
		MHD_add_response_header(m, MHD_HTTP_HEADER_ALLOW, allow);
	if (atomic_load(&s->stopping))
		MHD_add_response_header(m, MHD_HTTP_HEADER_CONNECTION, "close");
	r->status = resp->status;
	ok = MHD_queue_response(c, (unsigned)resp->status, m);
	MHD_destroy_response(m);
	return ok;
}

static enum MHD_Result too_large(struct sf_server *s, struct MHD_Connection *c,
				 struct request *r)
{
	char msg[80];
	struct sf_http_resp resp = { 413 };

	snprintf(msg, sizeof(msg), "body: larger than %d bytes", SF_HTTP_BODY_MAX);
	resp.body = sf_server_error_json("too_large", msg);
	return reply(s, c, r, &resp, NULL);
}

static enum MHD_Result answer(struct sf_server *s, struct MHD_Connection *c, struct request *r,
			      const char *url, const char *method)
{
	struct sf_server_call call = { method, url };
	struct sf_server_result res;
	struct sf_http_resp resp = { 0 };
	struct query_ctx q = { json_object(), 0 };
	char address[INET6_ADDRSTRLEN + 1], origin[300];
	const char *host;
	enum MHD_Result ok;

	client_address(c, address, sizeof(address));
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &q);
	call.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_AUTHORIZATION);
	call.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							MHD_HTTP_HEADER_CONTENT_TYPE);
	call.range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
	call.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_IF_NONE_MATCH);
	host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (host && *host && strlen(host) < sizeof(origin) - 8 && !strpbrk(host, "/\\ \"")) {
		snprintf(origin, sizeof(origin), "http://%s", host);
		call.origin = origin;
	}
	call.address = address;
	call.body = r->body;
	call.body_len = r->len;
	call.query = q.obj;
	call.query_rc = q.rc;
	sf_server_handle(&s->cfg, &call, &resp, &res);
	r->route = res.route;
	r->account = res.account;
	ok = reply(s, c, r, &resp, res.allow);
	json_decref(q.obj);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	struct sf_server *s = cls;
	struct request *r = *con_cls;
	const char *cl;

	(void)version;
	if (!r) {
		r = sf_xcalloc(1, sizeof(*r));
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		snprintf(r->id, sizeof(r->id), "%08x-%llu", s->id_prefix,
			 (unsigned long long)atomic_fetch_add(&s->next_id, 1) + 1);
		r->route = -1;
		r->method = sf_xstrdup(method);
		r->path = sf_xstrdup(url);
		*con_cls = r;
		atomic_fetch_add(&s->in_flight, 1);
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > SF_HTTP_BODY_MAX) {
			r->too_large = 1;
			return too_large(s, c, r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && r->len + *upload_size <= SF_HTTP_BODY_MAX) {
			r->body = sf_xrealloc(r->body, r->len + *upload_size + 1);
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
			r->body[r->len] = 0;
		} else {
			r->too_large = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_large)
		return r->status ? MHD_YES : too_large(s, c, r);
	return answer(s, c, r, url, method);
}

/* Log values are single tokens: spaces, quotes and controls escaped. */
static void log_escape(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 4 < size; in++) {
		unsigned char ch = (unsigned char)*in;

		if (ch <= 0x20 || ch == '"' || ch == 0x7f || ch == '%')
			n += (size_t)snprintf(out + n, size - n, "%%%02X", ch);
		else
			out[n++] = (char)ch;
	}
	out[n] = 0;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	struct sf_server *s = cls;
	struct request *r = *con_cls;
	char line[2600], path[1024], method[40], address[INET6_ADDRSTRLEN + 1];
	double secs;

	if (!r)
		return;
	secs = since(&r->start);
	client_address(c, address, sizeof(address));
	log_escape(r->path, path, sizeof(path));
	log_escape(r->method, method, sizeof(method));
	if (!r->status)
		r->status = why == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
	sf_metrics_request(r->route, r->status, secs);
	if (s->cfg.log) {
		snprintf(line, sizeof(line), "id=%s method=%s path=%s status=%d bytes=%zu "
			 "duration_ms=%.1f account=%lld address=%s", r->id, method, path, r->status,
			 r->bytes, secs * 1000, r->account, address);
		s->cfg.log(s->cfg.log_arg, line);
	}
	free(r->body);
	free(r->path);
	free(r->method);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct sf_server *s = cls;
	char msg[600], line[700];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	for (char *p = msg; *p; p++)
		if (*p == '"' || (unsigned char)*p < 0x20)
			*p = '\'';
	snprintf(line, sizeof(line), "level=warn source=libmicrohttpd msg=\"%s\"", msg);
	if (s->cfg.log)
		s->cfg.log(s->cfg.log_arg, line);
}

/* ---- start and stop ---- */

static void release(struct sf_server *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->unix_path)
		unlink(s->unix_path);
	free(s->unix_path);
	sodium_memzero(&s->cfg.key, sizeof(s->cfg.key));
	free(s);
}

int sf_server_start(const struct sf_server_config *cfg, struct sf_server **out)
{
	struct sf_server *s = sf_xcalloc(1, sizeof(*s));
	int rc, tcp = strncmp(cfg->listen, "unix:", 5) != 0;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;

	*out = NULL;
	s->cfg = *cfg;
	s->fd = -1;
	s->id_prefix = randombytes_random();
	rc = tcp ? listen_tcp(s, cfg->listen) : listen_unix(s, cfg->listen + 5);
	if (!rc && listen(s->fd, 128) != 0)
		rc = sf_error(SF_EUNAVAIL, "--listen '%s': %s", sf_text_quote(cfg->listen),
			      strerror(errno));
	if (rc) {
		release(s);
		return rc;
	}
	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_LISTEN_SOCKET, s->fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(tcp ? cfg->per_address : 0),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_END);
	if (!s->mhd) {
		release(s);
		return sf_error(SF_EINTERNAL, "--listen '%s': libmicrohttpd would not start",
				sf_text_quote(cfg->listen));
	}
	*out = s;
	return 0;
}

const char *sf_server_address(const struct sf_server *s)
{
	return s->address;
}

void sf_server_stop(struct sf_server *s, int grace_seconds)
{
	struct timespec start;
	MHD_socket fd;

	if (!s)
		return;
	atomic_store(&s->stopping, 1);
	fd = MHD_quiesce_daemon(s->mhd);   /* no new connections from here on */
	if (fd != MHD_INVALID_SOCKET && fd == s->fd) {
		close(s->fd);
		s->fd = -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (atomic_load(&s->in_flight) > 0 && since(&start) < grace_seconds)
		usleep(20 * 1000);
	MHD_stop_daemon(s->mhd);
	release(s);
}
