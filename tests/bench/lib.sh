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
