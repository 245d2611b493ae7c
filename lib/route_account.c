/*
 * route_account.c - the caller's own account: show, change, change the
 * password, delete.
 *
 * The account module asks its actor for the right to manage accounts; a
 * viewer changing itself does not hold it, so these routes act as a
 * "self" actor: the caller's email (the audit log names it), allowed only
 * on the caller's own account, which the routes fix from the token.  The
 * fields a caller may change are whitelisted: email and username; role
 * and status are the admin's.
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "error.h"
#include "route.h"
#include "token.h"

/* The actor for changes to one's own account (see above). */
static struct sf_actor self_actor(const struct sf_http_req *req)
{
	struct sf_actor a = { req->actor.name, 0, NULL };

	return a;
}

static const char *self_ref(const struct sf_http_req *req, char buf[32])
{
	snprintf(buf, 32, "%lld", req->actor.account_id);
	return buf;
}

int sf_route_account_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_account a;
	char ref[32];
	int rc = sf_account_get(req->db, self_ref(req, ref), &a);

	if (!rc)
		sf_http_reply(resp, 200, sf_account_json(&a));
	sf_account_release(&a);
	return rc;
}

int sf_route_account_update(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "email", SF_HTTP_STRING }, { "username", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[2];
	struct sf_actor self = self_actor(req);
	struct sf_account a = { 0 };
	char ref[32];
	int rc = sf_http_fields(req->body, fields, v, "body");

	if (!rc && !v[0] && !v[1])
		rc = sf_error(SF_EINVAL, "body: nothing to change; give email or username");
	if (!rc)
		rc = sf_account_update(req->db, &self, self_ref(req, ref), sf_http_str(v[0]),
				       sf_http_str(v[1]), &a);
	if (!rc)
		sf_http_reply(resp, 200, sf_account_json(&a));
	sf_account_release(&a);
	return rc;
}

/* SF_EFORBIDDEN unless password is the caller's. */
static int confirm_password(struct sf_http_req *req, const char *field, const char *password)
{
	char ref[32];
	int match, rc = sf_account_check_password(req->db, self_ref(req, ref), password, &match);

	if (!rc && !match)
		rc = sf_error(SF_EFORBIDDEN, "%s: wrong password", field);
	return rc;
}

int sf_route_account_password(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "current_password", SF_HTTP_STRING, 1 }, { "new_password", SF_HTTP_STRING, 1 },
		{ NULL },
	};
	const json_t *v[2];
	struct sf_actor self = self_actor(req);
	char ref[32];
	int rc = sf_http_fields(req->body, fields, v, "body");

	if (!rc)
		rc = confirm_password(req, "current_password", sf_http_str(v[0]));
	if (!rc)
		rc = sf_account_set_password(req->db, &self, self_ref(req, ref), sf_http_str(v[1]));
	/* Other sessions end: whoever else held the old password is out. */
	if (!rc)
		rc = sf_token_revoke_account(req->db, req->actor.account_id, req->session,
					     "password");
	if (!rc)
		sf_http_reply(resp, 204, NULL);
	return rc;
}

int sf_route_account_delete(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "password", SF_HTTP_STRING, 1 }, { NULL },
	};
	const json_t *v[1];
	struct sf_actor self = self_actor(req);
	char ref[32];
	int rc = sf_http_fields(req->body, fields, v, "body");

	if (!rc)
		rc = confirm_password(req, "password", sf_http_str(v[0]));
	if (!rc)
		rc = sf_account_delete(req->db, &self, self_ref(req, ref), NULL);
	if (!rc)
		rc = sf_token_revoke_account(req->db, req->actor.account_id, 0, "account");
	if (!rc)
		sf_http_reply(resp, 204, NULL);
	return rc;
}
