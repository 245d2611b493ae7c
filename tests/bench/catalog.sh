#!/usr/bin/env bash
# catalog.sh - the catalog at scale, in a throwaway cluster of its own:
#
#  1. generating it: "sf demo generate" with 100,000 titles (a fifth of
#     them series) and 1,000,000 episodes, timed, with where the time goes
#     (from the server's statement log);
#  2. search and suggest over a fixed mix of queries (single words,
#     phrases, prefixes, typos, accents, names, with and without filters,
#     as an operator and as a viewer): p50/p95/p99 in-process
#     (search_bench.t, one connection, no process start), through the CLI
#     ("sf search", a process a query), and the raw SQL: the slowest
#     statement of each query, as the server logged it with its
#     parameters, run under EXPLAIN (ANALYZE) (planning + execution);
#     the ratio in-process / SQL is what sf adds.  The three take turns,
#     round by round, so that the load of the machine weighs on all alike;
#  3. export and import throughput in titles/s, the median of a few runs:
#     "sf title export" of the whole catalog (JSON lines), "sf title
#     import" of that export (as JSON lines and as CSV) into an empty
#     database, and the same file imported again (every title unchanged).
#
# Targets: search p99 <= 30 ms, suggest p99 <= 5 ms, import >= 20,000
# titles/s.  A part whose command sf does not have yet is skipped with a
# note.  Sizes: SF_BENCH_TITLES (100000), SF_BENCH_EPISODES (1000000),
# SF_BENCH_ROUNDS (20; CLI: SF_BENCH_CLI_ROUNDS, 10), SF_BENCH_IMPORT
# (titles to import, 20000), SF_BENCH_IO_RUNS (runs of each, 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../harness/pg.sh"

titles=${SF_BENCH_TITLES:-100000}
episodes=${SF_BENCH_EPISODES:-1000000}
rounds=${SF_BENCH_ROUNDS:-20}
cli_rounds=${SF_BENCH_CLI_ROUNDS:-10}
import_n=${SF_BENCH_IMPORT:-20000}
io_runs=${SF_BENCH_IO_RUNS:-3}
search_bench=$(dirname "$SF_BIN")/tests/bench/search_bench.t

work=$SF_TEST_TMP/catalog
pg=$SF_TEST_TMP/pg-catalog
mkdir -p "$work"
chmod 755 "$work"
pg_start "$pg" >/dev/null
trap 'pg_stop "$pg"' EXIT
log=$pg/server.log
export PGHOST=$pg PGUSER=sf
psql -qX -d postgres -c 'CREATE DATABASE bench' >/dev/null
export SF_DATABASE_URL="host=$PGHOST user=sf dbname=bench"
"$SF_BIN" db migrate >/dev/null

# has_verb "search" / has_verb "title import": sf has that command (verb).
has_verb() {
	"$SF_BIN" __usage "${1%% *}" 2>/dev/null | grep -q "^sf $1 "
}

fmt() {   # 1234567 -> 1,234,567
	echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

# ---- 1. generation ---------------------------------------------------

echo "## sf demo generate: $(fmt "$titles") titles ($(fmt $((titles / 5))) series), $(fmt "$episodes") episodes"
echo
gen_start=$(stat -c %s "$log")
us=$(PGOPTIONS="-c log_min_duration_statement=0" \
	bench_elapsed "$SF_BIN" demo generate --titles "$titles" --episodes "$episodes") || {
	echo "sf demo generate failed:"
	"$SF_BIN" demo generate --titles "$titles" --episodes "$episodes" --replace 2>&1 | tail -3
	exit 0
}
read -r n_seasons n_credits n_people <<<"$(psql -qAtX -F ' ' -d bench \
	-c "SELECT (SELECT count(*) FROM seasons), (SELECT count(*) FROM credits),
		   (SELECT count(*) FROM people)")"
rows=$((titles + n_seasons + episodes + n_credits + n_people))
printf '| %-44s | %10s | %9s | %12s |\n' "step" rows seconds "rows/s"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" ------------ ----------- --------------
printf '| %-44s | %10s | %9.1f | %12s |\n' "sf demo generate, end to end" \
	"$(fmt $rows)" "$(awk -v u="$us" 'BEGIN { print u / 1e6 }')" \
	"$(fmt $((rows * 1000000 / us)))"
# Where the time went, by what the server ran.
tail -c +"$((gen_start + 1))" "$log" | python3 -c '
import re, sys
tot = {}
for m in re.finditer(r"duration: ([0-9.]+) ms  (?:statement|parse|bind|execute)[^:]*: (.*)", sys.stdin.read()):
    ms, sql = float(m.group(1)), m.group(2)
    t = re.search(r"INSERT INTO (\w+)", sql)
    if "sf_title_reindex_all" in sql: k = "  search documents (sf_title_reindex_all)"
    elif sql.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")) or "ADD CONSTRAINT" in sql:
        k = "  indexes and foreign keys, made again"
    elif t and not t.group(1).startswith("demo_"): k = "  insert " + t.group(1)
    elif sql.startswith("CREATE TEMP TABLE"): k = "  plans (temporary tables)"
    elif sql.startswith("ANALYZE"): k = "  statistics (ANALYZE)"
    elif sql.startswith("COMMIT"): k = "  commit"
    else: k = "  other"
    tot[k] = tot.get(k, 0) + ms
for k, ms in sorted(tot.items(), key=lambda x: -x[1]):
    if ms >= 50:
        print("| %-44s | %10s | %9.1f | %12s |" % (k, "", ms / 1000, ""))
'
us=$(bench_elapsed psql -qX -d bench -c 'VACUUM (ANALYZE)')
printf '| %-44s | %10s | %9.1f | %12s |\n' "VACUUM (ANALYZE) afterwards (not part of it)" "" \
	"$(awk -v u="$us" 'BEGIN { print u / 1e6 }')" ""
echo

# ---- 2. search and suggest ---------------------------------------------

echo "## search and suggest, $(fmt "$titles") titles (ms)"
echo
if ! has_verb search; then
	echo "skipped: sf has no 'search' command yet"
	echo
else
	echo Secret123 | "$SF_BIN" user add --email bench@example.com --username bench \
		--password-stdin >/dev/null
	"$SF_BIN" profile add bench kids --kids >/dev/null
	mix=$work/mix.tsv
	# kind, category, words, options (name=value;...).  Fixed, so every
	# run measures the same thing: the catalog of seed 1 is always the same.
	tab=$'\t'
	sed "s/ *| */$tab/g" >"$mix" <<'EOF'
search  | word    | kingdom              |
search  | word    | midnight             |
search  | word    | samurai              |
search  | word    | café                 |
search  | word    | love                 |
search  | word    | paris                |
search  | phrase  | "the last kingdom"   |
search  | phrase  | "midnight in paris"  |
search  | phrase  | "heart of the storm" |
search  | words   | dark river           |
search  | words   | lost love            |
search  | words   | secret garden summer |
search  | prefix  | kingd                |
search  | prefix  | midn                 |
search  | prefix  | reven                |
search  | prefix  | the las              |
search  | typo    | kingdon              |
search  | typo    | midnigth             |
search  | typo    | samurrai             |
search  | typo    | ghots                |
search  | accent  | amelie               |
search  | accent  | deja vu              |
search  | accent  | sao paulo            |
search  | person  | almeida              |
search  | person  | seán almeida         |
search  | none    | zyzzyva              |
search  | filter  | love                 | genre=Romance
search  | filter  | war                  | year=1990..1999
search  | filter  | night                | type=series
search  | filter  | summer               | lang=fr
search  | filter  | kingdom              | sort=popular
search  | filter  | paris                | region=FR
search  | filter  | dark                 | genre=Horror;year=2010..
search  | browse  |                      | genre=Drama;sort=newest
search  | browse  |                      | type=series;sort=popular;page=3
search  | viewer  | kingdom              | profile=bench/bench
search  | viewer  | love                 | profile=bench/kids
suggest | prefix  | k                    |
suggest | prefix  | ki                   |
suggest | prefix  | kin                  |
suggest | prefix  | king                 |
suggest | prefix  | the                  |
suggest | prefix  | the l                |
suggest | prefix  | midn                 |
suggest | prefix  | amé                  |
suggest | prefix  | sao p                |
suggest | prefix  | zo                   |
suggest | prefix  | almei                |
suggest | prefix  | x                    |
suggest | viewer  | kin                  | profile=bench/bench
suggest | viewer  | the l                | profile=bench/kids
EOF
	sed -i "s/^ *//; s/$tab\$//" "$mix"

	# argv_of INDEX: the sf arguments of query INDEX (0-based), one a line.
	argv_of() {
		awk -F '\t' -v i="$1" 'NR == i + 1 {
			print "search"
			if ($1 == "suggest") { print "--suggest"; print $3 }
			n = split($4, o, ";")
			for (j = 1; j <= n; j++) {
				split(o[j], kv, "=")
				gsub("_", "-", kv[1])
				print "--" kv[1]; print kv[2]
			}
			if ($1 == "search" && $3 != "") print $3
		}' "$mix"
	}
	nq=$(wc -l <"$mix")

	# Each query's slowest statement, as the server logged it with its
	# parameters: the raw SQL that (c) times.
	: >"$work/sql.txt"
	for ((i = 0; i < nq; i++)); do
		mapfile -t args < <(argv_of "$i")
		off=$(stat -c %s "$log")
		if ! PGOPTIONS="-c log_min_duration_statement=0" "$SF_BIN" "${args[@]}" >/dev/null \
			2>"$work/err"; then
			echo "note: sf ${args[*]} failed: $(head -1 "$work/err")"
			echo >>"$work/sql.txt"
			continue
		fi
		tail -c +"$((off + 1))" "$log" | python3 -c '
import re, sys
entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", sys.stdin.read())
best = None
for k, e in enumerate(entries):
    m = re.search(r"LOG:  duration: ([0-9.]+) ms  execute [^:]*: (.*)", e, re.S)
    if not m or (best and float(m.group(1)) <= best[0]):
        continue
    params = {}
    if k + 1 < len(entries) and "DETAIL:  parameters:" in entries[k + 1]:
        for p in re.finditer(r"\$(\d+) = (NULL|\x27(?:[^\x27]|\x27\x27)*\x27)", entries[k + 1]):
            params[p.group(1)] = p.group(2)
    sql = re.sub(r"\$(\d+)", lambda p: params.get(p.group(1), "NULL"), m.group(2).strip())
    best = (float(m.group(1)), sql)
print(" ".join(best[1].split()) if best else "")
' >>"$work/sql.txt"
	done
	# One session for (c): a warm-up run of the mix, then one timed run;
	# Q lines say which query the times that follow belong to.
	{
		echo "SET client_min_messages = warning;"
		for pass in W Q; do
			awk -v p="$pass" 'NF { printf "\\echo %s %d\nEXPLAIN (ANALYZE, TIMING OFF) %s;\n", p, NR - 1, $0 }' \
				"$work/sql.txt"
		done
	} >"$work/explain.sql"

	# The rounds: (a), (c) and (b) in turn, so that a change in the load of
	# the machine falls on all three alike.
	: >"$work/inproc.tsv"
	: >"$work/cli.tsv"
	: >"$work/sql.tsv"
	[ -x "$search_bench" ] ||
		echo "note: $search_bench not built (make bench builds it); no in-process numbers"
	for ((r = 0; r < rounds; r++)); do
		# (a) in-process: a process a round, each query warmed up first
		if [ -x "$search_bench" ]; then
			"$search_bench" "$mix" 1 2>"$work/inproc.err" |
				awk -F '\t' -v OFS='\t' -v r="$r" '{ $4 = r; print }' >>"$work/inproc.tsv" ||
				echo "note: search_bench.t failed: $(tail -1 "$work/inproc.err")"
			[ "$r" != 0 ] || sed 's/^/note: /' "$work/inproc.err"
		fi
		# (c) the raw SQL under EXPLAIN (ANALYZE): planning + execution
		psql -qAtX -d bench -f "$work/explain.sql" 2>"$work/explain.err" |
			awk -F '\t' -v mix="$mix" -v r="$r" '
				BEGIN { while ((getline l < mix) > 0) { n++; split(l, f, "\t"); kind[n - 1] = f[1]; cat[n - 1] = f[2] } }
				/^[WQ] [0-9]+$/ { split($0, a, " "); timed = a[1] == "Q"; i = a[2]; plan = 0; next }
				/^Planning Time:/ { plan = $0; sub(/^Planning Time: /, "", plan); sub(/ ms$/, "", plan) }
				/^Execution Time:/ && timed {
					ex = $0; sub(/^Execution Time: /, "", ex); sub(/ ms$/, "", ex)
					printf "%s\t%s\t%d\t%d\t%d\n", kind[i], cat[i], i, r, (plan + ex) * 1000
				}' >>"$work/sql.tsv"
		[ "$r" != 0 ] || [ ! -s "$work/explain.err" ] ||
			echo "note: EXPLAIN: $(head -1 "$work/explain.err")"
		# (b) the CLI
		[ "$r" -lt "$cli_rounds" ] || continue
		for ((i = 0; i < nq; i++)); do
			mapfile -t args < <(argv_of "$i")
			us=$(bench_elapsed "$SF_BIN" "${args[@]}" --json) || continue
			awk -F '\t' -v i="$i" -v r="$r" -v us="$us" 'NR == i + 1 {
				printf "%s\t%s\t%d\t%d\t%d\n", $1, $2, i, r, us }' "$mix" >>"$work/cli.tsv"
		done
	done

	# The table: one row a category, then all queries of each kind.
	pcts() {   # pcts FILE KIND [CATEGORY]
		awk -F '\t' -v k="$2" -v c="${3:-}" '$1 == k && (c == "" || $2 == c) { print $5 }' "$1" \
			>"$work/samples"
		bench_pcts "$work/samples"
	}
	row() {    # row LABEL KIND [CATEGORY]
		read -r a1 a2 a3 _ <<<"$(pcts "$work/inproc.tsv" "$2" "${3:-}")"
		read -r b1 b2 b3 _ <<<"$(pcts "$work/cli.tsv" "$2" "${3:-}")"
		read -r c1 c2 c3 _ <<<"$(pcts "$work/sql.tsv" "$2" "${3:-}")"
		ratio=$(awk -v a="$a1" -v c="$c1" 'BEGIN { if (a + 0 > 0 && c + 0 > 0) printf "%.1fx", a / c; else print "-" }')
		n=$(awk -F '\t' -v k="$2" -v c="${3:-}" '$1 == k && (c == "" || $2 == c)' "$work/inproc.tsv" | wc -l)
		printf '| %-18s | %5s | %6s %6s %6s | %6s %6s %6s | %6s %6s %6s | %6s |\n' \
			"$1" "$n" "$a1" "$a2" "$a3" "$b1" "$b2" "$b3" "$c1" "$c2" "$c3" "$ratio"
	}
	printf '| %-18s | %5s | %-20s | %-20s | %-20s | %6s |\n' "queries" runs \
		"in-process p50/95/99" "CLI p50/95/99" "SQL p50/95/99" "÷ SQL"
	printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..20})" ------- \
		"$(printf -- '-%.0s' {1..22})" "$(printf -- '-%.0s' {1..22})" \
		"$(printf -- '-%.0s' {1..22})" --------
	for kind in search suggest; do
		for cat in $(awk -F '\t' -v k="$kind" '$1 == k && !seen[$2]++ { print $2 }' "$mix"); do
			row "$kind: $cat" "$kind" "$cat"
		done
		row "$kind: ALL" "$kind"
	done
	echo
	echo "in-process: sf_search() / sf_search_suggest() in one process with one connection;"
	echo "CLI: 'sf search ... --json', process start included; SQL: the query's slowest"
	echo "statement under EXPLAIN (ANALYZE), planning + execution; ÷ SQL: in-process p50 / SQL p50."
	echo
	# The slowest queries by their in-process median, beside the SQL's.
	python3 - "$mix" "$work/inproc.tsv" "$work/sql.tsv" <<'PY'
import statistics, sys
mix, inproc, sql = sys.argv[1:4]
q = [l.rstrip("\n").split("\t") for l in open(mix)]
def medians(path):
    s = {}
    for l in open(path):
        f = l.split("\t")
        s.setdefault(int(f[2]), []).append(int(f[4]))
    return {i: statistics.median(v) / 1000 for i, v in s.items()}
a, c = medians(inproc), medians(sql)
if a:
    print("| %-7s | %-38s | %10s | %8s |" % ("kind", "slowest queries (p50 ms): words [opts]", "in-process", "SQL"))
    print("|---------|----------------------------------------|------------|----------|")
    for i in sorted(a, key=lambda i: -a[i])[:8]:
        k, w, o = q[i][0], q[i][2], q[i][3] if len(q[i]) > 3 else ""
        text = (w + ("  [" + o + "]" if o else "")).strip()
        print("| %-7s | %-38s | %10.2f | %8s |" % (k, text[:38], a[i], "%.2f" % c[i] if i in c else "-"))
    print()
PY
	verdict() {   # verdict WHAT FILE KIND [TARGET_MS]
		local p99
		read -r _ _ p99 _ <<<"$(pcts "$2" "$3")"
		awk -v w="$1" -v p="$p99" -v t="${4:-}" 'BEGIN {
			if (p == "-") printf "%-21s no samples\n", w
			else if (t == "") printf "%-21s p99 %7.2f ms (process start and connection included)\n", w, p
			else printf "%-21s p99 %7.2f ms, target <= %d ms: %s\n", w, p, t, p + 0 <= t ? "met" : "MISSED" }'
	}
	verdict "search:" "$work/inproc.tsv" search 30
	verdict "suggest:" "$work/inproc.tsv" suggest 5
	verdict "sf search:" "$work/cli.tsv" search
	verdict "sf search --suggest:" "$work/cli.tsv" suggest
	echo
fi

# ---- 3. export and import ----------------------------------------------

echo "## export and import"
echo
if ! has_verb "title export" || ! has_verb "title import"; then
	echo "skipped: sf has no 'title export' and 'title import' yet"
	exit 0
fi
# median FILE: the median of the numbers in FILE, one a line.
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
# io_row LABEL N FILE [TARGET]: a row of the median run of FILE (microseconds).
io_row() {
	local us
	us=$(median "$3")
	[ -n "$us" ] || { echo "note: $1: no run succeeded"; return; }
	printf '| %-44s | %8s | %5d | %9.1f | %10s | %12s |\n' "$1" "$(fmt "$2")" \
		"$(wc -l <"$3")" "$(awk -v u="$us" 'BEGIN { print u / 1e6 }')" \
		"$(fmt $(($2 * 1000000 / us)))" "${4:-}"
}
import_db() {   # import_db NAME: an empty, migrated database with the genres of bench
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
	SF_DATABASE_URL="host=$PGHOST user=sf dbname=$1" "$SF_BIN" db migrate >/dev/null
	# Import takes genres by name; they must exist.
	psql -qAtX -d bench -c "SELECT name FROM genres ORDER BY id" |
		psql -qX -d "$1" -c "CREATE TEMP TABLE g (name text)" \
			-c "COPY g FROM STDIN" -c "INSERT INTO genres (name) SELECT name FROM g" >/dev/null
}
echo "(the machine may be shared: medians of $io_runs runs)"
echo
printf '| %-44s | %8s | %5s | %9s | %10s | %12s |\n' step titles runs seconds "titles/s" target
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" ---------- ------- ----------- ------------ --------------
export_file=$work/catalog.jsonl
: >"$work/export.us"
for ((r = 0; r < io_runs; r++)); do
	us=$(bench_elapsed "$SF_BIN" title export --format jsonl --output "$export_file") &&
		echo "$us" >>"$work/export.us"
done
if [ ! -s "$work/export.us" ]; then
	echo "note: sf title export failed: $("$SF_BIN" title export --format jsonl 2>&1 >/dev/null | tail -1)"
	exit 0
fi
io_row "sf title export --format jsonl (all)" "$(wc -l <"$export_file")" "$work/export.us"
"$SF_BIN" title export --format csv --output "$work/catalog.csv"
head -n "$import_n" "$export_file" >"$work/import.jsonl"
python3 - "$work/catalog.csv" "$import_n" >"$work/import.csv" <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\n")
for i, row in enumerate(csv.reader(open(sys.argv[1], newline=""))):
    if i > int(sys.argv[2]):
        break
    w.writerow(row)
PY
n=$(wc -l <"$work/import.jsonl")
for fmt in jsonl csv; do
	: >"$work/import.$fmt.us"
	: >"$work/again.$fmt.us"
	for ((r = 0; r < io_runs; r++)); do
		import_db bench_import
		url="host=$PGHOST user=sf dbname=bench_import"
		if us=$(SF_DATABASE_URL=$url bench_elapsed "$SF_BIN" title import "$work/import.$fmt"); then
			echo "$us" >>"$work/import.$fmt.us"
			us=$(SF_DATABASE_URL=$url bench_elapsed "$SF_BIN" title import "$work/import.$fmt") &&
				echo "$us" >>"$work/again.$fmt.us"
		else
			echo "note: sf title import failed: $(SF_DATABASE_URL=$url "$SF_BIN" title import \
				"$work/import.$fmt" 2>&1 | tail -1)"
		fi
	done
	io_row "sf title import ($fmt, into an empty database)" "$n" "$work/import.$fmt.us" ">= 20,000/s"
	io_row "sf title import ($fmt, again: all unchanged)" "$n" "$work/again.$fmt.us" ">= 20,000/s"
done
