/*
 * recs_eval.h - offline evaluation of the recommendation models on a
 * ratings file ("sf recs eval"): no database, plain C over the file.
 *
 * Every rating is an implicit interaction (the user chose to watch the
 * item).  Each user's interactions are split (time: the last 20% by
 * timestamp, at least one; random: a seeded random 20%, at least one;
 * users with fewer than 2 stay in training only), each model is trained
 * on the training set and recommends each test user the top K items it
 * has not trained on.  Models: popularity (training count), item-knn
 * (shrunk cosine as in recs.h, 50 neighbours an item), content (genre
 * profile, when item metadata is given) and hybrid (item-knn + 0.3
 * content + 0.1 popularity, each normalized per user).
 *
 * Metrics, averaged over test users: Recall@K = hits / |test|;
 * NDCG@K with binary relevance; coverage = distinct items recommended /
 * items; popularity bias = mean popularity percentile of the items
 * recommended (1 = the most popular item, 0 = the least).
 */
#ifndef SF_RECS_EVAL_H
#define SF_RECS_EVAL_H

#include <jansson.h>

#define SF_RECS_EVAL_KMAX 100

struct sf_recs_eval_spec {
	const char *ratings;   /* path */
	const char *format;    /* "movielens" (default) or "csv" */
	const char *split;     /* "time" (default) or "random" */
	const char *k;         /* "10,20" (default) */
	const char *items;     /* path of item metadata, or NULL */
	const char *seed;      /* default "1" */
};

/* Runs the evaluation.  *out: {users, items, train, test, models:
 * [{model, k, recall, ndcg, coverage, popularity_bias}]}.  A file that
 * cannot be read or a bad line is SF_EINVAL naming the file and line. */
int sf_recs_eval(const struct sf_recs_eval_spec *spec, json_t **out);

#endif
