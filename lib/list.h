/*
 * list.h - My List: the titles a profile keeps to watch later.
 *
 * A profile's list holds each title at most once, in the profile's own
 * order: a title added goes to the top (so with no moves the list runs
 * from the most recently added down), and move and reorder change the
 * order.  When the profile finishes a title, its profile's list_on_finish
 * setting keeps the item, removes it, or moves it to the watched section
 * (sf_list_title_finished in sql/0009_my_list.sql, called by the watch
 * module); adding a watched title again brings it back to the top of the
 * list.
 *
 * Everything is done as a profile (viewer.h): only the titles it sees are
 * shown, counted in positions, or may be named.  Every change locks the
 * profile row first, so concurrent changes to one list queue up: two adds
 * of one title make one item and a conflict.  Changes are not audited:
 * they are a viewer's own, like watching.
 *
 * An item's JSON form is
 *	{position, title_id, title, kind, year, maturity, added_at, watched_at}
 * where position counts from 1 down the list (null in the watched
 * section) and watched_at is null in the list.  A list's form is
 *	{profile_id, profile, items: [...], watched: [...]}
 * with the watched section latest first.
 */
#ifndef SF_LIST_H
#define SF_LIST_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_LIST_FILTER_MAX 200   /* characters of a --filter */

/* The profile's list as it sees it (from region, when not NULL); with
 * filter, only titles whose name contains it (any case, accents
 * ignored), keeping their positions. */
int sf_list_show(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		 const char *region, const char *filter, json_t **out);

/* Adds the title to the top of the list; *out is the new item.  A title
 * already in the list is SF_ECONFLICT ("already in your list"). */
int sf_list_add(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		const char *title, json_t **out);

/* Removes the title from the list or the watched section; *out is the
 * item as it was.  A title in neither is SF_ENOTFOUND. */
int sf_list_remove(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *title, json_t **out);

/* Moves the title to position to (1 is the top; at most the number of
 * items) and returns the list.  A title in the watched section is
 * SF_ECONFLICT; a position out of range SF_EINVAL. */
int sf_list_move(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		 const char *title, long long to, json_t **out);

/* Puts the list in the order of titles[0..n) and returns it.  The titles
 * must be exactly the items of the list (as the profile sees it), each
 * once; anything else is SF_EINVAL (a title it does not see SF_ENOTFOUND)
 * and changes nothing. */
int sf_list_reorder(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		    const char *const *titles, int n, json_t **out);

/* Removes every item, watched ones and those the profile cannot see now
 * included; *removed is how many. */
int sf_list_clear(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		  long long *removed);

#endif
