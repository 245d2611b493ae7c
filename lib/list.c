/*
 * list.c - My List: show, add, remove, move, reorder and clear.
 *
 * Every change runs in one transaction that opens the viewer with
 * SF_VIEWER_CHANGE, which locks the profile row: changes to one list
 * queue up, so each sees the list as the one before it left it.  Ranks
 * are rewritten 1..n by move and reorder, the items the profile sees in
 * their new order first and those it does not see (a title gone out of
 * its window, or above a lowered maturity limit) after them in their old
 * order; an add takes the rank below the smallest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "json.h"
#include "list.h"
#include "text.h"
#include "viewer.h"
#include "xalloc.h"

/* The items a viewer sees, the list by position then the watched section
 * latest first; $4 filters by name, $5 picks one title. */
#define ITEMS_SQL \
	"SELECT x.* FROM (SELECT CASE WHEN l.watched_at IS NULL THEN row_number() OVER (" \
	"   PARTITION BY l.watched_at IS NULL ORDER BY l.rank, l.added_at DESC, l.title_id DESC)" \
	"   END AS position, t.id AS title_id, t.title, t.kind, t.year," \
	"   sf_maturity_label(t.maturity) AS maturity, sf_iso(l.added_at) AS added_at," \
	"   sf_iso(l.watched_at) AS watched_at, l.watched_at AS w" \
	"  FROM list_items l JOIN titles t ON t.id = l.title_id" \
	"  WHERE l.profile_id = $1 AND sf_title_viewable(t, $2, $3)) x" \
	" WHERE ($4::text IS NULL OR strpos(sf_norm(x.title), sf_norm($4::text)) > 0)" \
	"   AND ($5::bigint IS NULL OR x.title_id = $5::bigint)" \
	" ORDER BY x.w IS NOT NULL, x.position, x.w DESC, x.title_id DESC"

/* The list section in order, every item, with whether the viewer sees it. */
#define ORDER_SQL \
	"SELECT l.title_id, sf_title_viewable(t, $2, $3) AS sees FROM list_items l" \
	" JOIN titles t ON t.id = l.title_id WHERE l.profile_id = $1 AND l.watched_at IS NULL" \
	" ORDER BY l.rank, l.added_at DESC, l.title_id DESC"

static json_t *int_or_null(const PGresult *res, int row, const char *col)
{
	return sf_db_isnull(res, row, col) ? json_null() : json_integer(sf_db_int(res, row, col));
}

static json_t *item_json(const PGresult *res, int row)
{
	json_t *o = json_object();

	json_object_set_new(o, "position", int_or_null(res, row, "position"));
	json_object_set_new(o, "title_id", json_integer(sf_db_int(res, row, "title_id")));
	json_object_set_new(o, "title", json_string(sf_db_str(res, row, "title")));
	json_object_set_new(o, "kind", json_string(sf_db_str(res, row, "kind")));
	json_object_set_new(o, "year", int_or_null(res, row, "year"));
	json_object_set_new(o, "maturity", json_string(sf_db_str(res, row, "maturity")));
	json_object_set_new(o, "added_at", json_string(sf_db_str(res, row, "added_at")));
	json_object_set_new(o, "watched_at", sf_json_str(sf_db_str(res, row, "watched_at")));
	return o;
}

/* Runs ITEMS_SQL for the viewer. */
static int items(struct sf_db *db, const struct sf_viewer *v, const char *filter,
		 long long title_id, PGresult **res)
{
	char pid[SF_INT_STR_MAX], mat[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];

	return sf_db_query(db, res, ITEMS_SQL,
			   SF_ARGS(sf_db_fmt_int(pid, v->profile_id), sf_viewer_maturity(v, mat),
				   sf_viewer_region(v), filter,
				   title_id ? sf_db_fmt_int(tid, title_id) : NULL));
}

/* The item of one title as JSON in *out; SF_ENOTFOUND when there is none. */
static int one_item(struct sf_db *db, const struct sf_viewer *v, long long title_id,
		    const char *ref, json_t **out)
{
	PGresult *res = NULL;
	int rc = items(db, v, NULL, title_id, &res);

	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s' is not in your list", sf_text_quote(ref));
	if (!rc)
		*out = item_json(res, 0);
	PQclear(res);
	return rc;
}

static int whole_list(struct sf_db *db, const struct sf_viewer *v, const char *filter,
		      json_t **out)
{
	PGresult *res = NULL;
	json_t *list, *watched;
	int rc = items(db, v, filter, 0, &res);

	if (rc)
		return rc;
	list = json_array();
	watched = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(sf_db_isnull(res, i, "watched_at") ? list : watched,
				      item_json(res, i));
	*out = json_object();
	json_object_set_new(*out, "profile_id", json_integer(v->profile_id));
	json_object_set_new(*out, "profile", json_string(v->name));
	json_object_set_new(*out, "items", list);
	json_object_set_new(*out, "watched", watched);
	PQclear(res);
	return 0;
}

int sf_list_show(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		 const char *region, const char *filter, json_t **out)
{
	struct sf_viewer v;
	int rc;

	*out = NULL;
	if (filter && (rc = sf_text_check("filter", filter, 1, SF_LIST_FILTER_MAX)))
		return rc;
	rc = sf_viewer_open(db, actor, profile, region, 0, &v);
	if (!rc)
		rc = whole_list(db, &v, filter, out);
	sf_viewer_release(&v);
	return rc;
}

/* ---- changes ---- */

struct change {
	const struct sf_actor *actor;
	const char *profile;
	const char *title;            /* add, remove, move */
	long long to;                 /* move */
	const char *const *titles;    /* reorder */
	int n;
	long long removed;            /* clear */
	json_t *out;
};

/* Rewrites the ranks of the list section: ids in order, then the rest. */
static int write_order(struct sf_db *db, const struct sf_viewer *v, const long long *ids,
		       int n)
{
	char pid[SF_INT_STR_MAX];
	size_t size = 3 + (size_t)n * SF_INT_STR_MAX, used = 0;
	char *arr = sf_xmalloc(size);
	int rc;

	arr[used++] = '{';
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(arr + used, size - used, "%s%lld", i ? "," : "", ids[i]);
	snprintf(arr + used, size - used, "}");
	rc = sf_db_query(db, NULL, "UPDATE list_items l SET rank = o.ord"
			 " FROM unnest($2::bigint[]) WITH ORDINALITY AS o (id, ord)"
			 " WHERE l.profile_id = $1 AND l.title_id = o.id",
			 SF_ARGS(sf_db_fmt_int(pid, v->profile_id), arr));
	free(arr);
	return rc;
}

/* The list section: *seen the ids the viewer sees in order (n_seen of
 * them), then the others; all n ids in *ids (caller frees). */
static int read_order(struct sf_db *db, const struct sf_viewer *v, long long **ids, int *n,
		      int *n_seen)
{
	char pid[SF_INT_STR_MAX], mat[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc, k = 0;

	*ids = NULL;
	*n = *n_seen = 0;
	rc = sf_db_query(db, &res, ORDER_SQL,
			 SF_ARGS(sf_db_fmt_int(pid, v->profile_id), sf_viewer_maturity(v, mat),
				 sf_viewer_region(v)));
	if (rc)
		return rc;
	*n = PQntuples(res);
	*ids = sf_xcalloc((size_t)*n + 1, sizeof(**ids));
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < *n; i++)
			if (sf_db_bool(res, i, "sees") == (pass == 0))
				(*ids)[k++] = sf_db_int(res, i, "title_id");
	for (int i = 0; i < *n; i++)
		*n_seen += sf_db_bool(res, i, "sees");
	PQclear(res);
	return 0;
}

/* 1 if the title's item is in the watched section. */
static int watched(struct sf_db *db, const struct sf_viewer *v, long long title_id)
{
	char pid[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int yes = 0;

	if (!sf_db_query(db, &res, "SELECT 1 FROM list_items WHERE profile_id = $1"
			 " AND title_id = $2 AND watched_at IS NOT NULL",
			 SF_ARGS(sf_db_fmt_int(pid, v->profile_id), sf_db_fmt_int(tid, title_id))))
		yes = PQntuples(res) > 0;
	PQclear(res);
	return yes;
}

static int not_in_list(struct sf_db *db, const struct sf_viewer *v, long long title_id,
		       const char *ref, int code)
{
	if (watched(db, v, title_id))
		return sf_error(code == SF_EINVAL ? SF_EINVAL : SF_ECONFLICT,
				"title '%s' is in your watched section, not your list; add it "
				"again to bring it back", sf_text_quote(ref));
	return sf_error(code, "title '%s' is not in your list", sf_text_quote(ref));
}

static int add_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char pid[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];
	struct sf_viewer v;
	PGresult *res = NULL;
	long long title_id;
	int rc;

	rc = sf_viewer_open_title(db, c->actor, c->profile, SF_VIEWER_CHANGE, c->title, &v,
				  &title_id);
	if (rc)
		goto out;
	sf_db_fmt_int(pid, v.profile_id);
	sf_db_fmt_int(tid, title_id);
	rc = sf_db_query(db, &res, "SELECT watched_at IS NOT NULL AS watched FROM list_items"
			 " WHERE profile_id = $1 AND title_id = $2", SF_ARGS(pid, tid));
	if (!rc && PQntuples(res) == 1 && !sf_db_bool(res, 0, "watched"))
		rc = sf_error(SF_ECONFLICT, "title '%s' is already in your list",
			      sf_text_quote(c->title));
	else if (!rc && PQntuples(res) == 1)   /* watched: back to the top */
		rc = sf_db_query(db, NULL, "UPDATE list_items SET watched_at = NULL,"
				 " added_at = now(), rank = (SELECT coalesce(min(rank), 1) - 1"
				 " FROM list_items WHERE profile_id = $1)"
				 " WHERE profile_id = $1 AND title_id = $2", SF_ARGS(pid, tid));
	else if (!rc)
		rc = sf_db_query(db, NULL, "INSERT INTO list_items (profile_id, title_id, rank)"
				 " SELECT $1, $2, coalesce(min(rank), 1) - 1 FROM list_items"
				 " WHERE profile_id = $1", SF_ARGS(pid, tid));
	if (rc == SF_ECONFLICT && !strcmp(sf_db_constraint(db), "list_items_pkey"))
		rc = sf_error(SF_ECONFLICT, "title '%s' is already in your list",
			      sf_text_quote(c->title));
	if (!rc)
		rc = one_item(db, &v, title_id, c->title, &c->out);
out:
	PQclear(res);
	sf_viewer_release(&v);
	return rc;
}

static int remove_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char pid[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];
	struct sf_viewer v;
	long long title_id;
	int rc;

	rc = sf_viewer_open_title(db, c->actor, c->profile, SF_VIEWER_CHANGE, c->title, &v,
				  &title_id);
	if (!rc)
		rc = one_item(db, &v, title_id, c->title, &c->out);
	if (!rc)
		rc = sf_db_query(db, NULL, "DELETE FROM list_items WHERE profile_id = $1"
				 " AND title_id = $2", SF_ARGS(sf_db_fmt_int(pid, v.profile_id),
							       sf_db_fmt_int(tid, title_id)));
	sf_viewer_release(&v);
	return rc;
}

static int move_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	struct sf_viewer v;
	long long title_id, *ids = NULL;
	int rc, n, seen, at = -1;

	rc = sf_viewer_open_title(db, c->actor, c->profile, SF_VIEWER_CHANGE, c->title, &v,
				  &title_id);
	if (!rc)
		rc = read_order(db, &v, &ids, &n, &seen);
	if (rc)
		goto out;
	for (int i = 0; i < seen; i++)
		if (ids[i] == title_id)
			at = i;
	if (at < 0) {
		rc = not_in_list(db, &v, title_id, c->title, SF_ENOTFOUND);
		goto out;
	}
	if (c->to < 1 || c->to > seen) {
		rc = sf_error(SF_EINVAL, "position '%lld': your list has %d title%s (1 to %d)",
			      c->to, seen, seen == 1 ? "" : "s", seen);
		goto out;
	}
	/* Take the title out and put it back at position to. */
	memmove(ids + at, ids + at + 1, (size_t)(seen - at - 1) * sizeof(*ids));
	memmove(ids + c->to, ids + c->to - 1, (size_t)(seen - c->to) * sizeof(*ids));
	ids[c->to - 1] = title_id;
	rc = write_order(db, &v, ids, n);
	if (!rc)
		rc = whole_list(db, &v, NULL, &c->out);
out:
	free(ids);
	sf_viewer_release(&v);
	return rc;
}

static int reorder_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	struct sf_viewer v;
	long long *ids = NULL, *want = sf_xcalloc((size_t)c->n + 1, sizeof(*want));
	int rc, n, seen;

	rc = sf_viewer_open(db, c->actor, c->profile, NULL, SF_VIEWER_CHANGE, &v);
	for (int i = 0; !rc && i < c->n; i++) {
		rc = sf_viewer_title(db, &v, c->titles[i], &want[i]);
		for (int j = 0; !rc && j < i; j++)
			if (want[j] == want[i])
				rc = sf_error(SF_EINVAL, "title '%s' is given twice; give each title "
					      "of your list once", sf_text_quote(c->titles[i]));
	}
	if (!rc)
		rc = read_order(db, &v, &ids, &n, &seen);
	for (int i = 0; !rc && i < c->n; i++) {
		int found = 0;

		for (int j = 0; j < seen; j++)
			found |= ids[j] == want[i];
		if (!found)
			rc = not_in_list(db, &v, want[i], c->titles[i], SF_EINVAL);
	}
	/* Every given title is in the list once: a missing one is left. */
	for (int j = 0; !rc && j < seen; j++) {
		int found = 0;

		for (int i = 0; i < c->n; i++)
			found |= ids[j] == want[i];
		if (!found)
			rc = sf_error(SF_EINVAL, "title '%lld' of your list is missing from the "
				      "order; give each title of your list once", ids[j]);
	}
	if (rc)
		goto out;
	memcpy(ids, want, (size_t)seen * sizeof(*ids));
	rc = write_order(db, &v, ids, n);
	if (!rc)
		rc = whole_list(db, &v, NULL, &c->out);
out:
	free(ids);
	free(want);
	sf_viewer_release(&v);
	return rc;
}

static int clear_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char pid[SF_INT_STR_MAX];
	struct sf_viewer v;
	PGresult *res = NULL;
	int rc;

	c->removed = 0;
	rc = sf_viewer_open(db, c->actor, c->profile, NULL, SF_VIEWER_CHANGE, &v);
	if (!rc)
		rc = sf_db_query(db, &res, "WITH d AS (DELETE FROM list_items WHERE profile_id = $1"
				 " RETURNING 1) SELECT count(*) AS n FROM d",
				 SF_ARGS(sf_db_fmt_int(pid, v.profile_id)));
	if (!rc)
		c->removed = sf_db_int(res, 0, "n");
	PQclear(res);
	sf_viewer_release(&v);
	return rc;
}

static int run(struct sf_db *db, int (*fn)(struct sf_db *, void *), struct change *c,
	       json_t **out)
{
	int rc = sf_viewer_tx(db, fn, c, &c->out);

	if (out)
		*out = c->out;
	return rc;
}

int sf_list_add(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		const char *title, json_t **out)
{
	struct change c = { .actor = actor, .profile = profile, .title = title };

	return run(db, add_tx, &c, out);
}

int sf_list_remove(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *title, json_t **out)
{
	struct change c = { .actor = actor, .profile = profile, .title = title };

	return run(db, remove_tx, &c, out);
}

int sf_list_move(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		 const char *title, long long to, json_t **out)
{
	struct change c = { .actor = actor, .profile = profile, .title = title, .to = to };

	return run(db, move_tx, &c, out);
}

int sf_list_reorder(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		    const char *const *titles, int n, json_t **out)
{
	struct change c = { .actor = actor, .profile = profile, .titles = titles, .n = n };

	return run(db, reorder_tx, &c, out);
}

int sf_list_clear(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		  long long *removed)
{
	struct change c = { .actor = actor, .profile = profile };
	int rc = run(db, clear_tx, &c, NULL);

	*removed = rc ? 0 : c.removed;
	return rc;
}
