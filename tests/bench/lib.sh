# lib.sh - timing helpers for benchmark scripts.
#
# bench_cmd NAME N COMMAND...  runs COMMAND N times and prints one table
# row: name, runs, median, p95 and max in milliseconds.  Timing uses
# bash's EPOCHREALTIME (microseconds); output of the command is discarded.

bench_header() {
	printf '| %-44s | %5s | %9s | %9s | %9s |\n' "$1" runs "p50 ms" "p95 ms" "max ms"
	printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "-------" "-----------" \
		"-----------" "-----------"
}

bench_cmd() {
	local name=$1 n=$2 i t0 t1
	shift 2
	local samples=()
	for ((i = 0; i < n; i++)); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; return 1; }
		t1=$EPOCHREALTIME
		samples+=("$(( (${t1/./} - ${t0/./}) ))")
	done
	printf '%s\n' "${samples[@]}" | sort -n | awk -v name="$name" -v n="$n" '
		{ v[NR] = $1 }
		END {
			p50 = v[int((NR + 1) / 2)]; p95 = v[int(NR * 0.95 + 0.999)]; max = v[NR]
			printf "| %-44s | %5d | %9.2f | %9.2f | %9.2f |\n", name, n, p50 / 1000, p95 / 1000, max / 1000
		}'
}

# bench_pcts FILE: "p50 p95 p99 max" in milliseconds of the samples in
# FILE (microseconds, one a line; nearest rank), or "- - - -" if none.
bench_pcts() {
	sort -n "$1" | awk '
		function at(q,   i) { i = int(q * NR); if (i < q * NR) i++; if (i < 1) i = 1; return v[i] / 1000 }
		{ v[NR] = $1 }
		END {
			if (!NR) { print "- - - -"; exit }
			printf "%.2f %.2f %.2f %.2f\n", at(0.5), at(0.95), at(0.99), v[NR] / 1000
		}'
}

# bench_elapsed COMMAND...: runs COMMAND once (output discarded) and
# prints its wall time in microseconds; fails as the command does.
bench_elapsed() {
	local t0 t1
	t0=$EPOCHREALTIME
	"$@" >/dev/null 2>&1 || return
	t1=$EPOCHREALTIME
	echo $(( ${t1/./} - ${t0/./} ))
}

# bench_db NAME: a throwaway cluster of its own for a benchmark, with a
# migrated database "bench" that sf uses (PGHOST, PGUSER,
# SF_DATABASE_URL, SF_HOME and SF_SECRET are exported) and a work
# directory $work ($SF_TEST_TMP/NAME).  On exit the sf serve whose pid is
# in $serve_pid, if any, is stopped, and the cluster with it.  Needs
# tests/harness/pg.sh.
bench_db() {
	work=$SF_TEST_TMP/$1
	bench_pg=$SF_TEST_TMP/pg-$1
	serve_pid=
	mkdir -p "$work"
	chmod 755 "$work"
	pg_start "$bench_pg" >/dev/null
	trap bench_db_stop EXIT
	export PGHOST=$bench_pg PGUSER=sf
	psql -qX -d postgres -c 'CREATE DATABASE bench' >/dev/null
	export SF_DATABASE_URL="host=$PGHOST user=sf dbname=bench"
	export SF_HOME=$work/home SF_SECRET=bench-secret-bench-secret-bench-secret-$1
	"$SF_BIN" db migrate >/dev/null
}

bench_db_stop() {
	if [ -n "${serve_pid:-}" ]; then
		kill -TERM "$serve_pid" 2>/dev/null
		wait "$serve_pid" 2>/dev/null
	fi
	pg_stop "$bench_pg"
}
