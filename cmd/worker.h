/*
 * worker.h - running jobs from a verb: "sf worker" and "sf demo load".
 */
#ifndef SF_CMD_WORKER_H
#define SF_CMD_WORKER_H

#include <stdbool.h>

struct sf_db;

/* Runs n workers (forked when n > 1 or producer is given, each with its
 * own connection to db_url; db itself otherwise) until stopped, or with
 * drain until no job is due.  quiet: no line per job.  Returns 0 or an
 * exit status.
 *
 * With producer set, the workers start at once and the caller, which
 * queues jobs meanwhile, calls producer(arg); draining waits until it has
 * returned, so jobs queued while others run are not missed. */
int sf_worker_run(const char *db_url, struct sf_db *db, int n, bool drain, bool quiet,
		  int (*producer)(void *arg), void *arg);

#endif
