/*
 * title_io.h - import and export of the catalog.
 *
 * Both speak the title's one JSON form (sf_title_json): export writes it
 * as a JSON array (one title a line), as JSON lines, or as CSV; import
 * reads any of them back.  So export, delete, import gives the same
 * catalog.
 *
 * Import rules:
 *  - A record with an external id that a title has updates that title;
 *    any other record adds a title.  Importing a file twice therefore
 *    changes nothing the second time (a record that changes nothing makes
 *    no new version).  A record without an external id cannot be matched
 *    and always adds a title.  An external id given twice in one input:
 *    the later record updates the title the earlier one added or updated,
 *    exactly as if they were applied one at a time (the later one wins).
 *  - A field left out of a record leaves the title's field as it is (a
 *    new title gets the default); null clears it.  credits, genres and
 *    seasons given replace the title's (seasons matched by number, so the
 *    ones kept keep their identity).
 *  - id, version, rating_avg, rating_count, created_at and updated_at are
 *    sf's own: accepted, so an export imports as it is, and ignored.  A
 *    field the form does not have is an error naming it.
 *  - CSV has a header row naming the columns (fields of the form, any
 *    order, any subset); lists are '|'-separated, credits and seasons are
 *    JSON, an empty cell is null (an empty list for a list).
 *  - By default the import is all or nothing: the first bad record stops
 *    it and nothing is written.  With continue_on_error every good record
 *    is imported and every bad one is reported with its line.  Either way
 *    it is one transaction; dry_run rolls it back at the end.
 *  - Records are applied in batches, set-based (title_batch.h), with the
 *    results of applying them one at a time: a version and an audit entry
 *    ("title.import", before and after) for each title added or changed,
 *    none for a title left as it was, and the search documents of the
 *    titles added or changed.  A batch the database refuses is applied
 *    again record by record, to find and name the bad one.
 *
 * Export streams from a cursor in constant memory, in one snapshot of the
 * database, ordered by id.
 */
#ifndef SF_TITLE_IO_H
#define SF_TITLE_IO_H

#include <jansson.h>
#include <stdio.h>

#include "title.h"

struct sf_db;
struct sf_actor;

enum sf_title_format { SF_FORMAT_JSON, SF_FORMAT_JSONL, SF_FORMAT_CSV };

/* "json", "jsonl" or "csv"; SF_EINVAL naming anything else. */
int sf_title_format_parse(const char *name, enum sf_title_format *out);

struct sf_title_import_opts {
	enum sf_title_format format;   /* JSON and JSONL read alike: an array or lines */
	const char *name;              /* the input as errors name it ("titles.json") */
	int continue_on_error;
	int dry_run;
	/* Called now and then with bytes read and the input's size. */
	void (*progress)(void *arg, long long done, long long total);
	void *arg;
};

struct sf_title_import_result {
	long long records, added, updated, unchanged, failed;
	/* How many records were applied set-based, in batches (the rest went
	 * one by one: the batches the database refused, and the bad records). */
	long long batched;
	/* The bad records, [{line, error, status}] (status: the exit status
	 * the error maps to), in order; the first one decides the exit status
	 * of an import that went on past errors. */
	json_t *errors;
};

/* Imports the titles in fp, which must be seekable (a transaction retried
 * after a deadlock reads it again).  Returns 0 with *r filled when the
 * import went through (some records may have failed under
 * continue_on_error), or the error of the first bad record, its message
 * starting "NAME:LINE: ".  Release *r with sf_title_import_result_release. */
int sf_title_import(struct sf_db *db, const struct sf_actor *actor, FILE *fp,
		    const struct sf_title_import_opts *o, struct sf_title_import_result *r);
void sf_title_import_result_release(struct sf_title_import_result *r);

struct sf_title_export_opts {
	enum sf_title_format format;
	const struct sf_title_filter *filter;   /* kind, genre, status, years; NULL: all */
	/* Takes each piece of output; a non-zero return stops the export and is
	 * returned (with its message). */
	int (*write)(void *arg, const char *data, size_t len);
	void *arg;
	/* Called now and then with titles written and their number. */
	void (*progress)(void *progress_arg, long long done, long long total);
	void *progress_arg;
};

/* Writes the titles matching the filter; *count gets how many. */
int sf_title_export(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_title_export_opts *o, long long *count);

#endif
