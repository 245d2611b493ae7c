/*
 * jwt.c - HS256 JSON Web Tokens with a pinned algorithm (RFC 7519, 8725).
 *
 * Verification is in the order RFC 8725 asks: the token's shape, then the
 * header (only HS256 and our "typ" pass, no "crit"), then the signature
 * over the header and payload exactly as sent, and only then the claims.
 * Nothing of an unverified payload is ever believed.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jwt.h"
#include "xalloc.h"

char *sf_base64url(const unsigned char *bin, size_t len)
{
	size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = sf_xmalloc(n);

	sodium_bin2base64(out, n, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* Decodes one base64url part of len characters; NULL if it is not that. */
static unsigned char *unbase64(const char *s, size_t len, size_t *outlen)
{
	unsigned char *out = sf_xmalloc(len + 1);
	const char *end;

	if (sodium_base642bin(out, len, s, len, NULL, outlen, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != s + len) {
		free(out);
		return NULL;
	}
	out[*outlen] = 0;
	return out;
}

static void mac(const struct sf_jwt_key *key, const char *data, size_t len,
		unsigned char out[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key->bytes, key->len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)data, len);
	crypto_auth_hmacsha256_final(&st, out);
}

static char *part(const json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char *b64 = sf_base64url((const unsigned char *)text, strlen(text));

	free(text);
	return b64;
}

char *sf_jwt_sign(const struct sf_jwt_key *key, const struct sf_jwt_claims *c)
{
	unsigned char sig[crypto_auth_hmacsha256_BYTES];
	json_t *h = json_pack("{s:s, s:s}", "alg", "HS256", "typ", SF_JWT_TYPE);
	char sub[32], *head, *body, *signing, *sig64, *token;
	json_t *p;

	snprintf(sub, sizeof(sub), "%lld", c->sub);
	p = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "iss", SF_JWT_ISSUER,
		      "aud", SF_JWT_AUDIENCE, "sub", sub, "sid", (json_int_t)c->sid,
		      "iat", (json_int_t)c->iat, "exp", (json_int_t)c->exp);
	head = part(h);
	body = part(p);
	signing = sf_xasprintf("%s.%s", head, body);
	mac(key, signing, strlen(signing), sig);
	sig64 = sf_base64url(sig, sizeof(sig));
	token = sf_xasprintf("%s.%s", signing, sig64);
	json_decref(h);
	json_decref(p);
	free(head);
	free(body);
	free(signing);
	free(sig64);
	return token;
}

static json_t *decode_object(const char *s, size_t len)
{
	size_t n;
	unsigned char *raw = unbase64(s, len, &n);
	json_t *j = raw ? json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL) : NULL;

	free(raw);
	if (j && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static int check_header(const json_t *h)
{
	const char *alg = json_string_value(json_object_get(h, "alg"));
	const char *typ = json_string_value(json_object_get(h, "typ"));

	if (!alg || strcmp(alg, "HS256") != 0)
		return sf_error(SF_EUNAUTH, "token: algorithm '%s' is not accepted",
				alg ? alg : "(none)");
	if (!typ || strcmp(typ, SF_JWT_TYPE) != 0)
		return sf_error(SF_EUNAUTH, "token: type '%s' is not an access token",
				typ ? typ : "(none)");
	if (json_object_get(h, "crit"))
		return sf_error(SF_EUNAUTH, "token: critical header extensions are not accepted");
	return 0;
}

static int audience_ok(const json_t *aud)
{
	size_t i;
	json_t *v;

	if (json_is_string(aud))
		return !strcmp(json_string_value(aud), SF_JWT_AUDIENCE);
	json_array_foreach(aud, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), SF_JWT_AUDIENCE))
			return 1;
	return 0;
}

static int check_claims(const json_t *p, long long now, struct sf_jwt_claims *out)
{
	const char *iss = json_string_value(json_object_get(p, "iss"));
	const char *sub = json_string_value(json_object_get(p, "sub"));
	json_t *exp = json_object_get(p, "exp"), *iat = json_object_get(p, "iat");
	json_t *sid = json_object_get(p, "sid");
	char *end;

	if (!iss || strcmp(iss, SF_JWT_ISSUER) != 0)
		return sf_error(SF_EUNAUTH, "token: wrong issuer");
	if (!audience_ok(json_object_get(p, "aud")))
		return sf_error(SF_EUNAUTH, "token: wrong audience");
	if (!json_is_integer(exp) || !json_is_integer(iat) || !json_is_integer(sid) || !sub)
		return sf_error(SF_EUNAUTH, "token: claims missing or of the wrong type");
	if (json_integer_value(exp) <= now)
		return sf_error(SF_EUNAUTH, "token: expired");
	if (json_integer_value(iat) > now + 60)
		return sf_error(SF_EUNAUTH, "token: issued in the future");
	out->sub = strtoll(sub, &end, 10);
	if (!*sub || *end || out->sub <= 0)
		return sf_error(SF_EUNAUTH, "token: bad subject");
	out->sid = json_integer_value(sid);
	out->iat = json_integer_value(iat);
	out->exp = json_integer_value(exp);
	return 0;
}

int sf_jwt_verify(const struct sf_jwt_key *key, const char *token, long long now,
		  struct sf_jwt_claims *out)
{
	unsigned char want[crypto_auth_hmacsha256_BYTES], *got = NULL;
	const char *dot1, *dot2;
	json_t *h = NULL, *p = NULL;
	size_t len = strlen(token), n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > SF_JWT_MAX)
		return sf_error(SF_EUNAUTH, "token: too long");
	dot1 = strchr(token, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot2 || strchr(dot2 + 1, '.'))
		return sf_error(SF_EUNAUTH, "token: not a signed JWT (header.payload.signature)");
	h = decode_object(token, (size_t)(dot1 - token));
	if (!h) {
		rc = sf_error(SF_EUNAUTH, "token: the header is not base64url JSON");
		goto out;
	}
	if ((rc = check_header(h)))
		goto out;
	got = unbase64(dot2 + 1, strlen(dot2 + 1), &n);
	mac(key, token, (size_t)(dot2 - token), want);
	if (!got || n != sizeof(want) || sodium_memcmp(got, want, sizeof(want)) != 0) {
		rc = sf_error(SF_EUNAUTH, "token: bad signature");
		goto out;
	}
	p = decode_object(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (!p) {
		rc = sf_error(SF_EUNAUTH, "token: the payload is not base64url JSON");
		goto out;
	}
	rc = check_claims(p, now, out);
out:
	if (rc)
		memset(out, 0, sizeof(*out));
	json_decref(h);
	json_decref(p);
	free(got);
	return rc;
}
