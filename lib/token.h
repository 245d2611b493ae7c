/*
 * token.h - sessions, refresh tokens and the signing secret of the API.
 *
 * Logging in opens a session and returns a pair: a 15-minute access
 * token (jwt.h, naming the account and the session) and a refresh token,
 * "sfr_" and 43 base64url characters of 32 random bytes.  Only the
 * SHA-256 of a refresh token is stored.  Each refresh token works once:
 * using it returns a new pair and marks it used; presenting a used one
 * again revokes its whole session (the family), since one of the two
 * holders is a thief.  Logging out revokes the session; an access token
 * of a revoked session is refused at once, not when it expires.
 *
 * The secret comes from SF_SECRET (at least 32 bytes), else from
 * $SF_HOME/secret, made once with 32 random bytes and mode 0600.
 */
#ifndef SF_TOKEN_H
#define SF_TOKEN_H

#include "jwt.h"

struct sf_db;
struct sf_actor;

#define SF_REFRESH_LIFETIME (30 * 24 * 3600)   /* seconds: 30 days */
#define SF_REFRESH_PREFIX "sfr_"

struct sf_token_pair {
	char *access;        /* the JWT */
	char *refresh;       /* sfr_... */
	long long expires_in; /* of the access token, seconds */
	long long session_id;
	long long account_id;
};

/* Loads the secret (SF_SECRET, else the file under $SF_HOME, made if
 * missing).  SF_EINVAL for a short SF_SECRET or a file others can read. */
int sf_token_secret_load(struct sf_jwt_key *key);

/* Opens a session for the account and issues its first pair; address is
 * the client's, recorded with the session. */
int sf_token_login(struct sf_db *db, const struct sf_jwt_key *key, long long account_id,
		   const char *address, struct sf_token_pair *out);

/* Exchanges a refresh token for a new pair.  SF_EUNAUTH when it is
 * unknown, expired, of a revoked session or of an account that is
 * suspended or deleted; when it was used before, the session is revoked
 * (committed) and SF_EUNAUTH returned. */
int sf_token_refresh(struct sf_db *db, const struct sf_jwt_key *key, const char *refresh,
		     struct sf_token_pair *out);

/* Revokes one session (reason: "logout", "reuse", "password", "account"). */
int sf_token_revoke_session(struct sf_db *db, long long session_id, const char *reason);

/* Deletes a session and its refresh tokens, leaving no trace: for the
 * private sessions of a process that serves itself (local.h). */
int sf_token_delete_session(struct sf_db *db, long long session_id);

/* Revokes every live session of the account except keep (0: none). */
int sf_token_revoke_account(struct sf_db *db, long long account_id, long long keep,
			    const char *reason);

/* Checks an access token and makes its account the actor: the token must
 * verify, its session be live and its account active and not deleted.
 * SF_EUNAUTH otherwise.  *session gets the session id. */
int sf_token_authenticate(struct sf_db *db, const struct sf_jwt_key *key, const char *token,
			  struct sf_actor *actor, long long *session);

void sf_token_pair_release(struct sf_token_pair *p);

#endif
