/*
 * recs_pool.h - what the homepage and "sf recs for" rank: a profile's
 * history, and the candidate titles the precomputed models offer it
 * (neighbours of what it watched, trending, Top 10, top rated, new
 * releases, My List, the popular titles of each genre), each with its
 * scores.  Internal to lib/ (homepage.c, recs_read.c).
 *
 * Loading takes a handful of indexed queries whatever the catalog's
 * size; everything after is plain C over a few hundred titles.
 */
#ifndef SF_RECS_POOL_H
#define SF_RECS_POOL_H

#include <jansson.h>

struct sf_db;
struct sf_viewer;

#define RECS_GENRES_MAX 8

enum {
	RECS_OK = 1u,         /* the profile may watch it now */
	RECS_FINISHED = 2u,   /* finished: never recommended again */
	RECS_DISLIKED = 4u,   /* rated 1 or 2 stars */
	RECS_CONTINUE = 8u,   /* in Continue Watching */
	RECS_HISTORY = 16u,   /* the profile played or rated it */
};

struct recs_title {
	long long id;
	char *title, *kind, *poster, *backdrop;
	int year, top10, ngenres;
	int genres[RECS_GENRES_MAX];
	double pop, trend, bayes;       /* bayes < 0: fewer than 5 ratings */
	unsigned flags;
	/* The profile's history of it (RECS_HISTORY). */
	char *last_at;
	double weight;                  /* > 0: a seed of its recommendations */
	int done, stars;
	/* Scores for the profile, each from 0 to 1 over the pool. */
	double cf, content, popn, aff, score;
};

struct recs_edge {
	int seed, nb;   /* pool indexes */
	int cf;         /* 1: collaborative, 0: content */
	double s;
};

struct recs_list {
	char name[24];  /* "trending", "top10", "top_rated", "new", "my_list", "popular", "g:ID" */
	int *idx;
	int n;
};

struct recs_pool {
	long long profile_id;
	char *profile_name;
	struct recs_title *t;
	int n, cap;
	int *hash;      /* open addressing over ids: pool index + 1, 0 empty */
	int hcap;
	int *hist;      /* pool indexes of the history, most recent first */
	int nhist;
	struct recs_edge *e;
	int ne;
	struct recs_list *lists;
	int nlists;
	json_t *genre_names;   /* {"12": "Drama", ...} */
	json_t *cw;            /* Continue Watching, in watch.h's JSON form */
	double gaff[1024];     /* genre affinity by genre id (ids above 1023 ignored) */
	int personal;          /* the profile has history to personalize with */
};

/* Loads the pool of viewer v.  On failure the pool holds nothing. */
int recs_pool_load(struct sf_db *db, const struct sf_viewer *v, struct recs_pool *p);
void recs_pool_release(struct recs_pool *p);

/* Scores every title for ranker (checked by sf_recs_ranker_check). */
void recs_pool_rank(struct recs_pool *p, const char *ranker);

/* Whether a title may be recommended: the profile sees it and has not
 * finished, disliked or started it (Continue Watching). */
int recs_eligible(const struct recs_title *t);

/* The index of title id, or -1. */
int recs_pool_find(const struct recs_pool *p, long long id);

/* A named list, or NULL. */
const struct recs_list *recs_pool_list(const struct recs_pool *p, const char *name);

/* Genre similarity of two titles (Jaccard of their genres). */
double recs_genre_sim(const struct recs_title *a, const struct recs_title *b);

/* Maximal marginal relevance: picks up to max of the n candidates
 * idx (pool indexes) by lambda * rel - (1 - lambda) * the greatest genre
 * similarity to one picked before; rel[i] is candidate i's relevance.
 * Writes the picks to out and returns how many. */
int recs_mmr(const struct recs_pool *p, const int *idx, const double *rel, int n, double lambda,
	     int max, int *out);

#endif
