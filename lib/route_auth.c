/*
 * route_auth.c - register, log in, refresh, log out.
 *
 * Logging in says "invalid email or password" whether the email is
 * unknown or the password wrong, and takes as long either way: an unknown
 * email is checked against a dummy hash of the same cost.  Failures are
 * counted per account (the email given) and per client address
 * (throttle.h); while either is blocked, login answers 429 with
 * Retry-After, even to the right password.  Registrations are counted per
 * address the same way, successful or not.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "db.h"
#include "error.h"
#include "password.h"
#include "route.h"
#include "text.h"
#include "throttle.h"
#include "token.h"
#include "xalloc.h"

static char dummy_hash[SF_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (sf_password_hash("Dummy-password-0", dummy_hash) != 0)
		dummy_hash[0] = 0;
}

/* {access_token, refresh_token, token_type, expires_in, account_id} */
static json_t *pair_json(const struct sf_token_pair *p)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I}", "access_token", p->access,
			 "refresh_token", p->refresh, "token_type", "Bearer",
			 "expires_in", (json_int_t)p->expires_in,
			 "account_id", (json_int_t)p->account_id);
}

int sf_route_register(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "email", SF_HTTP_STRING, 1 }, { "username", SF_HTTP_STRING, 1 },
		{ "password", SF_HTTP_STRING, 1 }, { NULL },
	};
	const json_t *v[3];
	struct sf_actor self = { "api:register", 0, NULL };
	struct sf_account_new in = { 0 };
	struct sf_account a = { 0 };
	struct sf_token_pair p = { 0 };
	char *key = NULL;
	long long wait;
	json_t *out;
	int rc = sf_http_fields(req->body, fields, v, "body");

	if (rc)
		return rc;
	/* Every attempt counts: one address cannot mint accounts in bulk. */
	key = sf_xasprintf("register:%s", req->address);
	rc = sf_throttle_check(req->db, key, &wait);
	if (rc)
		resp->retry_after = wait;
	if (!rc)
		rc = sf_throttle_fail(req->db, key, SF_THROTTLE_REGISTER_FREE);
	free(key);
	if (rc)
		return rc;
	in.email = sf_http_str(v[0]);
	in.username = sf_http_str(v[1]);
	in.password = sf_http_str(v[2]);
	rc = sf_account_add(req->db, &self, &in, &a);
	if (!rc)
		rc = sf_token_login(req->db, req->key, a.id, req->address, &p);
	if (!rc) {
		out = pair_json(&p);
		json_object_set_new(out, "account", sf_account_json(&a));
		sf_http_reply(resp, 201, out);
	}
	sf_token_pair_release(&p);
	sf_account_release(&a);
	return rc;
}

/* Checks the password; *id is the account when it matches, else 0.
 * *suspended says the matching account may not log in. */
static int check_login(struct sf_db *db, const char *email, const char *password,
		       long long *id, int *suspended)
{
	PGresult *res = NULL;
	int rc, ok;

	*id = 0;
	*suspended = 0;
	pthread_once(&dummy_once, make_dummy);
	rc = sf_db_query(db, &res, "SELECT id, password_hash, status FROM accounts"
			 " WHERE lower(email) = lower($1) AND deleted_at IS NULL",
			 SF_ARGS(email));
	if (rc)
		return rc;
	if (PQntuples(res) == 1) {
		ok = sf_password_verify(sf_db_str(res, 0, "password_hash"), password);
		if (ok) {
			*id = sf_db_int(res, 0, "id");
			*suspended = strcmp(sf_db_str(res, 0, "status"), "active") != 0;
		}
	} else {
		sf_password_verify(dummy_hash, password);   /* the same time, no answer */
	}
	PQclear(res);
	return 0;
}

int sf_route_login(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "email", SF_HTTP_STRING, 1 }, { "password", SF_HTTP_STRING, 1 }, { NULL },
	};
	const json_t *v[2];
	struct sf_token_pair p = { 0 };
	char *akey = NULL, *ikey = NULL;
	long long id, wait;
	int rc = sf_http_fields(req->body, fields, v, "body"), suspended;

	if (rc)
		return rc;
	if (strlen(sf_http_str(v[0])) > SF_EMAIL_MAX || strlen(sf_http_str(v[1])) > SF_PASSWORD_MAX)
		return sf_error(SF_EUNAUTH, "invalid email or password");
	akey = sf_xasprintf("account:%s", sf_http_str(v[0]));
	ikey = sf_xasprintf("address:%s", req->address);
	if ((rc = sf_throttle_check(req->db, akey, &wait)) ||
	    (rc = sf_throttle_check(req->db, ikey, &wait))) {
		resp->retry_after = wait;
		goto out;
	}
	rc = check_login(req->db, sf_http_str(v[0]), sf_http_str(v[1]), &id, &suspended);
	if (rc)
		goto out;
	if (!id) {
		if (!(rc = sf_throttle_fail(req->db, akey, SF_THROTTLE_ACCOUNT_FREE)))
			rc = sf_throttle_fail(req->db, ikey, SF_THROTTLE_ADDRESS_FREE);
		if (!rc)
			rc = sf_error(SF_EUNAUTH, "invalid email or password");
		goto out;
	}
	if (suspended) {
		rc = sf_error(SF_EFORBIDDEN, "account '%s' is suspended",
			      sf_text_quote(sf_http_str(v[0])));
		goto out;
	}
	rc = sf_throttle_clear(req->db, akey);
	if (!rc)
		rc = sf_token_login(req->db, req->key, id, req->address, &p);
	if (!rc)
		sf_http_reply(resp, 200, pair_json(&p));
out:
	sf_token_pair_release(&p);
	free(akey);
	free(ikey);
	return rc;
}

int sf_route_refresh(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = {
		{ "refresh_token", SF_HTTP_STRING, 1 }, { NULL },
	};
	const json_t *v[1];
	struct sf_token_pair p = { 0 };
	int rc = sf_http_fields(req->body, fields, v, "body");

	if (!rc)
		rc = sf_token_refresh(req->db, req->key, sf_http_str(v[0]), &p);
	if (!rc)
		sf_http_reply(resp, 200, pair_json(&p));
	sf_token_pair_release(&p);
	return rc;
}

int sf_route_logout(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field fields[] = { { NULL } };
	const json_t *v[1];
	int rc = sf_http_fields(req->body, fields, v, "body");

	if (!rc)
		rc = sf_token_revoke_session(req->db, req->session, "logout");
	if (!rc)
		sf_http_reply(resp, 204, NULL);
	return rc;
}
