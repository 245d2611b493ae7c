/*
 * route_viewer.c - which profile a viewer route acts as.
 *
 * Every route about a viewer's own state (My List, ratings, reviews,
 * progress, history, title detail's extras) names its profile the same
 * way: the "profile" query parameter, a profile id of the caller's own
 * account.  Another account's profile is 404, exactly like one that does
 * not exist, whatever the caller's role (so an account manager, who could
 * act for any profile from the shell, cannot do so through the API).
 * Without the parameter the route acts as the account's first profile,
 * as search does.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "profile.h"
#include "route.h"

int sf_route_viewer_profile(struct sf_http_req *req, char buf[32])
{
	const char *given = sf_http_query(req, "profile");
	struct sf_profile p;
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	buf[0] = 0;
	if (given) {
		rc = sf_route_own_profile(req, given, &p);
		if (!rc)
			snprintf(buf, 32, "%lld", p.id);
		sf_profile_release(&p);
		return rc;
	}
	rc = sf_db_query(req->db, &res, "SELECT min(id) AS id FROM profiles WHERE account_id = $1",
			 SF_ARGS(sf_db_fmt_int(id, req->actor.account_id)));
	if (!rc && sf_db_isnull(res, 0, "id"))
		rc = sf_error(SF_ENOTFOUND, "account '%s' has no profile", req->actor.name);
	if (!rc)
		snprintf(buf, 32, "%lld", sf_db_int(res, 0, "id"));
	PQclear(res);
	return rc;
}

int sf_route_viewer_query(struct sf_http_req *req, const struct sf_http_field *fields,
			  const json_t **vals, char profile[32])
{
	int rc = sf_http_fields(req->query, fields, vals, "query");

	return rc ? rc : sf_route_viewer_profile(req, profile);
}

const struct sf_http_field sf_route_profile_only[] = { { "profile", SF_HTTP_STRING }, { NULL } };

int sf_route_viewer_bare(struct sf_http_req *req, char profile[32])
{
	static const struct sf_http_field none[] = { { NULL } };
	const json_t *v[1];
	int rc = sf_route_viewer_query(req, sf_route_profile_only, v, profile);

	return rc ? rc : sf_http_fields(req->body, none, v, "body");
}
