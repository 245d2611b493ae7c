#!/usr/bin/env bash
# home.sh - the personalized homepage at scale (make bench; not
# pass/fail), in a throwaway cluster of its own.
#
# Generates a catalog ("sf demo generate") and synthetic viewers with
# hidden tastes in SQL: each viewer has two favourite genres and a
# "cluster" (a quarter of each genre's titles); 80% of its plays are of
# its genres, most of those in its cluster, the rest anywhere, skewed
# to popular titles, over the last 30 days.  Then: "sf recs build" time;
# "sf home" p50/p95/p99 uncached (--fresh) and cached through sf serve
# (curl, one request at a time) and in the CLI (process start and
# connection included); and "sf recs eval" on the same plays, for
# hybrid NDCG@10 against popularity's.
#
# Targets (issue 8): 100,000 titles, 200,000 profiles, 10,000,000 watch
# events; home p99 <= 20 ms cached and <= 100 ms uncached; hybrid
# NDCG@10 >= 1.5x popularity.  Sizes: SF_BENCH_HOME_TITLES (100000),
# SF_BENCH_HOME_VIEWERS (200000), SF_BENCH_HOME_PLAYS (5000000: two
# events a play), SF_BENCH_HOME_REQUESTS (200).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../harness/pg.sh"

titles=${SF_BENCH_HOME_TITLES:-100000}
viewers=${SF_BENCH_HOME_VIEWERS:-200000}
plays=${SF_BENCH_HOME_PLAYS:-5000000}
requests=${SF_BENCH_HOME_REQUESTS:-200}
per=$(( plays / viewers ))

echo "## homepage: $titles titles, $viewers viewers, $plays plays ($((plays * 2)) events)"
echo
work=$SF_TEST_TMP/home
pg=$SF_TEST_TMP/pg-home
mkdir -p "$work"
chmod 755 "$work"
pg_start "$pg" >/dev/null
serve_pid=
cleanup() {
	if [ -n "$serve_pid" ]; then kill -TERM "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; fi
	pg_stop "$pg"
}
trap cleanup EXIT
export PGHOST=$pg PGUSER=sf
psql -qX -d postgres -c 'CREATE DATABASE bench' >/dev/null
export SF_DATABASE_URL="host=$PGHOST user=sf dbname=bench"
export SF_HOME=$work/home SF_SECRET=bench-secret-bench-secret-bench-secret-0123
"$SF_BIN" db migrate >/dev/null
t0=$EPOCHREALTIME
"$SF_BIN" demo generate --titles "$titles" >/dev/null
echo Secret123 | "$SF_BIN" user add --email bench@example.com --username bench --password-stdin >/dev/null
psql -qX -d bench -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET work_mem = '256MB';
INSERT INTO accounts (email, username, password_hash)
SELECT 'viewer' || i || '@demo.invalid', 'viewer' || i, '!' FROM generate_series(1, $viewers) i;
INSERT INTO profiles (account_id, name, maturity)
SELECT id, username, 6 FROM accounts WHERE email LIKE '%@demo.invalid';
CREATE TEMP TABLE gt AS
SELECT row_number() OVER (ORDER BY tg.genre_id) AS g, array_agg(t.id ORDER BY t.popularity DESC) AS ids
  FROM title_genres tg JOIN titles t ON t.id = tg.title_id
 WHERE t.kind = 'movie' AND sf_title_visible(t) GROUP BY tg.genre_id;
CREATE TEMP TABLE v AS
SELECT p.id AS profile_id, row_number() OVER (ORDER BY p.id) AS n FROM profiles p
  JOIN accounts a ON a.id = p.account_id WHERE a.email LIKE '%@demo.invalid';
CREATE TEMP TABLE plays AS
SELECT DISTINCT ON (profile_id, title_id) profile_id, title_id, at FROM (
  SELECT v.profile_id, x.ids[1 + CASE WHEN u2 < 0.7
             THEN (c + 4 * floor((cardinality(x.ids) / 4 - 1) * u3 ^ 2))::int % cardinality(x.ids)
             ELSE floor(cardinality(x.ids) * u3 ^ 2)::int END] AS title_id,
         now() - interval '30 days' + (j::float8 / $per) * interval '30 days' AS at
    FROM v CROSS JOIN generate_series(1, $per) j
    CROSS JOIN LATERAL (SELECT (hashint8extended(v.n * 7919 + j, 1) & 1023) / 1024.0 AS u1,
                               (hashint8extended(v.n * 7919 + j, 2) & 1023) / 1024.0 AS u2,
                               (hashint8extended(v.n * 7919 + j, 3) & 1023) / 1024.0 AS u3,
                               (hashint8extended(v.n, 4) & 3) AS c,
                               1 + (hashint8extended(v.n, 5) & 1023) % (SELECT count(*) FROM gt) AS g1,
                               1 + (hashint8extended(v.n, 6) & 1023) % (SELECT count(*) FROM gt) AS g2,
                               1 + (hashint8extended(v.n * 7919 + j, 7) & 1023) % (SELECT count(*) FROM gt) AS gr) h
    JOIN gt x ON x.g = CASE WHEN u1 < 0.45 THEN g1 WHEN u1 < 0.8 THEN g2 ELSE gr END) p
 WHERE title_id IS NOT NULL ORDER BY profile_id, title_id, at;
INSERT INTO watch_events (profile_id, title_id, kind, position_s, duration_s, at)
SELECT profile_id, title_id, k, CASE k WHEN 'start' THEN 0 ELSE 5400 END, 5400,
       CASE k WHEN 'start' THEN at - interval '90 minutes' ELSE at END
  FROM plays CROSS JOIN unnest(ARRAY['start', 'complete']) k;
INSERT INTO watch_progress (profile_id, title_id, position_s, duration_s, at, completed, completed_at)
SELECT profile_id, title_id, 5400, 5400, at, true, at FROM plays;
\copy (SELECT profile_id, title_id, 5, extract(epoch FROM at)::bigint FROM plays) TO '$work/plays.tsv'
ANALYZE;
SQL
echo "generated in $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000000 )) s"
t0=$EPOCHREALTIME
"$SF_BIN" recs build >/dev/null
echo "sf recs build: $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
echo

port=${SF_BENCH_HOME_PORT:-18089}
"$SF_BIN" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d '{"email":"bench@example.com","password":"Secret123"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# The bench account's profile watches what one synthetic viewer watched.
me=$(psql -qAtX -d bench -c "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id
	WHERE a.email = 'bench@example.com'")
psql -qAtX -d bench -c "INSERT INTO watch_progress (profile_id, title_id, position_s, duration_s, at,
	completed, completed_at) SELECT $me, title_id, position_s, duration_s, at, completed, completed_at
	FROM watch_progress WHERE profile_id = (SELECT min(profile_id) FROM watch_progress
	WHERE profile_id <> $me)" >/dev/null
: >"$work/cold" ; : >"$work/warm"
for _ in $(seq "$requests"); do
	# Uncached: the first request after the profile's own change.
	psql -qAtX -d bench -c "UPDATE home_generations SET generation = generation + 1 WHERE profile_id = $me" >/dev/null
	curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
		"http://127.0.0.1:$port/api/v1/home?profile=$me" >>"$work/cold"
	curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
		"http://127.0.0.1:$port/api/v1/home?profile=$me" >>"$work/warm"
done
ids=$(psql -qAtX -d bench -c "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id
	WHERE a.email LIKE '%@demo.invalid' ORDER BY hashint8(p.id) LIMIT 1")
bench_header "sf home (CLI: process, connection, page)"
one=$(echo "$ids" | head -1)
bench_cmd "sf home, uncached (--fresh)" 50 "$SF_BIN" home "$one" --fresh --json
bench_cmd "sf home, cached" 50 "$SF_BIN" home "$one" --json
bench_cmd "sf version (process start only)" 50 "$SF_BIN" version
echo
echo "curl GET /api/v1/home (uncached, cached) p50 p95 p99 max ms:"
awk '{ print int($1 * 1000000) }' "$work/cold" >"$work/cold.us"; bench_pcts "$work/cold.us"
awk '{ print int($1 * 1000000) }' "$work/warm" >"$work/warm.us"; bench_pcts "$work/warm.us"
echo
echo "sf recs eval on the same plays (time split):"
"$SF_BIN" recs eval --ratings "$work/plays.tsv" --k 10
