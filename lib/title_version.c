/*
 * title_version.c - the one path of every change to a title, its
 * versions, and rollback.
 *
 * record() is the tail every change shares: bump the version (unless the
 * title is new), rebuild the search document, read the title back, and
 * store it in title_versions and the audit log.  It compares the title
 * before and after, leaving out version and updated_at, so a change that
 * changed nothing is reported as SF_TITLE_UNCHANGED for the caller to roll
 * back.  The snapshot stored is the text sf_title_json() printed, as is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "text.h"
#include "title.h"
#include "title_version.h"
#include "xalloc.h"

/* 1 if a and b are the same title but for version and updated_at. */
static int same(const json_t *a, const json_t *b)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	int eq;

	json_object_del(x, "version");
	json_object_del(x, "updated_at");
	json_object_del(y, "version");
	json_object_del(y, "updated_at");
	eq = json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return eq;
}

static int record(struct sf_db *db, const struct sf_actor *actor, long long id,
		  const char *action, const char *note, unsigned flags, const json_t *old,
		  json_t **out)
{
	char sid[SF_INT_STR_MAX], ver[SF_INT_STR_MAX], acct[SF_INT_STR_MAX];
	char *text = NULL;
	json_t *new = NULL;
	int rc = 0;

	*out = NULL;
	sf_db_fmt_int(sid, id);
	if (old)
		rc = sf_db_query(db, NULL, "UPDATE titles SET version = version + 1,"
				 " updated_at = now() WHERE id = $1", SF_ARGS(sid));
	if (!rc && !(flags & SF_TITLE_DEFER_REINDEX))
		rc = sf_db_query(db, NULL, "SELECT sf_title_reindex($1)", SF_ARGS(sid));
	if (!rc)
		rc = sf_title_json(db, id, &text, &new);
	if (!rc && old && same(old, new))
		rc = SF_TITLE_UNCHANGED;
	if (!rc)
		rc = sf_db_query(db, NULL, "INSERT INTO title_versions (title_id, version, actor,"
				 " actor_account_id, action, note, snapshot)"
				 " VALUES ($1, $2, $3, $4, $5, $6, $7::json)",
				 SF_ARGS(sid, sf_db_fmt_int(ver, json_integer_value(
					 json_object_get(new, "version"))), actor->name,
					 actor->account_id ? sf_db_fmt_int(acct, actor->account_id)
					 : NULL, action, note, text));
	if (!rc)
		rc = sf_audit_record(db, actor, action, "title", id, old, new);
	free(text);
	if (rc) {
		json_decref(new);
		return rc;
	}
	*out = new;
	return 0;
}

int sf_title_created(struct sf_db *db, const struct sf_actor *actor, long long id,
		     const char *action, unsigned flags, json_t **out)
{
	json_t *new = NULL;
	int rc = record(db, actor, id, action, NULL, flags, NULL, &new);

	if (out)
		*out = new;
	else
		json_decref(new);
	return rc;
}

void sf_title_change_release(struct sf_title_change *c)
{
	json_decref(c->old);
	json_decref(c->new);
	c->old = c->new = NULL;
}

/* A title loaded in bulk (sf demo, or SQL) has no stored version yet:
 * store the one it is at before changing it, so that it can be rolled
 * back to.  Its author and the time of its making are not known. */
static int keep_untracked(struct sf_db *db, long long id, const json_t *old, const char *text)
{
	char sid[SF_INT_STR_MAX], ver[SF_INT_STR_MAX];

	return sf_db_query(db, NULL, "INSERT INTO title_versions (title_id, version, at, actor,"
			   " action, snapshot) SELECT t.id, $2, t.updated_at, 'unknown',"
			   " 'title.untracked', $3::json FROM titles t WHERE t.id = $1"
			   " ON CONFLICT (title_id, version) DO NOTHING",
			   SF_ARGS(sf_db_fmt_int(sid, id), sf_db_fmt_int(ver, json_integer_value(
				   json_object_get(old, "version"))), text));
}

int sf_title_change_in_tx(struct sf_db *db, const struct sf_actor *actor,
			  struct sf_title_change *c)
{
	char *text = NULL;
	int rc;

	sf_title_change_release(c);
	c->changed = 0;
	rc = sf_title_lock(db, c->ref, &c->id);
	if (!rc)
		rc = sf_title_json(db, c->id, &text, &c->old);
	if (!rc)
		rc = keep_untracked(db, c->id, c->old, text);
	free(text);
	if (!rc)
		rc = c->fn(db, c->id, c->old, c->arg);
	if (!rc)
		rc = record(db, actor, c->id, c->action, c->note, c->flags, c->old, &c->new);
	if (rc == SF_TITLE_UNCHANGED)
		c->new = json_incref(c->old);
	c->changed = rc == 0;
	return rc;
}

struct tx {
	const struct sf_actor *actor;
	struct sf_title_change *c;
};

static int change_tx(struct sf_db *db, void *arg)
{
	struct tx *t = arg;

	return sf_title_change_in_tx(db, t->actor, t->c);
}

int sf_title_change(struct sf_db *db, const struct sf_actor *actor, struct sf_title_change *c)
{
	struct tx t = { actor, c };
	int rc = sf_db_tx(db, 0, change_tx, &t);

	/* Nothing changed: the transaction was rolled back, and that is fine. */
	if (rc == SF_TITLE_UNCHANGED)
		return 0;
	if (rc)
		sf_title_change_release(c);
	return rc;
}

/* ---- history ---- */

int sf_title_history(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		     json_t **out)
{
	char sid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	long long id;
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_title_find(db, ref, &id)))
		return rc;
	/* changed: the keys of the form whose value differs from the version
	 * before, in the form's order. */
	rc = sf_db_query(db, &res, "SELECT v.version, sf_iso(v.at) AS at, v.actor, v.action,"
		" v.note, (SELECT coalesce(json_agg(e.k ORDER BY e.n), '[]')::text"
		"   FROM json_each(v.snapshot) WITH ORDINALITY AS e(k, val, n)"
		"   WHERE p.snapshot IS NOT NULL AND e.k NOT IN ('version', 'updated_at')"
		"     AND (p.snapshot::jsonb -> e.k) IS DISTINCT FROM e.val::jsonb) AS changed"
		" FROM title_versions v LEFT JOIN title_versions p"
		"   ON p.title_id = v.title_id AND p.version = v.version - 1"
		" WHERE v.title_id = $1 ORDER BY v.version DESC",
		SF_ARGS(sf_db_fmt_int(sid, id)));
	if (rc)
		return rc;
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *o = json_object();
		const char *note = sf_db_str(res, i, "note");

		json_object_set_new(o, "version", json_integer(sf_db_int(res, i, "version")));
		json_object_set_new(o, "at", json_string(sf_db_str(res, i, "at")));
		json_object_set_new(o, "actor", json_string(sf_db_str(res, i, "actor")));
		json_object_set_new(o, "action", json_string(sf_db_str(res, i, "action")));
		json_object_set_new(o, "note", note ? json_string(note) : json_null());
		json_object_set_new(o, "changed", json_loads(sf_db_str(res, i, "changed"), 0, NULL));
		json_array_append_new(*out, o);
	}
	PQclear(res);
	return 0;
}

/* The snapshot of version n of title id, or SF_ENOTFOUND naming ref. */
static int snapshot(struct sf_db *db, long long id, const char *ref, long long n, json_t **out)
{
	char sid[SF_INT_STR_MAX], sn[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	rc = sf_db_query(db, &res, "SELECT snapshot::text AS s FROM title_versions"
			 " WHERE title_id = $1 AND version = $2",
			 SF_ARGS(sf_db_fmt_int(sid, id), sf_db_fmt_int(sn, n)));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s': version %lld: not found (see 'sf title "
			      "history')", sf_text_quote(ref), n);
	if (!rc && !(*out = json_loads(sf_db_str(res, 0, "s"), 0, NULL)))
		rc = sf_error(SF_EINTERNAL, "title '%s': version %lld does not parse",
			      sf_text_quote(ref), n);
	PQclear(res);
	return rc;
}

int sf_title_version_get(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			 long long n, json_t **out)
{
	long long id;
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_title_find(db, ref, &id)))
		return rc;
	return snapshot(db, id, ref, n, out);
}

/* ---- rollback ---- */

struct rollback {
	const char *ref;
	long long n;
};

static int rollback_fn(struct sf_db *db, long long id, const json_t *old, void *arg)
{
	struct rollback *r = arg;
	struct sf_title_input in;
	json_t *snap = NULL;
	int rc;

	(void)old;
	rc = snapshot(db, id, r->ref, r->n, &snap);
	if (rc)
		return rc;
	sf_title_input_init(&in);
	rc = sf_title_input_from_json(&in, snap);
	/* A movie's snapshot has no seasons: a series made a movie again
	 * loses the seasons it got since. */
	if (!rc && !in.seasons)
		in.seasons = json_array();
	if (rc)
		rc = sf_error_wrap(rc, "version %lld", r->n);
	else
		rc = sf_title_apply(db, id, r->ref, &in);
	sf_title_input_release(&in);
	json_decref(snap);
	return rc;
}

int sf_title_rollback(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      long long n, json_t **out, int *changed)
{
	struct rollback r = { ref, n };
	char note[64];
	struct sf_title_change c = { .ref = ref, .action = "title.rollback", .note = note,
				     .fn = rollback_fn, .arg = &r };
	int rc;

	*out = NULL;
	*changed = 0;
	snprintf(note, sizeof(note), "to version %lld", n);
	if (n < 1)
		return sf_error(SF_EINVAL, "version '%lld': versions count from 1", n);
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_title_ref_check(ref)) || (rc = sf_title_change(db, actor, &c)))
		return rc;
	*out = json_incref(c.new);
	*changed = c.changed;
	sf_title_change_release(&c);
	return 0;
}
