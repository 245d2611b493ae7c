/*
 * token.c - sessions and rotating refresh tokens (see token.h).
 *
 * A refresh runs in one transaction that locks the token's row, so two
 * requests racing with the same token cannot both get a new pair: the
 * second sees it used and revokes the session.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "token.h"
#include "xalloc.h"

void sf_token_pair_release(struct sf_token_pair *p)
{
	free(p->access);
	if (p->refresh)
		sodium_memzero(p->refresh, strlen(p->refresh));
	free(p->refresh);
	memset(p, 0, sizeof(*p));
}

/* The stored form of a refresh token: hex SHA-256. */
static void token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Issues a new pair for the session: stores the refresh token's hash. */
static int issue(struct sf_db *db, const struct sf_jwt_key *key, long long account,
		 long long session, struct sf_token_pair *out)
{
	unsigned char raw[32];
	char hash[65], sid[SF_INT_STR_MAX], life[SF_INT_STR_MAX], *b64;
	struct sf_jwt_claims c = { account, session, (long long)time(NULL), 0 };
	int rc;

	randombytes_buf(raw, sizeof(raw));
	b64 = sf_base64url(raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	out->refresh = sf_xasprintf(SF_REFRESH_PREFIX "%s", b64);
	free(b64);
	token_hash(out->refresh, hash);
	rc = sf_db_query(db, NULL, "INSERT INTO refresh_tokens (token_hash, session_id, expires_at)"
			 " VALUES ($1, $2, now() + make_interval(secs => $3))",
			 SF_ARGS(hash, sf_db_fmt_int(sid, session),
				 sf_db_fmt_int(life, SF_REFRESH_LIFETIME)));
	if (rc)
		return rc;
	c.exp = c.iat + SF_JWT_LIFETIME;
	out->access = sf_jwt_sign(key, &c);
	out->expires_in = SF_JWT_LIFETIME;
	out->session_id = session;
	out->account_id = account;
	return 0;
}

struct login_ctx {
	const struct sf_jwt_key *key;
	long long account;
	const char *address;
	struct sf_token_pair *out;
};

static int login_tx(struct sf_db *db, void *arg)
{
	struct login_ctx *c = arg;
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	sf_token_pair_release(c->out);
	rc = sf_db_query(db, &res, "INSERT INTO auth_sessions (account_id, address)"
			 " VALUES ($1, $2) RETURNING id",
			 SF_ARGS(sf_db_fmt_int(id, c->account), c->address));
	if (!rc)
		rc = issue(db, c->key, c->account, sf_db_int(res, 0, "id"), c->out);
	PQclear(res);
	return rc;
}

int sf_token_login(struct sf_db *db, const struct sf_jwt_key *key, long long account_id,
		   const char *address, struct sf_token_pair *out)
{
	struct login_ctx c = { key, account_id, address, out };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sf_db_tx(db, 0, login_tx, &c);
	if (rc)
		sf_token_pair_release(out);
	return rc;
}

struct refresh_ctx {
	const struct sf_jwt_key *key;
	const char *hash;
	struct sf_token_pair *out;
	int refused;        /* the SF_EUNAUTH to return after commit */
};

static int refresh_tx(struct sf_db *db, void *arg)
{
	struct refresh_ctx *c = arg;
	char sid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	long long session, account;
	int rc;

	sf_token_pair_release(c->out);
	c->refused = 0;
	rc = sf_db_query(db, &res,
			 "SELECT r.session_id, s.account_id, r.used_at IS NOT NULL AS used,"
			 " r.expires_at <= now() AS expired, s.revoked_at IS NOT NULL AS revoked,"
			 " a.status = 'active' AND a.deleted_at IS NULL AS active"
			 " FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id"
			 " JOIN accounts a ON a.id = s.account_id"
			 " WHERE r.token_hash = $1 FOR UPDATE OF r, s", SF_ARGS(c->hash));
	if (rc)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		c->refused = sf_error(SF_EUNAUTH, "refresh token: not valid");
		return 0;
	}
	session = sf_db_int(res, 0, "session_id");
	account = sf_db_int(res, 0, "account_id");
	sf_db_fmt_int(sid, session);
	if (sf_db_bool(res, 0, "revoked")) {
		c->refused = sf_error(SF_EUNAUTH, "refresh token: the session was revoked");
	} else if (sf_db_bool(res, 0, "used")) {
		rc = sf_db_query(db, NULL, "UPDATE auth_sessions SET revoked_at = now(),"
				 " revoked_reason = 'reuse' WHERE id = $1", SF_ARGS(sid));
		c->refused = sf_error(SF_EUNAUTH, "refresh token: already used; "
				      "the session is revoked, log in again");
	} else if (sf_db_bool(res, 0, "expired")) {
		c->refused = sf_error(SF_EUNAUTH, "refresh token: expired");
	} else if (!sf_db_bool(res, 0, "active")) {
		rc = sf_db_query(db, NULL, "UPDATE auth_sessions SET revoked_at = now(),"
				 " revoked_reason = 'account' WHERE id = $1", SF_ARGS(sid));
		c->refused = sf_error(SF_EUNAUTH, "refresh token: the account is suspended "
				      "or deleted");
	} else {
		rc = sf_db_query(db, NULL, "UPDATE refresh_tokens SET used_at = now()"
				 " WHERE token_hash = $1", SF_ARGS(c->hash));
		if (!rc)
			rc = sf_db_query(db, NULL, "UPDATE auth_sessions SET last_used_at = now()"
					 " WHERE id = $1", SF_ARGS(sid));
		if (!rc)
			rc = issue(db, c->key, account, session, c->out);
	}
	PQclear(res);
	return rc;
}

int sf_token_refresh(struct sf_db *db, const struct sf_jwt_key *key, const char *refresh,
		     struct sf_token_pair *out)
{
	char hash[65];
	struct refresh_ctx c = { key, hash, out, 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if (strncmp(refresh, SF_REFRESH_PREFIX, strlen(SF_REFRESH_PREFIX)) != 0 ||
	    strlen(refresh) > 100)
		return sf_error(SF_EUNAUTH, "refresh token: not valid");
	token_hash(refresh, hash);
	rc = sf_db_tx(db, 0, refresh_tx, &c);
	if (!rc && c.refused)
		rc = c.refused;   /* committed: a reused token's session stays revoked */
	if (rc)
		sf_token_pair_release(out);
	return rc;
}

int sf_token_revoke_session(struct sf_db *db, long long session_id, const char *reason)
{
	char id[SF_INT_STR_MAX];

	return sf_db_query(db, NULL, "UPDATE auth_sessions SET revoked_at = now(),"
			   " revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL",
			   SF_ARGS(sf_db_fmt_int(id, session_id), reason));
}

int sf_token_delete_session(struct sf_db *db, long long session_id)
{
	char id[SF_INT_STR_MAX];

	return sf_db_query(db, NULL, "DELETE FROM auth_sessions WHERE id = $1",
			   SF_ARGS(sf_db_fmt_int(id, session_id)));
}

int sf_token_revoke_account(struct sf_db *db, long long account_id, long long keep,
			    const char *reason)
{
	char id[SF_INT_STR_MAX], k[SF_INT_STR_MAX];

	return sf_db_query(db, NULL, "UPDATE auth_sessions SET revoked_at = now(),"
			   " revoked_reason = $3 WHERE account_id = $1 AND id <> $2"
			   " AND revoked_at IS NULL",
			   SF_ARGS(sf_db_fmt_int(id, account_id), sf_db_fmt_int(k, keep), reason));
}

int sf_token_authenticate(struct sf_db *db, const struct sf_jwt_key *key, const char *token,
			  struct sf_actor *actor, long long *session)
{
	struct sf_jwt_claims c;
	char id[SF_INT_STR_MAX], sid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	memset(actor, 0, sizeof(*actor));
	*session = 0;
	if ((rc = sf_jwt_verify(key, token, (long long)time(NULL), &c)))
		return rc;
	rc = sf_db_query(db, &res, "SELECT a.email, a.role, a.status = 'active'"
			 " AND a.deleted_at IS NULL AS active, s.revoked_at IS NULL AS live"
			 " FROM auth_sessions s JOIN accounts a ON a.id = s.account_id"
			 " WHERE s.id = $2 AND a.id = $1",
			 SF_ARGS(sf_db_fmt_int(id, c.sub), sf_db_fmt_int(sid, c.sid)));
	if (rc)
		return rc;
	if (PQntuples(res) == 0 || !sf_db_bool(res, 0, "live"))
		rc = sf_error(SF_EUNAUTH, "token: the session has ended; log in again");
	else if (!sf_db_bool(res, 0, "active"))
		rc = sf_error(SF_EUNAUTH, "token: the account is suspended or deleted");
	if (!rc) {
		actor->name = sf_xstrdup(sf_db_str(res, 0, "email"));
		actor->role = sf_xstrdup(sf_db_str(res, 0, "role"));
		actor->account_id = c.sub;
		*session = c.sid;
	}
	PQclear(res);
	return rc;
}
