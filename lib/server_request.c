/*
 * server_request.c - routing, checks and the worker's database connection.
 *
 * Each worker thread keeps its connection in a thread-local variable.  A
 * connection that libpq reports broken, or a request that ended in
 * SF_EUNAVAIL, drops it; the next request connects afresh.  A GET that
 * failed that way is tried once more on a fresh connection, since reading
 * twice does no harm; a write is not repeated (its commit may have
 * happened), it answers 503.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "db.h"
#include "error.h"
#include "log.h"
#include "route.h"
#include "server_metrics.h"
#include "server_request.h"
#include "text.h"
#include "token.h"

static _Thread_local struct sf_db *thread_db;
static pthread_key_t db_key;   /* its value is thread_db: closed when the worker ends */
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void close_at_exit(void *db)
{
	sf_db_free(db);
	sf_metrics_db(SF_METRICS_DB_CLOSE);
}

static void make_key(void)
{
	pthread_key_create(&db_key, close_at_exit);
}

static void drop_db(void)
{
	if (thread_db) {
		sf_db_free(thread_db);
		thread_db = NULL;
		pthread_setspecific(db_key, NULL);
		sf_metrics_db(SF_METRICS_DB_LOST);
	}
}

static int get_db(const struct sf_server_config *cfg, struct sf_db **out)
{
	int rc;

	if (thread_db && PQstatus(sf_db_conn(thread_db)) != CONNECTION_OK)
		drop_db();
	if (!thread_db) {
		rc = sf_db_connect(cfg->conninfo, &thread_db);
		if (rc) {
			thread_db = NULL;
			sf_metrics_db(SF_METRICS_DB_CONNECT_FAIL);
			return rc;
		}
		sf_metrics_db(SF_METRICS_DB_CONNECT);
		pthread_once(&db_key_once, make_key);
		pthread_setspecific(db_key, thread_db);
	}
	*out = thread_db;
	return 0;
}

json_t *sf_server_error_json(const char *code, const char *message)
{
	return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
}

static int parse_body(const struct sf_server_call *call, json_t **out)
{
	json_error_t err;

	*out = NULL;
	if (!call->body_len)
		return 0;
	if (!strcmp(call->method, "GET") || !strcmp(call->method, "HEAD"))
		return sf_error(SF_EINVAL, "body: a %s request takes no body", call->method);
	if (!call->content_type || strncasecmp(call->content_type, "application/json", 16) != 0)
		return sf_error(SF_EINVAL, "content type '%s': send application/json",
				sf_text_quote(call->content_type ? call->content_type : ""));
	if (!sf_utf8_valid(call->body, call->body_len))
		return sf_error(SF_EINVAL, "body: not valid UTF-8");
	*out = json_loadb(call->body, call->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!*out)
		return sf_error(SF_EINVAL, "body: malformed JSON at line %d, column %d: %s",
				err.line, err.column, err.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return sf_error(SF_EINVAL, "body: must be a JSON object");
	}
	return 0;
}

/* The bearer token of the Authorization header; NULL with SF_EUNAUTH. */
static int bearer(const char *header, const char **token)
{
	*token = NULL;
	if (!header)
		return sf_error(SF_EUNAUTH, "authentication required: send "
				"'Authorization: Bearer <access token>'");
	if (strncasecmp(header, "Bearer ", 7) != 0 || !header[7])
		return sf_error(SF_EUNAUTH, "authorization: not a bearer token");
	*token = header + 7;
	return 0;
}

/* Runs the route once: auth, then the handler. */
static int run(const struct sf_server_config *cfg, const struct sf_route *route,
	       struct sf_http_req *req, const char *token, struct sf_http_resp *resp)
{
	int rc = 0;

	if (!route->no_db && (rc = get_db(cfg, &req->db)))
		return rc;
	if (route->access != SF_ROUTE_PUBLIC) {
		rc = sf_token_authenticate(req->db, &cfg->key, token, &req->actor, &req->session);
		if (rc)
			return rc;
		req->authenticated = 1;
		if (route->access == SF_ROUTE_PERM &&
		    (rc = sf_actor_require(&req->actor, route->perm)))
			return rc;
	}
	return route->handler(req, resp);
}

void sf_server_handle(const struct sf_server_config *cfg, const struct sf_server_call *call,
		      struct sf_http_resp *resp, struct sf_server_result *res)
{
	char buf[1024];
	const struct sf_route *route;
	struct sf_http_req req = { .method = call->method, .path = call->path,
				   .address = call->address, .key = &cfg->key,
				   .query = call->query, .range = call->range,
				   .if_none_match = call->if_none_match, .origin = call->origin,
				   .media = &cfg->media };
	const char *token = NULL;
	int known, rc;

	memset(res, 0, sizeof(*res));
	res->route = -1;
	resp->status = 200;
	route = sf_route_match(call->method, call->path, req.params, buf, sizeof(buf), &known,
			       res->allow, sizeof(res->allow));
	if (!route) {
		rc = known ? sf_error(SF_ENOTFOUND, "method '%s' is not offered on '%s' (allowed: %s)",
				      sf_text_quote(call->method), call->path, res->allow)
			   : sf_error(SF_ENOTFOUND, "route '%s': not found", sf_text_quote(call->path));
		goto out;
	}
	res->route = (int)(route - sf_routes);
	if (!sf_utf8_valid(call->path, strlen(call->path))) {
		rc = sf_error(SF_EINVAL, "path: not valid UTF-8");
		goto out;
	}
	if ((rc = call->query_rc) || (rc = parse_body(call, &req.body)))
		goto out;
	if (route->access != SF_ROUTE_PUBLIC && (rc = bearer(call->authorization, &token)))
		goto out;
	rc = run(cfg, route, &req, token, resp);
	if (rc == SF_EUNAVAIL) {
		drop_db();
		if (!strcmp(call->method, "GET") || !strcmp(call->method, "HEAD")) {
			sf_actor_release(&req.actor);
			json_decref(resp->body);
			resp->body = NULL;
			rc = run(cfg, route, &req, token, resp);
			if (rc == SF_EUNAVAIL)
				drop_db();
		}
	}
out:
	res->account = req.actor.account_id;
	res->code = rc;
	if (rc) {
		const char *msg = sf_error_message();

		if (rc == SF_EINTERNAL || rc == SF_EUNAVAIL) {
			if (cfg->log) {
				char line[1200], *p;

				snprintf(line, sizeof(line), "level=%s path=%s msg=\"%s\"",
					 rc == SF_EUNAVAIL ? "warn" : "error",
					 route ? route->pattern : "-", msg);
				/* messages are one line already; keep the quoting whole */
				for (p = strstr(line, "msg=\"") + 5; *p; p++)
					if (*p == '"' && p[1])
						*p = '\'';
				cfg->log(cfg->log_arg, line);
			}
			msg = rc == SF_EUNAVAIL ? "the database is unavailable; try again shortly"
						: "internal error; the server log has the details";
		}
		json_decref(resp->body);
		free(resp->text);
		resp->text = NULL;
		if (resp->file)
			close(resp->fd);
		resp->file = 0;
		resp->cache_control = NULL;
		resp->nheaders = 0;
		resp->body = sf_server_error_json(sf_error_name(rc), msg);
		resp->status = sf_error_http_status(rc);
		if (rc == SF_EUNAVAIL && !resp->retry_after)
			resp->retry_after = 1;
		sf_metrics_error(rc);
	}
	sf_actor_release(&req.actor);
	json_decref(req.body);
}
