/*
 * route_title.c - the catalog as viewers see it: titles with filters and
 * pages, one title, its seasons, one season with its episodes.
 *
 * The title module decides visibility from the actor: to a viewer, titles
 * that are not published or outside their window do not exist (404).
 * One title's detail adds the viewer state of the profile the request
 * names ("profile" query parameter, route_viewer.c): in_my_list,
 * my_rating and resume.
 * The admin routes (route_admin_title.c) share the list's query parsing.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "route.h"
#include "text.h"
#include "title.h"
#include "viewer.h"
#include "watch.h"

/* Reads the list's query into f; status only for the admin list. */
int sf_route_title_query(struct sf_http_req *req, struct sf_title_filter *f, int admin)
{
	static const struct sf_http_field q[] = {
		{ "kind", SF_HTTP_STRING }, { "genre", SF_HTTP_STRING },
		{ "year_from", SF_HTTP_STRING }, { "year_to", SF_HTTP_STRING },
		{ "region", SF_HTTP_STRING }, { "sort", SF_HTTP_STRING },
		{ "page", SF_HTTP_STRING }, { "limit", SF_HTTP_STRING },
		{ "status", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[9];
	int rc = sf_http_fields(req->query, q, v, "query");

	memset(f, 0, sizeof(*f));
	if (rc)
		return rc;
	if (v[8] && !admin)
		return sf_error(SF_EINVAL, "query: unknown field 'status'");
	f->kind = sf_http_str(v[0]);
	f->genre = sf_http_str(v[1]);
	f->region = sf_http_str(v[4]);
	f->sort = sf_http_str(v[5]);
	f->status = sf_http_str(v[8]);
	f->visible = !admin;
	f->limit = 20;
	if ((rc = sf_route_int("year_from", sf_http_str(v[2]), 1, 9999, &f->year_from)) ||
	    (rc = sf_route_int("year_to", sf_http_str(v[3]), 1, 9999, &f->year_to)) ||
	    (rc = sf_route_int("page", sf_http_str(v[6]), 1, 1000000, &f->page)) ||
	    (rc = sf_route_int("limit", sf_http_str(v[7]), 1, SF_HTTP_PAGE_MAX, &f->limit)))
		return rc;
	return 0;
}

int sf_route_title_list(struct sf_http_req *req, struct sf_http_resp *resp)
{
	struct sf_title_filter f;
	json_t *out = NULL;
	int rc = sf_route_title_query(req, &f, 0);

	if (!rc)
		rc = sf_title_list(req->db, &req->actor, &f, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}

/* The title in the path, as the caller may see it. */
static int title(struct sf_http_req *req, json_t **out)
{
	int rc = sf_title_ref_check(req->params[0]);

	*out = NULL;
	return rc ? rc : sf_title_get(req->db, &req->actor, req->params[0], out);
}

/* The detail's viewer state for the profile: in_my_list, my_rating and
 * resume (watch.h's answer, null when there is nothing to play).  A title
 * the profile does not see (above its maturity limit) is 404 to a viewer;
 * an operator, who sees every title, gets nulls. */
static int viewer_state(struct sf_http_req *req, const char *profile, json_t *t)
{
	struct sf_viewer v;
	struct sf_watch_query wq = { .profile = profile, .title = req->params[0] };
	char pid[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	json_t *resume = NULL;
	long long id;
	int rc = sf_viewer_open_title(req->db, &req->actor, profile, 0, req->params[0], &v, &id);

	if (rc == SF_ENOTFOUND && sf_title_operator(&req->actor)) {
		json_object_set_new(t, "in_my_list", json_null());
		json_object_set_new(t, "my_rating", json_null());
		json_object_set_new(t, "resume", json_null());
		return 0;
	}
	if (rc)
		return rc;
	rc = sf_db_query(req->db, &res,
		"SELECT EXISTS (SELECT 1 FROM list_items WHERE profile_id = $1 AND title_id = $2"
		"               AND watched_at IS NULL) AS in_list,"
		"       (SELECT stars FROM ratings WHERE profile_id = $1 AND title_id = $2) AS stars",
		SF_ARGS(sf_db_fmt_int(pid, v.profile_id), sf_db_fmt_int(tid, id)));
	sf_viewer_release(&v);
	if (rc)
		return rc;
	json_object_set_new(t, "in_my_list", json_boolean(sf_db_bool(res, 0, "in_list")));
	json_object_set_new(t, "my_rating", sf_db_isnull(res, 0, "stars") ? json_null()
				: json_integer(sf_db_int(res, 0, "stars")));
	PQclear(res);
	rc = sf_watch_resume(req->db, &req->actor, &wq, &resume);
	if (rc == SF_ENOTFOUND || rc == SF_EINVAL)   /* a series with no episodes */
		rc = 0;
	json_object_set_new(t, "resume", resume ? resume : json_null());
	return rc;
}

int sf_route_title_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = { { "profile", SF_HTTP_STRING }, { NULL } };
	const json_t *v[1];
	json_t *t = NULL;
	char profile[32];
	int rc = sf_route_viewer_query(req, q, v, profile);

	if (!rc)
		rc = title(req, &t);
	if (!rc)
		rc = viewer_state(req, profile, t);
	if (!rc)
		sf_http_reply(resp, 200, t);
	else
		json_decref(t);
	return rc;
}

int sf_route_title_seasons(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *t, *seasons;
	int rc = title(req, &t);

	if (rc)
		return rc;
	seasons = json_object_get(t, "seasons");
	sf_http_reply(resp, 200, json_pack("{s:O}", "items", seasons ? seasons : json_array()));
	json_decref(t);
	return 0;
}

int sf_route_title_season(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *t, *s, *found = NULL;
	long long n = -1;
	size_t i;
	int rc = sf_route_int("number", req->params[1], 0, 10000, &n);

	if (rc || (rc = title(req, &t)))
		return rc;
	json_array_foreach(json_object_get(t, "seasons"), i, s)
		if (json_integer_value(json_object_get(s, "number")) == n)
			found = s;
	if (found)
		sf_http_reply(resp, 200, json_incref(found));
	else
		rc = sf_error(SF_ENOTFOUND, "title '%s': season %lld: not found",
			      sf_text_quote(req->params[0]), n);
	json_decref(t);
	return rc;
}
