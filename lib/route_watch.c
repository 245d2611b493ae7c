/*
 * route_watch.c - viewing over HTTP: progress writes from players,
 * resume, next up, Continue Watching and history.
 *
 * The profile is the "profile" query parameter (route_viewer.c); the
 * rules are watch.h's.  A progress write is idempotent when it carries
 * the client's time "at": the same write sent twice (a retry after a lost
 * answer) changes nothing the second time and answers 200 again, so a
 * player retries freely.  An answer of 2xx means the write is committed.
 * Numbers arrive as JSON integers and are handed to watch.h as the text
 * the CLI would give, so both share one validation.
 */
#include <stdio.h>

#include "error.h"
#include "route.h"
#include "watch.h"

/* The integer field v as text in buf, or NULL when absent. */
static const char *int_text(const json_t *v, char buf[24])
{
	if (!v)
		return NULL;
	snprintf(buf, 24, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return buf;
}

int sf_route_progress_put(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = { { "profile", SF_HTTP_STRING }, { NULL } };
	static const struct sf_http_field b[] = {
		{ "season", SF_HTTP_INT }, { "episode", SF_HTTP_INT },
		{ "event", SF_HTTP_STRING }, { "position", SF_HTTP_INT },
		{ "duration", SF_HTTP_INT }, { "credits", SF_HTTP_INT },
		{ "at", SF_HTTP_STRING }, { NULL },
	};
	const json_t *qv[1], *v[7];
	char profile[32], season[24], episode[24], position[24], duration[24], credits[24];
	struct sf_watch_write w;
	json_t *out = NULL;
	int rc = sf_route_viewer_query(req, q, qv, profile);

	if (!rc)
		rc = sf_http_fields(req->body, b, v, "body");
	if (!rc && !req->body)
		rc = sf_error(SF_EINVAL, "body: a progress object is required");
	if (rc)
		return rc;
	w = (struct sf_watch_write){
		.profile = profile, .title = req->params[0],
		.season = int_text(v[0], season), .episode = int_text(v[1], episode),
		.event = sf_http_str(v[2]), .position = int_text(v[3], position),
		.duration = int_text(v[4], duration), .credits = int_text(v[5], credits),
		.at = sf_http_str(v[6]),
	};
	rc = sf_watch_record(req->db, &req->actor, &w, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

/* Reads q's fields (profile first) into wq; the title from the path. */
static int query(struct sf_http_req *req, const struct sf_http_field *q, const json_t **v,
		 char profile[32], struct sf_watch_query *wq)
{
	int rc = sf_route_viewer_query(req, q, v, profile);

	*wq = (struct sf_watch_query){ .profile = profile };
	return rc;
}

int sf_route_resume(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "season", SF_HTTP_STRING },
		{ "episode", SF_HTTP_STRING }, { "region", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[4];
	struct sf_watch_query wq;
	json_t *out = NULL;
	char profile[32];
	int rc = query(req, q, v, profile, &wq);

	if (rc)
		return rc;
	wq.title = req->params[0];
	wq.season = sf_http_str(v[1]);
	wq.episode = sf_http_str(v[2]);
	wq.region = sf_http_str(v[3]);
	rc = sf_watch_resume(req->db, &req->actor, &wq, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_next(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "region", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[2];
	struct sf_watch_query wq;
	json_t *out = NULL;
	char profile[32];
	int rc = query(req, q, v, profile, &wq);

	if (rc)
		return rc;
	wq.title = req->params[0];
	wq.region = sf_http_str(v[1]);
	rc = sf_watch_next(req->db, &req->actor, &wq, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_continue(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "region", SF_HTTP_STRING },
		{ "limit", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[3];
	struct sf_watch_query wq;
	json_t *out = NULL;
	char profile[32];
	int rc = query(req, q, v, profile, &wq);

	if (rc)
		return rc;
	wq.region = sf_http_str(v[1]);
	wq.limit = sf_http_str(v[2]);
	rc = sf_watch_continue(req->db, &req->actor, &wq, &out);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:o}", "items", out));
	return rc;
}

int sf_route_history(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "title", SF_HTTP_STRING },
		{ "limit", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[3];
	struct sf_watch_query wq;
	json_t *out = NULL;
	char profile[32];
	int rc = query(req, q, v, profile, &wq);

	if (rc)
		return rc;
	wq.title = sf_http_str(v[1]);
	wq.limit = sf_http_str(v[2]);
	rc = sf_watch_history(req->db, &req->actor, &wq, &out);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:o}", "items", out));
	return rc;
}
