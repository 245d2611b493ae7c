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
 * same as naming no title at all.
 */
#ifndef SF_VIEWER_H
#define SF_VIEWER_H

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

/* The viewer's maturity limit and region as the text parameters of
 * sf_title_viewable(t, $n, $n+1); valid while v and buf are. */
const char *sf_viewer_maturity(const struct sf_viewer *v, char buf[24]);
const char *sf_viewer_region(const struct sf_viewer *v);

#endif
