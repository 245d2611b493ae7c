/*
 * homepage.c - serve a profile's homepage: from its cache when the cache
 * is still valid, else computed from the precomputed models and stored
 * (homepage.h has the rules and the cache's validity).
 *
 * The generation is read before anything else the page is made from, so
 * a page stored with generation g reflects every change up to g; a
 * change that lands while the page is computed bumps the generation past
 * it and the next request computes afresh.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "exp_param.h"
#include "homepage.h"
#include "homepage_rows.h"
#include "recs.h"
#include "recs_pool.h"
#include "viewer.h"
#include "xalloc.h"

#define S_(x) #x
#define S(x) S_(x)

struct state {
	long long generation;
	char *recs_built;   /* NULL: never built */
	json_t *cached;     /* the stored page, when valid */
};

static int read_state(struct sf_db *db, const struct sf_viewer *v, const char *ranker,
		      int fresh, struct state *st)
{
	char prof[SF_INT_STR_MAX], mat[24];
	PGresult *res = NULL;
	const char *rows;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = sf_db_query(db, &res,
		"SELECT coalesce(g.generation, 0) AS generation, s.built_at::text AS built,"
		"       c.rows"
		"  FROM (SELECT 1) one"
		"  LEFT JOIN home_generations g ON g.profile_id = $1"
		"  LEFT JOIN recs_state s ON true"
		"  LEFT JOIN home_cache c ON c.profile_id = $1 AND c.ranker = $2 AND c.region = $3"
		"       AND c.generation = coalesce(g.generation, 0) AND c.maturity = $4"
		"       AND c.recs_built IS NOT DISTINCT FROM s.built_at"
		"       AND c.built_at > now() - interval '" S(SF_HOMEPAGE_TTL) " seconds'",
		SF_ARGS(sf_db_fmt_int(prof, v->profile_id), ranker, v->region,
			sf_viewer_maturity(v, mat)));
	if (rc)
		return rc;
	st->generation = sf_db_int(res, 0, "generation");
	if (!sf_db_isnull(res, 0, "built"))
		st->recs_built = sf_xstrdup(sf_db_str(res, 0, "built"));
	if (!fresh && (rows = sf_db_str(res, 0, "rows")))
		st->cached = json_loads(rows, 0, NULL);
	PQclear(res);
	return 0;
}

static int store(struct sf_db *db, const struct sf_viewer *v, const char *ranker,
		 const struct state *st, const json_t *page)
{
	char prof[SF_INT_STR_MAX], gen[SF_INT_STR_MAX], mat[24];
	char *text = json_dumps(page, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc;

	/* A page made from an older generation never replaces a newer one. */
	rc = sf_db_query(db, NULL,
		"INSERT INTO home_cache AS c (profile_id, ranker, region, generation, maturity,"
		"                             recs_built, rows)"
		" SELECT $1, $2, $3, $4, $5, $6::timestamptz, $7"
		"  WHERE EXISTS (SELECT 1 FROM profiles WHERE id = $1)"
		" ON CONFLICT (profile_id, ranker, region) DO UPDATE"
		"   SET generation = EXCLUDED.generation, maturity = EXCLUDED.maturity,"
		"       recs_built = EXCLUDED.recs_built, built_at = now(), rows = EXCLUDED.rows"
		" WHERE c.generation <= EXCLUDED.generation",
		SF_ARGS(sf_db_fmt_int(prof, v->profile_id), ranker, v->region,
			sf_db_fmt_int(gen, st->generation), sf_viewer_maturity(v, mat),
			st->recs_built, text));
	free(text);
	return rc;
}

int sf_homepage(struct sf_db *db, const struct sf_actor *actor,
		const struct sf_homepage_query *q, json_t **out)
{
	struct sf_viewer v;
	struct recs_pool pool;
	struct state st = { 0 };
	const char *ranker;
	char *from_exp = NULL;
	json_t *rows = NULL, *hero = NULL;
	int rc;

	*out = NULL;
	if ((rc = sf_recs_ranker_check(q->ranker, &ranker)))
		return rc;
	if ((rc = sf_viewer_open(db, actor, q->profile, q->region, 0, &v)))
		return rc;
	/* No ranker asked for: the one an experiment gives the viewer, if
	 * it names one (exp_param.h), else the default. */
	if (!q->ranker) {
		rc = sf_exp_param(db, &v, "home.ranker", &from_exp);
		if (!rc && from_exp && sf_recs_ranker_check(from_exp, &ranker))
			ranker = SF_RECS_RANKER_DEFAULT;   /* names no ranker: the default */
	}
	if (rc || (rc = read_state(db, &v, ranker, q->fresh, &st)))
		goto out;
	if (st.cached) {
		*out = st.cached;
		st.cached = NULL;
		json_object_set_new(*out, "cached", json_true());
		goto out;
	}
	if ((rc = recs_pool_load(db, &v, &pool)))
		goto out;
	recs_pool_rank(&pool, ranker);
	homepage_rows(&pool, &rows, &hero);
	recs_pool_release(&pool);
	*out = json_pack("{sIsssbsIsoso}", "profile_id", (json_int_t)v.profile_id,
			 "ranker", ranker, "cached", 0, "generation", (json_int_t)st.generation,
			 "hero", hero, "rows", rows);
	rc = store(db, &v, ranker, &st, *out);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
out:
	json_decref(st.cached);
	free(st.recs_built);
	free(from_exp);
	sf_viewer_release(&v);
	return rc;
}
