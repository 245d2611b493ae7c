/*
 * route_profile.c - the caller's profiles: list, add, show, change,
 * delete, and the PIN check.
 *
 * A profile id in the path must be one of the caller's: another
 * account's profile is 404, exactly like one that does not exist
 * (sf_route_own_profile), whatever the caller's role.  Wrong PINs are
 * throttled per profile (throttle.h), so four digits cannot be guessed by
 * trying them all.
 */
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "profile.h"
#include "route.h"
#include "throttle.h"
#include "xalloc.h"

static const char *self_ref(const struct sf_http_req *req, char buf[32])
{
	snprintf(buf, 32, "%lld", req->actor.account_id);
	return buf;
}

int sf_route_profile_list(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = { { NULL } };
	const json_t *v[1];
	json_t *list = NULL;
	char ref[32];
	int rc = sf_http_fields(req->query, q, v, "query");

	if (!rc)
		rc = sf_profile_list(req->db, &req->actor, self_ref(req, ref), &list);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:o}", "items", list));
	return rc;
}

/* The fields of add (name required) and change (pin null clears it). */
static const struct sf_http_field add_fields[] = {
	{ "name", SF_HTTP_STRING, 1 }, { "maturity", SF_HTTP_STRING }, { "kids", SF_HTTP_BOOL },
	{ "language", SF_HTTP_STRING }, { "pin", SF_HTTP_STRING }, { NULL },
};
static const struct sf_http_field set_fields[] = {
	{ "name", SF_HTTP_STRING }, { "maturity", SF_HTTP_STRING }, { "kids", SF_HTTP_BOOL },
	{ "language", SF_HTTP_STRING }, { "pin", SF_HTTP_STRING_OR_NULL }, { NULL },
};

static void to_change(const json_t *v[5], struct sf_profile_change *c)
{
	c->name = sf_http_str(v[0]);
	c->maturity = sf_http_str(v[1]);
	if (v[2])
		c->kids = json_is_true(v[2]);
	c->language = sf_http_str(v[3]);
	c->pin = sf_http_str(v[4]);
	c->clear_pin = v[4] && json_is_null(v[4]);
}

int sf_route_profile_add(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p = { 0 };
	const json_t *v[5];
	char ref[32];
	int rc = sf_http_fields(req->body, add_fields, v, "body");

	if (rc)
		return rc;
	to_change(v, &c);
	rc = sf_profile_add(req->db, &req->actor, self_ref(req, ref), &c, &p);
	if (!rc)
		sf_http_reply(resp, 201, sf_profile_json(&p));
	sf_profile_release(&p);
	return rc;
}

int sf_route_profile_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_profile p;
	int rc = sf_route_own_profile(req, req->params[0], &p);

	if (!rc)
		sf_http_reply(resp, 200, sf_profile_json(&p));
	sf_profile_release(&p);
	return rc;
}

int sf_route_profile_update(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p = { 0 };
	const json_t *v[5];
	int rc = sf_route_own_profile(req, req->params[0], &p);

	sf_profile_release(&p);
	if (!rc)
		rc = sf_http_fields(req->body, set_fields, v, "body");
	if (rc)
		return rc;
	to_change(v, &c);
	rc = sf_profile_update(req->db, &req->actor, req->params[0], &c, &p);
	if (!rc)
		sf_http_reply(resp, 200, sf_profile_json(&p));
	sf_profile_release(&p);
	return rc;
}

int sf_route_profile_delete(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_profile p = { 0 };
	int rc = sf_route_own_profile(req, req->params[0], &p);

	sf_profile_release(&p);
	if (!rc)
		rc = sf_profile_delete(req->db, &req->actor, req->params[0], &p);
	if (!rc)
		sf_http_reply(resp, 204, NULL);
	sf_profile_release(&p);
	return rc;
}

int sf_route_profile_pin(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = { { "pin", SF_HTTP_STRING, 1 }, { NULL } };
	struct sf_profile p = { 0 };
	const json_t *v[1];
	char *key = NULL;
	long long wait;
	int match = 0, rc = sf_route_own_profile(req, req->params[0], &p);

	sf_profile_release(&p);
	if (!rc)
		rc = sf_http_fields(req->body, fields, v, "body");
	if (rc)
		return rc;
	key = sf_xasprintf("pin:%s", req->params[0]);
	if ((rc = sf_throttle_check(req->db, key, &wait))) {
		resp->retry_after = wait;
		goto out;
	}
	rc = sf_profile_check_pin(req->db, req->params[0], sf_http_str(v[0]), &match);
	if (!rc && !match) {
		rc = sf_throttle_fail(req->db, key, SF_THROTTLE_PIN_FREE);
		if (!rc)
			rc = sf_error(SF_EFORBIDDEN, "profile '%s': wrong PIN", req->params[0]);
	} else if (!rc) {
		rc = sf_throttle_clear(req->db, key);
		if (!rc)
			sf_http_reply(resp, 204, NULL);
	}
out:
	free(key);
	return rc;
}
