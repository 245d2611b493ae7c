/*
 * homepage.h - a profile's personalized homepage: an ordered list of
 * rows, each with an id, a title, a reason and items, and a hero title.
 * ("home.h" is $SF_HOME; this is the screen.)
 *
 * The rows, in order (a row with no items is left out):
 *	continue      Continue Watching (watch.h's rules; series once, with
 *	              the episode to resume or next up)
 *	top_picks     Top Picks for NAME: the ranker's best, re-ranked by
 *	              maximal marginal relevance over genres
 *	because:ID    Because you watched X: titles similar to a title the
 *	              profile finished or rated 4 or 5 stars recently (up to
 *	              three such rows, for different titles)
 *	trending      Trending Now
 *	top10         Top 10 Today, each item with its rank
 *	my_list       My List
 *	new           New Releases
 *	top_rated     Top Rated (Bayesian average, at least 5 ratings)
 *	genre:ID      a row per genre, the genres the profile likes most
 *	              first (by its history; the most popular for a new
 *	              profile)
 * The hero is the best pick that has artwork (a poster or backdrop),
 * or null.
 *
 * Rules: every row shows only titles the profile may watch now (its
 * maturity limit, and availability from its region); titles it finished
 * or rated 1 or 2 stars, and titles in Continue Watching, are never
 * recommended (only Continue Watching and My List show them); no title
 * appears twice on the page (the hero, Continue Watching, Top 10 and My
 * List keep their titles and the other rows skip them), which covers the
 * first screenful (SF_HOMEPAGE_SCREEN_ROWS rows of
 * SF_HOMEPAGE_SCREEN_ITEMS items); a new profile gets popular rows made
 * diverse by genre, and the rows become personal with its first plays.
 *
 * Cache: the page is stored per profile, ranker and region with the
 * profile's generation (bumped by triggers on its progress, My List and
 * ratings: sql/0014_recs.sql) and the time of the last "sf recs build";
 * it is served while both are unchanged, the profile's maturity limit is
 * the same and it is younger than SF_HOMEPAGE_TTL seconds (so trending
 * and availability move on their own).
 *
 * JSON form:
 *	{profile_id, ranker, cached, generation,
 *	 hero: item | null,
 *	 rows: [{id, title, reason, items: [item...]}]}
 * item: {title_id, title, kind, year, genres, poster_url, backdrop_url}
 * (top10 adds rank, top_rated rating; Continue Watching items are
 * watch.h's JSON form with state and start).
 */
#ifndef SF_HOMEPAGE_H
#define SF_HOMEPAGE_H

#include <jansson.h>
#include <stdbool.h>

struct sf_db;
struct sf_actor;

#define SF_HOMEPAGE_SCREEN_ROWS 4
#define SF_HOMEPAGE_SCREEN_ITEMS 10
#define SF_HOMEPAGE_ROW_ITEMS 20
#define SF_HOMEPAGE_TTL 600

struct sf_homepage_query {
	const char *profile;   /* a profile ref */
	const char *ranker;    /* NULL: home.ranker from the viewer's experiment
				* (exp_param.h), else "hybrid" (recs.h) */
	const char *region;    /* a country code, or NULL */
	bool fresh;            /* compute it even when the cache is valid */
};

/* The homepage (JSON form above); caller json_decref()s *out.  Bad
 * ranker or region SF_EINVAL, unknown profile SF_ENOTFOUND, another
 * account's profile SF_EFORBIDDEN (as viewer.h). */
int sf_homepage(struct sf_db *db, const struct sf_actor *actor,
		const struct sf_homepage_query *q, json_t **out);

#endif
