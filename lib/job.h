/*
 * job.h - the job queue in PostgreSQL: background work (today: media
 * ingests) that workers take, run, retry and finish.
 *
 * States: queued -> running -> done, or failed.  A worker takes the next
 * due job with FOR UPDATE SKIP LOCKED (so workers never wait for each
 * other nor take the same job) and, in the same transaction, a session
 * advisory lock on it that it holds while the job runs.  A worker that
 * dies - killed, crashed, its machine gone - loses its session and the
 * lock with it, and the next worker to look finds a running job that no
 * session holds and takes it again at once.
 *
 * A failure that may pass (ffmpeg killed, a full disk) is retried after
 * a back-off of 10 s, 40 s, 160 s ... (times 4 each attempt) until
 * max_attempts (3) have been made; a failure that will not pass (a bad
 * source) fails the job at once.  Each attempt counts, including those
 * whose worker died.
 */
#ifndef SF_JOB_H
#define SF_JOB_H

#include <jansson.h>

struct sf_db;

#define SF_JOB_MAX_ATTEMPTS 3
#define SF_JOB_BACKOFF_S 10

struct sf_job {
	long long id;
	char kind[32];
	long long asset_id;
	int attempt;          /* this one, from 1 */
	int max_attempts;
};

/* Queues a job of kind for asset_id; call inside the transaction that
 * makes the asset.  *id is the new job's. */
int sf_job_enqueue(struct sf_db *db, const char *kind, long long asset_id, long long *id);

/* Takes the next due job (only job id when id > 0) for worker (a name
 * shown in job list) and locks it for this session.  Returns 0 and fills
 * *out, or 1 when there is none to take now. */
int sf_job_claim(struct sf_db *db, const char *worker, long long id, struct sf_job *out);

/* Marks the job done and releases its lock. */
int sf_job_done(struct sf_db *db, const struct sf_job *job);

/* Records a failed attempt with its one-line error and releases the
 * lock: queued again after the back-off when retry is set and attempts
 * remain (*requeued = 1), failed otherwise. */
int sf_job_fail(struct sf_db *db, const struct sf_job *job, const char *error, int retry,
		int *requeued);

/* Fails the running jobs that no worker holds and that have used all
 * their attempts (their workers died each time), with their assets.
 * *n is how many. */
int sf_job_reap(struct sf_db *db, long long *n);

/* Queues a failed job again with fresh attempts (sf media retry). */
int sf_job_requeue(struct sf_db *db, long long id);

/* The jobs, newest first, optionally of one state: an array of
 * {id, kind, asset_id, state, attempts, max_attempts, run_after, worker,
 * started_at, finished_at, error, created_at}. */
int sf_job_list(struct sf_db *db, const char *state, long long limit, json_t **out);
/* One job by id (SF_ENOTFOUND naming it). */
int sf_job_get(struct sf_db *db, const char *ref, json_t **out);
/* 1 if no job is queued or running (due or not), else 0; <0 on error. */
int sf_job_idle(struct sf_db *db);

#endif
