#!/usr/bin/env bash
# serve.sh - sf serve under load (make bench; not pass/fail), in a
# throwaway cluster of its own with the scale catalog ("sf demo
# generate").
#
# wrk drives a running sf serve over TCP with 64 connections, one kind of
# request at a time: title detail by id, search, My List GET, progress
# PUT (tests/bench/serve.lua: random titles from a set the viewer sees,
# random positions; requests/s and p50/p99 latency).  Right after each,
# pgbench runs the same SQL statements directly against the same
# database: the statements that sf serve ran for one such request (token
# check included), taken from the server's statement log with their
# parameters, one pgbench script per title of the set (-M prepared, the
# same 64 clients, the same duration), and once more with as many clients
# as sf serve has database connections (one per worker thread): 64
# backends on a few cores contend, so both ratios are shown.  The ratio
# of sf serve's requests/s to pgbench's transactions/s is what the HTTP
# layer, JSON and the round trips between sf serve and PostgreSQL cost.
#
# Targets: ratio >= 0.6 for the single-query endpoints; title detail p99
# <= 10 ms.  The machine may be shared and loaded: compare ratios
# measured side by side, not absolute numbers between runs.  Sizes:
# SF_BENCH_SERVE_TITLES (100000), SF_BENCH_SERVE_EPISODES (1000000),
# SF_BENCH_SERVE_SECONDS (10 per run), SF_BENCH_SERVE_CONNECTIONS (64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../harness/pg.sh"

titles=${SF_BENCH_SERVE_TITLES:-100000}
episodes=${SF_BENCH_SERVE_EPISODES:-1000000}
secs=${SF_BENCH_SERVE_SECONDS:-10}
conns=${SF_BENCH_SERVE_CONNECTIONS:-64}
threads=$(nproc)

echo "## sf serve under load: $titles titles, $conns connections, ${secs} s a run"
echo
for tool in wrk pgbench curl; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "note: $tool is not installed (make deps installs it); skipped"
		exit 0
	fi
done

bench_db serve
log=$bench_pg/server.log
"$SF_BIN" demo generate --titles "$titles" --episodes "$episodes" >/dev/null
echo Secret123 | "$SF_BIN" user add --email bench@example.com --username bench \
	--password-stdin >/dev/null
profile=$(psql -qAtX -d bench -c "SELECT p.id FROM profiles p JOIN accounts a
	ON a.id = p.account_id WHERE a.email = 'bench@example.com'")
# 50 titles the viewer sees (published, in their window, everywhere).
psql -qAtX -d bench -c "SELECT id FROM titles WHERE status = 'published'
	AND (available_from IS NULL OR available_from <= now())
	AND (available_until IS NULL OR available_until > now())
	AND regions = '{}' AND kind = 'movie' ORDER BY id LIMIT 200" | shuf -n 50 --random-source=<(yes) >"$work/ids"

# serve [PGOPTIONS]: starts sf serve on a free port; sets base.
serve() {
	PGOPTIONS=${1:-} "$SF_BIN" serve --listen 127.0.0.1:0 --threads "$threads" \
		--max-connections-per-address 1000 >/dev/null 2>"$work/serve.err" &
	serve_pid=$!
	for _ in $(seq 1 200); do
		base=$(sed -n 's/^sf: serving on \([^ ]*\) .*/\1/p' "$work/serve.err")
		[ -n "$base" ] && return 0
		sleep 0.05
	done
	echo "sf serve did not start:"; cat "$work/serve.err"; exit 0
}
unserve() {
	kill -TERM "$serve_pid"; wait "$serve_pid" || true; serve_pid=
}
call() {   # call METHOD PATH [BODY]: prints the status
	local args=(-s -o "$work/out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $token")
	[ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' --data-binary "$3")
	curl "${args[@]}" "http://$base$2"
}

serve
curl -s -o "$work/out" -X POST -H 'Content-Type: application/json' \
	--data-binary '{"email":"bench@example.com","password":"Secret123"}' \
	"http://$base/api/v1/auth/login"
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$work/out")
for id in $(head -20 "$work/ids"); do
	call POST /api/v1/my-list "{\"title\":\"$id\"}" >/dev/null
done
unserve
psql -qX -d bench -c 'VACUUM ANALYZE' >/dev/null   # no autovacuum in the runs

# The kinds: name, method, path with {id}, body with {pos}.
kinds=$(cat <<'K'
title_detail GET /api/v1/titles/{id} -
search GET /api/v1/search?q=love -
my_list GET /api/v1/my-list -
progress_put PUT /api/v1/titles/{id}/progress {"position":{pos},"duration":6000}
K
)

# The statements of one request of each kind, from the statement log:
# a warm-up request first (the worker connects), then one logged.
serve "-c log_min_duration_statement=0"
while read -r name method path body; do
	id=$(head -1 "$work/ids")
	p=${path//\{id\}/$id}
	b=${body//\{pos\}/4321}
	[ "$body" = - ] && b=
	for pass in warm log; do
		off=$(stat -c %s "$log")
		if [ -n "$b" ]; then st=$(call "$method" "$p" "$b"); else st=$(call "$method" "$p"); fi
		sleep 0.2   # let the log catch up
	done
	[ "${st:0:1}" = 2 ] || echo "note: $method $p answered $st: $(head -c 200 "$work/out")"
	tail -c +"$((off + 1))" "$log" | python3 -c '
import re, sys
entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", sys.stdin.read())
for k, e in enumerate(entries):
    m = re.search(r"LOG:  duration: [0-9.]+ ms  (?:execute [^:]*|statement): (.*)", e, re.S)
    if not m:
        continue
    params = {}
    if k + 1 < len(entries) and "DETAIL:  parameters:" in entries[k + 1]:
        for p in re.finditer(r"\$(\d+) = (NULL|\x27(?:[^\x27]|\x27\x27)*\x27)", entries[k + 1]):
            params[p.group(1)] = p.group(2)
    sql = re.sub(r"\$(\d+)", lambda p: params.get(p.group(1), "NULL"), m.group(1).strip())
    print(" ".join(sql.split()) + ";")
' >"$work/$name.sql"
done <<<"$kinds"
unserve

# One pgbench script per title of the set; {pos} a random position.
scripts() {   # scripts NAME: the -f arguments
	local name=$1 n=0 first
	first=$(head -1 "$work/ids")
	while read -r id; do
		n=$((n + 1))
		{
			echo '\set pos random(1, 5000)'
			sed -e "s/'$first'/'$id'/g" -e "s/'4321'/:pos/g" -e "s/4321/:pos/g" "$work/$name.sql"
		} >"$work/$name.$n.pgb"
		printf -- '-f %s ' "$work/$name.$n.pgb"
	done <"$work/ids"
}

# pgb NAME CLIENTS: pgbench's transactions/s over NAME's scripts.
pgb() {
	local tps
	# shellcheck disable=SC2046
	tps=$(pgbench -n -M prepared -c "$2" -j "$threads" -T "$secs" $(scripts "$1") bench \
		2>"$work/$1.pgerr" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -1)
	[ -n "$tps" ] || { tps=0; echo "note: pgbench $1: $(grep -m1 -i error "$work/$1.pgerr")" >&2; }
	echo "$tps"
}
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

serve
printf '| %-14s | %9s | %8s | %8s | %4s | %5s | %11s | %5s | %11s | %5s |\n' endpoint "sf req/s" \
	"p50 ms" "p99 ms" errs stmts "pgb tps $conns" ratio "pgb tps $threads" ratio
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' ---------------- ----------- ---------- ---------- ------ \
	------- ------------- ------- ------------- -------
while read -r name method path body; do
	while read -r id; do echo "${path//\{id\}/$id}"; done <"$work/ids" >"$work/$name.paths"
	if [ "$body" = - ]; then body=; fi
	SF_TOKEN=$token SF_METHOD=$method SF_PATHS=$work/$name.paths SF_BODY=${body:-} \
		wrk -t "$threads" -c "$conns" -d "${secs}s" --timeout 10s -s "$here/serve.lua" \
		"http://$base" >"$work/$name.wrk" 2>&1 || true
	read -r _ rps p50 p99 _ errs <<<"$(grep '^RESULT' "$work/$name.wrk" || echo "RESULT 0 0 0 0 0")"
	tps=$(pgb "$name" "$conns")
	tps2=$(pgb "$name" "$threads")
	nst=$(grep -vc '^\\' "$work/$name.1.pgb")
	printf '| %-14s | %9.0f | %8.2f | %8.2f | %4d | %5d | %13.0f | %5s | %13.0f | %5s |\n' "$name" \
		"$rps" "$p50" "$p99" "$errs" "$nst" "$tps" "$(ratio "$rps" "$tps")" "$tps2" \
		"$(ratio "$rps" "$tps2")"
done <<<"$kinds"
unserve
echo
echo "sf req/s and pgbench tps are measured one after the other on the same"
echo "machine and database; errs counts non-2xx answers and socket errors;"
echo "stmts: what one request runs in PostgreSQL (pgbench runs the same, as one"
echo "transaction); pgb tps $conns: pgbench with the same $conns clients; pgb tps"
echo "$threads: with as many clients as sf serve has connections ($threads worker threads)."
echo "Targets: ratio >= 0.6 for single-query endpoints, title detail p99 <= 10 ms."
