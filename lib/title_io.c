/*
 * title_io.c - import titles from JSON or CSV, export them as JSON, JSON
 * lines or CSV.
 *
 * Import reads one record at a time (a small scanner finds where each
 * JSON object of an array or of JSON lines starts and ends, so an error
 * can name its line; CSV comes from csv.c), turns it into a record in the
 * title's JSON form and checks it (sf_title_input_from_json).  Checked
 * records gather in a batch of title_batch.c, applied set-based when it
 * is full.  A batch the database refuses is rolled back and its records
 * are applied one by one, each in a savepoint of the one import
 * transaction: added with sf_title_insert/sf_title_apply, or, when its
 * external id is known, as a change of that title through
 * sf_title_change_in_tx (which finds out when nothing changed); so the
 * bad record is found and named with its line.  A record that fails its
 * check first lets the records before it be applied, so errors come in
 * the order of the input.  A record whose external id is already in the
 * batch waits for the next batch: it then updates the title the earlier
 * one made, as it would one record at a time.
 *
 * Export is a cursor over sf_title_json(), fetched a hundred rows at a
 * time, so memory stays flat however large the catalog.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actor.h"
#include "csv.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "log.h"
#include "text.h"
#include "title.h"
#include "title_batch.h"
#include "title_field.h"
#include "title_io.h"
#include "title_version.h"
#include "xalloc.h"

/* A dry run's transaction ends here: rolled back, but not a failure. */
#define DRY_RUN_DONE 2

int sf_title_format_parse(const char *name, enum sf_title_format *out)
{
	if (!strcmp(name, "json"))
		*out = SF_FORMAT_JSON;
	else if (!strcmp(name, "jsonl"))
		*out = SF_FORMAT_JSONL;
	else if (!strcmp(name, "csv"))
		*out = SF_FORMAT_CSV;
	else
		return sf_error(SF_EINVAL, "format '%s': not one of json, jsonl, csv",
				sf_text_quote(name));
	return 0;
}

/* ---- reading JSON records ---- */

struct jreader {
	FILE *fp;
	long long line;
	int mode;        /* 0: not started, 1: inside an array, 2: JSON lines */
	int done;
	char *buf;
	size_t len, cap;
};

static int jgetc(struct jreader *r)
{
	int c = getc_unlocked(r->fp);

	if (c == '\n')
		r->line++;
	return c;
}

static int skip_space(struct jreader *r)
{
	int c;

	do
		c = jgetc(r);
	while (c == ' ' || c == '\t' || c == '\r' || c == '\n');
	return c;
}

static void jput(struct jreader *r, char c)
{
	if (r->len == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4096;
		r->buf = sf_xrealloc(r->buf, r->cap);
	}
	r->buf[r->len++] = c;
}

/* The next record: 1 with its text in r->buf (r->len bytes) and *line, 0
 * at the end, or an error about the stream (after which no record can be
 * found), r->line saying where.  The object is not parsed here. */
static int jnext(struct jreader *r, long long *line)
{
	int c, depth = 1, in_string = 0, escaped = 0, have = 0;

	if (r->done)
		return 0;
	c = skip_space(r);
	if (r->mode == 0) {
		if (c == 0xef && jgetc(r) == 0xbb && jgetc(r) == 0xbf)
			c = skip_space(r);
		if (c == EOF) {
			r->done = 1;
			return 0;
		}
		if (c == '[') {
			r->mode = 1;
			c = skip_space(r);
			if (c == ']')
				goto trailing;
		} else if (c == '{') {
			r->mode = 2;
		} else {
			return sf_error(SF_EINVAL, "not JSON: titles come as an array or as JSON "
					"lines (for CSV give --format csv)");
		}
	}
	if (c == EOF && r->mode == 2) {
		r->done = 1;
		return 0;
	}
	if (c != '{')
		return sf_error(SF_EINVAL, "%s", c == EOF ? "the array is not closed with ']'"
				: "expected a title (a JSON object)");
	*line = r->line;
	r->len = 0;
	jput(r, '{');
	while (depth > 0) {
		c = jgetc(r);
		if (c == EOF) {
			r->line = *line;
			return sf_error(SF_EINVAL, "the title starting here is not closed");
		}
		jput(r, (char)c);
		if (in_string) {
			if (escaped)
				escaped = 0;
			else if (c == '\\')
				escaped = 1;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	have = 1;
	if (r->mode == 1) {
		c = skip_space(r);
		if (c == ']')
			goto trailing;
		if (c != ',')
			return sf_error(SF_EINVAL, "expected ',' or ']' after the title");
	}
	return 1;
trailing:
	r->done = 1;
	c = skip_space(r);
	if (c != EOF)
		return sf_error(SF_EINVAL, "text after the array's closing ']'");
	return have;
}

/* ---- import ---- */

struct import {
	struct sf_db *db;
	const struct sf_actor *actor;
	FILE *fp;
	const struct sf_title_import_opts *o;
	struct sf_title_import_result *r;
	long long size;
	struct sf_title_batch batch;
	int analyzed;        /* the catalog's statistics were renewed */
	long long *touched;  /* the titles added or changed one by one, to reindex */
	size_t ntouched, cap;
};

static void touch(struct import *im, long long id)
{
	if (im->ntouched == im->cap) {
		im->cap = im->cap ? 2 * im->cap : 256;
		im->touched = sf_xrealloc(im->touched, im->cap * sizeof(*im->touched));
	}
	im->touched[im->ntouched++] = id;
}

/* Rebuilds the search documents of the titles the import touched one by
 * one (a batch rebuilds its own). */
static int reindex(struct import *im)
{
	char *ids;
	size_t len = 0;
	int rc;

	if (im->ntouched == 0)
		return 0;
	ids = sf_xmalloc(im->ntouched * SF_INT_STR_MAX + 3);
	ids[len++] = '{';
	for (size_t i = 0; i < im->ntouched; i++)
		len += (size_t)sprintf(ids + len, "%s%lld", i ? "," : "", im->touched[i]);
	ids[len++] = '}';
	ids[len] = '\0';
	rc = sf_db_query(im->db, NULL, "SELECT sf_title_reindex_many($1::bigint[])", SF_ARGS(ids));
	free(ids);
	return rc;
}

static int apply_fn(struct sf_db *db, long long id, const json_t *old, void *arg)
{
	return sf_title_apply(db, id, json_string_value(json_object_get(old, "title")), arg);
}

/* Applies one record in a savepoint: 0 (done), or the record's error. */
static int apply_record(struct import *im, const json_t *rec)
{
	struct sf_title_input in;
	const char *ext;
	PGresult *res = NULL;
	char ref[SF_INT_STR_MAX] = "";
	long long id;
	int rc;

	sf_title_input_init(&in);
	rc = sf_title_input_from_json(&in, rec);
	if (rc)
		goto out;
	ext = json_string_value(json_object_get(in.cols, "external_id"));
	rc = sf_db_exec(im->db, "SAVEPOINT sf_import");
	if (!rc && ext)
		rc = sf_db_query(im->db, &res, "SELECT id FROM titles WHERE external_id = $1",
				 SF_ARGS(ext));
	if (!rc && res && PQntuples(res) == 1)
		snprintf(ref, sizeof(ref), "%s", sf_db_str(res, 0, "id"));
	if (!rc && *ref) {
		struct sf_title_change c = { .ref = ref, .action = "title.import", .fn = apply_fn,
					     .arg = &in, .flags = SF_TITLE_DEFER_REINDEX };

		rc = sf_title_change_in_tx(im->db, im->actor, &c);
		sf_title_change_release(&c);
		if (rc == SF_TITLE_UNCHANGED) {
			im->r->unchanged++;
			rc = sf_db_exec(im->db, "ROLLBACK TO SAVEPOINT sf_import");
		} else if (!rc) {
			im->r->updated++;
			touch(im, strtoll(ref, NULL, 10));
		}
	} else if (!rc) {
		rc = sf_title_insert(im->db, &in, &id);
		if (!rc)
			rc = sf_title_apply(im->db, id, json_string_value(json_object_get(in.cols,
										  "title")), &in);
		if (!rc)
			rc = sf_title_created(im->db, im->actor, id, "title.import",
					      SF_TITLE_DEFER_REINDEX, NULL);
		if (!rc) {
			im->r->added++;
			touch(im, id);
		}
	}
	if (rc) {
		/* Keep the transaction usable for the next record. */
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", sf_error_message());
		sf_db_exec(im->db, "ROLLBACK TO SAVEPOINT sf_import");
		sf_error(rc, "%s", msg);
	} else {
		rc = sf_db_exec(im->db, "RELEASE SAVEPOINT sf_import");
	}
out:
	PQclear(res);
	sf_title_input_release(&in);
	return rc;
}

/* Counts a bad record; 0 to go on, or the error to stop at. */
static int bad_record(struct import *im, long long line, int rc)
{
	json_t *e = json_object();
	char *msg = sf_xasprintf("%s:%lld: %s", im->o->name, line, sf_error_message());

	json_object_set_new(e, "line", json_integer(line));
	json_object_set_new(e, "error", json_string(sf_error_message()));
	json_object_set_new(e, "status", json_integer(sf_error_exit_status(rc)));
	json_array_append_new(im->r->errors, e);
	im->r->failed++;
	sf_error(rc, "%s", msg);
	free(msg);
	return im->o->continue_on_error ? 0 : rc;
}

/* After the first batch that adds this many titles, the statistics of
 * the catalog's tables are renewed, once an import. */
#define ANALYZE_AT 500

/* Applies the batch, or its records one by one when the database refuses
 * it; 0, or the error to stop at. */
static int flush(struct import *im)
{
	struct sf_title_batch *b = &im->batch;
	int rc = sf_title_batch_apply(im->db, im->actor, "title.import", b);

	if (!rc) {
		long long added = 0;

		im->r->batched += (long long)b->n;
		for (size_t i = 0; i < b->n; i++) {
			int o = b->items[i].outcome;

			added += o == SF_TITLE_BATCH_ADDED;
			im->r->updated += o == SF_TITLE_BATCH_UPDATED;
			im->r->unchanged += o == SF_TITLE_BATCH_UNCHANGED;
		}
		im->r->added += added;
		/* A catalog that was empty or small has grown past what the
		 * planner knows: without fresh statistics the next batches would
		 * be planned for empty tables (one scan of a table a title). */
		if (!im->analyzed && added >= ANALYZE_AT) {
			im->analyzed = 1;
			rc = sf_db_exec(im->db, "ANALYZE titles, title_genres, people, credits, seasons,"
					" episodes, title_versions, search_prefixes, search_words");
		}
	} else {
		sf_debug("import: batch of %zu records refused (%s); one by one", b->n,
			 sf_error_message());
		rc = 0;
		for (size_t i = 0; !rc && i < b->n; i++) {
			rc = apply_record(im, b->items[i].rec);
			if (rc)
				rc = bad_record(im, b->items[i].line, rc);
		}
	}
	sf_title_batch_clear(b);
	return rc;
}

/* Takes one record read at line: checked, then batched.  0, or the error
 * of the record (or of one before it) to report. */
static int take(struct import *im, long long line, json_t *rec)
{
	struct sf_title_input in;
	const char *ext;
	int rc;

	sf_title_input_init(&in);
	rc = sf_title_input_from_json(&in, rec);
	if (rc) {
		/* The records before this one come first. */
		char msg[1024];
		int stop;

		snprintf(msg, sizeof(msg), "%s", sf_error_message());
		stop = flush(im);
		sf_title_input_release(&in);
		if (stop)
			return stop;
		sf_error(rc, "%s", msg);
		return bad_record(im, line, rc);
	}
	ext = json_string_value(json_object_get(in.cols, "external_id"));
	if (ext && sf_title_batch_has(&im->batch, ext))
		rc = flush(im);
	if (!rc)
		sf_title_batch_add(&im->batch, line, rec, &in);
	if (!rc && sf_title_batch_full(&im->batch))
		rc = flush(im);
	sf_title_input_release(&in);
	return rc;
}

static void progress(struct import *im, int force)
{
	if (im->o->progress && (force || im->r->records % 20 == 0))
		im->o->progress(im->o->arg, ftell(im->fp), im->size);
}

static int read_json(struct import *im)
{
	struct jreader jr = { .fp = im->fp, .line = 1 };
	long long line = 0;
	int rc, more;

	rc = 0;
	while (!rc && (more = jnext(&jr, &line)) == 1) {
		json_error_t err;
		json_t *rec = json_loadb(jr.buf, jr.len, 0, &err);

		im->r->records++;
		if (rec) {
			rc = take(im, line, rec);
		} else {
			/* The records before it come first. */
			char msg[1024];

			snprintf(msg, sizeof(msg), "not valid JSON: %s", err.text);
			rc = flush(im);
			if (!rc) {
				sf_error(SF_EINVAL, "%s", msg);
				rc = bad_record(im, line + (err.line > 1 ? err.line - 1 : 0), SF_EINVAL);
			}
		}
		json_decref(rec);
		progress(im, 0);
	}
	if (!rc && more >= 0)
		rc = flush(im);
	/* A broken stream: no record can be found after it. */
	if (!rc && more < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", sf_error_message());
		rc = flush(im);
		if (!rc)
			rc = sf_error_wrap(sf_error(more, "%s", msg), "%s:%lld", im->o->name, jr.line);
	}
	free(jr.buf);
	return rc;
}

static int read_csv(struct import *im)
{
	struct sf_csv csv;
	char **header = NULL;
	size_t ncols = 0, n;
	long long line = 0;
	int rc = 0, more;

	sf_csv_init(&csv, im->fp);
	more = sf_csv_next(&csv, &ncols, &line);
	if (more <= 0)
		goto out;   /* an empty file: nothing to import */
	header = sf_xcalloc(ncols, sizeof(*header));
	for (size_t i = 0; !rc && i < ncols; i++) {
		json_t *v = NULL;

		header[i] = sf_xstrdup(sf_csv_field(&csv, i));
		for (size_t k = 0; !rc && k < i; k++)
			if (!strcmp(header[k], header[i]))
				rc = sf_error(SF_EINVAL, "%s:%lld: column '%s' given twice",
					      im->o->name, line, sf_text_quote(header[i]));
		if (!rc && sf_title_field_from_csv(header[i], "", &v))
			rc = sf_error(SF_EINVAL, "%s:%lld: unknown column '%s'", im->o->name, line,
				      sf_text_quote(header[i]));
		json_decref(v);
	}
	while (!rc && (more = sf_csv_next(&csv, &n, &line)) == 1) {
		json_t *rec = json_object();

		im->r->records++;
		if (n != ncols)
			rc = sf_error(SF_EINVAL, "%zu field%s, but the header has %zu", n,
				      n == 1 ? "" : "s", ncols);
		for (size_t i = 0; !rc && i < ncols; i++) {
			json_t *v = NULL;

			rc = sf_title_field_from_csv(header[i], sf_csv_field(&csv, i), &v);
			if (v)
				json_object_set_new(rec, header[i], v);
		}
		if (!rc) {
			rc = take(im, line, rec);
		} else {
			char msg[1024];
			int code = rc;

			snprintf(msg, sizeof(msg), "%s", sf_error_message());
			rc = flush(im);
			if (!rc) {
				sf_error(code, "%s", msg);
				rc = bad_record(im, line, code);
			}
		}
		json_decref(rec);
		progress(im, 0);
	}
out:
	if (!rc && more >= 0)
		rc = flush(im);
	if (!rc && more < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", sf_error_message());
		rc = flush(im);
		if (!rc)
			rc = sf_error_wrap(sf_error(more, "%s", msg), "%s:%lld", im->o->name,
					   csv.error_line);
	}
	for (size_t i = 0; header && i < ncols; i++)
		free(header[i]);
	free(header);
	sf_csv_release(&csv);
	return rc;
}

static int import_tx(struct sf_db *db, void *arg)
{
	struct import *im = arg;
	int rc;

	(void)db;
	/* From the start, should the transaction be tried again. */
	json_array_clear(im->r->errors);
	im->r->records = im->r->added = im->r->updated = im->r->unchanged = im->r->failed = 0;
	im->r->batched = 0;
	if (fseek(im->fp, 0, SEEK_SET) != 0)
		return sf_error(SF_EINTERNAL, "%s: cannot read it again: %s", im->o->name,
				strerror(errno));
	im->ntouched = 0;
	im->analyzed = 0;
	sf_title_batch_clear(&im->batch);
	rc = sf_title_batch_begin(im->db);
	if (!rc)
		rc = im->o->format == SF_FORMAT_CSV ? read_csv(im) : read_json(im);
	if (!rc)
		rc = reindex(im);
	progress(im, 1);
	if (!rc && im->o->dry_run)
		rc = DRY_RUN_DONE;
	return rc;
}

int sf_title_import(struct sf_db *db, const struct sf_actor *actor, FILE *fp,
		    const struct sf_title_import_opts *o, struct sf_title_import_result *r)
{
	struct import im = { .db = db, .actor = actor, .fp = fp, .o = o, .r = r };
	struct stat st;
	int rc;

	memset(r, 0, sizeof(*r));
	r->errors = json_array();
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)))
		return rc;
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
		im.size = st.st_size;
	sf_title_batch_init(&im.batch);
	rc = sf_db_tx(db, 0, import_tx, &im);
	sf_title_batch_release(&im.batch);
	free(im.touched);
	return rc == DRY_RUN_DONE ? 0 : rc;
}

void sf_title_import_result_release(struct sf_title_import_result *r)
{
	json_decref(r->errors);
	memset(r, 0, sizeof(*r));
}

/* ---- export ---- */

/* The shortest text that reads back as the same double ("7.3", not
 * "7.2999999999999998"). */
static void real_text(double d, char buf[32])
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* One title as a CSV line (with its newline); caller frees. */
static char *csv_line(const json_t *t)
{
	char *line = sf_xstrdup(""), *next;

	for (int i = 0; sf_title_fields[i]; i++) {
		const char *key = sf_title_fields[i];
		json_t *v = json_object_get(t, key);
		char *cell, *q, num[32];

		if (!v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0)) {
			cell = sf_xstrdup("");
		} else if (json_is_string(v)) {
			cell = sf_xstrdup(json_string_value(v));
		} else if (json_is_integer(v)) {
			cell = sf_xasprintf("%lld", (long long)json_integer_value(v));
		} else if (json_is_real(v)) {
			real_text(json_real_value(v), num);
			cell = sf_xstrdup(num);
		} else if (json_is_array(v) && json_is_string(json_array_get(v, 0))) {
			size_t k;
			json_t *e;

			cell = sf_xstrdup("");
			json_array_foreach(v, k, e) {
				char *c = sf_xasprintf("%s%s%s", cell, k ? "|" : "", json_string_value(e));

				free(cell);
				cell = c;
			}
		} else {
			cell = sf_json_dump(v);
		}
		q = sf_csv_quote(cell);
		next = sf_xasprintf("%s%s%s", line, i ? "," : "", q);
		free(q);
		free(cell);
		free(line);
		line = next;
	}
	next = sf_xasprintf("%s\n", line);
	free(line);
	return next;
}

struct export {
	struct sf_db *db;
	const struct sf_title_export_opts *o;
	long long total, done;
};

static int emit(struct export *ex, const char *s, size_t len)
{
	return ex->o->write(ex->o->arg, s, len);
}

static int export_rows(struct export *ex)
{
	PGresult *res = NULL;
	int rc = 0;

	for (;;) {
		int n;

		rc = sf_db_query(ex->db, &res, "FETCH 100 FROM sf_export", SF_NOARGS);
		if (rc)
			return rc;
		n = PQntuples(res);
		for (int i = 0; !rc && i < n; i++) {
			const char *j = sf_db_str(res, i, "j");

			if (ex->o->format == SF_FORMAT_CSV) {
				json_t *t = json_loads(j, 0, NULL);
				char *line = t ? csv_line(t) : NULL;

				rc = line ? emit(ex, line, strlen(line))
					  : sf_error(SF_EINTERNAL, "a title's JSON does not parse");
				free(line);
				json_decref(t);
			} else {
				const char *sep = ex->o->format == SF_FORMAT_JSONL ? ""
						: ex->done ? ",\n" : "[\n";

				rc = emit(ex, sep, strlen(sep));
				if (!rc)
					rc = emit(ex, j, strlen(j));
				if (!rc && ex->o->format == SF_FORMAT_JSONL)
					rc = emit(ex, "\n", 1);
			}
			ex->done++;
			if (ex->o->progress && (ex->done % 100 == 0 || ex->done == ex->total))
				ex->o->progress(ex->o->progress_arg, ex->done, ex->total);
		}
		PQclear(res);
		res = NULL;
		if (rc || n == 0)
			return rc;
	}
}

int sf_title_export(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_title_export_opts *o, long long *count)
{
	static const struct sf_title_filter all = { 0 };
	const char *params[SF_TITLE_FILTER_NPARAMS], *where;
	struct export ex = { db, o, 0, 0 };
	char bufs[2][24], *sql = NULL;
	PGresult *res = NULL;
	int rc;

	*count = 0;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_title_filter_sql(db, actor, o->filter ? o->filter : &all, &where, params,
				      bufs)))
		return rc;
	/* One snapshot for the count and every row. */
	rc = sf_db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc)
		return rc;
	sql = sf_xasprintf("SELECT count(*) AS n FROM titles t WHERE %s", where);
	rc = sf_db_query(db, &res, sql, SF_TITLE_FILTER_NPARAMS, params);
	free(sql);
	if (!rc)
		ex.total = sf_db_int(res, 0, "n");
	PQclear(res);
	if (!rc) {
		sql = sf_xasprintf("DECLARE sf_export NO SCROLL CURSOR FOR SELECT"
				   " sf_title_json(t.id)::text AS j FROM titles t WHERE %s ORDER BY t.id",
				   where);
		rc = sf_db_query(db, NULL, sql, SF_TITLE_FILTER_NPARAMS, params);
		free(sql);
	}
	if (!rc && o->format == SF_FORMAT_CSV) {
		char *header = sf_xstrdup("");

		for (int i = 0; sf_title_fields[i]; i++) {
			char *h = sf_xasprintf("%s%s%s", header, i ? "," : "", sf_title_fields[i]);

			free(header);
			header = h;
		}
		rc = emit(&ex, header, strlen(header));
		if (!rc)
			rc = emit(&ex, "\n", 1);
		free(header);
	}
	if (!rc && o->progress)
		o->progress(o->progress_arg, 0, ex.total);
	if (!rc)
		rc = export_rows(&ex);
	if (!rc && o->format == SF_FORMAT_JSON)
		rc = ex.done ? emit(&ex, "\n]\n", 3) : emit(&ex, "[]\n", 3);
	if (!rc)
		rc = sf_db_exec(db, "COMMIT");
	if (rc) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", sf_error_message());
		sf_db_exec(db, "ROLLBACK");
		sf_error(rc, "%s", msg);
	}
	*count = ex.done;
	return rc;
}
