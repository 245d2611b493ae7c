/*
 * recs_build.c - "sf recs build": precompute the models of recs.h.
 *
 * Everything is set-based SQL run inside the server: the interactions
 * are gathered once into a temporary table, the co-viewing self-join
 * runs in chunks of titles (for the progress display and to bound each
 * statement's memory), and the results land in temporary tables that
 * replace the stored ones at the end.  The whole build is one
 * transaction, so readers see the old models until it commits and a
 * failed build leaves them as they were.
 *
 * An incremental build recomputes the neighbours of the touched titles
 * only (recs_touched): those with progress received, ratings changed or
 * metadata edited since the last build began (less a minute, for
 * transactions that were in flight), and published titles with no
 * neighbours yet.  Interactions, norms and the title statistics are
 * always computed whole: they are the cheap part, and the neighbours of
 * the touched titles need them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "recs.h"
#include "xalloc.h"

#define S_(x) #x
#define S(x) S_(x)

struct build {
	bool incremental;     /* asked for; done only when there was a build before */
	sf_recs_progress_fn *progress;
	void *arg;
	json_t *sum;
	double t0;
};

static double now_ms(void);

static void progress(struct build *b, const char *step, long long done, long long total)
{
	if (b->progress)
		b->progress(b->arg, step, done, total);
}

/* Interactions: one row a profile and title, its weight, and its time;
 * only the profile's most recent SF_RECS_HISTORY titles. */
static const char interactions_sql[] =
	"CREATE TEMP TABLE recs_ri ON COMMIT DROP AS"
	" SELECT profile_id, title_id, w FROM ("
	"   SELECT coalesce(p.profile_id, r.profile_id) AS profile_id,"
	"          coalesce(p.title_id, r.title_id) AS title_id,"
	"          CASE WHEN r.stars <= 2 THEN 0"
	"               WHEN r.stars >= 4 OR p.done THEN 1.0 ELSE 0.5 END::float8 AS w,"
	"          row_number() OVER (PARTITION BY coalesce(p.profile_id, r.profile_id)"
	"                             ORDER BY greatest(p.at, r.updated_at) DESC) AS n"
	"     FROM (SELECT profile_id, title_id, bool_or(completed_at IS NOT NULL) AS done,"
	"                  max(at) AS at"
	"             FROM watch_progress GROUP BY profile_id, title_id) p"
	"     FULL JOIN ratings r ON r.profile_id = p.profile_id AND r.title_id = p.title_id"
	" ) x WHERE w > 0 AND n <= " S(SF_RECS_HISTORY);

/* Co-viewing of the titles lo..hi with every other title: shrunk
 * cosine, the best SF_RECS_NEIGHBOURS of each. */
static const char cf_sql[] =
	"INSERT INTO recs_nb (title_id, source, rank, neighbour_id, score)"
	" SELECT i, 'cf', r, j, s FROM ("
	"   SELECT i, j, s, row_number() OVER (PARTITION BY i ORDER BY s DESC, j) AS r FROM ("
	"     SELECT a.title_id AS i, b.title_id AS j,"
	"            (sum(a.w * b.w) / (na.norm * nb.norm)"
	"             * count(*) / (count(*) + " S(SF_RECS_SHRINK) ".0))::real AS s"
	"       FROM recs_ri a"
	"       JOIN recs_ri b ON b.profile_id = a.profile_id AND b.title_id <> a.title_id"
	"       JOIN recs_norm na ON na.title_id = a.title_id"
	"       JOIN recs_norm nb ON nb.title_id = b.title_id"
	"      WHERE a.title_id BETWEEN $1 AND $2"
	"        AND ($3::boolean OR a.title_id IN (SELECT title_id FROM recs_touched))"
	"      GROUP BY a.title_id, b.title_id, na.norm, nb.norm"
	"     HAVING count(*) >= 2) p) q"
	" WHERE r <= " S(SF_RECS_NEIGHBOURS);

/* The content features of published titles: genres, first genre and
 * decade (the bucket), and the rank in the bucket by popularity. */
static const char content_features_sql[] =
	"CREATE TEMP TABLE recs_tc ON COMMIT DROP AS"
	" SELECT t.id, coalesce(t.year, extract(year FROM t.release_date)::int, 2000) AS y,"
	"        coalesce(g.g, '{}') AS g,"
	"        row_number() OVER (PARTITION BY g.g[1], coalesce(t.year, 2000) / 10"
	"                           ORDER BY t.popularity DESC, t.id) AS r,"
	"        coalesce(g.g[1], 0) * 1000 + coalesce(t.year, 2000) / 10 AS bucket"
	"   FROM titles t"
	"   LEFT JOIN LATERAL (SELECT array_agg(genre_id ORDER BY genre_id) AS g"
	"                        FROM title_genres WHERE title_id = t.id) g ON true"
	"  WHERE t.status = 'published';"
	"CREATE INDEX ON recs_tc (bucket, r);"
	"CREATE INDEX ON recs_tc (id);"
	"ANALYZE recs_tc";

static const char content_sql[] =
	"INSERT INTO recs_nb (title_id, source, rank, neighbour_id, score)"
	" SELECT i, 'content', r, j, s FROM ("
	"   SELECT i, j, s, row_number() OVER (PARTITION BY i ORDER BY s DESC, j) AS r FROM ("
	"     SELECT c.i, c.j, (0.5 * CASE WHEN cardinality(a.g) + cardinality(b.g) = 0 THEN 0"
	"                  ELSE (SELECT count(*) FROM unnest(a.g) x WHERE x = ANY (b.g))::float8"
	"                       / (cardinality(a.g) + cardinality(b.g)"
	"                          - (SELECT count(*) FROM unnest(a.g) x WHERE x = ANY (b.g))) END"
	"            + 0.3 * least(c.sp, 2) / 2.0"
	"            + 0.2 * exp(-abs(a.y - b.y) / 8.0))::real AS s"
	"       FROM (SELECT i, j, max(sp) AS sp FROM ("
	"               SELECT a.id AS i, b.id AS j, 0 AS sp"
	"                 FROM recs_tc a JOIN recs_tc b"
	"                   ON b.bucket = a.bucket AND b.r BETWEEN a.r - 40 AND a.r + 40"
	"                  AND b.id <> a.id"
	"                WHERE a.id BETWEEN $1 AND $2"
	"                  AND ($3::boolean OR a.id IN (SELECT title_id FROM recs_touched))"
	"               UNION ALL"
	"               SELECT c1.title_id, c2.title_id, count(DISTINCT c1.person_id)"
	"                 FROM credits c1"
	"                 JOIN recs_busy_ok p ON p.person_id = c1.person_id"
	"                 JOIN credits c2 ON c2.person_id = c1.person_id"
	"                  AND c2.title_id <> c1.title_id"
	"                WHERE c1.title_id BETWEEN $1 AND $2"
	"                  AND ($3::boolean OR c1.title_id IN (SELECT title_id FROM recs_touched))"
	"                GROUP BY c1.title_id, c2.title_id) u"
	"             GROUP BY i, j) c"
	"       JOIN recs_tc a ON a.id = c.i"
	"       JOIN recs_tc b ON b.id = c.j) p) q"
	" WHERE r <= " S(SF_RECS_CONTENT_NEIGHBOURS);

static const char stats_sql[] =
	"CREATE TEMP TABLE recs_ts ON COMMIT DROP AS"
	" WITH recent AS ("
	"   SELECT title_id, profile_id, max(at) AS at FROM watch_progress"
	"    WHERE at > now() - interval '7 days' AND at <= now() + interval '5 minutes'"
	"    GROUP BY title_id, profile_id"
	" ), trend AS ("
	"   SELECT title_id, count(*) AS plays,"
	"          sum(exp(-ln(2) * greatest(0, extract(epoch FROM now() - at)) / 172800.0)) AS trend,"
	"          count(*) FILTER (WHERE at > now() - interval '24 hours') AS today"
	"     FROM recent GROUP BY title_id"
	" ), viewers AS ("
	"   SELECT title_id, count(*) AS n FROM recs_ri GROUP BY title_id"
	" ), mean AS ("
	"   SELECT coalesce(sum(rating_sum)::float8 / nullif(sum(rating_count), 0), 3) AS m"
	"     FROM titles"
	" )"
	" SELECT t.id AS title_id, coalesce(v.n, 0)::int AS viewers,"
	"        coalesce(tr.plays, 0)::int AS plays_7d, coalesce(tr.trend, 0)::real AS trend,"
	"        coalesce(tr.today, 0) AS today,"
	"        CASE WHEN t.rating_count >= " S(SF_RECS_MIN_RATINGS)
	"             THEN ((" S(SF_RECS_MIN_RATINGS) " * mean.m + t.rating_sum)"
	"                   / (" S(SF_RECS_MIN_RATINGS) " + t.rating_count))::real END AS bayes,"
	"        (ln(1 + coalesce(v.n, 0)) + 0.5 * ln(1 + coalesce(tr.trend, 0))"
	"         + 0.2 * ln(1 + t.popularity))::real AS score"
	"   FROM titles t CROSS JOIN mean"
	"   LEFT JOIN viewers v ON v.title_id = t.id"
	"   LEFT JOIN trend tr ON tr.title_id = t.id";

/* $1: since when (the last build's start, less a minute).  Titles whose
 * neighbours an incremental build recomputes. */
static const char touched_sql[] =
	"INSERT INTO recs_touched"
	" SELECT title_id FROM watch_progress WHERE received_at >= $1::timestamptz"
	" UNION SELECT title_id FROM ratings WHERE updated_at >= $1::timestamptz"
	" UNION SELECT id FROM titles WHERE updated_at >= $1::timestamptz"
	" UNION SELECT id FROM titles t WHERE status = 'published'"
	"   AND NOT EXISTS (SELECT FROM recs_neighbours n WHERE n.title_id = t.id)";

/* The neighbours: all of them, or the touched titles' ($1 false). */
static const char store_neighbours_sql[] =
	"DELETE FROM recs_neighbours"
	" WHERE $1::boolean OR title_id IN (SELECT title_id FROM recs_touched)";

static const char store_sql[] =
	"INSERT INTO recs_neighbours SELECT * FROM recs_nb;"
	"DELETE FROM recs_title_stats;"
	"INSERT INTO recs_title_stats (title_id, viewers, plays_7d, trend, top10, bayes, score)"
	" SELECT s.title_id, s.viewers, s.plays_7d, s.trend, t.rank, s.bayes, s.score"
	"   FROM recs_ts s LEFT JOIN ("
	"        SELECT title_id, row_number() OVER (ORDER BY today DESC, trend DESC, title_id)"
	"               AS rank"
	"          FROM recs_ts s JOIN titles t ON t.id = s.title_id"
	"         WHERE today > 0 AND t.status = 'published'"
	"         ORDER BY today DESC, trend DESC, title_id LIMIT 10) t USING (title_id);"
	"DELETE FROM recs_genre_popular;"
	"INSERT INTO recs_genre_popular (genre_id, rank, title_id, score)"
	" SELECT genre_id, r, title_id, score FROM ("
	"   SELECT tg.genre_id, tg.title_id, s.score,"
	"          row_number() OVER (PARTITION BY tg.genre_id ORDER BY s.score DESC, tg.title_id)"
	"          AS r"
	"     FROM title_genres tg JOIN recs_ts s USING (title_id)"
	"     JOIN titles t ON t.id = tg.title_id WHERE t.status = 'published') g"
	"  WHERE r <= " S(SF_RECS_GENRE_TOP) ";"
	"ANALYZE recs_neighbours, recs_title_stats, recs_genre_popular";

static long long count_of(struct sf_db *db, const char *sql, int *rc)
{
	PGresult *res = NULL;
	long long n = 0;

	if (*rc)
		return 0;
	*rc = sf_db_query(db, &res, sql, SF_NOARGS);
	if (!*rc)
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

/* Runs sql over title ids lo..hi of [min, max] in about `chunks` slices,
 * all of them ($3 true) or the touched ones. */
static int chunked(struct sf_db *db, struct build *b, const char *step, const char *sql,
		   long long min, long long max, int chunks)
{
	long long span = (max - min) / chunks + 1;
	const char *all = b->incremental ? "false" : "true";
	int rc = 0;

	progress(b, step, 0, max - min + 1);
	for (long long lo = min; lo <= max && !rc; lo += span) {
		char l[SF_INT_STR_MAX], h[SF_INT_STR_MAX];
		long long hi = lo + span - 1 < max ? lo + span - 1 : max;

		rc = sf_db_query(db, NULL, sql,
				 SF_ARGS(sf_db_fmt_int(l, lo), sf_db_fmt_int(h, hi), all));
		progress(b, step, hi - min + 1, max - min + 1);
	}
	return rc;
}

/* The ids sql's one row gives as lo and hi; an empty range (max < min)
 * when they are null. */
static int id_range(struct sf_db *db, const char *sql, long long *min, long long *max)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, sql, SF_NOARGS);

	*min = 0;
	*max = -1;
	if (!rc && !sf_db_isnull(res, 0, "lo")) {
		*min = sf_db_int(res, 0, "lo");
		*max = sf_db_int(res, 0, "hi");
	}
	PQclear(res);
	return rc;
}

/* Records the build in recs_state: homepages cached before it are stale.
 * built_at is when the build's transaction began: the next incremental
 * build looks at what came after. */
static int record(struct sf_db *db, struct build *b)
{
	char ms[SF_INT_STR_MAX];
	char *summary;
	int rc;

	json_object_set_new(b->sum, "milliseconds",
			    json_integer((json_int_t)(now_ms() - b->t0 + 0.5)));
	summary = json_dumps(b->sum, JSON_COMPACT | JSON_PRESERVE_ORDER);
	rc = sf_db_query(db, NULL,
		"INSERT INTO recs_state (built_at, milliseconds, summary)"
		" VALUES (now(), $1, $2)"
		" ON CONFLICT (one) DO UPDATE SET built_at = EXCLUDED.built_at,"
		"   milliseconds = EXCLUDED.milliseconds, summary = EXCLUDED.summary",
		SF_ARGS(sf_db_fmt_int(ms, json_integer_value(json_object_get(b->sum, "milliseconds"))),
			summary));
	free(summary);
	return rc;
}

static int build(struct sf_db *db, void *arg)
{
	struct build *b = arg;
	PGresult *res = NULL;
	long long min = 0, max = -1;
	int rc;

	json_decref(b->sum);
	b->sum = json_object();
	rc = sf_db_exec(db, "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off;"
			"SET LOCAL max_parallel_workers_per_gather = 2;"
			"CREATE TEMP TABLE recs_touched (title_id bigint PRIMARY KEY) ON COMMIT DROP");
	if (!rc && b->incremental) {
		/* Only after a build: the first is whole. */
		rc = sf_db_query(db, &res, "SELECT (built_at - interval '1 minute')::text AS since"
				 " FROM recs_state", SF_NOARGS);
		if (!rc && PQntuples(res) == 1)
			rc = sf_db_query(db, NULL, touched_sql, SF_ARGS(sf_db_str(res, 0, "since")));
		else
			b->incremental = false;
		PQclear(res);
		res = NULL;
		if (!rc)
			rc = sf_db_exec(db, "ANALYZE recs_touched");
	}
	json_object_set_new(b->sum, "incremental", json_boolean(b->incremental));
	json_object_set_new(b->sum, "touched", b->incremental ? json_integer(count_of(db,
		"SELECT count(*) FROM recs_touched", &rc)) : json_null());
	progress(b, "interactions", 0, 1);
	if (!rc)
		rc = sf_db_exec(db, interactions_sql);
	if (!rc)
		rc = sf_db_exec(db, "CREATE INDEX ON recs_ri (profile_id);"
				"CREATE INDEX ON recs_ri (title_id); ANALYZE recs_ri;"
				"CREATE TEMP TABLE recs_norm ON COMMIT DROP AS"
				" SELECT title_id, sqrt(sum(w * w)) AS norm FROM recs_ri"
				" GROUP BY title_id;"
				"CREATE UNIQUE INDEX ON recs_norm (title_id); ANALYZE recs_norm;"
				"CREATE TEMP TABLE recs_nb (LIKE recs_neighbours) ON COMMIT DROP;"
				"CREATE TEMP TABLE recs_busy_ok ON COMMIT DROP AS"
				" SELECT person_id FROM credits GROUP BY person_id"
				" HAVING count(*) BETWEEN 2 AND 50");
	json_object_set_new(b->sum, "interactions",
			    json_integer(count_of(db, "SELECT count(*) FROM recs_ri", &rc)));
	json_object_set_new(b->sum, "profiles", json_integer(count_of(db,
		"SELECT count(DISTINCT profile_id) FROM recs_ri", &rc)));
	progress(b, "interactions", 1, 1);
	if (!rc)
		rc = id_range(db, "SELECT min(title_id) AS lo, max(title_id) AS hi FROM recs_norm",
			      &min, &max);
	if (!rc && max >= min)
		rc = chunked(db, b, "cf", cf_sql, min, max, 16);

	if (!rc)
		rc = sf_db_exec(db, content_features_sql);
	if (!rc)
		rc = id_range(db, "SELECT min(id) AS lo, max(id) AS hi FROM recs_tc", &min, &max);
	if (!rc && max >= min)
		rc = chunked(db, b, "content", content_sql, min, max, 16);

	progress(b, "stats", 0, 1);
	if (!rc)
		rc = sf_db_exec(db, stats_sql);
	progress(b, "stats", 1, 1);
	progress(b, "store", 0, 1);
	if (!rc)
		rc = sf_db_query(db, NULL, store_neighbours_sql,
				 SF_ARGS(b->incremental ? "false" : "true"));
	if (!rc)
		rc = sf_db_exec(db, store_sql);
	progress(b, "store", 1, 1);
	json_object_set_new(b->sum, "titles", json_integer(count_of(db,
		"SELECT count(*) FROM recs_title_stats", &rc)));
	json_object_set_new(b->sum, "cf_neighbours", json_integer(count_of(db,
		"SELECT count(*) FROM recs_neighbours WHERE source = 'cf'", &rc)));
	json_object_set_new(b->sum, "content_neighbours", json_integer(count_of(db,
		"SELECT count(*) FROM recs_neighbours WHERE source = 'content'", &rc)));
	json_object_set_new(b->sum, "trending", json_integer(count_of(db,
		"SELECT count(*) FROM recs_title_stats WHERE trend > 0", &rc)));
	json_object_set_new(b->sum, "top10", json_integer(count_of(db,
		"SELECT count(*) FROM recs_title_stats WHERE top10 IS NOT NULL", &rc)));
	json_object_set_new(b->sum, "top_rated", json_integer(count_of(db,
		"SELECT count(*) FROM recs_title_stats WHERE bayes IS NOT NULL", &rc)));
	return rc ? rc : record(db, b);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int sf_recs_build(struct sf_db *db, const struct sf_actor *actor, bool incremental,
		  sf_recs_progress_fn *fn, void *arg, json_t **out)
{
	struct build b = { .incremental = incremental, .progress = fn, .arg = arg,
			   .t0 = now_ms() };
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)))
		return rc;
	rc = sf_db_tx(db, 0, build, &b);
	if (rc) {
		json_decref(b.sum);
		return rc;
	}
	*out = b.sum;
	return 0;
}
