/*
 * title_version.h - how a title changes, and its history.
 *
 * Every change to a title - its fields, status, genres, credits, seasons
 * or episodes, by any verb, by import or by rollback - runs through
 * sf_title_change(): in one transaction it locks the title row, makes the
 * change, bumps titles.version, rebuilds the search document
 * (sf_title_reindex), stores the title as it now is in title_versions
 * with the actor, the time and the action, and writes the audit entry
 * (entity type "title", the title before and after).  The lock makes
 * concurrent changes of one title queue up, so each gets its own version
 * number and none is lost.  A change that leaves the title exactly as it
 * was (a no-op edit, a re-import of the same record) makes no version and
 * no audit entry.
 *
 * history lists the versions; rollback re-applies an old version's
 * snapshot as a new version.
 */
#ifndef SF_TITLE_VERSION_H
#define SF_TITLE_VERSION_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

/* The caller rebuilds the search document itself, later in the same
 * transaction (a bulk import does it once for all its titles). */
#define SF_TITLE_DEFER_REINDEX 1u

struct sf_title_change {
	const char *ref;        /* the title */
	const char *action;     /* "title.edit", "season.add", ... */
	const char *note;       /* shown in the history ("to version 3"), or NULL */
	/* Makes the change to the locked title id; old is the title before.
	 * Returns 0 or a negative SF_E* code. */
	int (*fn)(struct sf_db *db, long long id, const json_t *old, void *arg);
	void *arg;
	unsigned flags;         /* SF_TITLE_DEFER_REINDEX */
	/* Results. */
	long long id;
	json_t *old, *new;      /* the title before and after */
	int changed;            /* 0: nothing changed and nothing was written */
};

/* Runs the change in a transaction of its own (retried on deadlock). */
int sf_title_change(struct sf_db *db, const struct sf_actor *actor, struct sf_title_change *c);

/* The same inside the caller's transaction.  Returns SF_TITLE_UNCHANGED
 * (positive) when nothing changed: the caller must then roll back what fn
 * did (import uses a savepoint). */
int sf_title_change_in_tx(struct sf_db *db, const struct sf_actor *actor,
			  struct sf_title_change *c);

void sf_title_change_release(struct sf_title_change *c);

/* For a title just created in this transaction: stores version 1, the
 * audit entry (action, no old object) and the search document (unless
 * flags has SF_TITLE_DEFER_REINDEX); *out is the new title (may be NULL). */
int sf_title_created(struct sf_db *db, const struct sf_actor *actor, long long id,
		     const char *action, unsigned flags, json_t **out);

/* The versions of a title, newest first: [{version, at, actor, action,
 * note, changed}], changed naming the fields of the form that differ
 * from the version before. */
int sf_title_history(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		     json_t **out);

/* The title as it was in version n. */
int sf_title_version_get(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			 long long n, json_t **out);

/* Makes the title as it was in version n again, as a new version (action
 * "title.rollback"); *changed is 0 when it already is. */
int sf_title_rollback(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      long long n, json_t **out, int *changed);

#endif
