#!/usr/bin/env bash
# title.sh - "sf title": add, edit, show, list, delete, publish, archive,
# schedule, history and rollback, in human and JSON form; the ways to name
# a title; what viewers see; who may change what; and every bad input
# answered with one line, the right exit status and the database exactly
# as it was.  Seasons, episodes and credits are in title_parts.sh; import
# and export in title_io.sh.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

test_expect_success 'setup: genres' '
	sf genre add Crime >/dev/null &&
	sf genre add Drama >/dev/null &&
	sf genre add Comedy >/dev/null
'

test_expect_success 'title add prints the new title' '
	sf title add "The Godfather" --year 1972 --release-date 1972-03-24 --runtime 175 \
		--maturity r --genres crime,Drama --language en --spoken-languages en,IT \
		--countries us --external-id tt0068646 --popularity 7.3 \
		--poster https://img.example.com/gf.jpg --overview "The aging patriarch..." \
		--tagline "An offer you can${q}t refuse." >out &&
	grep -q "^KIND: *movie$" out &&
	grep -q "^TITLE: *The Godfather$" out &&
	grep -q "^YEAR: *1972$" out &&
	grep -q "^RUNTIME: *175 min$" out &&
	grep -q "^MATURITY: *R$" out &&
	grep -q "^GENRES: *Crime, Drama$" out &&
	grep -q "^SPOKEN: *en, it$" out &&
	grep -q "^COUNTRIES: *US$" out &&
	grep -q "^POPULARITY: *7.3$" out &&
	grep -q "^STATUS: *draft$" out &&
	grep -q "^VERSION: *1$" out &&
	! grep -q "^SEASONS:" out &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}title.add${q}
			  AND entity_type = ${q}title${q}")" = 1 &&
	test "$(test_sql "SELECT count(*) FROM title_versions WHERE version = 1")" = 1
'

test_expect_success 'title add --json prints the one JSON form, keys in order' '
	sf title add "Breaking Bad" --kind series --year 2008 --maturity TV-MA --genres drama \
		--external-id tt0903747 --json >out &&
	test "$(test_json out "\",\".join(d)")" = \
		id,kind,title,original_title,overview,tagline,release_date,year,runtime_minutes,maturity,maturity_level,genres,original_language,spoken_languages,countries,credits,poster_url,backdrop_url,external_id,popularity,rating_avg,rating_count,status,available_from,available_until,regions,version,created_at,updated_at,seasons &&
	test "$(test_json out "d[\"kind\"], d[\"maturity\"], d[\"maturity_level\"], d[\"genres\"], d[\"seasons\"]")" = \
		"(${q}series${q}, ${q}NC-17${q}, 6, [${q}Drama${q}], [])"
'

test_expect_success 'title show finds a title by id, external id and ext:' '
	id=$(test_sql "SELECT id FROM titles WHERE external_id = ${q}tt0068646${q}") &&
	sf title show "$id" >by-id &&
	sf title show tt0068646 >by-ext &&
	sf title show ext:tt0068646 >by-prefix &&
	test_cmp by-id by-ext &&
	test_cmp by-id by-prefix &&
	sf title show tt0068646 --json >out &&
	test "$(test_json out "d[\"id\"], d[\"title\"]")" = "($id, ${q}The Godfather${q})" &&
	sf title show "$id" --json >out2 &&
	test_cmp out out2
'

test_expect_success 'an all-digit external id is named with ext:' '
	sf title add Numbered --external-id 238 >/dev/null &&
	sf title show ext:238 --json >out &&
	test "$(test_json out "d[\"title\"]")" = Numbered &&
	test_expect_fail 3 "title ${q}238${q}: not found" sf title show 238
'

test_expect_success 'title edit changes the fields given and makes a version' '
	sf title edit tt0068646 --tagline "Family first." --popularity 9.25 --json >out &&
	test "$(test_json out "d[\"tagline\"], d[\"popularity\"], d[\"version\"], d[\"year\"]")" = \
		"(${q}Family first.${q}, 9.25, 2, 1972)" &&
	sf title edit tt0068646 --tagline "" >out &&
	grep -q "^TAGLINE: *-$" out &&
	grep -q "^VERSION: *3$" out &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}title.edit${q}")" = 2
'

test_expect_success 'title edit that changes nothing makes no version and says so' '
	test_snapshot >before.db &&
	sf title edit tt0068646 --year 1972 >out 2>err &&
	grep -q "^VERSION: *3$" out &&
	grep -q "unchanged" err &&
	test_snapshot >after.db &&
	test_cmp before.db after.db
'

test_expect_success 'title edit --title renames; --release-date sets the year' '
	sf title add Heat --year 1994 --json >out &&
	id=$(test_json out "d[\"id\"]") &&
	sf title edit "$id" --title "Heat (1995)" --release-date 1995-12-15 --json >out &&
	test "$(test_json out "d[\"title\"], d[\"year\"], d[\"release_date\"]")" = \
		"(${q}Heat (1995)${q}, 1995, ${q}1995-12-15${q})"
'

test_expect_success 'title list prints a table and the page on stderr' '
	sf title list >out 2>err &&
	head -n 1 out | grep -q "^ID  *KIND  *TITLE  *YEAR  *MATURITY  *GENRES  *STATUS  *EXTERNAL ID$" &&
	grep -q "^[0-9]*  *movie  *The Godfather  *1972  *R  *Crime, Drama  *draft  *tt0068646$" out &&
	test $(wc -l <out) = 5 &&
	test "$(cat err)" = "showing 1–4 of 4 titles (page 1 of 1)"
'

test_expect_success 'title list --json gives items, total, page and pages' '
	sf title list --limit 3 --page 2 --json >out 2>err &&
	test "$(test_json out "len(d[\"items\"]), d[\"total\"], d[\"page\"], d[\"pages\"]")" = "(1, 4, 2, 2)" &&
	test ! -s err &&
	sf title list --limit 3 --page 3 --json >out &&
	test "$(test_json out "d[\"items\"]")" = "[]" &&
	sf title list --limit 3 --page 3 >out 2>err &&
	grep -q "no titles on page 3; 4 titles on 2 pages" err
'

test_expect_success 'title list filters by kind, genre, years and status, and sorts' '
	sf title list --kind series --json >out &&
	test "$(test_json out "[t[\"title\"] for t in d[\"items\"]]")" = "[${q}Breaking Bad${q}]" &&
	sf title list --genre DRAMA --year-from 2000 --json >out &&
	test "$(test_json out "[t[\"title\"] for t in d[\"items\"]]")" = "[${q}Breaking Bad${q}]" &&
	sf title list --year-from 1970 --year-to 1995 --sort year --json >out &&
	test "$(test_json out "[t[\"year\"] for t in d[\"items\"]]")" = "[1995, 1972]" &&
	sf title list --sort title --json >out &&
	test "$(test_json out "[t[\"title\"][0] for t in d[\"items\"]]")" = \
		"[${q}B${q}, ${q}H${q}, ${q}N${q}, ${q}T${q}]" &&
	sf title list --status published >out 2>err &&
	test $(wc -l <out) = 1 &&
	test "$(cat err)" = "no titles"
'

test_expect_success 'publish, archive, and what viewers see' '
	echo Secret123 | sf user add --email v@example.com --username viewer --password-stdin >/dev/null &&
	test_expect_fail 3 "title ${q}tt0068646${q}: not found" sf title show tt0068646 --as viewer &&
	sf title publish tt0068646 >out &&
	grep -q "^STATUS: *published$" out &&
	sf title show tt0068646 --as viewer >/dev/null &&
	sf title list --as viewer --json >out &&
	test "$(test_json out "d[\"total\"]")" = 1 &&
	test_expect_fail 4 "title ${q}The Godfather${q} is already published" sf title publish tt0068646 &&
	sf title archive tt0068646 --json >out &&
	test "$(test_json out "d[\"status\"]")" = archived &&
	test_expect_fail 4 "is already archived" sf title archive tt0068646 &&
	test_expect_fail 3 "not found" sf title show tt0068646 --as viewer &&
	test "$(test_sql "SELECT string_agg(action, ${q},${q} ORDER BY v.version) FROM title_versions v
			  JOIN titles t ON t.id = v.title_id WHERE t.external_id = ${q}tt0068646${q}")" = \
		title.add,title.edit,title.edit,title.publish,title.archive
'

test_expect_success 'schedule publishes for a window and regions' '
	sf title schedule tt0903747 --from 2999-01-01 --until "2999-02-01T12:00+01:00" --regions us,ca >out &&
	grep -q "^STATUS: *published$" out &&
	grep -q "^AVAILABLE FROM: *2999-01-01T00:00:00Z$" out &&
	grep -q "^AVAILABLE UNTIL: *2999-02-01T11:00:00Z$" out &&
	grep -q "^REGIONS: *US, CA$" out &&
	test_expect_fail 3 "not found" sf title show tt0903747 --as viewer &&
	sf title list --visible --json >out &&
	test "$(test_json out "d[\"total\"]")" = 0 &&
	sf title schedule tt0903747 --from 2000-01-01 --json >out &&
	test "$(test_json out "d[\"available_from\"], d[\"regions\"]")" = \
		"(${q}2000-01-01T00:00:00Z${q}, [${q}US${q}, ${q}CA${q}])" &&
	sf title show tt0903747 --as viewer >/dev/null &&
	sf title list --visible --region CA --json >out &&
	test "$(test_json out "d[\"total\"]")" = 1 &&
	sf title list --visible --region fr --json >out &&
	test "$(test_json out "d[\"total\"]")" = 0 &&
	sf title schedule tt0903747 --regions "" --json >out &&
	test "$(test_json out "d[\"regions\"]")" = "[]"
'

test_expect_success 'history lists the versions; show --version shows one' '
	sf title history tt0068646 >out &&
	head -n 1 out | grep -q "^VERSION  *AT  *ACTOR  *ACTION  *CHANGES$" &&
	sed -n 2p out | grep -q "^5  .*  os:$(id -un)  *title.archive  *status$" &&
	sed -n 3p out | grep -q "^4  .*title.publish  *status$" &&
	sed -n 5p out | grep -q "^2  .*title.edit  *tagline, popularity$" &&
	sed -n 6p out | grep -q "^1  .*title.add  *-$" &&
	sf title history tt0068646 --json >out &&
	test "$(test_json out "[(v[\"version\"], v[\"action\"], v[\"changed\"]) for v in d][-2:]")" = \
		"[(2, ${q}title.edit${q}, [${q}tagline${q}, ${q}popularity${q}]), (1, ${q}title.add${q}, [])]" &&
	test "$(test_json out "sorted(d[0])")" = \
		"[${q}action${q}, ${q}actor${q}, ${q}at${q}, ${q}changed${q}, ${q}note${q}, ${q}version${q}]" &&
	sf title show tt0068646 --version 2 --json >out &&
	test "$(test_json out "d[\"version\"], d[\"tagline\"], d[\"status\"]")" = \
		"(2, ${q}Family first.${q}, ${q}draft${q})"
'

test_expect_success 'rollback restores a version as a new one' '
	sf title rollback tt0068646 --to 2 --json >out &&
	test "$(test_json out "d[\"version\"], d[\"tagline\"], d[\"status\"], d[\"popularity\"]")" = \
		"(6, ${q}Family first.${q}, ${q}draft${q}, 9.25)" &&
	sf title history tt0068646 | sed -n 2p | grep -q "^6  .*title.rollback  *to version 2: tagline, status$" &&
	sf title rollback tt0068646 --to 2 >out 2>err &&
	grep -q "^VERSION: *6$" out &&
	grep -q "already is as in version 2" err
'

test_expect_success 'delete asks on a terminal, and deletes with --yes' '
	test_expect_fail 2 "refusing to delete a title without --yes" sf title delete ext:238 </dev/null &&
	sf title add Doomed --external-id doomed >/dev/null &&
	id=$(test_sql "SELECT id FROM titles WHERE external_id = ${q}doomed${q}") &&
	sf title delete doomed --yes >out &&
	test "$(cat out)" = "deleted title ${q}Doomed${q} (id $id)" &&
	test "$(test_sql "SELECT count(*) FROM titles WHERE id = $id")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM title_versions WHERE title_id = $id")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}title.delete${q}
			  AND entity_id = ${q}$id${q} AND old->>${q}title${q} = ${q}Doomed${q} AND new IS NULL")" = 1 &&
	sf title add Doomed2 --external-id doomed2 >/dev/null &&
	sf title delete doomed2 --yes --json >out &&
	test "$(test_json out "d[\"title\"]")" = Doomed2
'

test_expect_success 'a content manager may change titles; a viewer may not (77)' '
	echo Secret123 | sf user add --email cm@example.com --username cm --role content_manager \
		--password-stdin >/dev/null &&
	sf title add "By Manager" --as cm >/dev/null &&
	test "$(test_sql "SELECT actor FROM title_versions v JOIN titles t ON t.id = v.title_id
			  WHERE t.title = ${q}By Manager${q}")" = cm@example.com &&
	for args in "add X" "edit tt0903747 --year 2009" "publish ext:238" "archive tt0903747" \
		    "schedule tt0903747 --from 2020-01-01" "history tt0903747" \
		    "rollback tt0903747 --to 1" "delete tt0903747 --yes" "show tt0903747 --version 1"; do
		test_expect_fail 77 "account ${q}v@example.com${q} (viewer) may not manage the catalog" \
			sf title $args --as viewer || exit 1
	done
'

# Bad input: one line naming the bad value, the right status, nothing written.
test_expect_success 'add: bad values are refused naming the option and the value' '
	test_expect_fail 2 "--year ${q}19x2${q}: not a whole number from 1870 to 2200" sf title add X --year 19x2 &&
	test_expect_fail 2 "--year ${q}1869${q}" sf title add X --year 1869 &&
	test_expect_fail 2 "--release-date ${q}2023-02-29${q}: not a date" sf title add X --release-date 2023-02-29 &&
	test_expect_fail 2 "--release-date ${q}24/03/1972${q}: not a date" sf title add X --release-date 24/03/1972 &&
	test_expect_fail 2 "--runtime ${q}0${q}: not a whole number from 1 to 2000" sf title add X --runtime 0 &&
	test_expect_fail 2 "--maturity ${q}PG13${q}: not one of" sf title add X --maturity PG13 &&
	test_expect_fail 2 "--kind ${q}film${q}: not one of movie, series" sf title add X --kind film &&
	test_expect_fail 2 "--status ${q}live${q}: not one of draft, published, archived" sf title add X --status live &&
	test_expect_fail 2 "--language ${q}english${q}: not a language tag" sf title add X --language english &&
	test_expect_fail 2 "--spoken-languages ${q}e${q}: not a language tag" sf title add X --spoken-languages en,e &&
	test_expect_fail 2 "--countries ${q}USA${q}: not a two-letter country code" sf title add X --countries USA &&
	test_expect_fail 2 "--regions ${q}1A${q}: not a two-letter country code" sf title add X --regions 1A &&
	test_expect_fail 2 "--poster ${q}ftp://x.org/p.jpg${q}: not an http or https URL" sf title add X --poster ftp://x.org/p.jpg &&
	test_expect_fail 2 "--backdrop ${q}javascript:alert(1)${q}: not an http or https URL" sf title add X --backdrop "javascript:alert(1)" &&
	test_expect_fail 2 "--popularity ${q}-1${q}: not a number from 0" sf title add X --popularity -1 &&
	test_expect_fail 2 "--popularity ${q}lots${q}: not a number" sf title add X --popularity lots &&
	test_expect_fail 2 "--external-id ${q}tt 1${q}: must not contain spaces" sf title add X --external-id "tt 1" &&
	test_expect_fail 2 "--available-from ${q}soon${q}: not a time" sf title add X --available-from soon &&
	test_expect_fail 2 "--available-until ${q}2026-12-01T24:00${q}: not a time" sf title add X --available-until 2026-12-01T24:00 &&
	test_expect_fail 2 "available_until ${q}2026-01-01T00:00:00Z${q}: not after available_from" \
		sf title add X --available-from 2026-02-01 --available-until 2026-01-01 &&
	test_expect_fail 2 "year ${q}1971${q}: the release date 1972-03-24 is in 1972" \
		sf title add X --year 1971 --release-date 1972-03-24 &&
	test_expect_fail 2 "a series has no runtime" sf title add X --kind series --runtime 50 &&
	test_expect_fail 2 "title ${q}${q}: must not be empty" sf title add "" &&
	test_expect_fail 2 "--overview ${q}" sf title add X --overview "$(printf "%04001d" 0)" &&
	test_expect_fail 2 "--genres ${q}Sci|Fi${q}: must not contain" sf title add X --genres "Sci|Fi" &&
	test_expect_fail 3 "genre ${q}Western${q}: not found" sf title add X --genres Drama,Western &&
	test_expect_fail 4 "external id ${q}tt0068646${q} is already used by title" sf title add X --external-id tt0068646 &&
	test_expect_fail 2 "title add: missing <name>" sf title add &&
	test_expect_fail 2 "title add: unexpected argument ${q}Y${q}" sf title add X Y &&
	test_expect_fail 2 "title add: unknown option ${q}--colour${q}" sf title add X --colour red &&
	test_expect_fail 2 "title add: option ${q}--year${q} needs a value" sf title add X --year
'

test_expect_success 'edit, show, list: bad values and unknown titles' '
	test_expect_fail 2 "nothing to change" sf title edit tt0068646 &&
	test_expect_fail 2 "--title ${q}${q}: must not be empty" sf title edit tt0068646 --title "" &&
	test_expect_fail 2 "year ${q}1973${q}: the release date 1972-03-24 is in 1972" sf title edit tt0068646 --year 1973 &&
	test_expect_fail 4 "has a runtime; clear it" sf title edit tt0068646 --kind series &&
	test_expect_fail 2 "runtime_minutes ${q}90${q}: a series has no runtime" sf title edit tt0903747 --runtime 90 &&
	test_expect_fail 4 "external id ${q}tt0068646${q} is already used" sf title edit tt0903747 --external-id tt0068646 &&
	test_expect_fail 2 "not after available_from" sf title edit tt0903747 --available-until 1999-01-01 &&
	test_expect_fail 3 "title ${q}tt404${q}: not found" sf title edit tt404 --year 2000 &&
	test_expect_fail 3 "title ${q}99999${q}: not found" sf title show 99999 &&
	test_expect_fail 2 "title ${q}ext:${q}: no external id after" sf title show ext: &&
	test_expect_fail 2 "title: empty name" sf title show "" &&
	test_expect_fail 2 "title ${q}99999999999999999999${q}: not a valid id" sf title show 99999999999999999999 &&
	test_expect_fail 2 "--version ${q}0${q}: not a whole number" sf title show tt0068646 --version 0 &&
	test_expect_fail 3 "version 99: not found" sf title show tt0068646 --version 99 &&
	test_expect_fail 2 "--page ${q}0${q}: not a whole number" sf title list --page 0 &&
	test_expect_fail 2 "--limit ${q}1001${q}: not a whole number from 1 to 1000" sf title list --limit 1001 &&
	test_expect_fail 2 "--year-from ${q}2000${q}: after --year-to ${q}1990${q}" sf title list --year-from 2000 --year-to 1990 &&
	test_expect_fail 2 "--sort ${q}rating${q}: not one of" sf title list --sort rating &&
	test_expect_fail 2 "region ${q}USA${q}: not a two-letter country code" sf title list --region USA &&
	test_expect_fail 3 "genre ${q}Western${q}: not found" sf title list --genre Western &&
	test_expect_fail 2 "--genre ${q}${q}" sf title list --genre ""
'

test_expect_success 'publish, archive, schedule, history, rollback, delete: bad input' '
	test_expect_fail 3 "title ${q}nope${q}: not found" sf title publish nope &&
	test_expect_fail 3 "not found" sf title archive nope &&
	test_expect_fail 2 "give --from, --until or --regions" sf title schedule tt0903747 &&
	test_expect_fail 2 "--from ${q}2026-13-01${q}: not a time" sf title schedule tt0903747 --from 2026-13-01 &&
	test_expect_fail 2 "--regions ${q}U${q}: not a two-letter country code" sf title schedule tt0903747 --regions U &&
	test_expect_fail 2 "not after available_from" sf title schedule tt0903747 --until 1999-01-01 &&
	test_expect_fail 3 "not found" sf title schedule nope --from 2020-01-01 &&
	test_expect_fail 3 "not found" sf title history nope &&
	test_expect_fail 2 "title rollback: missing --to" sf title rollback tt0068646 &&
	test_expect_fail 2 "--to ${q}x${q}: not a whole number" sf title rollback tt0068646 --to x &&
	test_expect_fail 3 "title ${q}tt0068646${q}: version 42: not found" sf title rollback tt0068646 --to 42 &&
	test_expect_fail 3 "not found" sf title delete nope --yes &&
	test_expect_fail 2 "title delete: missing <title>" sf title delete --yes
'

test_expect_success 'a change of one title from many processes at once loses no version' '
	before=$(test_sql "SELECT version FROM titles WHERE external_id = ${q}tt0903747${q}") &&
	for i in $(seq 1 10); do
		sf title edit tt0903747 --popularity "$i.5" >/dev/null &
	done &&
	wait &&
	v=$(test_sql "SELECT version FROM titles WHERE external_id = ${q}tt0903747${q}") &&
	test "$v" = $((before + 10)) &&
	test "$(test_sql "SELECT count(*), min(v.version), max(v.version) FROM title_versions v
			  JOIN titles t ON t.id = v.title_id WHERE t.external_id = ${q}tt0903747${q}")" = \
		"$v|1|$v"
'

test_done
