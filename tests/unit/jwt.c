/*
 * jwt.c - access tokens without a server: a signed token verifies, and
 * every change to it, every other algorithm and every wrong claim is
 * SF_EUNAUTH (RFC 8725); the router table matches paths as it should.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jwt.h"
#include "route.h"
#include "tap.h"
#include "xalloc.h"

static struct sf_jwt_key key = { "0123456789abcdef0123456789abcdef", 32 };

/* A token with the given header and payload JSON, signed with k. */
static char *make(const char *header, const char *payload, const struct sf_jwt_key *k)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char *h = sf_base64url((const unsigned char *)header, strlen(header));
	char *p = sf_base64url((const unsigned char *)payload, strlen(payload));
	char *signing = sf_xasprintf("%s.%s", h, p), *sig, *out;

	crypto_auth_hmacsha256_init(&st, k->bytes, k->len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)signing, strlen(signing));
	crypto_auth_hmacsha256_final(&st, mac);
	sig = sf_base64url(mac, sizeof(mac));
	out = sf_xasprintf("%s.%s", signing, sig);
	free(h);
	free(p);
	free(signing);
	free(sig);
	return out;
}

static int verify(const char *token)
{
	struct sf_jwt_claims c;

	return sf_jwt_verify(&key, token, 1000, &c);
}

#define GOOD_HEADER "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}"
#define GOOD_CLAIMS "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":\"7\",\"sid\":3,\"iat\":900,\"exp\":1900}"

static void check(const char *header, const char *payload, int want, const char *name)
{
	char *t = make(header, payload, &key);

	is_int(verify(t), want, "%s", name);
	free(t);
}

static void tokens(void)
{
	struct sf_jwt_claims in = { 7, 3, 900, 1900 }, out;
	struct sf_jwt_key other = { "another key, another key, another", 33 };
	char *t = sf_jwt_sign(&key, &in), *bad;

	is_int(sf_jwt_verify(&key, t, 1000, &out), 0, "a signed token verifies");
	ok(out.sub == 7 && out.sid == 3 && out.exp == 1900, "and gives back its claims");
	is_int(sf_jwt_verify(&key, t, 1900, &out), SF_EUNAUTH, "at exp it has expired");
	is_int(sf_jwt_verify(&other, t, 1000, &out), SF_EUNAUTH, "another key does not verify it");
	bad = sf_xstrdup(t);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
	is_int(verify(bad), SF_EUNAUTH, "a changed signature is refused");
	free(bad);
	bad = sf_xasprintf("%s.", t);
	is_int(verify(bad), SF_EUNAUTH, "a fourth part is refused");
	free(bad);
	free(t);

	check(GOOD_HEADER, GOOD_CLAIMS, 0, "the test's own token verifies");
	check("{\"alg\":\"none\",\"typ\":\"at+jwt\"}", GOOD_CLAIMS, SF_EUNAUTH, "alg none");
	check("{\"alg\":\"HS512\",\"typ\":\"at+jwt\"}", GOOD_CLAIMS, SF_EUNAUTH, "alg HS512");
	check("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}", GOOD_CLAIMS, SF_EUNAUTH, "alg RS256");
	check("{\"typ\":\"at+jwt\"}", GOOD_CLAIMS, SF_EUNAUTH, "no alg");
	check("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", GOOD_CLAIMS, SF_EUNAUTH, "typ JWT");
	check("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"crit\":[\"b64\"]}", GOOD_CLAIMS, SF_EUNAUTH,
	      "crit");
	check("{\"alg\":\"HS256\",\"alg\":\"none\",\"typ\":\"at+jwt\"}", GOOD_CLAIMS, SF_EUNAUTH,
	      "a duplicate header key");
	check(GOOD_HEADER, "{\"iss\":\"x\",\"aud\":\"sf-api\",\"sub\":\"7\",\"sid\":3,\"iat\":900,\"exp\":1900}",
	      SF_EUNAUTH, "wrong iss");
	check(GOOD_HEADER, "{\"iss\":\"sf\",\"aud\":\"x\",\"sub\":\"7\",\"sid\":3,\"iat\":900,\"exp\":1900}",
	      SF_EUNAUTH, "wrong aud");
	check(GOOD_HEADER, "{\"iss\":\"sf\",\"aud\":[\"x\",\"sf-api\"],\"sub\":\"7\",\"sid\":3,\"iat\":900,\"exp\":1900}",
	      0, "aud as a list that names us");
	check(GOOD_HEADER, "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":\"7\",\"sid\":3,\"iat\":900,\"exp\":999}",
	      SF_EUNAUTH, "expired");
	check(GOOD_HEADER, "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":\"7\",\"sid\":3,\"iat\":9000,\"exp\":19000}",
	      SF_EUNAUTH, "issued in the future");
	check(GOOD_HEADER, "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":7,\"sid\":3,\"iat\":900,\"exp\":1900}",
	      SF_EUNAUTH, "sub not a string");
	check(GOOD_HEADER, "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":\"7x\",\"sid\":3,\"iat\":900,\"exp\":1900}",
	      SF_EUNAUTH, "sub not an id");
	check(GOOD_HEADER, "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":\"7\",\"iat\":900,\"exp\":1900}",
	      SF_EUNAUTH, "no sid");
	check(GOOD_HEADER, "[1]", SF_EUNAUTH, "a payload that is not an object");
	is_int(verify("a.b.c"), SF_EUNAUTH, "garbage");
	is_int(verify(""), SF_EUNAUTH, "empty");
}

static void routes(void)
{
	const char *params[SF_HTTP_PARAMS_MAX];
	char buf[256], allowed[64];
	const struct sf_route *r;
	int known;

	r = sf_route_match("GET", "/api/v1/titles/42/seasons/3", params, buf, sizeof(buf), &known,
			   allowed, sizeof(allowed));
	ok(r && r->handler == sf_route_title_season, "a route with two parameters matches");
	if (r)
		ok(!strcmp(params[0], "42") && !strcmp(params[1], "3"), "and gives them in order");
	r = sf_route_match("PUT", "/api/v1/account", params, buf, sizeof(buf), &known, allowed,
			   sizeof(allowed));
	ok(!r && known, "a known path with another method is known");
	is_str(allowed, "GET, PATCH, DELETE", "and says which methods it takes");
	r = sf_route_match("GET", "/api/v1/titles/", params, buf, sizeof(buf), &known, allowed,
			   sizeof(allowed));
	ok(!r && !known, "an empty parameter matches nothing");
	r = sf_route_match("GET", "/api/v1/titles/1/2", params, buf, sizeof(buf), &known, allowed,
			   sizeof(allowed));
	ok(!r, "an extra segment matches nothing");
	r = sf_route_match("HEAD", "/media/AbC/17/1-ab/v0/seg_00001.ts", params, buf, sizeof(buf),
			   &known, allowed, sizeof(allowed));
	ok(r && r->handler == sf_route_media, "HEAD matches a GET route; {path*} takes the rest");
	if (r)
		is_str(params[0], "AbC/17/1-ab/v0/seg_00001.ts", "with its slashes");
	r = sf_route_match("GET", "/media/", params, buf, sizeof(buf), &known, allowed,
			   sizeof(allowed));
	ok(!r, "{path*} needs something");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	tokens();
	routes();
	return done_testing();
}
