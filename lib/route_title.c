/*
 * route_title.c - the catalog as viewers see it: titles with filters and
 * pages, one title, its seasons, one season with its episodes.
 *
 * The title module decides visibility from the actor: to a viewer, titles
 * that are not published or outside their window do not exist (404).
 * The admin routes (route_admin_title.c) share the list's query parsing.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "route.h"
#include "text.h"
#include "title.h"

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

int sf_route_title_get(struct sf_http_req *req, struct sf_http_resp *resp)
{
	json_t *t;
	int rc = title(req, &t);

	if (!rc)
		sf_http_reply(resp, 200, t);
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
