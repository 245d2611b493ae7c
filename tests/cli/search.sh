#!/usr/bin/env bash
# search.sh - "sf search": the table and its "showing" line, JSON, a viewer's
# and an operator's view, typos said as such, --suggest, "sf search stats"
# (and "-- stats" to search for the word), every bad parameter refused with
# one line naming it and exit status 2 (leaving the database as it was),
# and who may search how.  The relevance of results is tests/db/search.c's.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

test_expect_success 'setup: a few titles, an account with a kids profile, a catalog manager' '
	test_sql "INSERT INTO genres (name) VALUES (${q}Crime${q}), (${q}Drama${q});
		INSERT INTO titles (kind, title, overview, year, maturity, popularity, rating_avg, status)
		VALUES (${q}movie${q}, ${q}The Godfather${q}, ${q}A crime family.${q}, 1972, 5, 90, 4.6, ${q}published${q}),
		       (${q}movie${q}, ${q}The Godfather Part II${q}, ${q}Vito Corleone.${q}, 1974, 5, 80, 4.5, ${q}published${q}),
		       (${q}movie${q}, ${q}Amélie${q}, ${q}A shy waitress.${q}, 2001, 3, 60, 4.15, ${q}published${q}),
		       (${q}movie${q}, ${q}Godfather Draft${q}, NULL, 2020, 1, 1, NULL, ${q}draft${q}),
		       (${q}series${q}, ${q}Breaking Bad${q}, ${q}A teacher.${q}, 2008, 6, 97, 4.75, ${q}published${q});
		INSERT INTO title_genres SELECT t.id, g.id FROM titles t, genres g
		 WHERE t.title LIKE ${q}The Godfather%${q} AND g.name = ${q}Crime${q};
		INSERT INTO seasons (title_id, number) SELECT id, 5 FROM titles WHERE title = ${q}Breaking Bad${q};
		INSERT INTO episodes (season_id, title_id, number, name)
		 SELECT s.id, s.title_id, 14, ${q}Ozymandias${q} FROM seasons s;
		SELECT sf_title_reindex_all();" >/dev/null &&
	echo Secret123 | sf user add --email ada@example.com --username ada --password-stdin >/dev/null &&
	echo Secret123 | sf user add --email cm@example.com --username cm --role content_manager \
		--password-stdin >/dev/null &&
	sf profile add ada Kids --kids >/dev/null
'

test_expect_success 'a search prints a table, then how many and which page' '
	sf search godfather >out &&
	head -n 1 out >header &&
	grep -q "^#  *ID  *KIND  *TITLE  *YEAR  *RATING  *STATUS  *GENRES$" header &&
	grep -q "^1  .*movie  *The Godfather  *1972  *4.6  *published  *Crime$" out &&
	grep -q "^2  .*The Godfather Part II " out &&
	grep -q "^3  .*Godfather Draft  *2020  *-  *draft  *-$" out &&
	tail -n 1 out >footer &&
	echo "showing 1–3 of 3 (page 1 of 1)" >expect &&
	test_cmp expect footer
'

test_expect_success 'the words may be several arguments, and a page may be asked for' '
	sf search the godfather --limit 1 --page 2 >out &&
	grep -q "^2  .*The Godfather Part II" out &&
	tail -n 1 out | grep -qx "showing 2–2 of 3 (page 2 of 3)"
'

test_expect_success 'a viewer sees no drafts, nothing above the limit, and no STATUS column' '
	sf search godfather --profile ada/ada >out &&
	! grep -q "Godfather Draft" out &&
	! grep -q STATUS out &&
	tail -n 1 out | grep -qx "showing 1–2 of 2 (page 1 of 1)" &&
	sf search godfather --profile ada/kids >out &&
	echo "no titles match ${q}godfather${q}" >expect &&
	test_cmp expect out
'

test_expect_success 'an episode name leads to its series, and says which episode' '
	sf search ozymandias >out &&
	grep -q "Breaking Bad (episode S05E14 Ozymandias)" out
'

test_expect_success 'a typo is mended, and the output says so' '
	sf search godfahter --profile ada/ada >out &&
	head -n 1 out >first &&
	echo "no titles match ${q}godfahter${q}; showing results for ${q}godfather${q}:" >expect &&
	test_cmp expect first &&
	grep -q "The Godfather" out
'

test_expect_success '--json gives query, totals, page and items' '
	sf search godf --json >out &&
	test "$(test_json out "\",\".join(d)")" = \
		query,total,total_exact,page,pages,limit,fuzzy,corrected,items &&
	test "$(test_json out "d[\"query\"], d[\"total\"], d[\"page\"], d[\"pages\"], d[\"limit\"]")" = \
		"(${q}godf${q}, 3, 1, 1, 20)" &&
	test "$(test_json out "\",\".join(d[\"items\"][0])")" = \
		rank,id,kind,title,year,maturity,rating,genres,status,episode &&
	test "$(test_json out "[(i[\"rank\"], i[\"title\"], i[\"maturity\"], i[\"genres\"]) for i in d[\"items\"]][0]")" = \
		"(1, ${q}The Godfather${q}, ${q}R${q}, [${q}Crime${q}])"
'

test_expect_success 'nothing found is no error' '
	sf search xqzzyv >out &&
	echo "no titles match ${q}xqzzyv${q}" >expect &&
	test_cmp expect out &&
	sf search xqzzyv --json >out &&
	test "$(test_json out "d[\"total\"], d[\"items\"]")" = "(0, [])"
'

test_expect_success 'filters narrow the results; with no words they list' '
	sf search godfather --year 1970..1973 --json >out &&
	test "$(test_json out "[i[\"title\"] for i in d[\"items\"]]")" = "[${q}The Godfather${q}]" &&
	sf search --genre crime --sort oldest --json >out &&
	test "$(test_json out "[i[\"title\"] for i in d[\"items\"]]")" = \
		"[${q}The Godfather${q}, ${q}The Godfather Part II${q}]" &&
	sf search --type series --min-rating 4.75 --json >out &&
	test "$(test_json out "[i[\"title\"] for i in d[\"items\"]]")" = "[${q}Breaking Bad${q}]"
'

test_expect_success '--suggest completes a title, one a line' '
	sf search --suggest godf >out &&
	printf "%s\n" "The Godfather (1972)" "The Godfather Part II (1974)" "Godfather Draft (2020)" >expect &&
	test_cmp expect out &&
	sf search --suggest AMEL --profile ada/kids --json >out &&
	test "$(test_json out "[(i[\"title\"], i[\"kind\"], i[\"year\"]) for i in d]")" = \
		"[(${q}Amélie${q}, ${q}movie${q}, 2001)]" &&
	sf search --suggest zzz >out &&
	test_cmp /dev/null out
'

test_expect_success 'every search is logged, --suggest is not' '
	n=$(test_sql "SELECT count(*) FROM search_log") &&
	sf search amelie --profile ada/kids >/dev/null &&
	sf search --suggest ame >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM search_log")" = $((n + 1)) &&
	test "$(test_sql "SELECT l.query, l.result_count, p.name FROM search_log l
			  JOIN profiles p ON p.id = l.profile_id ORDER BY l.id DESC LIMIT 1")" = "amelie|1|Kids"
'

test_expect_success 'sf search stats shows the frequent queries and those that found nothing' '
	sf search "Mad Max" >/dev/null && sf search "mad max" --profile ada/ada >/dev/null &&
	sf search stats >out &&
	head -n 1 out | grep -q "^[0-9]* searches since .*; [0-9]* found nothing$" &&
	sed -n "/^MOST FREQUENT$/,/^$/p" out | grep -q "^godfather  *" &&
	sed -n "/^FOUND NOTHING$/,\$p" out >zero &&
	grep -q "^QUERY  *SEARCHES  *PROFILES  *LAST$" zero &&
	grep -qi "^mad max  *2  *1  " zero &&
	grep -q "^xqzzyv  *2  *0  " zero
'

test_expect_success 'stats --zero-results --json, and --since' '
	sf search stats --zero-results --json >out &&
	test "$(test_json out "\",\".join(d)")" = since,searches,zero_results,zero &&
	test "$(test_json out "d[\"zero\"][0][\"query\"].lower(), d[\"zero\"][0][\"searches\"]")" = \
		"(${q}mad max${q}, 2)" &&
	sf search stats --since 2999-01-01 --json >out &&
	test "$(test_json out "d[\"searches\"], d[\"top\"], d[\"zero\"]")" = "(0, [], [])"
'

test_expect_success '"-- stats" searches for the word' '
	n=$(test_sql "SELECT count(*) FROM search_log WHERE query = ${q}stats${q}") &&
	sf search -- stats >out &&
	echo "no titles match ${q}stats${q}" >expect &&
	test_cmp expect out &&
	test "$(test_sql "SELECT count(*) FROM search_log WHERE query = ${q}stats${q}")" = $((n + 1))
'

test_expect_success 'bad parameters are refused (2) with one line naming them' '
	test_expect_fail 2 "--year ${q}1990..1899${q}: the range is backwards" sf search x --year 1990..1899 &&
	test_expect_fail 2 "--year ${q}3000${q}: years go from 1870 to 2200" sf search x --year 3000 &&
	test_expect_fail 2 "--year ${q}soon${q}: not a year" sf search x --year soon &&
	test_expect_fail 2 "--min-rating ${q}6${q}: not a rating from 0 to 5" sf search x --min-rating 6 &&
	test_expect_fail 2 "--type ${q}film${q}: not one of movie, series" sf search x --type film &&
	test_expect_fail 2 "--sort ${q}best${q}: not one of relevance, newest" sf search x --sort best &&
	test_expect_fail 2 "--page ${q}0${q}: not a whole number of 1 or more" sf search x --page 0 &&
	test_expect_fail 2 "--page ${q}6${q}: only the first 100 results" sf search x --page 6 &&
	test_expect_fail 2 "--limit ${q}101${q}: not a whole number from 1 to 100" sf search x --limit 101 &&
	test_expect_fail 2 "--lang ${q}french${q}: not a language code" sf search x --lang french &&
	test_expect_fail 2 "--region ${q}FRA${q}: not a two-letter country code" sf search x --region FRA &&
	test_expect_fail 2 "--genre ${q}Western${q}: no such genre" sf search x --genre Western &&
	test_expect_fail 2 "--limit ${q}11${q}: not a whole number from 1 to 10" sf search --suggest x --limit 11 &&
	test_expect_fail 2 "--since ${q}soon${q}: not a date" sf search stats --since soon &&
	test_expect_fail 2 "--limit ${q}0${q}" sf search stats --limit 0 &&
	test_expect_fail 2 "longer than 200 characters" sf search "$(printf "%0201d" 0)" --json
'

test_expect_success 'options of another mode are refused (2)' '
	test_expect_fail 2 "search: --since is for ${q}sf search stats${q}" sf search x --since 7d &&
	test_expect_fail 2 "search: --zero-results is for ${q}sf search stats${q}" sf search x --zero-results &&
	test_expect_fail 2 "search: --genre does not go with --suggest" sf search --suggest x --genre Crime &&
	test_expect_fail 2 "search: give --suggest a prefix or words to search, not both" sf search x --suggest y &&
	test_expect_fail 2 "search: --profile is for searches, not ${q}sf search stats${q}" \
		sf search stats --profile ada/ada &&
	test_expect_fail 2 "search: --year is for searches" sf search stats --year 1990
'

test_expect_success 'an unknown profile is not found (3)' '
	test_expect_fail 3 "profile ${q}ada/nobody${q}: not found" sf search x --profile ada/nobody &&
	test_expect_fail 3 "not found" sf search --suggest x --profile 999999
'

test_expect_success 'with --as: own profiles yes, the operator view and stats need a catalog manager (77)' '
	sf search godfather --profile ada/ada --as ada >/dev/null &&
	test_expect_fail 77 "may not manage the catalog" sf search godfather --as ada &&
	test_expect_fail 77 "may not manage the catalog" sf search stats --as ada &&
	test_expect_fail 77 "may not manage accounts" sf search x --profile ada/ada --as cm &&
	sf search godfather --as cm >/dev/null &&
	sf search stats --as cm >/dev/null
'

test_expect_success '--help shows the usage and every option' '
	sf search --help >out &&
	head -n 1 out | grep -q "^usage: sf search \[--profile <profile>\]" &&
	for o in profile region genre year min-rating type lang sort page limit suggest zero-results since; do
		grep -q -- "--$o" out || { echo "no --$o"; false; }
	done
'

test_done
