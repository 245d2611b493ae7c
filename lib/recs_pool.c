/*
 * recs_pool.c - load a profile's candidate titles and score them by a
 * ranker (recs_pool.h; the models are described in recs.h).
 *
 * Queries, in order: the profile's history (what it played or rated,
 * newest first), the neighbours of its recent titles, the candidate
 * lists (trending, Top 10, top rated, new releases, My List, popular,
 * popular by genre: each filtered by what the profile may watch), the
 * titles' metadata and stats, the genre names, and Continue Watching.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "recs.h"
#include "recs_pool.h"
#include "viewer.h"
#include "xalloc.h"

#define SEEDS_MAX 50

/* ---- the id map -------------------------------------------------------- */

static unsigned slot(long long id, int cap)
{
	unsigned long long h = (unsigned long long)id * 0x9E3779B97F4A7C15ull;

	return (unsigned)(h >> 32) & (unsigned)(cap - 1);
}

static void rehash(struct recs_pool *p)
{
	free(p->hash);
	p->hcap = p->hcap ? p->hcap * 2 : 1024;
	p->hash = sf_xcalloc((size_t)p->hcap, sizeof(int));
	for (int i = 0; i < p->n; i++) {
		unsigned s = slot(p->t[i].id, p->hcap);

		while (p->hash[s])
			s = (s + 1) & (unsigned)(p->hcap - 1);
		p->hash[s] = i + 1;
	}
}

int recs_pool_find(const struct recs_pool *p, long long id)
{
	if (!p->hcap)
		return -1;
	for (unsigned s = slot(id, p->hcap); p->hash[s]; s = (s + 1) & (unsigned)(p->hcap - 1))
		if (p->t[p->hash[s] - 1].id == id)
			return p->hash[s] - 1;
	return -1;
}

/* The index of id, added (with no metadata yet) if new. */
static int intern(struct recs_pool *p, long long id)
{
	int i = recs_pool_find(p, id);

	if (i >= 0)
		return i;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->t = sf_xrealloc(p->t, (size_t)p->cap * sizeof(*p->t));
	}
	memset(&p->t[p->n], 0, sizeof(p->t[p->n]));
	p->t[p->n].id = id;
	p->t[p->n].bayes = -1;
	p->n++;
	if (p->n * 2 > p->hcap)
		rehash(p);
	else {
		unsigned s = slot(id, p->hcap);

		while (p->hash[s])
			s = (s + 1) & (unsigned)(p->hcap - 1);
		p->hash[s] = p->n;
	}
	return p->n - 1;
}

/* "{1,2,3}" of the ids of the pool's titles from index from on. */
static char *id_array(const struct recs_pool *p, int from)
{
	size_t cap = 16 + (size_t)(p->n - from) * 21, len = 1;
	char *s = sf_xmalloc(cap);

	s[0] = '{';
	for (int i = from; i < p->n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s%lld", i > from ? "," : "", p->t[i].id);
	snprintf(s + len, cap - len, "}");
	return s;
}

static void parse_genres(struct recs_title *t, const char *s)
{
	t->ngenres = 0;
	if (!s)
		return;
	for (s = strchr(s, '{') ? strchr(s, '{') + 1 : s; *s && t->ngenres < RECS_GENRES_MAX;) {
		char *end;
		long v = strtol(s, &end, 10);

		if (end == s)
			break;
		t->genres[t->ngenres++] = (int)v;
		s = *end == ',' ? end + 1 : end;
	}
}

/* ---- loading ----------------------------------------------------------- */

static int load_history(struct sf_db *db, struct recs_pool *p, const char *prof)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res,
		"SELECT coalesce(h.title_id, r.title_id) AS id, sf_iso(h.last_at) AS last_at,"
		"       coalesce(h.done, false) AS done, r.stars,"
		"       CASE WHEN NOT coalesce(h.done, false) THEN false"
		"            WHEN t.kind = 'movie' THEN true"
		"            ELSE sf_watch_next($1, t.id) IS NULL END AS finished"
		"  FROM (SELECT title_id, max(at) AS last_at, bool_or(completed_at IS NOT NULL) AS done"
		"          FROM watch_progress WHERE profile_id = $1 GROUP BY title_id) h"
		"  FULL JOIN (SELECT title_id, stars, updated_at FROM ratings WHERE profile_id = $1) r"
		"    ON r.title_id = h.title_id"
		"  JOIN titles t ON t.id = coalesce(h.title_id, r.title_id)"
		" ORDER BY greatest(h.last_at, r.updated_at) DESC, 1 DESC LIMIT 200",
		SF_ARGS(prof));

	if (rc)
		return rc;
	p->nhist = PQntuples(res);
	p->hist = sf_xcalloc((size_t)p->nhist + 1, sizeof(int));
	for (int k = 0; k < p->nhist; k++) {
		int i = intern(p, sf_db_int(res, k, "id"));
		struct recs_title *t = &p->t[i];

		p->hist[k] = i;
		t->flags |= RECS_HISTORY;
		t->done = sf_db_bool(res, k, "done");
		t->stars = (int)sf_db_int(res, k, "stars");
		if (sf_db_bool(res, k, "finished"))
			t->flags |= RECS_FINISHED;
		if (t->stars && t->stars <= 2)
			t->flags |= RECS_DISLIKED;
		t->last_at = sf_db_str(res, k, "last_at") ? sf_xstrdup(sf_db_str(res, k, "last_at"))
			: NULL;
		/* Recent titles count most; finished or liked ones more. */
		if (!(t->flags & RECS_DISLIKED))
			t->weight = pow(0.97, k) * (t->done ? 1.0 : 0.5) * (t->stars >= 4 ? 1.5 : 1.0);
	}
	p->personal = p->nhist > 0;
	PQclear(res);
	return 0;
}

static int load_edges(struct sf_db *db, struct recs_pool *p)
{
	char seeds[SEEDS_MAX * 22 + 4];
	size_t len = 1;
	int n = 0, rc;
	PGresult *res = NULL;

	seeds[0] = '{';
	for (int k = 0; k < p->nhist && n < SEEDS_MAX; k++) {
		if (p->t[p->hist[k]].weight <= 0)
			continue;
		len += (size_t)snprintf(seeds + len, sizeof(seeds) - len, "%s%lld", n ? "," : "",
					p->t[p->hist[k]].id);
		n++;
	}
	snprintf(seeds + len, sizeof(seeds) - len, "}");
	if (!n)
		return 0;
	rc = sf_db_query(db, &res,
		"SELECT title_id, source = 'cf' AS cf, neighbour_id, score FROM recs_neighbours"
		" WHERE title_id = ANY ($1::bigint[]) ORDER BY title_id, source, rank",
		SF_ARGS(seeds));
	if (rc)
		return rc;
	p->ne = PQntuples(res);
	p->e = sf_xcalloc((size_t)p->ne + 1, sizeof(*p->e));
	for (int k = 0; k < p->ne; k++) {
		p->e[k].seed = intern(p, sf_db_int(res, k, "title_id"));
		p->e[k].nb = intern(p, sf_db_int(res, k, "neighbour_id"));
		p->e[k].cf = sf_db_bool(res, k, "cf");
		p->e[k].s = strtod(sf_db_str(res, k, "score"), NULL);
	}
	PQclear(res);
	return 0;
}

static const char lists_sql[] =
	"(SELECT 'trending' AS l, s.title_id AS id FROM recs_title_stats s"
	"   JOIN titles t ON t.id = s.title_id"
	"  WHERE s.trend > 0 AND sf_title_viewable(t, $2, $3)"
	"  ORDER BY s.trend DESC, s.title_id LIMIT 60)"
	" UNION ALL (SELECT 'top10', s.title_id FROM recs_title_stats s"
	"   JOIN titles t ON t.id = s.title_id"
	"  WHERE s.top10 IS NOT NULL AND sf_title_viewable(t, $2, $3) ORDER BY s.top10)"
	" UNION ALL (SELECT 'top_rated', s.title_id FROM recs_title_stats s"
	"   JOIN titles t ON t.id = s.title_id"
	"  WHERE s.bayes IS NOT NULL AND sf_title_viewable(t, $2, $3)"
	"  ORDER BY s.bayes DESC, s.title_id LIMIT 60)"
	" UNION ALL (SELECT 'popular', s.title_id FROM recs_title_stats s"
	"   JOIN titles t ON t.id = s.title_id"
	"  WHERE sf_title_viewable(t, $2, $3) ORDER BY s.score DESC, s.title_id LIMIT 150)"
	/* Before the first build: the catalog's own popularity. */
	" UNION ALL (SELECT 'popular', t.id FROM titles t"
	"  WHERE NOT EXISTS (SELECT FROM recs_state) AND sf_title_viewable(t, $2, $3)"
	"  ORDER BY t.popularity DESC, t.id LIMIT 150)"
	" UNION ALL (SELECT 'new', t.id FROM titles t"
	"  WHERE sf_search_released(t.release_date, t.year) <= current_date"
	"    AND sf_title_viewable(t, $2, $3)"
	"  ORDER BY sf_search_released(t.release_date, t.year) DESC, t.id DESC LIMIT 60)"
	" UNION ALL (SELECT 'my_list', l.title_id FROM list_items l"
	"   JOIN titles t ON t.id = l.title_id"
	"  WHERE l.profile_id = $1 AND l.watched_at IS NULL AND sf_title_viewable(t, $2, $3)"
	"  ORDER BY l.rank LIMIT 40)"
	" UNION ALL (SELECT 'g:' || g.genre_id, g.title_id FROM recs_genre_popular g"
	"   JOIN titles t ON t.id = g.title_id"
	"  WHERE g.rank <= 40 AND sf_title_viewable(t, $2, $3) ORDER BY g.genre_id, g.rank)";

static struct recs_list *list_named(struct recs_pool *p, const char *name)
{
	for (int i = 0; i < p->nlists; i++)
		if (!strcmp(p->lists[i].name, name))
			return &p->lists[i];
	p->lists = sf_xrealloc(p->lists, (size_t)(p->nlists + 1) * sizeof(*p->lists));
	memset(&p->lists[p->nlists], 0, sizeof(*p->lists));
	snprintf(p->lists[p->nlists].name, sizeof(p->lists[p->nlists].name), "%s", name);
	return &p->lists[p->nlists++];
}

static int load_lists(struct sf_db *db, struct recs_pool *p, const char *prof, const char *mat,
		      const char *region)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, lists_sql, SF_ARGS(prof, mat, region));

	if (rc)
		return rc;
	for (int k = 0; k < PQntuples(res); k++) {
		struct recs_list *l = list_named(p, sf_db_str(res, k, "l"));

		l->idx = sf_xrealloc(l->idx, (size_t)(l->n + 1) * sizeof(int));
		l->idx[l->n++] = intern(p, sf_db_int(res, k, "id"));
	}
	PQclear(res);
	return 0;
}

static int load_titles(struct sf_db *db, struct recs_pool *p, const char *mat, const char *region)
{
	char *ids = id_array(p, 0);
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res,
		"SELECT t.id, t.title, t.kind, t.year, t.poster_url, t.backdrop_url,"
		"       coalesce(s.score, 0.2 * ln(1 + t.popularity)) AS pop,"
		"       coalesce(s.trend, 0) AS trend, s.top10, s.bayes,"
		"       sf_title_viewable(t, $2, $3) AS ok,"
		"       (SELECT array_agg(genre_id ORDER BY genre_id) FROM title_genres"
		"         WHERE title_id = t.id)::text AS g"
		"  FROM unnest($1::bigint[]) i (id) JOIN titles t ON t.id = i.id"
		"  LEFT JOIN recs_title_stats s ON s.title_id = t.id",
		SF_ARGS(ids, mat, region));

	free(ids);
	if (rc)
		return rc;
	for (int k = 0; k < PQntuples(res); k++) {
		int i = recs_pool_find(p, sf_db_int(res, k, "id"));
		struct recs_title *t;
		const char *s;

		if (i < 0)
			continue;
		t = &p->t[i];
		t->title = sf_xstrdup(sf_db_str(res, k, "title"));
		t->kind = sf_xstrdup(sf_db_str(res, k, "kind"));
		t->poster = (s = sf_db_str(res, k, "poster_url")) ? sf_xstrdup(s) : NULL;
		t->backdrop = (s = sf_db_str(res, k, "backdrop_url")) ? sf_xstrdup(s) : NULL;
		t->year = (int)sf_db_int(res, k, "year");
		t->pop = strtod(sf_db_str(res, k, "pop"), NULL);
		t->trend = strtod(sf_db_str(res, k, "trend"), NULL);
		t->top10 = (int)sf_db_int(res, k, "top10");
		t->bayes = sf_db_isnull(res, k, "bayes") ? -1 : strtod(sf_db_str(res, k, "bayes"), NULL);
		if (sf_db_bool(res, k, "ok"))
			t->flags |= RECS_OK;
		parse_genres(t, sf_db_str(res, k, "g"));
	}
	PQclear(res);
	return 0;
}

static int load_continue(struct sf_db *db, struct recs_pool *p, const char *prof,
			 const char *mat, const char *region)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res,
		"SELECT c.title_id, c.state, sf_iso(c.last_at) AS last_at,"
		"       sf_watch_item($1, c.title_id, c.episode_id)::text AS j"
		"  FROM sf_watch_continue($1, $2, $3, 20) c",
		SF_ARGS(prof, mat, region));

	if (rc)
		return rc;
	p->cw = json_array();
	for (int k = 0; k < PQntuples(res); k++) {
		json_t *it = json_loads(sf_db_str(res, k, "j"), 0, NULL);
		json_int_t pos;
		int i;

		if (!it)
			continue;
		pos = json_integer_value(json_object_get(it, "position"));
		json_object_set_new(it, "state", json_string(sf_db_str(res, k, "state")));
		json_object_set_new(it, "last_at", json_string(sf_db_str(res, k, "last_at")));
		json_object_set_new(it, "start", json_integer(pos > 5 &&
			!json_is_true(json_object_get(it, "completed")) ? pos : 0));
		json_array_append_new(p->cw, it);
		if ((i = recs_pool_find(p, sf_db_int(res, k, "title_id"))) >= 0)
			p->t[i].flags |= RECS_CONTINUE;
	}
	PQclear(res);
	return 0;
}

static int load_genres(struct sf_db *db, struct recs_pool *p)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT id::text AS id, name FROM genres", SF_NOARGS);

	if (rc)
		return rc;
	p->genre_names = json_object();
	for (int k = 0; k < PQntuples(res); k++)
		json_object_set_new(p->genre_names, sf_db_str(res, k, "id"),
				    json_string(sf_db_str(res, k, "name")));
	PQclear(res);
	return 0;
}

int recs_pool_load(struct sf_db *db, const struct sf_viewer *v, struct recs_pool *p)
{
	char prof[SF_INT_STR_MAX], mat[24];
	const char *region = sf_viewer_region(v);
	int rc;

	memset(p, 0, sizeof(*p));
	p->profile_id = v->profile_id;
	p->profile_name = sf_xstrdup(v->name ? v->name : "");
	sf_db_fmt_int(prof, v->profile_id);
	sf_viewer_maturity(v, mat);
	if ((rc = load_history(db, p, prof)) || (rc = load_edges(db, p)) ||
	    (rc = load_lists(db, p, prof, mat, region)) ||
	    (rc = load_titles(db, p, mat, region)) || (rc = load_genres(db, p)) ||
	    (rc = load_continue(db, p, prof, mat, region))) {
		recs_pool_release(p);
		return rc;
	}
	for (int k = 0; k < p->nhist; k++) {
		const struct recs_title *t = &p->t[p->hist[k]];

		for (int g = 0; g < t->ngenres; g++)
			if (t->weight > 0 && t->genres[g] >= 0 && t->genres[g] < 1024)
				p->gaff[t->genres[g]] += t->weight;
	}
	return 0;
}

void recs_pool_release(struct recs_pool *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->t[i].title);
		free(p->t[i].kind);
		free(p->t[i].poster);
		free(p->t[i].backdrop);
		free(p->t[i].last_at);
	}
	for (int i = 0; i < p->nlists; i++)
		free(p->lists[i].idx);
	free(p->lists);
	free(p->t);
	free(p->hash);
	free(p->hist);
	free(p->e);
	free(p->profile_name);
	json_decref(p->genre_names);
	json_decref(p->cw);
	memset(p, 0, sizeof(*p));
}

/* ---- scoring ----------------------------------------------------------- */

int recs_eligible(const struct recs_title *t)
{
	return (t->flags & RECS_OK) && t->title &&
	       !(t->flags & (RECS_FINISHED | RECS_DISLIKED | RECS_CONTINUE));
}

const struct recs_list *recs_pool_list(const struct recs_pool *p, const char *name)
{
	for (int i = 0; i < p->nlists; i++)
		if (!strcmp(p->lists[i].name, name))
			return &p->lists[i];
	return NULL;
}

double recs_genre_sim(const struct recs_title *a, const struct recs_title *b)
{
	int common = 0;

	if (!a->ngenres || !b->ngenres)
		return 0;
	for (int i = 0; i < a->ngenres; i++)
		for (int j = 0; j < b->ngenres; j++)
			common += a->genres[i] == b->genres[j];
	return (double)common / (a->ngenres + b->ngenres - common);
}

void recs_pool_rank(struct recs_pool *p, const char *ranker)
{
	double maxcf = 0, maxct = 0, maxpop = 0, maxaff = 0;

	for (int i = 0; i < p->n; i++)
		p->t[i].cf = p->t[i].content = 0;
	for (int k = 0; k < p->ne; k++) {
		const struct recs_edge *e = &p->e[k];
		double w = p->t[e->seed].weight;

		if (w <= 0)
			continue;
		if (e->cf)
			p->t[e->nb].cf += w * e->s;
		else
			p->t[e->nb].content += w * e->s;
	}
	for (int g = 0; g < 1024; g++)
		maxaff = p->gaff[g] > maxaff ? p->gaff[g] : maxaff;
	for (int i = 0; i < p->n; i++) {
		struct recs_title *t = &p->t[i];

		maxcf = t->cf > maxcf ? t->cf : maxcf;
		maxct = t->content > maxct ? t->content : maxct;
		maxpop = t->pop > maxpop ? t->pop : maxpop;
	}
	for (int i = 0; i < p->n; i++) {
		struct recs_title *t = &p->t[i];
		double aff = 0;

		for (int g = 0; g < t->ngenres; g++)
			if (t->genres[g] >= 0 && t->genres[g] < 1024 && maxaff > 0)
				aff += p->gaff[t->genres[g]] / maxaff;
		t->aff = t->ngenres ? aff / t->ngenres : 0;
		t->cf = maxcf > 0 ? t->cf / maxcf : 0;
		t->content = maxct > 0 ? t->content / maxct : 0;
		t->popn = maxpop > 0 ? t->pop / maxpop : 0;
		if (!strcmp(ranker, "popularity"))
			t->score = t->popn;
		else if (!strcmp(ranker, "cf"))
			t->score = t->cf + 0.05 * t->popn;
		else if (!strcmp(ranker, "content"))
			t->score = t->content + 0.5 * t->aff + 0.05 * t->popn;
		else
			t->score = 1.0 * t->cf + 0.2 * t->content + 0.3 * t->popn + 0.3 * t->aff;
	}
}

int recs_mmr(const struct recs_pool *p, const int *idx, const double *rel, int n, double lambda,
	     int max, int *out)
{
	char *used = sf_xcalloc((size_t)n + 1, 1);
	double *maxsim = sf_xcalloc((size_t)n + 1, sizeof(double));
	double top = 0;
	int k = 0;

	for (int i = 0; i < n; i++)
		top = rel[i] > top ? rel[i] : top;
	while (k < max) {
		int best = -1;
		double bv = 0;

		for (int i = 0; i < n; i++) {
			double v;

			if (used[i])
				continue;
			v = lambda * (top > 0 ? rel[i] / top : 0) - (1 - lambda) * maxsim[i];
			if (best < 0 || v > bv) {
				best = i;
				bv = v;
			}
		}
		if (best < 0)
			break;
		used[best] = 1;
		out[k++] = idx[best];
		for (int i = 0; i < n; i++) {
			double s;

			if (used[i])
				continue;
			s = recs_genre_sim(&p->t[idx[i]], &p->t[idx[best]]);
			maxsim[i] = s > maxsim[i] ? s : maxsim[i];
		}
	}
	free(used);
	free(maxsim);
	return k;
}
