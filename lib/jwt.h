/*
 * jwt.h - the access tokens of the HTTP API: JSON Web Tokens signed with
 * HMAC-SHA256, made and checked as RFC 8725 asks.
 *
 * The algorithm is pinned: a token whose header says anything but
 * {"alg":"HS256","typ":"at+jwt"} ("none", RS256, HS512 ...) is refused
 * before its signature is looked at, and the signature is compared in
 * constant time.  The claims are fixed too: iss "sf", aud "sf-api", sub
 * (the account id, as a string), sid (the session, token.h), iat and exp.
 * Every refusal is SF_EUNAUTH with a one-line reason.
 */
#ifndef SF_JWT_H
#define SF_JWT_H

#include <stddef.h>

#define SF_JWT_ISSUER "sf"
#define SF_JWT_AUDIENCE "sf-api"
#define SF_JWT_TYPE "at+jwt"
#define SF_JWT_LIFETIME 900   /* seconds: 15 minutes */
#define SF_JWT_KEY_MAX 256    /* bytes */
#define SF_JWT_MAX 2048       /* a longer token is refused unread */

/* The signing secret: at least 32 bytes. */
struct sf_jwt_key {
	unsigned char bytes[SF_JWT_KEY_MAX];
	size_t len;
};

struct sf_jwt_claims {
	long long sub;   /* account id */
	long long sid;   /* session id */
	long long iat;   /* issued at, seconds since the epoch */
	long long exp;   /* expires at */
};

/* Signs claims into a compact token; the caller frees it. */
char *sf_jwt_sign(const struct sf_jwt_key *key, const struct sf_jwt_claims *c);

/* Checks token at time now: its form, header, signature, issuer,
 * audience and expiry; on success fills *out.  SF_EUNAUTH otherwise. */
int sf_jwt_verify(const struct sf_jwt_key *key, const char *token, long long now,
		  struct sf_jwt_claims *out);

/* base64url without padding (RFC 4648 section 5); the caller frees. */
char *sf_base64url(const unsigned char *bin, size_t len);

#endif
