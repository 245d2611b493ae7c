/*
 * recs_read.c - reading the models: rankers by name, the titles similar
 * to a title ("sf recs similar"), and a profile's ranked picks ("sf recs
 * for").  recs.h has the contracts.
 */
#include <stdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "recs.h"
#include "recs_pool.h"
#include "text.h"
#include "title.h"
#include "viewer.h"
#include "xalloc.h"

const char *const sf_recs_rankers[] = { "hybrid", "popularity", "cf", "content", NULL };

int sf_recs_ranker_check(const char *name, const char **out)
{
	if (!name) {
		*out = SF_RECS_RANKER_DEFAULT;
		return 0;
	}
	for (int i = 0; sf_recs_rankers[i]; i++)
		if (!strcmp(name, sf_recs_rankers[i])) {
			*out = sf_recs_rankers[i];
			return 0;
		}
	return sf_error(SF_EINVAL, "ranker '%s': not one of hybrid, popularity, cf, content",
			sf_text_quote(name));
}

static int limit_of(const char *text, long long *out)
{
	char *end;
	long long v;

	if (!text)
		return 0;
	v = strtoll(text, &end, 10);
	if (!*text || *end || v < 1 || v > 100)
		return sf_error(SF_EINVAL, "limit '%s': not a whole number from 1 to 100",
				sf_text_quote(text));
	*out = v;
	return 0;
}

int sf_recs_similar(struct sf_db *db, const struct sf_actor *actor, const char *title_ref,
		    const char *limit, json_t **out)
{
	char id[SF_INT_STR_MAX], lim[SF_INT_STR_MAX];
	long long title_id, n = 20;
	PGresult *res = NULL;
	int rc;

	(void)actor;
	*out = NULL;
	if ((rc = limit_of(limit, &n)) || (rc = sf_title_find(db, title_ref, &title_id)))
		return rc;
	rc = sf_db_query(db, &res,
		"SELECT json_build_object('title_id', t.id, 'title', t.title, 'items', coalesce(("
		"  SELECT json_agg(json_build_object('title_id', x.id, 'title', x.title, 'kind',"
		"         x.kind, 'year', x.year, 'source', x.source, 'score', round(x.score::numeric, 4))"
		"         ORDER BY x.o, x.score DESC, x.id)"
		"    FROM (SELECT * FROM (SELECT DISTINCT ON (u.id) u.* FROM ("
		"          SELECT n.neighbour_id AS id, n.source, n.score, o.title, o.kind, o.year,"
		"                 CASE n.source WHEN 'cf' THEN 0 ELSE 1 END AS o"
		"            FROM recs_neighbours n JOIN titles o ON o.id = n.neighbour_id"
		"           WHERE n.title_id = t.id AND sf_title_visible(o)) u"
		"          ORDER BY u.id, u.o) y"
		"          ORDER BY y.o, y.score DESC, y.id LIMIT $2) x), '[]'))::text AS j"
		"  FROM titles t WHERE t.id = $1",
		SF_ARGS(sf_db_fmt_int(id, title_id), sf_db_fmt_int(lim, n)));
	if (rc)
		return rc;
	*out = json_loads(sf_db_str(res, 0, "j"), 0, NULL);
	PQclear(res);
	return *out ? 0 : sf_error(SF_EINTERNAL, "recs: the database sent bad JSON");
}

static int by_score(const void *a, const void *b, void *arg)
{
	const struct recs_pool *p = arg;
	double x = p->t[*(const int *)a].score, y = p->t[*(const int *)b].score;

	if (x != y)
		return x < y ? 1 : -1;
	return p->t[*(const int *)a].id < p->t[*(const int *)b].id ? -1 : 1;
}

static double r4(double v)
{
	return (double)(long long)(v * 10000 + 0.5) / 10000;
}

int sf_recs_for(struct sf_db *db, const struct sf_actor *actor, const char *profile_ref,
		const char *ranker, const char *region, const char *limit, json_t **out)
{
	struct sf_viewer v;
	struct recs_pool p;
	long long n = 20;
	json_t *items;
	int *idx, k = 0, rc;

	*out = NULL;
	if ((rc = limit_of(limit, &n)) || (rc = sf_recs_ranker_check(ranker, &ranker)))
		return rc;
	if ((rc = sf_viewer_open(db, actor, profile_ref, region, 0, &v)))
		return rc;
	rc = recs_pool_load(db, &v, &p);
	if (rc) {
		sf_viewer_release(&v);
		return rc;
	}
	recs_pool_rank(&p, ranker);
	idx = sf_xmalloc((size_t)p.n * sizeof(int) + 1);
	for (int i = 0; i < p.n; i++)
		if (recs_eligible(&p.t[i]))
			idx[k++] = i;
	qsort_r(idx, (size_t)k, sizeof(int), by_score, &p);
	items = json_array();
	for (int i = 0; i < k && i < n; i++) {
		const struct recs_title *t = &p.t[idx[i]];
		json_t *g = json_array();

		for (int j = 0; j < t->ngenres; j++) {
			char gid[16];

			snprintf(gid, sizeof(gid), "%d", t->genres[j]);
			if (json_object_get(p.genre_names, gid))
				json_array_append(g, json_object_get(p.genre_names, gid));
		}
		json_array_append_new(items, json_pack("{sIsssssososososososo}",
			"title_id", (json_int_t)t->id, "title", t->title, "kind", t->kind,
			"year", t->year ? json_integer(t->year) : json_null(), "genres", g,
			"score", json_real(r4(t->score)), "cf", json_real(r4(t->cf)),
			"content", json_real(r4(t->content)), "popularity", json_real(r4(t->popn)),
			"affinity", json_real(r4(t->aff))));
	}
	*out = json_pack("{sIssso}", "profile_id", (json_int_t)v.profile_id, "ranker", ranker,
			 "items", items);
	free(idx);
	recs_pool_release(&p);
	sf_viewer_release(&v);
	return 0;
}
