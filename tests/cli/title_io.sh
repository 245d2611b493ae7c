#!/usr/bin/env bash
# title_io.sh - "sf title export" and "sf title import": the three formats;
# the round trip (export, delete everything, import, export again gives
# the same catalog); re-importing changes nothing; CSV with a header row;
# all or nothing, or going on past bad records with their lines; dry runs;
# standard input; --output replaced only when complete; the progress bar
# only on a terminal; and every bad input answered with one line, the right
# exit status and nothing written.  The fast path: a few thousand records
# (generated here) applied in batches, a bad one in the middle of a batch,
# re-imports that write nothing, updates with history and rollback, search,
# and an external id given twice in one file.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

# strip FILE: a JSON export (array or lines) without sf's own fields, one
# title a line, so two catalogs can be compared.
strip() {
	python3 - "$1" <<-'PY'
	import json, sys
	text = open(sys.argv[1]).read()
	items = json.loads(text) if text.lstrip().startswith("[") else [json.loads(l) for l in text.splitlines() if l]
	for t in items:
	    for k in ("id", "version", "created_at", "updated_at"):
	        t.pop(k, None)
	    print(json.dumps(t, ensure_ascii=False))
	PY
}

# strip_csv FILE: the CSV without the columns of sf's own fields.
strip_csv() {
	python3 - "$1" <<-'PY'
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="")))
	drop = [i for i, h in enumerate(rows[0]) if h in ("id", "version", "created_at", "updated_at")]
	w = csv.writer(sys.stdout, lineterminator="\n")
	for r in rows:
	    w.writerow([c for i, c in enumerate(r) if i not in drop])
	PY
}

delete_all() {
	for id in $(test_sql "SELECT id FROM titles ORDER BY id"); do
		sf title delete "$id" --yes >/dev/null || return 1
	done
	test "$(test_sql "SELECT count(*) FROM titles")" = 0
}

test_expect_success 'setup: a catalog of movies and series' '
	sf genre add Crime >/dev/null && sf genre add Drama >/dev/null && sf genre add Comedy >/dev/null &&
	sf title add "The Godfather" --year 1972 --release-date 1972-03-24 --runtime 175 --maturity R \
		--genres Crime,Drama --language en --spoken-languages en,it --countries US \
		--external-id tt0068646 --popularity 91.25 --poster https://img.example.com/gf.jpg \
		--overview "$(printf "Line one, \"quoted\".\nLine two.")" --status published >/dev/null &&
	sf title credit add tt0068646 "Francis Ford Coppola" --role director >/dev/null &&
	sf title credit add tt0068646 "Marlon Brando" --role cast --character "Vito Corleone" >/dev/null &&
	sf title add "Breaking Bad" --kind series --year 2008 --maturity TV-MA --genres Drama \
		--external-id tt0903747 --regions US,CA --available-from 2008-01-20 >/dev/null &&
	sf title season add tt0903747 1 --name "Season 1" >/dev/null &&
	sf title episode add tt0903747 1 1 --name Pilot --runtime 58 >/dev/null &&
	sf title episode add tt0903747 1 2 --name "Cat${q}s in the Bag..." --release-date 2008-01-27 >/dev/null &&
	sf title add "Amélie" --original-title "Le Fabuleux Destin d${q}Amélie Poulain" --year 2001 \
		--genres Comedy --language fr --external-id tt0211915 >/dev/null &&
	sf title add "No Id, Yet" >/dev/null
'

test_expect_success 'export writes a JSON array, one title a line, in the one form' '
	sf title export >all.json 2>err &&
	test ! -s err &&
	test "$(head -n 1 all.json)" = "[" &&
	test $(wc -l <all.json) = 6 &&
	test "$(test_json all.json "[t[\"title\"] for t in d]")" = \
		"[${q}The Godfather${q}, ${q}Breaking Bad${q}, ${q}Amélie${q}, ${q}No Id, Yet${q}]" &&
	sf title show tt0903747 --json >one.json &&
	test "$(test_json all.json "d[1]")" = "$(test_json one.json "d")"
'

test_expect_success 'export as JSON lines and as CSV' '
	sf title export --format jsonl >all.jsonl &&
	test $(wc -l <all.jsonl) = 4 &&
	test "$(strip all.jsonl)" = "$(strip all.json)" &&
	sf title export --format csv >all.csv &&
	head -n 1 all.csv >header &&
	echo "id,kind,title,original_title,overview,tagline,release_date,year,runtime_minutes,maturity,maturity_level,genres,original_language,spoken_languages,countries,credits,poster_url,backdrop_url,external_id,popularity,rating_avg,rating_count,status,available_from,available_until,regions,version,created_at,updated_at,seasons" >expect &&
	test_cmp expect header &&
	grep -q ",Crime|Drama,en,en|it,US,\"\[{\"\"name\"\":\"\"Francis Ford Coppola\"\"" all.csv &&
	grep -q "^[0-9]*,movie,\"No Id, Yet\",," all.csv
'

test_expect_success 'export filters, and --output by its name' '
	sf title export --kind series --format jsonl >out &&
	test "$(strip out | wc -l)" = 1 &&
	sf title export --genre drama --year-from 2000 --format jsonl >out &&
	grep -q "Breaking Bad" out && test $(wc -l <out) = 1 &&
	sf title export --status draft --year-to 2005 --format jsonl >out &&
	grep -q "Amélie" out && test $(wc -l <out) = 1 &&
	sf title export --output cat.csv 2>err &&
	test "$(cat err)" = "exported 4 titles to cat.csv" &&
	test "$(strip_csv cat.csv)" = "$(strip_csv all.csv)" &&
	sf title export --output cat.jsonl 2>/dev/null &&
	test $(wc -l <cat.jsonl) = 4 &&
	! ls *.tmp.* 2>/dev/null
'

test_expect_success 'importing an export again changes nothing' '
	test_snapshot >before.db &&
	sf title import all.json >out &&
	test "$(cat out)" = "all.json: 4 records: 1 added, 0 updated, 3 unchanged, 0 failed" &&
	id=$(test_sql "SELECT max(id) FROM titles") &&
	sf title delete "$id" --yes >/dev/null &&
	sf title import all.csv >out &&
	test "$(cat out)" = "all.csv: 4 records: 1 added, 0 updated, 3 unchanged, 0 failed" &&
	id=$(test_sql "SELECT max(id) FROM titles") &&
	sf title delete "$id" --yes >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM title_versions v JOIN titles t ON t.id = v.title_id
			  WHERE t.external_id IS NOT NULL")" = 8
'

for fmt in json jsonl csv; do
	test_expect_success "round trip ($fmt): export, delete everything, import, export again" '
		sf title export --format $fmt >first.$fmt &&
		delete_all &&
		sf title import --format $fmt first.$fmt >out &&
		test "$(cat out)" = "first.$fmt: 4 records: 4 added, 0 updated, 0 unchanged, 0 failed" &&
		sf title export --format $fmt >second.$fmt &&
		if [ $fmt = csv ]; then
			test "$(strip_csv first.csv)" = "$(strip_csv second.csv)"
		else
			test "$(strip first.$fmt)" = "$(strip second.$fmt)"
		fi
	'
done

test_expect_success 'import reads standard input, and JSON lines' '
	delete_all &&
	sf title import - <all.jsonl >out &&
	test "$(cat out)" = "stdin: 4 records: 4 added, 0 updated, 0 unchanged, 0 failed" &&
	cat all.json | sf title import - --json >out &&
	test "$(test_json out "d[\"file\"], d[\"records\"], d[\"added\"], d[\"unchanged\"], d[\"failed\"], d[\"dry_run\"], d[\"errors\"]")" = \
		"(${q}stdin${q}, 4, 1, 3, 0, False, [])"
'

test_expect_success 'import a hand-written CSV with a header row, updating by external id' '
	cat >hand.csv <<-EOF &&
	external_id,title,year,genres,popularity,overview
	tt0068646,The Godfather,1972,Crime|Drama|Comedy,95.5,"A ""new"" overview"
	new1,,,,,
	EOF
	test_expect_fail 2 "hand.csv:3: kind: missing" sf title import hand.csv &&
	cat >hand.csv <<-EOF &&
	external_id,kind,title,year,genres,popularity,overview
	tt0068646,movie,The Godfather,1972,Crime|Drama|Comedy,95.5,"A ""new"" overview"
	new1,series,Fresh,2024,,,
	EOF
	sf title import hand.csv >out &&
	test "$(cat out)" = "hand.csv: 2 records: 1 added, 1 updated, 0 unchanged, 0 failed" &&
	sf title show tt0068646 --json >out &&
	test "$(test_json out "d[\"genres\"], d[\"popularity\"], d[\"overview\"], d[\"runtime_minutes\"]")" = \
		"([${q}Comedy${q}, ${q}Crime${q}, ${q}Drama${q}], 95.5, ${q}A \"new\" overview${q}, 175)" &&
	sf title history tt0068646 | sed -n 2p | grep -q "title.import  *overview, genres, popularity$"
'

test_expect_success 'all or nothing: a bad record stops the import, naming its line' '
	printf "%s\n" "[" \
		"{\"kind\":\"movie\",\"title\":\"Good\"}," \
		"{\"kind\":\"movie\",\"title\":\"Also good\"}," \
		"{\"kind\":\"movie\",\"title\":\"Bad\",\"genres\":[\"Polka\"]}" "]" >bad.json &&
	test_expect_fail 3 "bad.json:4: genre ${q}Polka${q}: not found" sf title import bad.json &&
	printf "%s\n" "{\"kind\":\"movie\",\"title\":\"Good\"}" "{\"kind\":\"movie\",\"title\":\"X\",\"colour\":1}" >bad.jsonl &&
	test_expect_fail 2 "bad.jsonl:2: unknown field ${q}colour${q}" sf title import bad.jsonl &&
	printf "%s\n" "kind,title,year" "movie,Good,1999" "movie,Bad,3000" >bad.csv &&
	test_expect_fail 2 "bad.csv:3: year ${q}3000${q}: not a whole number from 1870 to 2200" sf title import bad.csv &&
	printf "%s\n" "[{\"kind\":\"movie\"," "\"title\":}]" >broken.json &&
	test_expect_fail 2 "broken.json:2: not valid JSON" sf title import broken.json &&
	printf "%s\n" "{\"kind\":\"movie\",\"title\":\"New\",\"external_id\":\"tt0903747\",\"kind\":\"movie\"}" >kind.jsonl &&
	test_expect_fail 4 "kind.jsonl:1: title ${q}Breaking Bad${q} has seasons" sf title import kind.jsonl
'

test_expect_success '--continue-on-error imports the good and reports each bad with its line' '
	cat >mixed.jsonl <<-EOF &&
	{"kind":"movie","title":"Good One","external_id":"g1"}
	{"kind":"movie","title":"Bad Genre","genres":["Polka"]}
	{"kind":"movie","title":"Good Two","external_id":"g2"}
	{"kind":"film","title":"Bad Kind"}
	{"kind":"movie","title":"Bad URL","poster_url":"ftp://x"}
	EOF
	test_expect_code 3 sf title import mixed.jsonl --continue-on-error >out 2>err &&
	test "$(cat out)" = "mixed.jsonl: 5 records: 2 added, 0 updated, 0 unchanged, 3 failed" &&
	cat >expect <<-EOF &&
	sf: mixed.jsonl:2: genre ${q}Polka${q}: not found (see ${q}sf genre list${q})
	sf: mixed.jsonl:4: kind ${q}film${q}: not one of movie, series
	sf: mixed.jsonl:5: poster_url ${q}ftp://x${q}: not an http or https URL
	EOF
	test_cmp expect err &&
	test "$(test_sql "SELECT count(*) FROM titles WHERE external_id IN (${q}g1${q}, ${q}g2${q})")" = 2 &&
	printf "%s\n" "kind,title" "movie,Row Two" "movie," "movie,Row Four" >mixed.csv &&
	test_expect_code 2 sf title import mixed.csv --continue-on-error --json >out 2>err &&
	test "$(test_json out "d[\"added\"], d[\"failed\"], d[\"errors\"]")" = \
		"(2, 1, [{${q}line${q}: 3, ${q}error${q}: ${q}title: missing; a title needs a name${q}}])" &&
	grep -q "^sf: mixed.csv:3: title: missing; a title needs a name$" err &&
	test_expect_code 3 sf title import mixed.jsonl --continue-on-error >out 2>/dev/null &&
	test "$(cat out)" = "mixed.jsonl: 5 records: 0 added, 0 updated, 2 unchanged, 3 failed"
'

test_expect_success '--dry-run reports everything and writes nothing' '
	test_snapshot >before.db &&
	printf "%s\n" "{\"kind\":\"movie\",\"title\":\"Dry\"}" "{\"external_id\":\"g1\",\"year\":2001}" >dry.jsonl &&
	sf title import dry.jsonl --dry-run >out &&
	test "$(cat out)" = "dry.jsonl: 2 records: 1 added, 1 updated, 0 unchanged, 0 failed (dry run: nothing was written)" &&
	test_snapshot >after.db &&
	test_cmp before.db after.db
'

test_expect_success 'import and export: bad input' '
	test_expect_fail 3 "file ${q}nope.json${q}: No such file or directory" sf title import nope.json &&
	mkdir adir &&
	test_expect_fail 2 "file ${q}adir${q}: is a directory" sf title import adir &&
	test_expect_fail 2 "--format ${q}xml${q}: not one of json, jsonl, csv" sf title import all.json --format xml &&
	test_expect_fail 2 "all.csv:1: not JSON" sf title import all.csv --format json &&
	printf "kind,title,colour\nmovie,X,red\n" >col.csv &&
	test_expect_fail 2 "col.csv:1: unknown column ${q}colour${q}" sf title import col.csv &&
	printf "kind,title\nmovie,\"X\n" >quote.csv &&
	test_expect_fail 2 "quote.csv:2: a quoted field is not closed" sf title import quote.csv &&
	test_expect_fail 2 "title import: missing <file>" sf title import &&
	test_expect_fail 2 "--format ${q}yaml${q}: not one of json, jsonl, csv" sf title export --format yaml &&
	test_expect_fail 3 "genre ${q}Polka${q}: not found" sf title export --genre Polka &&
	test_expect_fail 2 "--year-from ${q}1800${q}: not a whole number" sf title export --year-from 1800 &&
	test_expect_fail 2 "--output ${q}${q}: give a file name" sf title export --output "" &&
	test_expect_fail 2 "--output ${q}nodir/x.json${q}: No such file or directory" sf title export --output nodir/x.json &&
	test_expect_fail 2 "title export: unexpected argument ${q}x${q}" sf title export x
'

test_expect_success 'export --output replaces the file only when complete' '
	echo "old" >keep.json &&
	test_expect_fail 3 "not found" sf title export --genre Polka --output keep.json &&
	test "$(cat keep.json)" = old &&
	! ls keep.json.tmp.* 2>/dev/null
'

test_expect_success 'export to a full disk fails loudly' '
	test_expect_code 1 sf title export >/dev/full 2>err &&
	test_one_line err &&
	grep -q "^sf: error writing output: No space left on device$" err
'

test_expect_success 'a viewer may neither import nor export (77)' '
	echo Secret123 | sf user add --email v@example.com --username viewer --password-stdin >/dev/null &&
	test_expect_fail 77 "may not manage the catalog" sf title export --as viewer &&
	test_expect_fail 77 "may not manage the catalog" sf title import all.json --as viewer
'

# big N [BAD_LINE BAD_TEXT]: N titles as JSON lines (every fifth a series
# with seasons and episodes), external ids big<i>; line BAD_LINE replaced.
big() {
	python3 - "$@" <<-'PY'
	import json, sys
	n = int(sys.argv[1])
	bad = int(sys.argv[2]) if len(sys.argv) > 2 else 0
	for i in range(1, n + 1):
	    if i == bad:
	        print(sys.argv[3])
	        continue
	    t = {"kind": "series" if i % 5 == 0 else "movie",
	         "title": "Quillwort %d" % i if i == 777 else "Bulk %d" % i,
	         "external_id": "big%05d" % i, "year": 1950 + i % 70,
	         "genres": ["Crime" if i % 2 else "Drama"], "overview": "Bulk title.",
	         "credits": [{"name": "Person %d" % (i % 300), "role": "director"}]}
	    if i % 5 == 0:
	        t["seasons"] = [{"number": 1, "episodes": [{"number": e, "name": "Episode %d" % e}
	                                                   for e in (1, 2, 3)]}]
	    print(json.dumps(t, ensure_ascii=False))
	PY
}

test_expect_success 'a few thousand records: a bad one mid-batch stops it all, naming its line' '
	sf genre add Drama >/dev/null 2>&1 || true &&
	test_snapshot >before.db &&
	big 3000 1700 "{\"kind\":\"movie\",\"title\":\"X\",\"genres\":[\"Polka\"]}" >big.jsonl &&
	test_expect_fail 3 "big.jsonl:1700: genre ${q}Polka${q}: not found" sf title import big.jsonl &&
	big 3000 2900 "{\"kind\":\"movie\",\"title\":\"X\",\"colour\":1}" >big.jsonl &&
	test_expect_fail 2 "big.jsonl:2900: unknown field ${q}colour${q}" sf title import big.jsonl &&
	test_snapshot >after.db &&
	test_cmp before.db after.db
'

test_expect_success 'a few thousand records with --continue-on-error: all the good ones go in' '
	big 3000 1700 "{\"kind\":\"movie\",\"title\":\"X\",\"genres\":[\"Polka\"]}" >big.jsonl &&
	test_expect_code 3 sf title import big.jsonl --continue-on-error >out 2>err &&
	test "$(cat out)" = "big.jsonl: 3000 records: 2999 added, 0 updated, 0 unchanged, 1 failed" &&
	test "$(cat err)" = "sf: big.jsonl:1700: genre ${q}Polka${q}: not found (see ${q}sf genre list${q})" &&
	test "$(test_sql "SELECT count(*) FROM titles WHERE external_id LIKE ${q}big%${q}")" = 2999
'

test_expect_success 'a few thousand records: imported, versioned, audited, searchable' '
	big 3000 >big.jsonl &&
	sf title import big.jsonl >out &&
	test "$(cat out)" = "big.jsonl: 3000 records: 1 added, 0 updated, 2999 unchanged, 0 failed" &&
	test "$(test_sql "SELECT count(*) FROM episodes e JOIN titles t ON t.id = e.title_id
			  WHERE t.external_id LIKE ${q}big%${q}")" = 1800 &&
	test "$(test_sql "SELECT count(*) FROM title_versions v JOIN titles t ON t.id = v.title_id
			  WHERE t.external_id LIKE ${q}big%${q} AND v.action = ${q}title.import${q}")" = 3000 &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}title.import${q}
			  AND entity_id IN (SELECT id::text FROM titles WHERE external_id LIKE ${q}big%${q})")" = 3000 &&
	sf search quillwort --json >out &&
	test "$(test_json out "d[\"items\"][0][\"title\"]")" = "Quillwort 777"
'

test_expect_success 'a few thousand records again: nothing is written at all' '
	test_snapshot >before.db &&
	sf title import big.jsonl >out &&
	test "$(cat out)" = "big.jsonl: 3000 records: 0 added, 0 updated, 3000 unchanged, 0 failed" &&
	test_snapshot >after.db &&
	test_cmp before.db after.db &&
	test "$(test_sql "SELECT count(*) FROM title_versions v JOIN titles t ON t.id = v.title_id
			  WHERE t.external_id = ${q}big00777${q}")" = 1
'

test_expect_success 'an update through a bulk import keeps the version before; history and rollback' '
	sed "s/\"Quillwort 777\"/\"Quillwort Returns\"/" big.jsonl >big2.jsonl &&
	sf title import big2.jsonl >out &&
	test "$(cat out)" = "big2.jsonl: 3000 records: 0 added, 1 updated, 2999 unchanged, 0 failed" &&
	sf title history big00777 >out &&
	sed -n 2p out | grep -q "title.import  *title$" &&
	test $(wc -l <out) = 3 &&
	sf title show big00777 --version 1 --json >v1 &&
	test "$(test_json v1 "d[\"title\"]")" = "Quillwort 777" &&
	sf title rollback big00777 --to 1 >/dev/null &&
	test "$(test_sql "SELECT title || ${q} v${q} || version FROM titles WHERE external_id = ${q}big00777${q}")" = "Quillwort 777 v3"
'

test_expect_success 'an external id twice in one file: the later record updates the earlier' '
	cat >twice.jsonl <<-EOF &&
	{"kind":"movie","title":"Twice","external_id":"twice1","year":2001}
	{"external_id":"twice1","year":2002}
	EOF
	sf title import twice.jsonl >out &&
	test "$(cat out)" = "twice.jsonl: 2 records: 1 added, 1 updated, 0 unchanged, 0 failed" &&
	test "$(test_sql "SELECT year || ${q} v${q} || version FROM titles WHERE external_id = ${q}twice1${q}")" = "2002 v2"
'

test_expect_success 'the progress bar shows on a terminal, and only there' '
	command -v script >/dev/null || { echo "no script(1)"; false; } &&
	script -qec "$SF_BIN title export --output tty.json" /dev/null >tty.out &&
	grep -q "exporting \[#*\] 100%  [0-9]* of [0-9]* titles" tty.out &&
	script -qec "$SF_BIN title import tty.json" /dev/null >tty.out &&
	grep -q "importing \[#*\] 100%" tty.out &&
	sf title export --output notty.json 2>err &&
	! grep -q "exporting" err &&
	sf title import notty.json >/dev/null 2>err &&
	test ! -s err
'

test_done
