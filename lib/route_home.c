/*
 * route_home.c - the personalized homepage over HTTP: GET /api/v1/home
 * for the profile the "profile" query parameter names (route_viewer.c),
 * ranked by the "ranker" parameter (home.ranker); the rows, rules and
 * cache are homepage.h's.
 */
#include "homepage.h"
#include "route.h"

int sf_route_home(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "region", SF_HTTP_STRING },
		{ "ranker", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[3];
	char profile[32];
	json_t *out = NULL;
	int rc = sf_route_viewer_query(req, q, v, profile);

	if (rc)
		return rc;
	rc = sf_homepage(req->db, &req->actor, &(struct sf_homepage_query){
		.profile = profile, .region = sf_http_str(v[1]), .ranker = sf_http_str(v[2]) },
		&out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}
