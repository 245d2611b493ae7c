/*
 * route_rating.c - the profile's rating of a title over HTTP: show, set
 * (1 to 5 stars; setting again changes it), clear.
 *
 * The profile is the "profile" query parameter (route_viewer.c); the
 * rules are rating.h's.  The answer carries the title's average too.
 */
#include <stdio.h>

#include "error.h"
#include "rating.h"
#include "route.h"


int sf_route_rating_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	const json_t *q[1];
	json_t *out = NULL;
	char profile[32];
	int rc = sf_route_viewer_query(req, sf_route_profile_only, q, profile);

	if (!rc)
		rc = sf_rating_get(req->db, &req->actor, profile, req->params[0], &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_rating_set(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field b[] = { { "stars", SF_HTTP_INT, 1 }, { NULL } };
	const json_t *q[1], *v[1];
	json_t *out = NULL;
	char profile[32], text[24];
	int stars = 0, rc = sf_route_viewer_query(req, sf_route_profile_only, q, profile);

	if (!rc)
		rc = sf_http_fields(req->body, b, v, "body");
	if (rc)
		return rc;
	snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT, json_integer_value(v[0]));
	rc = sf_rating_parse(text, &stars);
	if (!rc)
		rc = sf_rating_set(req->db, &req->actor, profile, req->params[0], stars, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_rating_clear(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *out = NULL;
	char profile[32];
	int rc = sf_route_viewer_bare(req, profile);

	if (!rc)
		rc = sf_rating_clear(req->db, &req->actor, profile, req->params[0], &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}
