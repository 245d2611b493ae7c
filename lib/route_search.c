/*
 * route_search.c - search and suggest.
 *
 * A search is a profile's: "profile" must be one of the caller's own
 * (another account's is 404); without it a viewer searches as its first
 * profile, while a catalog manager gets the operator's view of every
 * title.  Validation and results are search.h's, shared with the CLI.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "profile.h"
#include "route.h"
#include "search.h"
#include "title.h"

/* The profile to search as, into buf; NULL for the operator's view. */
static int which_profile(struct sf_http_req *req, const char *given, char buf[32],
			 const char **out)
{
	struct sf_profile p;
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	if (given) {
		rc = sf_route_own_profile(req, given, &p);
		if (!rc)
			*out = strcpy(buf, given);
		sf_profile_release(&p);
		return rc;
	}
	if (sf_title_operator(&req->actor))
		return 0;
	rc = sf_db_query(req->db, &res, "SELECT min(id) AS id FROM profiles WHERE account_id = $1",
			 SF_ARGS(sf_db_fmt_int(id, req->actor.account_id)));
	if (!rc && sf_db_isnull(res, 0, "id"))
		rc = sf_error(SF_ENOTFOUND, "account '%s' has no profile", req->actor.name);
	if (!rc) {
		snprintf(buf, 32, "%lld", sf_db_int(res, 0, "id"));
		*out = buf;
	}
	PQclear(res);
	return rc;
}

int sf_route_search(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "q", SF_HTTP_STRING }, { "profile", SF_HTTP_STRING },
		{ "region", SF_HTTP_STRING }, { "genre", SF_HTTP_STRING },
		{ "year", SF_HTTP_STRING }, { "min_rating", SF_HTTP_STRING },
		{ "type", SF_HTTP_STRING }, { "lang", SF_HTTP_STRING },
		{ "sort", SF_HTTP_STRING }, { "page", SF_HTTP_STRING },
		{ "limit", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[11];
	struct sf_search_request r;
	json_t *out = NULL;
	char buf[32];
	int rc = sf_http_fields(req->query, q, v, "query");

	if (rc)
		return rc;
	r = (struct sf_search_request){
		.query = sf_http_str(v[0]), .region = sf_http_str(v[2]),
		.genre = sf_http_str(v[3]), .year = sf_http_str(v[4]),
		.min_rating = sf_http_str(v[5]), .type = sf_http_str(v[6]),
		.lang = sf_http_str(v[7]), .sort = sf_http_str(v[8]),
		.page = sf_http_str(v[9]), .limit = sf_http_str(v[10]),
	};
	rc = sf_search_check(&r);
	if (!rc)
		rc = which_profile(req, sf_http_str(v[1]), buf, &r.profile);
	if (!rc)
		rc = sf_search(req->db, &req->actor, &r, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

int sf_route_suggest(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "q", SF_HTTP_STRING, 1 }, { "profile", SF_HTTP_STRING },
		{ "region", SF_HTTP_STRING }, { "limit", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[4];
	const char *profile = NULL;
	json_t *out = NULL;
	char buf[32];
	int rc = sf_http_fields(req->query, q, v, "query");

	if (!rc)
		rc = which_profile(req, sf_http_str(v[1]), buf, &profile);
	if (!rc)
		rc = sf_search_suggest(req->db, &req->actor, sf_http_str(v[0]), profile,
				       sf_http_str(v[2]), sf_http_str(v[3]), &out);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:o}", "items", out));
	return rc;
}
