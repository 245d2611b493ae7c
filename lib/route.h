/*
 * route.h - the router table of the HTTP API.
 *
 * Every route is one row of sf_routes (route.c): method, path pattern
 * ({name} matches one path segment and becomes a parameter; {name*} at
 * the end matches the rest of the path), handler, and
 * who may call it.  Adding a route is adding a row and its handler, plus
 * its entry in api/openapi.json (tests/api/openapi.sh compares the two).
 *
 * Access:
 *	SF_ROUTE_PUBLIC   anyone, no token needed
 *	SF_ROUTE_TOKEN    any authenticated account (401 without a token)
 *	SF_ROUTE_PERM     an account whose role holds perm (403 otherwise)
 * Object-level checks (is this profile the caller's?) are the handler's.
 */
#ifndef SF_ROUTE_H
#define SF_ROUTE_H

#include "http.h"
#include "role.h"

enum sf_route_access { SF_ROUTE_PUBLIC, SF_ROUTE_TOKEN, SF_ROUTE_PERM };

typedef int sf_route_fn(struct sf_http_req *req, struct sf_http_resp *resp);

struct sf_route {
	const char *method;       /* "GET" */
	const char *pattern;      /* "/api/v1/profiles/{id}" */
	sf_route_fn *handler;
	enum sf_route_access access;
	enum sf_perm perm;        /* for SF_ROUTE_PERM */
	int no_db;                /* answers without the database (healthz, metrics) */
};

extern const struct sf_route sf_routes[];   /* ends with a NULL method */
extern const int sf_route_count;

/* The route for method and path, with its parameters in params; NULL if
 * none.  *path_known is set when the path matches some route under
 * another method (allowed is then e.g. "GET, PATCH"). */
const struct sf_route *sf_route_match(const char *method, const char *path,
				      const char *params[SF_HTTP_PARAMS_MAX],
				      char *buf, size_t bufsize, int *path_known,
				      char *allowed, size_t allowed_size);

/* Handlers, one file per area. */
/* route_auth.c */
sf_route_fn sf_route_register, sf_route_login, sf_route_refresh, sf_route_logout;
/* route_account.c */
sf_route_fn sf_route_account_get, sf_route_account_update, sf_route_account_password,
	sf_route_account_delete;
/* route_profile.c */
sf_route_fn sf_route_profile_list, sf_route_profile_add, sf_route_profile_get,
	sf_route_profile_update, sf_route_profile_delete, sf_route_profile_pin;
/* route_title.c */
sf_route_fn sf_route_title_list, sf_route_title_get, sf_route_title_seasons,
	sf_route_title_season;
/* route_search.c */
sf_route_fn sf_route_search, sf_route_suggest;
/* route_admin.c */
sf_route_fn sf_route_admin_account_list, sf_route_admin_account_add,
	sf_route_admin_account_get, sf_route_admin_account_update,
	sf_route_admin_account_delete, sf_route_admin_audit;
/* route_admin_title.c */
sf_route_fn sf_route_admin_title_list, sf_route_admin_title_add, sf_route_admin_title_get,
	sf_route_admin_title_update, sf_route_admin_title_delete;
/* route_list.c */
sf_route_fn sf_route_list_get, sf_route_list_add, sf_route_list_remove, sf_route_list_order,
	sf_route_list_clear;
/* route_rating.c */
sf_route_fn sf_route_rating_get, sf_route_rating_set, sf_route_rating_clear;
/* route_review.c */
sf_route_fn sf_route_review_list, sf_route_review_mine, sf_route_review_write,
	sf_route_review_get, sf_route_review_edit, sf_route_review_delete, sf_route_review_vote,
	sf_route_review_report;
/* route_watch.c */
sf_route_fn sf_route_progress_put, sf_route_resume, sf_route_next, sf_route_continue,
	sf_route_history;
/* route_home.c */
sf_route_fn sf_route_home;

/* route_experiment.c */
sf_route_fn sf_route_exp_assignments;
/* route_moderation.c */
sf_route_fn sf_route_moderation_queue, sf_route_moderation_decide;
/* route_import.c */
sf_route_fn sf_route_import;
/* route_media.c */
sf_route_fn sf_route_media;
/* route_playback.c */
sf_route_fn sf_route_playback;
/* route_ops.c */
sf_route_fn sf_route_healthz, sf_route_readyz, sf_route_metrics, sf_route_openapi;

/* route_util.c: shared by the handlers. */
/* The caller's own profile with id text (404 for another account's). */
struct sf_profile;
int sf_route_own_profile(struct sf_http_req *req, const char *id, struct sf_profile *out);
/* Reads the title list's query (filters, page, limit) into f; admin
 * allows "status" and shows every title (route_title.c). */
struct sf_title_filter;
int sf_route_title_query(struct sf_http_req *req, struct sf_title_filter *f, int admin);
/* Parses a page/limit query value in [1, max]; SF_EINVAL naming it. */
int sf_route_int(const char *name, const char *text, long long min, long long max,
		 long long *out);

/* route_viewer.c: the profile a viewer route acts as, into buf: the
 * "profile" query parameter (one of the caller's own; another account's
 * is 404), or else the account's first profile. */
int sf_route_viewer_profile(struct sf_http_req *req, char buf[32]);
/* sf_http_fields over the query (fields must offer "profile"), then
 * sf_route_viewer_profile. */
int sf_route_viewer_query(struct sf_http_req *req, const struct sf_http_field *fields,
			  const json_t **vals, char profile[32]);
/* The query of a viewer route that takes nothing but the profile. */
extern const struct sf_http_field sf_route_profile_only[];
/* A viewer route with only ?profile= and no body (a DELETE): the query
 * over sf_route_profile_only, and a body that must be empty. */
int sf_route_viewer_bare(struct sf_http_req *req, char profile[32]);

#endif
