/*
 * demo_viewers.c - synthetic viewers with hidden tastes for "sf demo
 * generate --viewers" (the model is described in demo_viewers.h).
 *
 * Set-based like the catalog: the viewers and their tastes in two
 * statements, then the plays in chunks of viewers, each chunk drawn into
 * a temporary table and copied from there into watch_events,
 * watch_progress and ratings.  Ratings go in with their per-row counter
 * trigger off; the titles' counts are set once at the end.
 */
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "demo_viewers.h"
#include "error.h"
#include "xalloc.h"

#define CHUNK_PLAYS 500000LL

/* Uniform numbers in [0, 1) from a key and a seed-derived salt. */
static const char functions_sql[] =
	"CREATE OR REPLACE FUNCTION pg_temp.vu(k bigint, salt bigint) RETURNS float8"
	" LANGUAGE sql IMMUTABLE"
	" RETURN (hashint8extended(k, salt) & 9007199254740991)::float8 / 9007199254740992.0;"
	"CREATE OR REPLACE FUNCTION pg_temp.vh(k bigint, salt bigint) RETURNS bigint"
	" LANGUAGE sql IMMUTABLE"
	" RETURN hashint8extended(k, salt) & 9223372036854775807;";

/* $1 viewers.  The genres that have published movies, each with its
 * movies by popularity. */
static const char genres_sql[] =
	"CREATE TEMP TABLE demo_gt ON COMMIT DROP AS"
	" SELECT row_number() OVER (ORDER BY genre_id)::int AS g, ids, cardinality(ids) AS m"
	"   FROM (SELECT tg.genre_id, array_agg(t.id ORDER BY t.popularity DESC, t.id) AS ids"
	"           FROM title_genres tg JOIN titles t ON t.id = tg.title_id"
	"          WHERE t.kind = 'movie' AND sf_title_visible(t)"
	"          GROUP BY tg.genre_id) x";

/* $1 viewers, $2 seed, $3 plays a viewer on average.  The accounts,
 * their profiles and their tastes (g1, g2 genres; c cluster; k plays). */
static const char viewers_sql[] =
	"CREATE TEMP TABLE demo_viewer ON COMMIT DROP AS"
	" WITH a AS (INSERT INTO accounts (email, username, password_hash)"
	"            SELECT 'viewer' || i || '@demo.invalid', 'demo-viewer' || i, '!'"
	"              FROM generate_series(1, $1::int) i RETURNING id, username),"
	" p AS (INSERT INTO profiles (account_id, name, maturity)"
	"       SELECT id, username, 6 FROM a RETURNING id, account_id, name)"
	" SELECT substr(p.name, 12)::int AS n, p.id AS profile_id,"
	"        1 + pg_temp.vh(substr(p.name, 12)::bigint, $2::bigint * 64 + 1)"
	"              % (SELECT count(*) FROM demo_gt) AS g1,"
	"        pg_temp.vh(substr(p.name, 12)::bigint, $2::bigint * 64 + 2)"
	"              % greatest((SELECT count(*) FROM demo_gt) - 1, 1) AS g2r,"
	"        (pg_temp.vh(substr(p.name, 12)::bigint, $2::bigint * 64 + 3) % 4)::int AS c,"
	"        1 + floor(pg_temp.vu(substr(p.name, 12)::bigint, $2::bigint * 64 + 4)"
	"                  * (2 * $3::int - 1))::int AS k"
	"   FROM p";

/* $1 lo, $2 hi (viewer numbers), $3 seed.  The plays of those viewers,
 * a title at most once each, the earliest kept. */
static const char plays_sql[] =
	"INSERT INTO demo_play"
	" SELECT DISTINCT ON (profile_id, title_id) profile_id, title_id, at, taste, last, r, rs"
	"   FROM (SELECT v.profile_id, x.ids[1 + CASE"
	"                  WHEN u.clus < 0.7 AND x.m > v.c THEN v.c + 4 * floor(((x.m - 1 - v.c) / 4 + 1)"
	"                       * u.pick ^ 2)::int"
	"                  ELSE floor(x.m * u.pick ^ 2)::int END] AS title_id,"
	"                now() - interval '30 days'"
	"                  + ((j - 1 + u.when_) / v.k) * interval '30 days' AS at,"
	"                u.genre < 0.8 AS taste, j = v.k AS last, u.rate AS r, u.stars AS rs"
	"           FROM demo_viewer v CROSS JOIN LATERAL generate_series(1, v.k) j"
	"           CROSS JOIN LATERAL (SELECT"
	"                pg_temp.vu(v.n::bigint * 4096 + j, $3::bigint * 64 + 10) AS genre,"
	"                pg_temp.vu(v.n::bigint * 4096 + j, $3::bigint * 64 + 11) AS clus,"
	"                pg_temp.vu(v.n::bigint * 4096 + j, $3::bigint * 64 + 12) AS pick,"
	"                pg_temp.vu(v.n::bigint * 4096 + j, $3::bigint * 64 + 13) AS when_,"
	"                pg_temp.vu(v.n::bigint * 4096 + j, $3::bigint * 64 + 14) AS rate,"
	"                pg_temp.vu(v.n::bigint * 4096 + j, $3::bigint * 64 + 15) AS stars,"
	"                pg_temp.vh(v.n::bigint * 4096 + j, $3::bigint * 64 + 16) AS anyg) u"
	"           JOIN demo_gt x ON x.g = CASE"
	"                WHEN u.genre < 0.45 THEN v.g1"
	"                WHEN u.genre < 0.8 THEN 1 + (v.g1 + v.g2r) % (SELECT count(*) FROM demo_gt)"
	"                ELSE 1 + u.anyg % (SELECT count(*) FROM demo_gt) END"
	"          WHERE v.n BETWEEN $1::int AND $2::int) p"
	"  ORDER BY profile_id, title_id, at";

/* The chunk's plays into the viewer tables.  An in-progress play (the
 * last, three times in ten) has a start and a stop; the others a start
 * and a complete. */
static const char events_sql[] =
	"INSERT INTO watch_events (profile_id, title_id, kind, position_s, duration_s, at)"
	" SELECT d.profile_id, d.title_id, e.kind, e.pos, d.dur, e.at"
	"   FROM (SELECT p.*, coalesce(t.runtime_minutes, 90) * 60 AS dur,"
	"                p.last AND p.r >= 0.7 AS open FROM demo_play p"
	"           JOIN titles t ON t.id = p.title_id) d"
	"  CROSS JOIN LATERAL (VALUES"
	"        ('start', 0, d.at - (d.dur * CASE WHEN d.open THEN 0.5 ELSE 1 END)"
	"                           * interval '1 second'),"
	"        (CASE WHEN d.open THEN 'stop' ELSE 'complete' END,"
	"         CASE WHEN d.open THEN d.dur / 2 ELSE d.dur END, d.at)) e(kind, pos, at)";

static const char progress_sql[] =
	"INSERT INTO watch_progress (profile_id, title_id, position_s, duration_s, at,"
	"                            completed, completed_at)"
	" SELECT p.profile_id, p.title_id, CASE WHEN o THEN dur / 2 ELSE dur END, dur, p.at,"
	"        NOT o, CASE WHEN NOT o THEN p.at END"
	"   FROM demo_play p JOIN titles t ON t.id = p.title_id"
	"  CROSS JOIN LATERAL (SELECT coalesce(t.runtime_minutes, 90) * 60 AS dur,"
	"                             p.last AND p.r >= 0.7 AS o) x";

static const char ratings_sql[] =
	"INSERT INTO ratings (profile_id, title_id, stars, created_at, updated_at)"
	" SELECT profile_id, title_id,"
	"        CASE WHEN taste THEN 4 + floor(rs * 2) ELSE 2 + floor(rs * 3) END, at, at"
	"   FROM demo_play WHERE r < 0.1";

/* The titles' rating counters, which the trigger would have kept. */
static const char rating_counts_sql[] =
	"UPDATE titles t SET rating_count = t.rating_count + s.n, rating_sum = t.rating_sum + s.sum,"
	"       rating_avg = round((t.rating_sum + s.sum)::numeric / (t.rating_count + s.n), 3)"
	"  FROM (SELECT title_id, count(*) AS n, sum(stars) AS sum FROM ratings r"
	"          JOIN demo_viewer v ON v.profile_id = r.profile_id GROUP BY title_id) s"
	" WHERE t.id = s.title_id";

int demo_viewers_count(struct sf_db *db, long long *n)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT count(*) AS n FROM accounts"
			     " WHERE lower(email) LIKE '%@demo.invalid'", SF_NOARGS);

	*n = rc ? 0 : sf_db_int(res, 0, "n");
	PQclear(res);
	return rc;
}

int demo_viewers_delete(struct sf_db *db, long long *deleted)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "DELETE FROM accounts WHERE lower(email) LIKE '%@demo.invalid'",
			     SF_NOARGS);

	*deleted = rc ? 0 : strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}

static int count_rows(struct sf_db *db, const char *sql, const char *const *args, int nargs,
		      long long *count)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, sql, nargs, args);

	if (!rc)
		*count += strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}

int demo_viewers_generate(struct sf_db *db, const struct sf_demo_spec *spec,
			  sf_demo_progress_fn *progress, void *arg,
			  struct sf_demo_summary *sum)
{
	long long per = spec->plays / spec->viewers, chunk, genres = 0, made = 0;
	char viewers[24], seed[24], perbuf[24], lo[24], hi[24];
	PGresult *res = NULL;
	int rc;

	if (per < 1)
		per = 1;
	chunk = CHUNK_PLAYS / per > 0 ? CHUNK_PLAYS / per : 1;
	snprintf(viewers, sizeof(viewers), "%lld", spec->viewers);
	snprintf(seed, sizeof(seed), "%lld", spec->seed);
	snprintf(perbuf, sizeof(perbuf), "%lld", per);
	if (progress)
		progress(arg, "viewers", 0, spec->viewers);
	if ((rc = sf_db_exec(db, functions_sql)) ||
	    (rc = sf_db_exec(db, genres_sql)) ||
	    (rc = sf_db_query(db, &res, "SELECT count(*) AS n FROM demo_gt", SF_NOARGS)))
		return rc;
	genres = sf_db_int(res, 0, "n");
	PQclear(res);
	if (!genres)
		return sf_error(SF_EINVAL, "--viewers '%lld': the catalog has no published movie "
				"with a genre to watch", spec->viewers);
	if ((rc = count_rows(db, viewers_sql, (const char *[]){ viewers, seed, perbuf }, 3,
			     &made)) ||
	    (rc = sf_db_exec(db, "CREATE TEMP TABLE demo_play (profile_id bigint, title_id bigint,"
			     " at timestamptz, taste boolean, last boolean, r float8, rs float8)"
			     " ON COMMIT DROP;"
			     "ALTER TABLE ratings DISABLE TRIGGER ratings_count")))
		return rc;
	sum->viewers += made;
	for (long long l = 1; l <= spec->viewers && !rc; l += chunk) {
		long long h = l + chunk - 1 < spec->viewers ? l + chunk - 1 : spec->viewers;
		const char *args[] = { lo, hi, seed };

		snprintf(lo, sizeof(lo), "%lld", l);
		snprintf(hi, sizeof(hi), "%lld", h);
		if (!(rc = sf_db_exec(db, "TRUNCATE demo_play")) &&
		    !(rc = count_rows(db, plays_sql, args, 3, &sum->plays)) &&
		    !(rc = count_rows(db, events_sql, NULL, 0, &sum->events)) &&
		    !(rc = count_rows(db, progress_sql, NULL, 0, &(long long){ 0 })) &&
		    !(rc = count_rows(db, ratings_sql, NULL, 0, &sum->ratings)) && progress)
			progress(arg, "viewers", h, spec->viewers);
	}
	if (rc || (rc = sf_db_exec(db, "ALTER TABLE ratings ENABLE TRIGGER ratings_count")) ||
	    (rc = sf_db_exec(db, rating_counts_sql)))
		return rc;
	return sf_db_exec(db, "ANALYZE accounts, profiles, watch_events, watch_progress, ratings");
}
