/*
 * route_util.c - small checks shared by the route handlers.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "profile.h"
#include "route.h"
#include "text.h"

int sf_route_own_profile(struct sf_http_req *req, const char *id, struct sf_profile *out)
{
	long long n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!sf_text_parse_id(id, &n))
		return sf_error(SF_EINVAL, "profile '%s': not a profile id", sf_text_quote(id));
	rc = sf_profile_get(req->db, id, out);
	/* Another account's profile does not exist, as far as the caller knows. */
	if (!rc && out->account_id != req->actor.account_id)
		rc = sf_error(SF_ENOTFOUND, "profile '%s': not found", id);
	if (rc)
		sf_profile_release(out);
	return rc;
}

int sf_route_int(const char *name, const char *text, long long min, long long max,
		 long long *out)
{
	char *end;
	long long v;

	if (!text)
		return 0;
	v = strtoll(text, &end, 10);
	if (!*text || *end || strspn(text, "0123456789") != strlen(text) || v < min || v > max)
		return sf_error(SF_EINVAL, "%s '%s': not a whole number from %lld to %lld", name,
				sf_text_quote(text), min, max);
	*out = v;
	return 0;
}
