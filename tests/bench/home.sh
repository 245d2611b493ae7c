#!/usr/bin/env bash
# home.sh - the personalized homepage at scale (make bench; not
# pass/fail), in a throwaway cluster of its own.
#
# Generates a catalog and synthetic viewers with hidden tastes ("sf demo
# generate --viewers", lib/demo_viewers.h), then reports: the generation,
# "sf recs build" times, whole and incremental (after a minute's
# viewing by 1,000 viewers); the homepage's p50/p95/p99 computed
# ("uncached": the first request after the profile's own change) and
# from the cache, in-process (home_bench.t: sf_homepage() over one
# connection, for many profiles), through sf serve (curl, one request at
# a time) and in the CLI (process start and connection included); and
# "sf recs eval" on a sample of the same plays, hybrid NDCG@10 against
# popularity's.
#
# Targets (issue 8): 100,000 titles, 200,000 profiles, 10,000,000 watch
# events; home p99 <= 20 ms cached and <= 100 ms uncached; hybrid
# NDCG@10 >= 1.5x popularity.  Sizes: SF_BENCH_HOME_TITLES (100000),
# SF_BENCH_HOME_VIEWERS (200000), SF_BENCH_HOME_PLAYS (5000000: two
# events a play), SF_BENCH_HOME_PROFILES (50, in-process),
# SF_BENCH_HOME_ROUNDS (4), SF_BENCH_HOME_REQUESTS (200, curl),
# SF_BENCH_HOME_EVAL_VIEWERS (20000: the offline evaluation's sample).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../harness/pg.sh"

titles=${SF_BENCH_HOME_TITLES:-100000}
viewers=${SF_BENCH_HOME_VIEWERS:-200000}
plays=${SF_BENCH_HOME_PLAYS:-5000000}
nprofiles=${SF_BENCH_HOME_PROFILES:-50}
rounds=${SF_BENCH_HOME_ROUNDS:-4}
eval_viewers=${SF_BENCH_HOME_EVAL_VIEWERS:-20000}
requests=${SF_BENCH_HOME_REQUESTS:-200}
home_bench=$(dirname "$SF_BIN")/tests/bench/home_bench.t

echo "## homepage: $titles titles, $viewers viewers, about $plays plays (two events each)"
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
"$SF_BIN" demo generate --titles "$titles" --viewers "$viewers" --plays "$plays" --json >"$work/gen.json"
echo "sf demo generate: $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000000 )) s ($(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("%d viewers, %d plays, %d events, %d ratings" % (d["viewers"], d["plays"], d["events"], d["ratings"]))' "$work/gen.json"))"
echo Secret123 | "$SF_BIN" user add --email bench@example.com --username bench --password-stdin >/dev/null
psql -qX -d bench -c "\copy (SELECT profile_id, title_id, 5, extract(epoch FROM at)::bigint
	FROM watch_progress WHERE profile_id % ($viewers / $eval_viewers + 1) = 0) TO '$work/plays.tsv'" >/dev/null
psql -qX -d bench -c "\copy (SELECT t.id || '::' || replace(t.title, ':', ' ') || '::'
	|| string_agg(g.name, '|' ORDER BY g.name) FROM titles t JOIN title_genres tg ON tg.title_id = t.id
	JOIN genres g ON g.id = tg.genre_id GROUP BY t.id) TO '$work/items.dat'" >/dev/null
t0=$EPOCHREALTIME
"$SF_BIN" recs build >/dev/null
echo "sf recs build: $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
# A minute's viewing later: 1,000 viewers finish a title each.
sleep 61
psql -qX -d bench -c "INSERT INTO watch_progress (profile_id, title_id, position_s, duration_s, at,
	completed, completed_at)
	SELECT p.id, t.id, 5400, 5400, now(), true, now() FROM (SELECT id, row_number() OVER () AS n
	FROM profiles ORDER BY id LIMIT 1000) p JOIN (SELECT id, row_number() OVER (ORDER BY popularity
	DESC) AS n FROM titles WHERE kind = 'movie' AND status = 'published' LIMIT 500) t
	ON t.n = 1 + p.n % 500 ON CONFLICT DO NOTHING" >/dev/null
t0=$EPOCHREALTIME
"$SF_BIN" recs build --incremental --json >"$work/inc.json"
echo "sf recs build --incremental: $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms" \
	"($(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["touched"])' "$work/inc.json") titles touched)"
echo

# Profiles with history, spread over the ids.
psql -qAtX -d bench -c "SELECT a.username || '/' || p.name FROM profiles p
	JOIN accounts a ON a.id = p.account_id WHERE a.email LIKE '%@demo.invalid'
	ORDER BY hashint8(p.id) LIMIT $nprofiles" >"$work/profiles"
one=$(head -1 "$work/profiles")
pcts() { # pcts FILE: p50 p95 p99 max of the microseconds in FILE, as table cells
	local p; read -r -a p <<<"$(bench_pcts "$1")"
	printf '%s | %s | %s | %s' "${p[0]}" "${p[1]}" "${p[2]}" "${p[3]}"
}
echo "| homepage | samples | uncached p50 | p95 | p99 | max | cached p50 | p95 | p99 | max |"
echo "|---|---|---|---|---|---|---|---|---|---|"
if [ -x "$home_bench" ]; then
	"$home_bench" "$work/profiles" "$rounds" >"$work/inproc"
	awk '$1 == "uncached" { print $2 }' "$work/inproc" >"$work/inproc.cold"
	awk '$1 == "cached" { print $2 }' "$work/inproc" >"$work/inproc.warm"
	echo "| in-process (sf_homepage) | $(wc -l <"$work/inproc.cold") | $(pcts "$work/inproc.cold") | $(pcts "$work/inproc.warm") |"
else
	echo "note: $home_bench not built (make bench builds it); no in-process numbers" >&2
fi

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
	FROM watch_progress WHERE profile_id = (SELECT p.id FROM profiles p JOIN accounts a
	ON a.id = p.account_id WHERE a.username || '/' || p.name = '$one')" >/dev/null
: >"$work/cold" ; : >"$work/warm"
for _ in $(seq "$requests"); do
	# Uncached: the first request after the profile's own change.
	psql -qAtX -d bench -c "UPDATE home_generations SET generation = generation + 1 WHERE profile_id = $me" >/dev/null
	curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
		"http://127.0.0.1:$port/api/v1/home?profile=$me" >>"$work/cold"
	curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
		"http://127.0.0.1:$port/api/v1/home?profile=$me" >>"$work/warm"
done
awk '{ print int($1 * 1000000) }' "$work/cold" >"$work/cold.us"
awk '{ print int($1 * 1000000) }' "$work/warm" >"$work/warm.us"
echo "| sf serve (curl GET /api/v1/home) | $requests | $(pcts "$work/cold.us") | $(pcts "$work/warm.us") |"
: >"$work/cli.cold" ; : >"$work/cli.warm"
for _ in $(seq 30); do
	bench_elapsed "$SF_BIN" home "$one" --fresh --json >>"$work/cli.cold"
	bench_elapsed "$SF_BIN" home "$one" --json >>"$work/cli.warm"
done
echo "| CLI (sf home: process, connection, page) | 30 | $(pcts "$work/cli.cold") | $(pcts "$work/cli.warm") |"
echo
bench_header "for scale"
bench_cmd "sf version (process start only)" 30 "$SF_BIN" version
echo
echo "sf recs eval on the plays of about $eval_viewers of the viewers (time split, genres for the content model):"
"$SF_BIN" recs eval --ratings "$work/plays.tsv" --items "$work/items.dat" --k 10
