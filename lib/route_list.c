/*
 * route_list.c - My List over HTTP: show, add, remove one, put in order,
 * clear.
 *
 * The profile is the "profile" query parameter (route_viewer.c); the
 * rules (one item per title, the order, what the profile sees) are
 * list.h's.  Adding a title already in the list is 409 "already in your
 * list"; reordering must name exactly the list's items.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "list.h"
#include "route.h"
#include "xalloc.h"


int sf_route_list_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "region", SF_HTTP_STRING },
		{ "filter", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[3];
	json_t *out = NULL;
	char profile[32];
	int rc = sf_route_viewer_query(req, q, v, profile);

	if (!rc)
		rc = sf_list_show(req->db, &req->actor, profile, sf_http_str(v[1]),
				  sf_http_str(v[2]), &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_list_add(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field b[] = { { "title", SF_HTTP_STRING, 1 }, { NULL } };
	const json_t *q[1], *v[1];
	json_t *out = NULL;
	char profile[32];
	int rc = sf_route_viewer_query(req, sf_route_profile_only, q, profile);

	if (!rc)
		rc = sf_http_fields(req->body, b, v, "body");
	if (!rc)
		rc = sf_list_add(req->db, &req->actor, profile, sf_http_str(v[0]), &out);
	if (!rc)
		sf_http_reply(resp, 201, out);
	return rc;
}

int sf_route_list_remove(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *out = NULL;
	char profile[32];
	int rc = sf_route_viewer_bare(req, profile);

	if (!rc)
		rc = sf_list_remove(req->db, &req->actor, profile, req->params[0], &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_list_order(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field b[] = { { "titles", SF_HTTP_ANY, 1 }, { NULL } };
	const json_t *q[1], *v[1], *t;
	const char **titles = NULL;
	json_t *out = NULL;
	char profile[32], (*ids)[24] = NULL;
	size_t i, n = 0;
	int rc = sf_route_viewer_query(req, sf_route_profile_only, q, profile);

	if (!rc)
		rc = sf_http_fields(req->body, b, v, "body");
	if (!rc && !json_is_array(v[0]))
		rc = sf_error(SF_EINVAL, "body: field 'titles' must be an array of title ids");
	if (rc)
		return rc;
	n = json_array_size(v[0]);
	titles = sf_xcalloc(n + 1, sizeof(*titles));
	ids = sf_xcalloc(n + 1, sizeof(*ids));
	json_array_foreach(v[0], i, t) {
		if (json_is_integer(t)) {
			snprintf(ids[i], sizeof(ids[i]), "%" JSON_INTEGER_FORMAT, json_integer_value(t));
			titles[i] = ids[i];
		} else if (json_is_string(t)) {
			titles[i] = json_string_value(t);
		} else {
			rc = sf_error(SF_EINVAL, "body: titles[%zu] must be a title id", i);
			goto out;
		}
	}
	rc = sf_list_reorder(req->db, &req->actor, profile, titles, (int)n, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
out:
	free(titles);
	free(ids);
	return rc;
}

int sf_route_list_clear(struct sf_http_req *req, struct sf_http_resp *resp)
{
	long long removed = 0;
	char profile[32];
	int rc = sf_route_viewer_bare(req, profile);

	if (!rc)
		rc = sf_list_clear(req->db, &req->actor, profile, &removed);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:I}", "removed", (json_int_t)removed));
	return rc;
}
