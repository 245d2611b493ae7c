/*
 * review.h - reviews of titles, and the votes that rank them.
 *
 * A profile writes at most one review of a title: writing again replaces
 * its text (created_at stays, updated_at moves).  A review's text has 1
 * to SF_REVIEW_MAX characters, not all blank; line breaks and tabs are
 * allowed, other control characters are not.  Other profiles vote a
 * review helpful or unhelpful, one vote each, which they may change or
 * take back; nobody votes on their own review.  Reviews rank by
 * helpfulness, the lower bound of the Wilson score interval (95%) of the
 * share of helpful votes, or newest first.
 *
 * Everything is done as a profile (viewer.h): it sees the reviews of the
 * titles it sees, except reviews with an open report (moderation.h) and
 * reviews by deleted accounts; its own reviews it always sees, marked
 * hidden while reported.  A review it does not see does not exist to it
 * (SF_ENOTFOUND).  Writing, editing, deleting and voting are a viewer's
 * own and not audited; moderation is.
 *
 * A review's JSON form is
 *	{id, title_id, title, profile_id, author, stars, body, helpful,
 *	 unhelpful, score, hidden, my_vote, created_at, updated_at}
 * with author the profile's name, stars the author's rating of the title
 * (null if none), score the Wilson bound (0 to 1), hidden whether it has
 * an open report, and my_vote the viewing profile's vote ("helpful",
 * "unhelpful" or null).
 */
#ifndef SF_REVIEW_H
#define SF_REVIEW_H

#include <jansson.h>

struct sf_db;
struct sf_actor;
struct sf_viewer;

#define SF_REVIEW_MAX 4000        /* characters of a review */
#define SF_REVIEW_LIMIT_DEFAULT 20
#define SF_REVIEW_LIMIT_MAX 100

struct sf_review_query {
	const char *profile;     /* as whom */
	const char *title;       /* the title's reviews; NULL: the profile's own reviews */
	const char *region;      /* NULL, or a country code */
	const char *sort;        /* "helpful" (default with a title) or "newest" */
	long long limit;         /* 1 to 100; 0: 20 */
	long long page;          /* from 1; 0: 1 */
};

/* Checks a review's text; SF_EINVAL naming it otherwise. */
int sf_review_check(const char *body);

/* Parses a review id; SF_EINVAL naming the value otherwise. */
int sf_review_parse_id(const char *text, long long *id);

/* One page of reviews: {title_id, sort, total, page, pages, items}
 * (title_id null for the profile's own reviews, newest first). */
int sf_review_list(struct sf_db *db, const struct sf_actor *actor,
		   const struct sf_review_query *q, json_t **out);

/* The review as the profile sees it. */
int sf_review_show(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *region, const char *id, json_t **out);

/* Writes the profile's review of the title, or replaces the text of the
 * one it has; *created says which. */
int sf_review_write(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		    const char *title, const char *body, json_t **out, int *created);

/* Replaces the text of the profile's own review id; someone else's is
 * SF_EFORBIDDEN. */
int sf_review_edit(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *id, const char *body, json_t **out);

/* Deletes the profile's own review id with its votes and reports; *old is
 * the review as it was. */
int sf_review_delete(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		     const char *id, json_t **old);

/* Votes "helpful" or "unhelpful" on review id, or takes the vote back
 * ("none"); *out is the review after.  On its own review SF_EINVAL. */
int sf_review_vote(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *id, const char *vote, json_t **out);

/* ---- for moderation.c ---- */

/* The review id as the viewer sees it, or (v NULL) as a moderator sees
 * it: every review.  SF_ENOTFOUND naming ref when there is none. */
int sf_review_load(struct sf_db *db, const struct sf_viewer *v, long long id, const char *ref,
		   json_t **out);

#endif
