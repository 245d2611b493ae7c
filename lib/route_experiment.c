/*
 * route_experiment.c - experiments over HTTP: GET
 * /api/v1/experiments/assignments, the running experiments that take the
 * caller's profile (?profile=, route_viewer.c; ?region= for targeting by
 * country), each with its variant and parameters, for clients that apply
 * the parameters themselves.  Answering counts as the exposure
 * (exp_param.h).
 */
#include "exp_param.h"
#include "route.h"
#include "viewer.h"

int sf_route_exp_assignments(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "region", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[2];
	char profile[32];
	struct sf_viewer viewer;
	json_t *out = NULL;
	int rc = sf_route_viewer_query(req, q, v, profile);

	if (rc || (rc = sf_viewer_open(req->db, &req->actor, profile, sf_http_str(v[1]), 0,
				       &viewer)))
		return rc;
	rc = sf_exp_assignments(req->db, &viewer, &out);
	sf_viewer_release(&viewer);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{so}", "assignments", out));
	return rc;
}
