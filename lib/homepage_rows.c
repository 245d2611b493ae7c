/*
 * homepage_rows.c - build the homepage's rows from a scored pool: pick
 * each row's candidates, re-rank the personal rows by maximal marginal
 * relevance, then lay the rows out so that no title appears twice on
 * the page (homepage.h has the rules).
 *
 * Claims go in a fixed order: Continue Watching, Top 10 and My List
 * keep all their titles (they are the profile's state and a chart),
 * then the hero, then the other rows in display order, each skipping
 * the titles claimed before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homepage.h"
#include "homepage_rows.h"
#include "recs_pool.h"
#include "xalloc.h"

#define PICKS_MAX 60
#define BECAUSE_ROWS 3
#define GENRE_ROWS 3
#define ROW_MIN 4

enum row_kind { ROW_PLAIN, ROW_TOP10, ROW_RATED };

struct row {
	char id[32];
	char *title, *reason;
	int *idx;
	int n;
	enum row_kind kind;
	int fixed;      /* claims before the other rows */
};

static int by_score_desc(const void *a, const void *b, void *arg)
{
	const struct recs_pool *p = arg;
	double x = p->t[*(const int *)a].score, y = p->t[*(const int *)b].score;

	if (x != y)
		return x < y ? 1 : -1;
	return p->t[*(const int *)a].id < p->t[*(const int *)b].id ? -1 : 1;
}

/* The eligible titles of a list, in its order. */
static int from_list(const struct recs_pool *p, const char *name, int fixed, int *out, int max)
{
	const struct recs_list *l = recs_pool_list(p, name);
	int n = 0;

	for (int i = 0; l && i < l->n && n < max; i++) {
		const struct recs_title *t = &p->t[l->idx[i]];

		if (fixed ? (t->flags & 1u) && t->title != NULL : recs_eligible(t))
			out[n++] = l->idx[i];
	}
	return n;
}

/* Top Picks: the best eligible titles by score, re-ranked by MMR. */
static int top_picks(struct recs_pool *p, int *out)
{
	int *cand = sf_xmalloc((size_t)p->n * sizeof(int) + 1);
	double *rel;
	int n = 0, k;

	for (int i = 0; i < p->n; i++)
		if (recs_eligible(&p->t[i]))
			cand[n++] = i;
	qsort_r(cand, (size_t)n, sizeof(int), by_score_desc, p);
	if (n > 150)
		n = 150;
	rel = sf_xmalloc((size_t)n * sizeof(double) + 1);
	for (int i = 0; i < n; i++)
		rel[i] = p->t[cand[i]].score;
	k = recs_mmr(p, cand, rel, n, 0.7, PICKS_MAX, out);
	free(rel);
	free(cand);
	return k;
}

/* Because you watched the title at pool index seed: its eligible
 * neighbours, CF before content, re-ranked by MMR. */
static int because(struct recs_pool *p, int seed, int *out)
{
	int *cand = sf_xmalloc((size_t)p->ne * sizeof(int) + 1);
	double *rel = sf_xmalloc((size_t)p->ne * sizeof(double) + 1);
	int n = 0, k;

	for (int e = 0; e < p->ne; e++) {
		int j, nb = p->e[e].nb;
		double s = p->e[e].cf ? 1 + p->e[e].s : p->e[e].s;

		if (p->e[e].seed != seed || !recs_eligible(&p->t[nb]))
			continue;
		for (j = 0; j < n && cand[j] != nb; j++)
			;
		if (j == n) {
			cand[n] = nb;
			rel[n++] = s;
		} else if (s > rel[j]) {
			rel[j] = s;
		}
	}
	k = recs_mmr(p, cand, rel, n, 0.8, PICKS_MAX, out);
	free(rel);
	free(cand);
	return k;
}

static void add_row(struct row *rows, int *nrows, const char *id, const char *title,
		    const char *reason, const int *idx, int n, enum row_kind kind, int fixed)
{
	struct row *r = &rows[(*nrows)++];

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", id);
	r->title = sf_xstrdup(title);
	r->reason = reason ? sf_xstrdup(reason) : NULL;
	r->idx = sf_xmalloc((size_t)n * sizeof(int) + 1);
	memcpy(r->idx, idx, (size_t)n * sizeof(int));
	r->n = n;
	r->kind = kind;
	r->fixed = fixed;
}

/* Trending Now, Top 10 and My List, after rows[0..nrows); the new count. */
static int popular_rows(struct recs_pool *p, struct row *rows, int nrows, int *buf)
{
	add_row(rows, &nrows, "trending", "Trending Now", NULL, buf,
		from_list(p, "trending", 0, buf, 60), ROW_PLAIN, 0);
	add_row(rows, &nrows, "top10", "Top 10 Today", NULL, buf,
		from_list(p, "top10", 0, buf, 10), ROW_TOP10, 1);
	add_row(rows, &nrows, "my_list", "My List", NULL, buf,
		from_list(p, "my_list", 1, buf, 40), ROW_PLAIN, 1);
	return nrows;
}

/* New Releases and Top Rated, after rows[0..nrows); the new count. */
static int fresh_rows(struct recs_pool *p, struct row *rows, int nrows, int *buf)
{
	add_row(rows, &nrows, "new", "New Releases", NULL, buf,
		from_list(p, "new", 0, buf, 60), ROW_PLAIN, 0);
	add_row(rows, &nrows, "top_rated", "Top Rated", NULL, buf,
		from_list(p, "top_rated", 0, buf, 60), ROW_RATED, 0);
	return nrows;
}

static json_t *item(const struct recs_pool *p, const struct recs_title *t)
{
	json_t *g = json_array();

	for (int i = 0; i < t->ngenres; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%d", t->genres[i]);
		if (json_object_get(p->genre_names, id))
			json_array_append(g, json_object_get(p->genre_names, id));
	}
	return json_pack("{sIsssssosososo}", "title_id", (json_int_t)t->id, "title", t->title,
			 "kind", t->kind, "year", t->year ? json_integer(t->year) : json_null(),
			 "genres", g,
			 "poster_url", t->poster ? json_string(t->poster) : json_null(),
			 "backdrop_url", t->backdrop ? json_string(t->backdrop) : json_null());
}

/* Genres by the profile's affinity, or by popularity for a new one. */
static int genre_order(const struct recs_pool *p, int *gids, int max)
{
	double w[64];
	int n = 0;

	for (int l = 0; l < p->nlists && n < 64; l++) {
		const struct recs_list *li = &p->lists[l];
		double s = 0;
		int gid;

		if (strncmp(li->name, "g:", 2))
			continue;
		gid = atoi(li->name + 2);
		for (int i = 0; i < li->n && i < 10; i++)
			s += p->t[li->idx[i]].pop;
		w[n] = p->personal && gid >= 0 && gid < 1024 ? 1000 * p->gaff[gid] + s / 1000 : s;
		gids[n++] = gid;
	}
	for (int i = 1; i < n; i++)   /* insertion sort, best first */
		for (int j = i; j > 0 && w[j] > w[j - 1]; j--) {
			double tw = w[j];
			int tg = gids[j];

			w[j] = w[j - 1];
			w[j - 1] = tw;
			gids[j] = gids[j - 1];
			gids[j - 1] = tg;
		}
	return n < max ? n : max;
}

void homepage_rows(struct recs_pool *p, json_t **rows_out, json_t **hero_out)
{
	struct row rows[32];
	int nrows = 0, *buf = sf_xmalloc((size_t)(p->n + p->ne + 64) * sizeof(int));
	int npicks, nbecause = 0, gids[64], ng, hero = -1;
	int because_seed[BECAUSE_ROWS], nb_items[BECAUSE_ROWS];
	int *because_idx[BECAUSE_ROWS];
	char *claimed = sf_xcalloc((size_t)p->n + 1, 1);
	char title[400], reason[400];
	json_t *out = json_array(), *cw_ids = json_object();
	int *picks = sf_xmalloc(PICKS_MAX * sizeof(int));
	size_t i;
	json_t *it;

	npicks = top_picks(p, picks);

	for (int k = 0; k < p->nhist && nbecause < BECAUSE_ROWS; k++) {
		const struct recs_title *s = &p->t[p->hist[k]];
		int n;

		if (s->weight <= 0 || !s->title || !(s->done || s->stars >= 4))
			continue;
		because_idx[nbecause] = sf_xmalloc(PICKS_MAX * sizeof(int));
		n = because(p, p->hist[k], because_idx[nbecause]);
		if (n < ROW_MIN) {
			free(because_idx[nbecause]);
			continue;
		}
		because_seed[nbecause] = p->hist[k];
		nb_items[nbecause++] = n;
	}

	/* Display order. */
	snprintf(title, sizeof(title), "Top Picks for %s", p->profile_name);
	add_row(rows, &nrows, "top_picks", title, p->personal ? "Picked for you from what you "
		"watched" : "Popular on sf", picks, npicks, ROW_PLAIN, 0);
	for (int b = 0; b < nbecause; b++) {
		char id[32];

		if (b == 1)
			nrows = popular_rows(p, rows, nrows, buf);
		snprintf(id, sizeof(id), "because:%lld", p->t[because_seed[b]].id);
		snprintf(title, sizeof(title), "Because you watched %s", p->t[because_seed[b]].title);
		if (p->t[because_seed[b]].stars >= 4)
			snprintf(reason, sizeof(reason), "You rated it %d stars",
				 p->t[because_seed[b]].stars);
		else
			snprintf(reason, sizeof(reason), "You finished it");
		add_row(rows, &nrows, id, title, reason, because_idx[b], nb_items[b], ROW_PLAIN, 0);
		free(because_idx[b]);
		if (b == 1)
			nrows = fresh_rows(p, rows, nrows, buf);
	}
	if (nbecause < 2) {
		nrows = popular_rows(p, rows, nrows, buf);
		nrows = fresh_rows(p, rows, nrows, buf);
	}
	ng = genre_order(p, gids, GENRE_ROWS);
	for (int g = 0; g < ng; g++) {
		char list[32], id[32], gid[16];
		const char *name;
		double rel[64];
		int cand[64], n;

		snprintf(list, sizeof(list), "g:%d", gids[g]);
		snprintf(gid, sizeof(gid), "%d", gids[g]);
		n = from_list(p, list, 0, cand, 40);
		for (int k = 0; k < n; k++)
			rel[k] = 0.5 * p->t[cand[k]].popn + 0.5 * p->t[cand[k]].score;
		n = recs_mmr(p, cand, rel, n, 0.8, 40, buf);
		name = json_string_value(json_object_get(p->genre_names, gid));
		snprintf(id, sizeof(id), "genre:%d", gids[g]);
		snprintf(title, sizeof(title), "%s", name ? name : "Genre");
		snprintf(reason, sizeof(reason), p->personal ? "Because you like %s"
			 : "Popular in %s", name ? name : "this genre");
		add_row(rows, &nrows, id, title, reason, buf, n, ROW_PLAIN, 0);
	}

	/* Claims: Continue Watching, then the fixed rows, the hero, the rest. */
	json_array_foreach(p->cw, i, it) {
		int k = recs_pool_find(p, json_integer_value(json_object_get(it, "title_id")));

		if (k >= 0)
			claimed[k] = 1;
	}
	for (int pass = 0; pass < 2; pass++) {
		/* The hero: the best pick with artwork not already shown. */
		for (int k = 0; pass == 1 && k < npicks && hero < 0; k++)
			if (!claimed[picks[k]] && (p->t[picks[k]].poster || p->t[picks[k]].backdrop))
				claimed[hero = picks[k]] = 1;
		for (int r = 0; r < nrows; r++) {
			struct row *row = &rows[r];
			int keep = 0, max = row->kind == ROW_TOP10 ? 10 : SF_HOMEPAGE_ROW_ITEMS;

			if (row->fixed != (pass == 0))
				continue;
			for (int k = 0; k < row->n && keep < max; k++)
				if (!claimed[row->idx[k]]) {
					claimed[row->idx[k]] = 1;
					row->idx[keep++] = row->idx[k];
				}
			row->n = keep;
		}
	}

	if (json_array_size(p->cw))
		json_array_append_new(out, json_pack("{sssssnsO}", "id", "continue", "title",
						     "Continue Watching", "reason", "items", p->cw));
	for (int r = 0; r < nrows; r++) {
		struct row *row = &rows[r];
		json_t *items = json_array();

		for (int k = 0; k < row->n; k++) {
			const struct recs_title *t = &p->t[row->idx[k]];
			json_t *x = item(p, t);

			if (row->kind == ROW_TOP10)
				json_object_set_new(x, "rank", json_integer(t->top10));
			if (row->kind == ROW_RATED)
				json_object_set_new(x, "rating",
						    json_real((double)(long)(t->bayes * 100 + 0.5) / 100));
			json_array_append_new(items, x);
		}
		if (row->n)
			json_array_append_new(out, json_pack("{sssssoso}", "id", row->id, "title",
				row->title, "reason", row->reason ? json_string(row->reason) : json_null(),
				"items", items));
		else
			json_decref(items);
		free(row->title);
		free(row->reason);
		free(row->idx);
	}
	*hero_out = hero >= 0 ? item(p, &p->t[hero]) : json_null();
	if (hero >= 0)
		json_object_set_new(*hero_out, "reason", json_string(p->personal ? "Top pick for you"
								      : "Popular on sf"));
	*rows_out = out;
	json_decref(cw_ids);
	free(picks);
	free(claimed);
	free(buf);
}
