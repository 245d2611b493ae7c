/*
 * route_review.c - reviews over HTTP: a title's reviews and the
 * profile's own, writing one, changing and deleting it, voting, and
 * reporting someone else's to the moderators.
 *
 * The profile is the "profile" query parameter (route_viewer.c); the
 * rules (one review per profile and title, who sees what, no vote on
 * one's own) are review.h's and moderation.h's.  Writing answers 201
 * when it made the review and 200 when it replaced the text of the one
 * the profile had.
 */
#include <stdio.h>

#include "error.h"
#include "moderation.h"
#include "review.h"
#include "route.h"


/* A title's reviews (title set) or the profile's own (title NULL). */
static int list(struct sf_http_req *req, struct sf_http_resp *resp, const char *title)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "region", SF_HTTP_STRING },
		{ "sort", SF_HTTP_STRING }, { "page", SF_HTTP_STRING },
		{ "limit", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[5];
	struct sf_review_query rq = { .title = title };
	json_t *out = NULL;
	char profile[32];
	int rc = sf_route_viewer_query(req, q, v, profile);

	if (rc)
		return rc;
	rq.profile = profile;
	rq.region = sf_http_str(v[1]);
	rq.sort = sf_http_str(v[2]);
	if ((rc = sf_route_int("page", sf_http_str(v[3]), 1, 1000000, &rq.page)) ||
	    (rc = sf_route_int("limit", sf_http_str(v[4]), 1, SF_REVIEW_LIMIT_MAX, &rq.limit)))
		return rc;
	rc = sf_review_list(req->db, &req->actor, &rq, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_review_list(struct sf_http_req *req, struct sf_http_resp *resp)
{
	return list(req, resp, req->params[0]);
}

int sf_route_review_mine(struct sf_http_req *req, struct sf_http_resp *resp)
{
	return list(req, resp, NULL);
}

/* The query's profile and the body's one required string field. */
static int read_body(struct sf_http_req *req, const char *field, char profile[32],
		     const char **val)
{
	struct sf_http_field b[] = { { field, SF_HTTP_STRING, 1 }, { NULL } };
	const json_t *q[1], *v[1];
	int rc = sf_route_viewer_query(req, sf_route_profile_only, q, profile);

	if (!rc)
		rc = sf_http_fields(req->body, b, v, "body");
	*val = rc ? NULL : sf_http_str(v[0]);
	return rc;
}

int sf_route_review_write(struct sf_http_req *req, struct sf_http_resp *resp)
{
	const char *body;
	json_t *out = NULL;
	char profile[32];
	int created = 0, rc = read_body(req, "body", profile, &body);

	if (!rc)
		rc = sf_review_check(body);
	if (!rc)
		rc = sf_review_write(req->db, &req->actor, profile, req->params[0], body, &out,
				     &created);
	if (!rc)
		sf_http_reply(resp, created ? 201 : 200, out);
	return rc;
}

int sf_route_review_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "region", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[2];
	json_t *out = NULL;
	char profile[32];
	long long id;
	int rc = sf_review_parse_id(req->params[0], &id);

	if (!rc)
		rc = sf_route_viewer_query(req, q, v, profile);
	if (!rc)
		rc = sf_review_show(req->db, &req->actor, profile, sf_http_str(v[1]),
				    req->params[0], &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_review_edit(struct sf_http_req *req, struct sf_http_resp *resp)
{
	const char *body;
	json_t *out = NULL;
	char profile[32];
	long long id;
	int rc = sf_review_parse_id(req->params[0], &id);

	if (!rc)
		rc = read_body(req, "body", profile, &body);
	if (!rc)
		rc = sf_review_check(body);
	if (!rc)
		rc = sf_review_edit(req->db, &req->actor, profile, req->params[0], body, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_review_delete(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *out = NULL;
	char profile[32];
	long long id;
	int rc = sf_review_parse_id(req->params[0], &id);

	if (!rc)
		rc = sf_route_viewer_bare(req, profile);
	if (!rc)
		rc = sf_review_delete(req->db, &req->actor, profile, req->params[0], &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_review_vote(struct sf_http_req *req, struct sf_http_resp *resp)
{
	const char *vote;
	json_t *out = NULL;
	char profile[32];
	long long id;
	int rc = sf_review_parse_id(req->params[0], &id);

	if (!rc)
		rc = read_body(req, "vote", profile, &vote);
	if (!rc)
		rc = sf_review_vote(req->db, &req->actor, profile, req->params[0], vote, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_review_report(struct sf_http_req *req, struct sf_http_resp *resp)
{
	const char *reason;
	json_t *out = NULL;
	char profile[32];
	long long id;
	int rc = sf_review_parse_id(req->params[0], &id);

	if (!rc)
		rc = read_body(req, "reason", profile, &reason);
	if (!rc)
		rc = sf_moderation_report(req->db, &req->actor, profile, req->params[0], reason,
					  &out);
	if (!rc)
		sf_http_reply(resp, 201, out);
	return rc;
}
