/*
 * throttle.c - failure counts and blocks per key (see throttle.h).
 *
 * One upsert counts a failure and computes the block in SQL, so two
 * servers counting the same key at once never lose a failure.
 */
#include <stdlib.h>
#include "db.h"
#include "error.h"
#include "text.h"
#include "throttle.h"

int sf_throttle_check(struct sf_db *db, const char *key, long long *retry_after)
{
	PGresult *res = NULL;
	int rc;

	*retry_after = 0;
	rc = sf_db_query(db, &res, "SELECT ceil(extract(epoch FROM blocked_until - now()))::bigint"
			 " AS wait FROM login_throttle WHERE key = lower($1)"
			 " AND blocked_until > now()", SF_ARGS(key));
	if (!rc && PQntuples(res) == 1) {
		*retry_after = sf_db_int(res, 0, "wait");
		if (*retry_after < 1)
			*retry_after = 1;
		rc = sf_error(SF_ERATELIMIT, "too many failed attempts; retry in %lld s",
			      *retry_after);
	}
	PQclear(res);
	return rc;
}

int sf_throttle_fail(struct sf_db *db, const char *key, int allowed)
{
	char f[SF_INT_STR_MAX], max[SF_INT_STR_MAX];
	int rc;

	/* failures beyond `allowed` block for 2^(n - allowed - 1) seconds, capped */
	rc = sf_db_query(db, NULL,
			   "INSERT INTO login_throttle AS t (key, failures) VALUES (lower($1), 1)"
			   " ON CONFLICT (key) DO UPDATE SET"
			   "  failures = CASE WHEN t.last_failure_at < now() - interval '15 minutes'"
			   "             THEN 1 ELSE t.failures + 1 END,"
			   "  last_failure_at = now()",
			   SF_ARGS(key));
	if (!rc)
		rc = sf_db_query(db, NULL,
			   "UPDATE login_throttle SET blocked_until = CASE WHEN failures > $2::int"
			   " THEN now() + make_interval(secs => least($3::int,"
			   "  power(2, least(failures - $2::int - 1, 30)))) END"
			   " WHERE key = lower($1)",
			   SF_ARGS(key, sf_db_fmt_int(f, allowed),
				   sf_db_fmt_int(max, SF_THROTTLE_MAX_DELAY)));
	return rc;
}

int sf_throttle_clear(struct sf_db *db, const char *key)
{
	return sf_db_query(db, NULL, "DELETE FROM login_throttle WHERE key = lower($1)",
			   SF_ARGS(key));
}
