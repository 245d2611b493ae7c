/*
 * recs.h - recommendation models: precomputing title neighbours,
 * popularity, trending, Top 10 and top rated ("sf recs build"), and
 * reading them: the titles similar to a title, and a profile's ranked
 * picks.
 *
 * The models (sql/0014_recs.sql holds their tables):
 *  - item-to-item collaborative filtering on implicit feedback: a
 *    profile's interaction with a title weighs 1 when it finished it (or
 *    any episode of a series) or rated it 4 or 5 stars, 0.5 when it only
 *    started it, and nothing when it rated it 1 or 2 stars; only each
 *    profile's SF_RECS_HISTORY most recent titles count.  The similarity
 *    of two titles is the cosine of their interaction vectors shrunk by
 *    co / (co + SF_RECS_SHRINK), co being how many profiles share them
 *    (at least 2); each title keeps its SF_RECS_NEIGHBOURS best.
 *  - content similarity, for titles with little history: shared genres
 *    (Jaccard, weight 0.5), shared people (0.3, full at 2) and era (0.2,
 *    exp(-years apart / 8)), among titles of the same first genre and
 *    decade near in popularity, and titles sharing a cast or crew member.
 *  - popularity: ln(1 + viewers) + 0.5 ln(1 + trend) + 0.2 ln(1 +
 *    catalog popularity); trending: each profile's latest play of the
 *    last 7 days, decayed with a half-life of 2 days; Top 10: the titles
 *    most profiles played in the last 24 hours; top rated: the Bayesian
 *    average (C * m + sum) / (C + n) with C = 5 and m the mean of all
 *    ratings, for titles with at least 5 ratings.
 *
 * Rankers (sf_recs_rankers): "hybrid" (the default: CF + content +
 * popularity + the profile's genre affinity), "popularity", "cf" and
 * "content".  The homepage (homepage.h) and "sf recs for" use them.
 */
#ifndef SF_RECS_H
#define SF_RECS_H

#include <jansson.h>
#include <stdbool.h>

struct sf_db;
struct sf_actor;

#define SF_RECS_NEIGHBOURS 30
#define SF_RECS_CONTENT_NEIGHBOURS 20
#define SF_RECS_HISTORY 50
#define SF_RECS_SHRINK 10
#define SF_RECS_MIN_RATINGS 5
#define SF_RECS_GENRE_TOP 100
#define SF_RECS_RANKER_DEFAULT "hybrid"

/* The ranker names, NULL-terminated. */
extern const char *const sf_recs_rankers[];

/* Checks a ranker name (NULL is the default); SF_EINVAL naming it. */
int sf_recs_ranker_check(const char *name, const char **out);

/* Called as the build goes: step is "interactions", "cf", "content",
 * "stats", "genres" or "store"; done of total within the step. */
typedef void sf_recs_progress_fn(void *arg, const char *step, long long done, long long total);

/* Rebuilds every precomputed table in one transaction (readers see the
 * old tables until it commits); incremental recomputes only the
 * neighbours of the titles touched since the last build (recs_build.c),
 * and is whole when there was none.  The actor needs
 * SF_PERM_MANAGE_CATALOG.  *out is {incremental, touched (null when
 * whole), titles, interactions, profiles, cf_neighbours,
 * content_neighbours, trending, top10, top_rated, milliseconds}.
 * progress may be NULL. */
int sf_recs_build(struct sf_db *db, const struct sf_actor *actor, bool incremental,
		  sf_recs_progress_fn *progress, void *arg, json_t **out);

/* The neighbours of a title viewers see: *out is {title_id, title,
 * items: [{title_id, title, kind, year, source, score}]}, best first, CF
 * neighbours before content ones, each title once; limit 1 to 100. */
int sf_recs_similar(struct sf_db *db, const struct sf_actor *actor, const char *title_ref,
		    const char *limit, json_t **out);

/* A profile's picks by ranker (NULL: the default): *out is {profile_id,
 * ranker, items: [{title_id, title, kind, year, genres, score, cf,
 * content, popularity, affinity}]}, the Top Picks of its homepage before
 * diversity re-ranking, best first; limit 1 to 100. */
int sf_recs_for(struct sf_db *db, const struct sf_actor *actor, const char *profile_ref,
		const char *ranker, const char *region, const char *limit, json_t **out);

#endif
