/*
 * title.h - the titles of the catalog: movies and series.
 *
 * A title is named by a "ref": its numeric id ("42"), or its external id
 * (an IMDb or TMDB id) either plainly when it is not all digits
 * ("tt0068646") or after "ext:" ("ext:238", "ext:tt0068646").
 *
 * Its one JSON form is sf_title_json() in sql/0005_title_versions.sql;
 * every function here that returns a title returns that form.  Every
 * change goes through title_version.h, so it bumps the title's version,
 * stores the new version, writes an audit entry (entity type "title") and
 * rebuilds the search document, all in one transaction.  Changes need
 * SF_PERM_MANAGE_CATALOG.  An actor without it (a viewer) sees only the
 * titles viewers see (sf_title_visible: published, inside the
 * availability window); to it other titles do not exist.
 */
#ifndef SF_TITLE_H
#define SF_TITLE_H

#include <jansson.h>

#include "title_field.h"

struct sf_db;
struct sf_actor;

/* Returned by a change that turned out to change nothing (rolled back). */
#define SF_TITLE_UNCHANGED 1

struct sf_title_filter {
	const char *kind;        /* "movie", "series" or NULL */
	const char *genre;       /* a genre name, any case; unknown is SF_ENOTFOUND */
	const char *status;      /* "draft", "published", "archived" or NULL */
	long long year_from;     /* 0: open */
	long long year_to;       /* 0: open */
	int visible;             /* only titles viewers see now */
	const char *region;      /* with visible: as seen from there; alone: available there */
	const char *sort;        /* id (default), title, year, popularity, updated */
	long long page;          /* from 1 (default 1) */
	long long limit;         /* 1 to 1000 (default 20) */
};

/* Creates a title from in, which must give at least kind and title; *out
 * is the new title. */
int sf_title_add(struct sf_db *db, const struct sf_actor *actor,
		 const struct sf_title_input *in, json_t **out);

/* The title by ref. */
int sf_title_get(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		 json_t **out);

/* One page of titles: {items, total, page, pages}. */
int sf_title_list(struct sf_db *db, const struct sf_actor *actor,
		  const struct sf_title_filter *f, json_t **out);

/* Changes the fields in in (the rest stay as they are).  *changed is 0
 * when the title already was so: then no version is made. */
int sf_title_edit(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		  const struct sf_title_input *in, json_t **out, int *changed);

/* publish, archive (or back to draft); the same status again is
 * SF_ECONFLICT. */
int sf_title_set_status(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			const char *status, json_t **out);

/* Scheduled publishing: sets the availability window and regions given
 * in in (available_from, available_until, regions; at least one) and
 * publishes the title. */
int sf_title_schedule(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      const struct sf_title_input *in, json_t **out, int *changed);

/* Removes the title with its seasons, episodes, credits and versions;
 * the audit entry keeps it.  *old is the title as it was. */
int sf_title_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    json_t **old);

/* ---- for the catalog modules (season, credit, title_version, title_io) ---- */

/* SF_EINVAL when ref cannot name a title. */
int sf_title_ref_check(const char *ref);

/* Finds the title (whoever may see it). */
int sf_title_find(struct sf_db *db, const char *ref, long long *id);

/* Finds the title and locks its row for the transaction. */
int sf_title_lock(struct sf_db *db, const char *ref, long long *id);

/* The title's JSON form as text (caller frees) and parsed (caller decrefs);
 * either may be NULL. */
int sf_title_json(struct sf_db *db, long long id, char **text, json_t **out);

/* Applies in to the locked title id (named ref in errors): its columns,
 * then genres, credits and seasons when given.  Checks the result (a
 * series has no runtime, a movie no seasons, the window ends after it
 * starts). */
int sf_title_apply(struct sf_db *db, long long id, const char *ref,
		   const struct sf_title_input *in);

/* Inserts a bare title of in's kind and title (for add and import); *id
 * is the new id.  sf_title_apply then sets the rest. */
int sf_title_insert(struct sf_db *db, const struct sf_title_input *in, long long *id);

/* 1 if the actor may see every title (and change them). */
int sf_title_operator(const struct sf_actor *actor);

/* The WHERE condition of a filter over "titles t", with its parameters
 * $1..$SF_TITLE_FILTER_NPARAMS in params (valid while f and bufs are);
 * checks the filter first (SF_EINVAL, or SF_ENOTFOUND for a genre). */
#define SF_TITLE_FILTER_NPARAMS 7
int sf_title_filter_sql(struct sf_db *db, const struct sf_actor *actor,
			const struct sf_title_filter *f, const char **where,
			const char *params[SF_TITLE_FILTER_NPARAMS], char bufs[2][24]);

#endif
