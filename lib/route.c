/*
 * route.c - the router table and matching a request against it.
 *
 * The table is the one list of what the API offers: the server matches
 * requests against it, "sf serve --routes" prints it, and the test of the
 * OpenAPI document compares the document with it.
 */
#include <stdio.h>
#include <string.h>

#include "route.h"

#define V1 "/api/v1"
#define PUBLIC SF_ROUTE_PUBLIC, 0
#define TOKEN SF_ROUTE_TOKEN, 0
#define PERM(p) SF_ROUTE_PERM, SF_PERM_##p

const struct sf_route sf_routes[] = {
	{ "GET", "/healthz", sf_route_healthz, PUBLIC, 1 },
	{ "GET", "/readyz", sf_route_readyz, PUBLIC },
	{ "GET", "/metrics", sf_route_metrics, PUBLIC, 1 },
	{ "GET", V1 "/openapi.json", sf_route_openapi, PUBLIC, 1 },

	{ "GET", "/media/{path*}", sf_route_media, PUBLIC },

	{ "POST", V1 "/auth/register", sf_route_register, PUBLIC },
	{ "POST", V1 "/auth/login", sf_route_login, PUBLIC },
	{ "POST", V1 "/auth/refresh", sf_route_refresh, PUBLIC },
	{ "POST", V1 "/auth/logout", sf_route_logout, TOKEN },

	{ "GET", V1 "/account", sf_route_account_get, TOKEN },
	{ "PATCH", V1 "/account", sf_route_account_update, TOKEN },
	{ "DELETE", V1 "/account", sf_route_account_delete, TOKEN },
	{ "POST", V1 "/account/password", sf_route_account_password, TOKEN },

	{ "GET", V1 "/profiles", sf_route_profile_list, TOKEN },
	{ "POST", V1 "/profiles", sf_route_profile_add, TOKEN },
	{ "GET", V1 "/profiles/{id}", sf_route_profile_get, TOKEN },
	{ "PATCH", V1 "/profiles/{id}", sf_route_profile_update, TOKEN },
	{ "DELETE", V1 "/profiles/{id}", sf_route_profile_delete, TOKEN },
	{ "POST", V1 "/profiles/{id}/pin", sf_route_profile_pin, TOKEN },

	{ "GET", V1 "/titles", sf_route_title_list, TOKEN },
	{ "GET", V1 "/titles/{id}", sf_route_title_get, TOKEN },
	{ "GET", V1 "/titles/{id}/seasons", sf_route_title_seasons, TOKEN },
	{ "GET", V1 "/titles/{id}/seasons/{number}", sf_route_title_season, TOKEN },

	{ "GET", V1 "/titles/{id}/rating", sf_route_rating_get, TOKEN },
	{ "PUT", V1 "/titles/{id}/rating", sf_route_rating_set, TOKEN },
	{ "DELETE", V1 "/titles/{id}/rating", sf_route_rating_clear, TOKEN },
	{ "GET", V1 "/titles/{id}/reviews", sf_route_review_list, TOKEN },
	{ "POST", V1 "/titles/{id}/reviews", sf_route_review_write, TOKEN },
	{ "PUT", V1 "/titles/{id}/progress", sf_route_progress_put, TOKEN },
	{ "GET", V1 "/titles/{id}/resume", sf_route_resume, TOKEN },
	{ "GET", V1 "/titles/{id}/next", sf_route_next, TOKEN },

	{ "GET", V1 "/my-list", sf_route_list_get, TOKEN },
	{ "POST", V1 "/my-list", sf_route_list_add, TOKEN },
	{ "PUT", V1 "/my-list", sf_route_list_order, TOKEN },
	{ "DELETE", V1 "/my-list", sf_route_list_clear, TOKEN },
	{ "DELETE", V1 "/my-list/{id}", sf_route_list_remove, TOKEN },

	{ "GET", V1 "/reviews", sf_route_review_mine, TOKEN },
	{ "GET", V1 "/reviews/{id}", sf_route_review_get, TOKEN },
	{ "PATCH", V1 "/reviews/{id}", sf_route_review_edit, TOKEN },
	{ "DELETE", V1 "/reviews/{id}", sf_route_review_delete, TOKEN },
	{ "PUT", V1 "/reviews/{id}/vote", sf_route_review_vote, TOKEN },
	{ "POST", V1 "/reviews/{id}/reports", sf_route_review_report, TOKEN },

	{ "GET", V1 "/playback/{title}", sf_route_playback, TOKEN },
	{ "GET", V1 "/continue-watching", sf_route_continue, TOKEN },
	{ "GET", V1 "/home", sf_route_home, TOKEN },
	{ "GET", V1 "/experiments/assignments", sf_route_exp_assignments, TOKEN },
	{ "GET", V1 "/history", sf_route_history, TOKEN },

	{ "GET", V1 "/search", sf_route_search, TOKEN },
	{ "GET", V1 "/suggest", sf_route_suggest, TOKEN },

	{ "GET", V1 "/admin/accounts", sf_route_admin_account_list, PERM(MANAGE_ACCOUNTS) },
	{ "POST", V1 "/admin/accounts", sf_route_admin_account_add, PERM(MANAGE_ACCOUNTS) },
	{ "GET", V1 "/admin/accounts/{id}", sf_route_admin_account_get, PERM(MANAGE_ACCOUNTS) },
	{ "PATCH", V1 "/admin/accounts/{id}", sf_route_admin_account_update,
	  PERM(MANAGE_ACCOUNTS) },
	{ "DELETE", V1 "/admin/accounts/{id}", sf_route_admin_account_delete,
	  PERM(MANAGE_ACCOUNTS) },
	{ "GET", V1 "/admin/titles", sf_route_admin_title_list, PERM(MANAGE_CATALOG) },
	{ "POST", V1 "/admin/titles", sf_route_admin_title_add, PERM(MANAGE_CATALOG) },
	{ "GET", V1 "/admin/titles/{id}", sf_route_admin_title_get, PERM(MANAGE_CATALOG) },
	{ "PATCH", V1 "/admin/titles/{id}", sf_route_admin_title_update, PERM(MANAGE_CATALOG) },
	{ "DELETE", V1 "/admin/titles/{id}", sf_route_admin_title_delete, PERM(MANAGE_CATALOG) },
	{ "GET", V1 "/admin/audit", sf_route_admin_audit, PERM(READ_AUDIT) },
	{ "POST", V1 "/admin/import", sf_route_import, PERM(MANAGE_CATALOG) },
	{ "GET", V1 "/admin/moderation/queue", sf_route_moderation_queue, PERM(MODERATE) },
	{ "POST", V1 "/admin/reviews/{id}/decision", sf_route_moderation_decide,
	  PERM(MODERATE) },
	{ NULL },
};

const int sf_route_count = sizeof(sf_routes) / sizeof(sf_routes[0]) - 1;

/* Matches path against pattern, copying parameters into buf.  "{name}"
 * matches one path segment; "{name*}", last in a pattern, the rest of the
 * path (one segment or more). */
static int match(const char *pattern, const char *path, const char *params[],
		 char *buf, size_t bufsize)
{
	const char *p = pattern, *s = path;
	size_t used = 0;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t len = close[-1] == '*' ? strlen(s) : strcspn(s, "/");

			if (len == 0 || n == SF_HTTP_PARAMS_MAX || used + len + 1 > bufsize)
				return 0;
			memcpy(buf + used, s, len);
			buf[used + len] = 0;
			params[n++] = buf + used;
			used += len + 1;
			s += len;
			p = close + 1;
		} else if (*p++ != *s++) {
			return 0;
		}
	}
	return !*p && !*s;
}

const struct sf_route *sf_route_match(const char *method, const char *path,
				      const char *params[SF_HTTP_PARAMS_MAX],
				      char *buf, size_t bufsize, int *path_known,
				      char *allowed, size_t allowed_size)
{
	const char *scratch[SF_HTTP_PARAMS_MAX];
	size_t used = 0;

	*path_known = 0;
	allowed[0] = 0;
	if (!strcmp(method, "HEAD"))   /* every GET route answers HEAD */
		method = "GET";
	for (const struct sf_route *r = sf_routes; r->method; r++) {
		if (!match(r->pattern, path, scratch, buf, bufsize))
			continue;
		if (!strcmp(r->method, method)) {
			match(r->pattern, path, params, buf, bufsize);
			return r;
		}
		*path_known = 1;
		used += (size_t)snprintf(allowed + used, used < allowed_size ? allowed_size - used : 0,
					 "%s%s", used ? ", " : "", r->method);
		if (used >= allowed_size)
			used = allowed_size - 1;
	}
	return NULL;
}
