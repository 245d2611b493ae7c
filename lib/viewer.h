/*
 * viewer.h - a profile acting as a viewer: who may act for it, and which
 * titles it sees.
 *
 * My List, ratings and reviews all belong to a profile.  An account acts
 * for its own profiles; acting for another account's profile needs
 * SF_PERM_MANAGE_ACCOUNTS (the operating-system user may act for any).
 * A profile sees a title when viewers see it (published, inside its
 * availability window, and in its regions when a region is given: see
 * sf_title_visible) and its maturity rating is within the profile's
 * limit (sf_title_viewable in sql/0009_my_list.sql).  To a profile, a
 * title it does not see does not exist: naming one is SF_ENOTFOUND, the
 * same as naming no title at all.  A change to My List, a rating or a
 * review runs as one transaction (sf_viewer_tx) that resolves the viewer
 * afresh, so a retry starts clean.
 */
#ifndef SF_VIEWER_H
#define SF_VIEWER_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

struct sf_viewer {
	long long profile_id;
	long long account_id;
	char *name;          /* the profile's name */
	int maturity;        /* its limit, a level of maturity.h */
	char region[3];      /* "" or a country code in upper case */
};

/* Flags of sf_viewer_open. */
#define SF_VIEWER_CHANGE 1u  /* a change: the account must not be deleted
			      * (SF_ECONFLICT), and the profile row is locked
			      * (FOR NO KEY UPDATE) until the transaction ends */

/* Resolves the profile ref (profile.h) as the viewer and checks that the
 * actor may act for it; region is NULL or a two-letter country code
 * (SF_EINVAL naming it otherwise).  On failure *v holds nothing to
 * release. */
int sf_viewer_open(struct sf_db *db, const struct sf_actor *actor, const char *profile_ref,
		   const char *region, unsigned flags, struct sf_viewer *v);
void sf_viewer_release(struct sf_viewer *v);

/* The id of the title ref names, if the viewer sees it; SF_ENOTFOUND
 * "title 'REF': not found" otherwise. */
int sf_viewer_title(struct sf_db *db, const struct sf_viewer *v, const char *ref,
		    long long *id);

/* sf_viewer_open (with no region), then sf_viewer_title for title_ref:
 * the viewer and the id of the title, if it sees it.  On failure *v holds
 * nothing to release and *title_id is 0. */
int sf_viewer_open_title(struct sf_db *db, const struct sf_actor *actor,
			 const char *profile_ref, unsigned flags, const char *title_ref,
			 struct sf_viewer *v, long long *title_id);

/* Runs fn(db, arg) as one transaction (sf_db_tx, which may run fn more
 * than once) that makes the JSON *result: before each run *result is
 * freed and set to NULL, so fn starts afresh; when the transaction fails,
 * what fn made is freed.  Returns what sf_db_tx returned; *result is the
 * caller's on success and NULL on failure. */
int sf_viewer_tx(struct sf_db *db, int (*fn)(struct sf_db *db, void *arg), void *arg,
		 json_t **result);

/* The viewer's maturity limit and region as the text parameters of
 * sf_title_viewable(t, $n, $n+1); valid while v and buf are. */
const char *sf_viewer_maturity(const struct sf_viewer *v, char buf[24]);
const char *sf_viewer_region(const struct sf_viewer *v);

#endif
