/*
 * route_admin_title.c - catalog administration: every title whatever its
 * status, and creating, changing and deleting titles.
 *
 * Bodies are titles in their one JSON form (title.h), checked field by
 * field by title_field.h exactly as "sf title import" checks a file: an
 * unknown field is 400 naming it; read-only fields (id, version, ...) are
 * accepted and ignored, so a client may send back what it fetched.
 */
#include <stdio.h>

#include "error.h"
#include "route.h"
#include "title.h"

int sf_route_admin_title_list(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_title_filter f;
	json_t *out = NULL;
	int rc = sf_route_title_query(req, &f, 1);

	if (!rc)
		rc = sf_title_list(req->db, &req->actor, &f, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

/* The body into in (initialized): every field set, then checked together. */
static int read_input(struct sf_http_req *req, struct sf_title_input *in)
{
	const char *key;
	json_t *v;
	int rc = 0;

	if (!req->body)
		return sf_error(SF_EINVAL, "body: a title object is required");
	json_object_foreach(req->body, key, v)
		if ((rc = sf_title_input_set(in, key, v, NULL)))
			return rc;
	return sf_title_input_check(in);
}

int sf_route_admin_title_add(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_title_input in;
	json_t *t = NULL;
	int rc;

	sf_title_input_init(&in);
	rc = read_input(req, &in);
	if (!rc)
		rc = sf_title_add(req->db, &req->actor, &in, &t);
	if (!rc)
		sf_http_reply(resp, 201, t);
	sf_title_input_release(&in);
	return rc;
}

int sf_route_admin_title_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *t = NULL;
	int rc = sf_title_ref_check(req->params[0]);

	if (!rc)
		rc = sf_title_get(req->db, &req->actor, req->params[0], &t);
	if (!rc)
		sf_http_reply(resp, 200, t);
	return rc;
}

int sf_route_admin_title_update(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_title_input in;
	json_t *t = NULL;
	int changed = 0, rc = sf_title_ref_check(req->params[0]);

	sf_title_input_init(&in);
	if (!rc)
		rc = read_input(req, &in);
	if (!rc && sf_title_input_empty(&in))
		rc = sf_error(SF_EINVAL, "body: nothing to change");
	if (!rc)
		rc = sf_title_edit(req->db, &req->actor, req->params[0], &in, &t, &changed);
	if (!rc)
		sf_http_reply(resp, 200, t);
	sf_title_input_release(&in);
	return rc;
}

int sf_route_admin_title_delete(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *old = NULL;
	int rc = sf_title_ref_check(req->params[0]);

	if (!rc)
		rc = sf_title_delete(req->db, &req->actor, req->params[0], &old);
	if (!rc)
		sf_http_reply(resp, 200, old);
	return rc;
}
