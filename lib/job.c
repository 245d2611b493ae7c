/*
 * job.c - the job queue (job.h).
 *
 * The advisory lock of job N is pg_advisory_lock(JOB_LOCK_CLASS, N): the
 * two-key form, whose class keeps it apart from other advisory locks
 * (pg_locks shows it as classid JOB_LOCK_CLASS, objid N, objsubid 2).
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "job.h"
#include "text.h"

#define JOB_LOCK_CLASS "1936091746"   /* "sfjb" */

/* A running job that no session holds: its worker is gone. */
#define ORPHAN(j) "(" j ".state = 'running' AND NOT EXISTS (SELECT 1 FROM pg_locks l" \
	" WHERE l.locktype = 'advisory' AND l.classid = " JOB_LOCK_CLASS \
	" AND l.objid::bigint = " j ".id AND l.objsubid = 2 AND l.granted))"

int sf_job_enqueue(struct sf_db *db, const char *kind, long long asset_id, long long *id)
{
	char a[SF_INT_STR_MAX], m[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "INSERT INTO jobs (kind, asset_id, max_attempts)"
			     " VALUES ($1, $2, $3) RETURNING id",
			     SF_ARGS(kind, sf_db_fmt_int(a, asset_id),
				     sf_db_fmt_int(m, SF_JOB_MAX_ATTEMPTS)));

	if (!rc)
		*id = sf_db_int(res, 0, "id");
	PQclear(res);
	return rc;
}

struct claim {
	const char *worker;
	long long id;
	struct sf_job *out;
	int found;
};

static int claim_tx(struct sf_db *db, void *arg)
{
	struct claim *c = arg;
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	c->found = 0;
	rc = sf_db_query(db, &res,
			 "WITH next AS (SELECT j.id FROM jobs j"
			 "  WHERE ($2::bigint IS NULL OR j.id = $2)"
			 "    AND ((j.state = 'queued' AND j.run_after <= now())"
			 "         OR (" ORPHAN("j") " AND j.attempts < j.max_attempts))"
			 "  ORDER BY j.run_after, j.id LIMIT 1 FOR UPDATE SKIP LOCKED)"
			 " UPDATE jobs j SET state = 'running', attempts = j.attempts + 1,"
			 "   worker = $1, started_at = now(), heartbeat_at = now(), finished_at = NULL"
			 " FROM next WHERE j.id = next.id"
			 " RETURNING j.id, j.kind, j.asset_id, j.attempts, j.max_attempts",
			 SF_ARGS(c->worker, c->id > 0 ? sf_db_fmt_int(id, c->id) : NULL));
	if (!rc && PQntuples(res) == 1) {
		c->out->id = sf_db_int(res, 0, "id");
		snprintf(c->out->kind, sizeof(c->out->kind), "%s", sf_db_str(res, 0, "kind"));
		c->out->asset_id = sf_db_int(res, 0, "asset_id");
		c->out->attempt = (int)sf_db_int(res, 0, "attempts");
		c->out->max_attempts = (int)sf_db_int(res, 0, "max_attempts");
		c->found = 1;
		rc = sf_db_query(db, NULL, "SELECT pg_advisory_lock(" JOB_LOCK_CLASS ", $1::int)",
				 SF_ARGS(sf_db_fmt_int(id, c->out->id)));
	}
	PQclear(res);
	return rc;
}

int sf_job_claim(struct sf_db *db, const char *worker, long long id, struct sf_job *out)
{
	struct claim c = { worker, id, out, 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sf_db_tx(db, 0, claim_tx, &c);
	if (rc)
		return rc;
	return c.found ? 0 : 1;
}

static void unlock(struct sf_db *db, long long id)
{
	char s[SF_INT_STR_MAX];

	sf_db_query(db, NULL, "SELECT pg_advisory_unlock(" JOB_LOCK_CLASS ", $1::int)",
		    SF_ARGS(sf_db_fmt_int(s, id)));
}

int sf_job_done(struct sf_db *db, const struct sf_job *job)
{
	char id[SF_INT_STR_MAX];
	int rc = sf_db_query(db, NULL, "UPDATE jobs SET state = 'done', finished_at = now(),"
			     " error = NULL WHERE id = $1", SF_ARGS(sf_db_fmt_int(id, job->id)));

	unlock(db, job->id);
	return rc;
}

int sf_job_fail(struct sf_db *db, const struct sf_job *job, const char *error, int retry,
		int *requeued)
{
	char id[SF_INT_STR_MAX], r[SF_INT_STR_MAX], b[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res,
			 "UPDATE jobs SET error = $2,"
			 " state = CASE WHEN $3 AND attempts < max_attempts THEN 'queued'"
			 "   ELSE 'failed' END,"
			 " run_after = CASE WHEN $3 AND attempts < max_attempts"
			 "   THEN now() + make_interval(secs => $4 * power(4, attempts - 1))"
			 "   ELSE run_after END,"
			 " finished_at = CASE WHEN $3 AND attempts < max_attempts THEN NULL"
			 "   ELSE now() END"
			 " WHERE id = $1 RETURNING state",
			 SF_ARGS(sf_db_fmt_int(id, job->id), error, retry ? "true" : "false",
				 sf_db_fmt_int(b, SF_JOB_BACKOFF_S)));
	(void)r;
	if (!rc && requeued)
		*requeued = PQntuples(res) == 1 && !strcmp(sf_db_str(res, 0, "state"), "queued");
	PQclear(res);
	unlock(db, job->id);
	return rc;
}

int sf_job_reap(struct sf_db *db, long long *n)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res,
			     "WITH dead AS (UPDATE jobs j SET state = 'failed', finished_at = now(),"
			     "   error = format('its worker stopped during each of %s attempts',"
			     "                  j.attempts)"
			     " WHERE " ORPHAN("j") " AND j.attempts >= j.max_attempts"
			     " RETURNING j.asset_id, j.error)"
			     " UPDATE media_assets a SET status = 'failed', error = dead.error,"
			     "   updated_at = now()"
			     " FROM dead WHERE a.id = dead.asset_id AND a.status <> 'ready'"
			     " RETURNING a.id", SF_NOARGS);

	if (!rc && n)
		*n = PQntuples(res);
	PQclear(res);
	return rc;
}

int sf_job_requeue(struct sf_db *db, long long id)
{
	char s[SF_INT_STR_MAX];

	return sf_db_query(db, NULL, "UPDATE jobs SET state = 'queued', attempts = 0,"
			   " run_after = now(), finished_at = NULL, error = NULL, worker = NULL"
			   " WHERE id = $1", SF_ARGS(sf_db_fmt_int(s, id)));
}

#define JOB_JSON "json_build_object('id', j.id, 'kind', j.kind, 'asset_id', j.asset_id," \
	" 'state', CASE WHEN " ORPHAN("j") " THEN 'orphaned' ELSE j.state END," \
	" 'attempts', j.attempts, 'max_attempts', j.max_attempts," \
	" 'run_after', to_char(j.run_after AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')," \
	" 'worker', j.worker," \
	" 'started_at', to_char(j.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')," \
	" 'finished_at', to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')," \
	" 'error', j.error," \
	" 'created_at', to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

int sf_job_list(struct sf_db *db, const char *state, long long limit, json_t **out)
{
	char l[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res, "SELECT coalesce(json_agg(x ORDER BY (x->>'id')::bigint DESC),"
			 " '[]') AS list FROM (SELECT " JOB_JSON " AS x FROM jobs j"
			 " WHERE $1::text IS NULL OR j.state = $1 ORDER BY j.id DESC LIMIT $2) s",
			 SF_ARGS(state, sf_db_fmt_int(l, limit > 0 ? limit : 50)));
	if (!rc)
		*out = json_loads(sf_db_str(res, 0, "list"), JSON_PRESERVE_ORDER, NULL);
	PQclear(res);
	return rc;
}

int sf_job_get(struct sf_db *db, const char *ref, json_t **out)
{
	char s[SF_INT_STR_MAX];
	PGresult *res = NULL;
	long long id;
	int rc;

	if (!sf_text_parse_id(ref, &id))
		return sf_error(SF_EINVAL, "job '%s': not a job id", sf_text_quote(ref));
	rc = sf_db_query(db, &res, "SELECT " JOB_JSON " AS j FROM jobs j WHERE j.id = $1",
			 SF_ARGS(sf_db_fmt_int(s, id)));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "job '%s': not found", sf_text_quote(ref));
	if (!rc)
		*out = json_loads(sf_db_str(res, 0, "j"), JSON_PRESERVE_ORDER, NULL);
	PQclear(res);
	return rc;
}

int sf_job_idle(struct sf_db *db)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT count(*) AS n FROM jobs WHERE state IN"
			     " ('queued', 'running')", SF_NOARGS);

	if (!rc)
		rc = sf_db_int(res, 0, "n") == 0;
	PQclear(res);
	return rc;
}
