/*
 * route_admin.c - account administration and the audit log, for the roles
 * that hold the matching permission (the router checks it; the account
 * module checks the finer rules, such as who may touch an admin).
 *
 * An account in the path is a ref (account.h): id, email or username.
 * A change of email/username, of role, and of status are separate
 * operations of the account module, each one transaction; a PATCH may
 * carry only one of these groups, so it is never half applied.
 */
#include <string.h>

#include "account.h"
#include "audit.h"
#include "error.h"
#include "route.h"
#include "text.h"

int sf_route_admin_account_list(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "role", SF_HTTP_STRING }, { "status", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[2];
	struct sf_account_filter f = { 0 };
	json_t *list = NULL;
	int rc = sf_http_fields(req->query, q, v, "query");

	if (rc)
		return rc;
	f.role = sf_http_str(v[0]);
	f.status = sf_http_str(v[1]);
	rc = sf_account_list(req->db, &f, &list);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:o}", "items", list));
	return rc;
}

int sf_route_admin_account_add(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "email", SF_HTTP_STRING, 1 }, { "username", SF_HTTP_STRING, 1 },
		{ "password", SF_HTTP_STRING, 1 }, { "role", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[4];
	struct sf_account_new in;
	struct sf_account a = { 0 };
	int rc = sf_http_fields(req->body, fields, v, "body");

	if (rc)
		return rc;
	in = (struct sf_account_new){ sf_http_str(v[0]), sf_http_str(v[1]), sf_http_str(v[2]),
				      sf_http_str(v[3]) };
	rc = sf_account_add(req->db, &req->actor, &in, &a);
	if (!rc)
		sf_http_reply(resp, 201, sf_account_json(&a));
	sf_account_release(&a);
	return rc;
}

int sf_route_admin_account_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_account a;
	int rc = sf_account_get(req->db, req->params[0], &a);

	if (!rc)
		sf_http_reply(resp, 200, sf_account_json(&a));
	sf_account_release(&a);
	return rc;
}

int sf_route_admin_account_update(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "email", SF_HTTP_STRING }, { "username", SF_HTTP_STRING },
		{ "role", SF_HTTP_STRING }, { "status", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[4];
	const char *ref = req->params[0], *status;
	struct sf_account a = { 0 };
	int rc = sf_http_fields(req->body, fields, v, "body");
	int groups = (v[0] || v[1]) + !!v[2] + !!v[3];

	if (rc)
		return rc;
	if (groups == 0)
		return sf_error(SF_EINVAL, "body: nothing to change; give email, username, "
				"role or status");
	if (groups > 1)
		return sf_error(SF_EINVAL, "body: change email/username, role and status "
				"in separate requests");
	status = sf_http_str(v[3]);
	if (v[0] || v[1])
		rc = sf_account_update(req->db, &req->actor, ref, sf_http_str(v[0]),
				       sf_http_str(v[1]), &a);
	else if (v[2])
		rc = sf_account_set_role(req->db, &req->actor, ref, sf_http_str(v[2]), &a);
	else if (!strcmp(status, "active") || !strcmp(status, "suspended"))
		rc = sf_account_set_suspended(req->db, &req->actor, ref,
					      !strcmp(status, "suspended"), &a);
	else
		rc = sf_error(SF_EINVAL, "status '%s': not one of active, suspended",
			      sf_text_quote(status));
	if (!rc)
		sf_http_reply(resp, 200, sf_account_json(&a));
	sf_account_release(&a);
	return rc;
}

int sf_route_admin_account_delete(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_account a = { 0 };
	int rc = sf_account_delete(req->db, &req->actor, req->params[0], &a);

	if (!rc)
		sf_http_reply(resp, 200, sf_account_json(&a));
	sf_account_release(&a);
	return rc;
}

int sf_route_admin_audit(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "actor", SF_HTTP_STRING }, { "entity", SF_HTTP_STRING },
		{ "since", SF_HTTP_STRING }, { "limit", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[4];
	struct sf_audit_filter f = { 0 };
	json_t *list = NULL;
	int rc = sf_http_fields(req->query, q, v, "query");

	if (rc)
		return rc;
	f.actor = sf_http_str(v[0]);
	f.entity = sf_http_str(v[1]);
	f.since = sf_http_str(v[2]);
	f.limit = 50;
	if ((rc = sf_route_int("limit", sf_http_str(v[3]), 1, SF_HTTP_PAGE_MAX, &f.limit)) ||
	    (rc = sf_audit_filter_check(&f)))
		return rc;
	rc = sf_audit_list(req->db, &f, &list);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:o}", "items", list));
	return rc;
}
