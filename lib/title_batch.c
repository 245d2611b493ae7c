/*
 * title_batch.c - stage a batch of checked import records with COPY and
 * apply it with sf_title_import_batch() (sql/0008_title_import.sql).
 *
 * Each record becomes one COPY line: its place in the batch, its line in
 * the input, and its checked input as JSON ({cols, genres, credits,
 * seasons}; a part not given is null).  The batch runs in a savepoint, so
 * a batch the database refuses leaves nothing behind and the caller can
 * apply the same records one by one to find the bad one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "title_batch.h"
#include "xalloc.h"

void sf_title_batch_init(struct sf_title_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void sf_title_batch_clear(struct sf_title_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		json_decref(b->items[i].rec);
	for (size_t i = 0; i < b->ext_cap; i++) {
		free(b->ext[i]);
		b->ext[i] = NULL;
	}
	b->n = b->len = b->ext_n = 0;
}

void sf_title_batch_release(struct sf_title_batch *b)
{
	sf_title_batch_clear(b);
	free(b->items);
	free(b->copy);
	free(b->ext);
	memset(b, 0, sizeof(*b));
}

/* ---- the set of external ids ---- */

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of ext: where it is, or the empty one where it would go. */
static size_t slot(char *const *set, size_t cap, const char *ext)
{
	size_t i = hash(ext) & (cap - 1);

	while (set[i] && strcmp(set[i], ext))
		i = (i + 1) & (cap - 1);
	return i;
}

int sf_title_batch_has(const struct sf_title_batch *b, const char *ext)
{
	return b->ext_cap && b->ext[slot(b->ext, b->ext_cap, ext)];
}

static void ext_add(struct sf_title_batch *b, const char *ext)
{
	if (2 * (b->ext_n + 1) > b->ext_cap) {
		size_t cap = b->ext_cap ? 2 * b->ext_cap : 4096;
		char **set = sf_xcalloc(cap, sizeof(*set));

		for (size_t i = 0; i < b->ext_cap; i++)
			if (b->ext[i])
				set[slot(set, cap, b->ext[i])] = b->ext[i];
		free(b->ext);
		b->ext = set;
		b->ext_cap = cap;
	}
	size_t i = slot(b->ext, b->ext_cap, ext);

	if (!b->ext[i]) {
		b->ext[i] = sf_xstrdup(ext);
		b->ext_n++;
	}
}

/* ---- adding ---- */

static void put(struct sf_title_batch *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->size) {
		while (b->len + n + 1 > b->size)
			b->size = b->size ? 2 * b->size : 1 << 20;
		b->copy = sf_xrealloc(b->copy, b->size);
	}
	memcpy(b->copy + b->len, s, n);
	b->len += n;
}

void sf_title_batch_add(struct sf_title_batch *b, long long line, json_t *rec,
			const struct sf_title_input *in)
{
	const char *ext = json_string_value(json_object_get(in->cols, "external_id"));
	json_t *staged = json_pack("{s:O, s:O?, s:O?, s:O?}", "cols", in->cols,
				   "genres", in->genres, "credits", in->credits,
				   "seasons", in->seasons);
	char *text = sf_json_dump(staged), head[64];
	const char *p, *q;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->items = sf_xrealloc(b->items, b->cap * sizeof(*b->items));
	}
	b->items[b->n] = (struct sf_title_batch_item){ line, json_incref(rec), 0 };
	put(b, head, (size_t)snprintf(head, sizeof(head), "%zu\t%lld\t", b->n, line));
	b->n++;
	/* COPY's text format: a backslash is written twice.  Compact JSON
	 * has no raw tab or line break (they are escaped in strings). */
	for (p = text; (q = strchr(p, '\\')); p = q + 1) {
		put(b, p, (size_t)(q - p) + 1);
		put(b, "\\", 1);
	}
	put(b, p, strlen(p));
	put(b, "\n", 1);
	free(text);
	json_decref(staged);
	if (ext)
		ext_add(b, ext);
}

int sf_title_batch_full(const struct sf_title_batch *b)
{
	return b->n >= SF_TITLE_BATCH_RECORDS || b->len >= SF_TITLE_BATCH_BYTES;
}

/* ---- applying ---- */

int sf_title_batch_begin(struct sf_db *db)
{
	return sf_db_query(db, NULL, "SELECT sf_title_import_begin()", SF_NOARGS);
}

static int apply(struct sf_db *db, const struct sf_actor *actor, const char *action,
		 struct sf_title_batch *b)
{
	char acct[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	rc = sf_db_copy_in(db, "COPY sf_import_stage (ord, line, rec) FROM STDIN", b->copy, b->len);
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT ord, outcome FROM sf_title_import_batch($1, $2, $3)",
				 SF_ARGS(actor->name, actor->account_id
					 ? sf_db_fmt_int(acct, actor->account_id) : NULL, action));
	for (int i = 0; !rc && i < PQntuples(res); i++) {
		long long ord = sf_db_int(res, i, "ord");
		const char *o = sf_db_str(res, i, "outcome");

		if (ord < 0 || (size_t)ord >= b->n)
			rc = sf_error(SF_EINTERNAL, "import: a batch answered for record %lld", ord);
		else
			b->items[ord].outcome = !strcmp(o, "added") ? SF_TITLE_BATCH_ADDED
					      : !strcmp(o, "updated") ? SF_TITLE_BATCH_UPDATED
					      : SF_TITLE_BATCH_UNCHANGED;
	}
	PQclear(res);
	if (!rc)
		rc = sf_db_exec(db, "TRUNCATE sf_import_stage");
	return rc;
}

int sf_title_batch_apply(struct sf_db *db, const struct sf_actor *actor, const char *action,
			 struct sf_title_batch *b)
{
	int rc;

	if (b->n == 0)
		return 0;
	rc = sf_db_exec(db, "SAVEPOINT sf_batch");
	if (rc)
		return rc;
	rc = apply(db, actor, action, b);
	if (rc) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", sf_error_message());
		sf_db_exec(db, "ROLLBACK TO SAVEPOINT sf_batch");
		sf_error(rc, "%s", msg);
	}
	/* After a rollback too: the savepoint stays until released. */
	if (sf_db_exec(db, "RELEASE SAVEPOINT sf_batch") && !rc)
		rc = sf_error(SF_EINTERNAL, "import: %s", sf_error_message());
	return rc;
}
