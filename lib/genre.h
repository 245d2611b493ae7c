/*
 * genre.h - the managed list of genres.
 *
 * Titles take genres only from this list (an unknown name is an error
 * naming it), so "Sci-Fi" and "Science Fiction" cannot both creep in by
 * typing.  A name has 1 to 40 characters, no ',' or '|' (they separate
 * genres in lists on the command line and in CSV), is not all digits, and
 * is unique without regard to case.  A genre is named by a ref: its id or
 * its name in any case.
 *
 * A genre prints as {id, name, titles}, titles counting the titles that
 * have it.  Changes need SF_PERM_MANAGE_CATALOG and are audited as
 * genre.add, genre.rename and genre.delete (entity type "genre").
 * Renaming changes the titles' JSON without making them a new version
 * (the title did not change, the list did); it rebuilds their search
 * documents.
 */
#ifndef SF_GENRE_H
#define SF_GENRE_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

/* A name taken in any case is SF_ECONFLICT. */
int sf_genre_add(struct sf_db *db, const struct sf_actor *actor, const char *name,
		 json_t **out);

/* Every genre, by name. */
int sf_genre_list(struct sf_db *db, json_t **out);

int sf_genre_get(struct sf_db *db, const char *ref, json_t **out);

/* A new name taken by another genre is SF_ECONFLICT; a change of case
 * alone is allowed. */
int sf_genre_rename(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    const char *name, json_t **out);

/* A genre some title has is SF_ECONFLICT.  *out is the genre as it was. */
int sf_genre_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    json_t **out);

#endif
