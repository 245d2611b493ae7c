/*
 * rating.h - ratings: 1 to 5 stars, one per profile and title.
 *
 * Rating a title again changes the rating.  Each title carries the count
 * and average of its ratings (titles.rating_count, rating_avg), kept
 * exact by a trigger in the same transaction as every rating change, a
 * purge's included (sql/0010_reviews.sql).  A profile rates, shows and
 * clears its ratings of the titles it sees only (viewer.h).  Ratings are
 * not audited: they are a viewer's own.
 *
 * A rating's JSON form is
 *	{profile_id, title_id, title, stars, rated_at, rating_avg, rating_count}
 * with stars and rated_at null when the profile has not rated the title,
 * and rating_avg (null with no ratings) and rating_count the title's.
 */
#ifndef SF_RATING_H
#define SF_RATING_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_RATING_MIN 1
#define SF_RATING_MAX 5

/* Parses "1".."5"; SF_EINVAL naming the value otherwise. */
int sf_rating_parse(const char *text, int *stars);

/* Sets the profile's rating of the title; *out is the rating after. */
int sf_rating_set(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		  const char *title, int stars, json_t **out);

/* Removes it; *out is the rating after (stars null).  No rating to
 * clear is SF_ENOTFOUND. */
int sf_rating_clear(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		    const char *title, json_t **out);

/* The profile's rating of the title (stars null if none) and the
 * title's average. */
int sf_rating_get(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		  const char *title, json_t **out);

#endif
