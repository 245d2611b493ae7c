/*
 * title_batch.h - the fast path of import: checked records applied a
 * batch at a time with a few set-based statements.
 *
 * title_io.c reads and checks each record (sf_title_input_from_json),
 * adds it here, and applies the batch when it is full.  The batch goes to
 * a staging table with COPY and sf_title_import_batch() (sql/0008) adds
 * and updates its titles exactly as the per-record path would: versions,
 * audit entries and search documents included.  When the database finds
 * anything wrong with the batch, the batch is rolled back (to a savepoint
 * of the caller's transaction) and the caller applies its records one by
 * one, so the bad one is found and named as before.
 *
 * The records of one batch have distinct external ids: a record whose
 * external id is already in the batch must wait for the next one, so
 * that it updates the title the earlier record made or changed.
 */
#ifndef SF_TITLE_BATCH_H
#define SF_TITLE_BATCH_H

#include <jansson.h>
#include <stddef.h>

#include "title_field.h"

struct sf_db;
struct sf_actor;

/* A batch is full at this many records or this many bytes of COPY data. */
#define SF_TITLE_BATCH_RECORDS 2000
#define SF_TITLE_BATCH_BYTES (16u << 20)

struct sf_title_batch_item {
	long long line;     /* where the record starts in the input */
	json_t *rec;        /* the record as read, for the per-record path */
	int outcome;        /* after sf_title_batch_apply: SF_TITLE_BATCH_* */
};

enum { SF_TITLE_BATCH_ADDED = 1, SF_TITLE_BATCH_UPDATED, SF_TITLE_BATCH_UNCHANGED };

struct sf_title_batch {
	struct sf_title_batch_item *items;
	size_t n, cap;
	char *copy;         /* the COPY text of the records */
	size_t len, size;
	char **ext;         /* open-addressing set of the external ids */
	size_t ext_cap, ext_n;
};

void sf_title_batch_init(struct sf_title_batch *b);
/* Empties the batch (its records' references dropped). */
void sf_title_batch_clear(struct sf_title_batch *b);
void sf_title_batch_release(struct sf_title_batch *b);

/* 1 if a record of the batch has this external id. */
int sf_title_batch_has(const struct sf_title_batch *b, const char *ext);

/* Adds the record rec (read at line; a reference is taken) whose checked
 * input is in. */
void sf_title_batch_add(struct sf_title_batch *b, long long line, json_t *rec,
			const struct sf_title_input *in);

/* 1 when the batch should be applied before more is added. */
int sf_title_batch_full(const struct sf_title_batch *b);

/* Makes the staging table; once in each transaction, before any batch. */
int sf_title_batch_begin(struct sf_db *db);

/* Applies the batch inside the caller's transaction, recording action
 * for actor; each item's outcome is set.  On failure nothing of the batch
 * is left written and the transaction is usable: the caller applies the
 * records one by one instead. */
int sf_title_batch_apply(struct sf_db *db, const struct sf_actor *actor, const char *action,
			 struct sf_title_batch *b);

#endif
