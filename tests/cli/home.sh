#!/usr/bin/env bash
# home.sh - "sf home": the personalized homepage's rows and their rules
# (cold start, maturity and availability, finished titles, diversity,
# Because you watched, Top 10, Top Rated, My List, series once in
# Continue Watching, rewatching, genre rows by taste, New Releases,
# Trending's 7-day window, the rankers), and its per-profile cache,
# invalidated by the profile's own progress, My List and ratings on the
# very next request.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db

# hj FILE EXPR: EXPR in Python over the homepage in FILE (d), with
# rows(d) {id: [title ids]}, page(d) every title id shown (hero first),
# screen(d) the ids of the first 4 rows' first 10 items.
hj() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def rows(d): return {r["id"]: [i["title_id"] for i in r["items"]] for r in d["rows"]}
def page(d):
    ids = [d["hero"]["title_id"]] if d["hero"] else []
    for r in d["rows"]: ids += [i["title_id"] for i in r["items"]]
    return ids
def screen(d):
    ids = []
    for r in d["rows"][:4]: ids += [i["title_id"] for i in r["items"][:10]]
    return ids
print(eval(sys.argv[2]))
PY
}

test_expect_success 'setup: 150 movies in three genres, an R movie, a draft, viewers who share tastes' '
	test_sql "INSERT INTO genres (name) VALUES (\$\$Drama\$\$), (\$\$Comedy\$\$), (\$\$Horror\$\$)" &&
	test_sql "INSERT INTO titles (kind, title, year, runtime_minutes, maturity, status, popularity, poster_url, release_date)
		  SELECT \$\$movie\$\$, \$\$Film \$\$ || i, 1870 + i, 100, 3, \$\$published\$\$, 200 - i,
		         \$\$https://img.example/\$\$ || i || \$\$.jpg\$\$, make_date(1870 + i, 1, 1)
		    FROM generate_series(1, 150) i" &&
	test_sql "INSERT INTO title_genres SELECT t.id, g.id FROM titles t JOIN genres g
		  ON g.name = (ARRAY[\$\$Drama\$\$, \$\$Comedy\$\$, \$\$Horror\$\$])[1 + t.id % 3]" &&
	sf title add Gore --runtime 90 --maturity R --status published --popularity 1000 --genres Horror >/dev/null &&
	sf title add Secret --runtime 90 --maturity PG --popularity 1000 --genres Drama >/dev/null &&
	echo Secret123 | sf user add --email ann@example.com --username ann --password-stdin >/dev/null &&
	sf profile add ann Kids --kids >/dev/null &&
	test_sql "INSERT INTO accounts (email, username, password_hash)
		  SELECT \$\$v\$\$ || i || \$\$@example.com\$\$, \$\$v\$\$ || i, \$\$!\$\$ FROM generate_series(1, 30) i" &&
	test_sql "INSERT INTO profiles (account_id, name, maturity)
		  SELECT id, username, 6 FROM accounts WHERE username LIKE \$\$v%\$\$" &&
	# Viewers v1..v15 watch Films 1-10 and Gore, v16..v30 Films 11-20, all today.
	test_sql "INSERT INTO watch_progress (profile_id, title_id, position_s, duration_s, at, completed, completed_at)
		  SELECT p.id, t.id, 6000, 6000, now() - interval \$\$1 hour\$\$, true, now() - interval \$\$1 hour\$\$
		    FROM profiles p JOIN accounts a ON a.id = p.account_id
		    JOIN titles t ON (substr(a.username, 2)::int <= 15 AND (t.title IN (\$\$Gore\$\$)
		                       OR t.title ~ \$\$^Film ([1-9]|10)\$\$))
		                  OR (substr(a.username, 2)::int > 15 AND t.title ~ \$\$^Film (1[1-9]|20)\$\$)
		   WHERE a.username ~ \$\$^v[0-9]+\$\$" &&
	# Film 30 has one 5-star rating; Film 31 five 4-star ones.
	test_sql "INSERT INTO ratings (profile_id, title_id, stars)
		  SELECT p.id, t.id, 5 FROM profiles p, titles t WHERE p.name = \$\$v1\$\$ AND t.title = \$\$Film 30\$\$" &&
	test_sql "INSERT INTO ratings (profile_id, title_id, stars)
		  SELECT p.id, t.id, 4 FROM profiles p, titles t
		   WHERE p.name IN (\$\$v1\$\$, \$\$v2\$\$, \$\$v3\$\$, \$\$v4\$\$, \$\$v5\$\$) AND t.title = \$\$Film 31\$\$" &&
	sf recs build --json >build &&
	test "$(test_json build "d[\"cf_neighbours\"] > 0, d[\"top10\"], d[\"top_rated\"]")" = "(True, 10, 1)"
'

id() { test_sql "SELECT id FROM titles WHERE title = '$1'"; }
gore=$(id Gore) secret=$(id Secret) f3=$(id 'Film 3') f4=$(id 'Film 4') f5=$(id 'Film 5')
f30=$(id 'Film 30') f31=$(id 'Film 31')

test_expect_success 'a new profile gets popular rows, diverse by genre, and no personal rows (cold start)' '
	sf home ann/ann --json >out &&
	test "$(hj out "[r[\"id\"] for r in d[\"rows\"]][:3]")" = "[${q:-}'"'"'top_picks'"'"', '"'"'trending'"'"', '"'"'top10'"'"']" &&
	test "$(hj out "any(r[\"id\"].startswith(\"because\") or r[\"id\"] == \"continue\" for r in d[\"rows\"])")" = False &&
	test "$(hj out "d[\"rows\"][0][\"reason\"]")" = "Popular on sf" &&
	test "$(hj out "len({g for i in d[\"rows\"][0][\"items\"][:6] for g in i[\"genres\"]})")" = 3 &&
	test "$(hj out "d[\"hero\"] is not None and d[\"hero\"][\"poster_url\"] is not None")" = True
'

test_expect_success 'no title appears twice on the page, so none in the first screenful' '
	sf home ann/ann --json >out &&
	test "$(hj out "len(screen(d)) == len(set(screen(d))) and len(page(d)) == len(set(page(d)))")" = True &&
	test "$(hj out "len(screen(d)) >= 30")" = True
'

test_expect_success 'maturity and availability: no R title for a kids profile, no draft for anyone' '
	sf home ann/Kids --json >kids &&
	sf home ann/ann --json >adult &&
	test "$(hj kids "$gore in page(d) or $secret in page(d)")" = False &&
	test "$(hj adult "$gore in page(d)")" = True &&
	test "$(hj adult "$secret in page(d)")" = False
'

test_expect_success 'Top 10 has ranks; Top Rated needs 5 ratings, so one 5-star rating does not top it' '
	sf home ann/ann --json >out &&
	test "$(hj out "[i[\"rank\"] for r in d[\"rows\"] if r[\"id\"] == \"top10\" for i in r[\"items\"]][:1]")" = "[1]" &&
	test "$(test_sql "SELECT string_agg(title_id::text, \$\$,\$\$) FROM recs_title_stats WHERE bayes IS NOT NULL")" = "$f31" &&
	test "$(hj out "set(rows(d).get(\"top_rated\", [])) <= {$f31}")" = True
'

test_expect_success 'the page is cached; a finished title leaves it and Because you watched appears at once' '
	sf home ann/ann --fresh --json >a && sf home ann/ann --json >b &&
	test "$(hj a "d[\"cached\"]")" = False && test "$(hj b "d[\"cached\"]")" = True &&
	sf watch progress ann/ann "$f3" --event complete >/dev/null &&
	sf home ann/ann --json >out &&
	test "$(hj out "d[\"cached\"], $f3 in page(d)")" = "(False, False)" &&
	test "$(hj out "[(r[\"title\"], r[\"reason\"]) for r in d[\"rows\"] if r[\"id\"] == \"because:$f3\"]")" = \
		"[('"'"'Because you watched Film 3'"'"', '"'"'You finished it'"'"')]" &&
	test "$(hj out "d[\"rows\"][0][\"reason\"]")" = "Picked for you from what you watched"
'

test_expect_success 'a title started a moment ago is in Continue Watching on the next request, and out once finished' '
	sf home ann/ann --json >/dev/null &&
	sf watch progress ann/ann "$f4" --position 600 >/dev/null &&
	sf home ann/ann --json >out &&
	test "$(hj out "d[\"cached\"], rows(d)[\"continue\"]")" = "(False, [$f4])" &&
	test "$(hj out "page(d).count($f4)")" = 1 &&
	sf watch progress ann/ann "$f4" --event complete >/dev/null &&
	sf home ann/ann --json >out &&
	test "$(hj out "\"continue\" in rows(d), $f4 in page(d)")" = "(False, False)"
'

test_expect_success 'My List and ratings invalidate the cache too; a 1-star title is not recommended' '
	sf home ann/ann --json >/dev/null &&
	sf list add ann/ann "$f5" >/dev/null &&
	sf home ann/ann --json >out &&
	test "$(hj out "d[\"cached\"], rows(d)[\"my_list\"]")" = "(False, [$f5])" &&
	f6=$(id "Film 6") &&
	sf review rate ann/ann "$f6" 1 >/dev/null &&
	sf home ann/ann --json >out &&
	test "$(hj out "d[\"cached\"], $f6 in page(d)")" = "(False, False)"
'

test_expect_success 'a profile'"'"'s events leave another profile'"'"'s cache alone' '
	sf home ann/Kids --json >/dev/null &&
	sf watch progress ann/ann "$f5" --position 100 >/dev/null &&
	sf home ann/Kids --json >out &&
	test "$(hj out "d[\"cached\"]")" = True
'

test_expect_success '--ranker popularity is its own cache entry; --fresh recomputes' '
	sf home ann/ann --ranker popularity --json >out &&
	test "$(hj out "d[\"ranker\"], d[\"cached\"]")" = "(${q:-}'"'"'popularity'"'"', False)" &&
	sf home ann/ann --ranker popularity --json >out &&
	test "$(hj out "d[\"cached\"]")" = True &&
	sf home ann/ann --ranker popularity --fresh --json >out &&
	test "$(hj out "d[\"cached\"]")" = False
'

test_expect_success 'a new build makes cached pages stale' '
	sf home ann/ann --json >/dev/null &&
	sf recs build >/dev/null &&
	sf home ann/ann --json >out &&
	test "$(hj out "d[\"cached\"]")" = False
'

test_expect_success 'setup: bob, a series of two episodes' '
	echo Secret123 | sf user add --email bob@example.com --username bob --password-stdin >/dev/null &&
	sf title add Dark --kind series --maturity TV-PG --status published --genres Drama >/dev/null &&
	dark=$(id Dark) &&
	sf title season add "$dark" 1 >/dev/null &&
	sf title episode add "$dark" 1 1 --name Secrets --runtime 50 >/dev/null &&
	sf title episode add "$dark" 1 2 --name Lies --runtime 50 >/dev/null
'
dark=$(id Dark)

test_expect_success 'a series is in Continue Watching once: its episode to resume, then the next one' '
	sf watch progress bob/bob "$dark" --season 1 --episode 1 --position 600 >/dev/null &&
	sf home bob/bob --json >out &&
	test "$(hj out "[(i[\"title_id\"], i[\"state\"], i[\"episode\"][\"number\"]) for i in d[\"rows\"][0][\"items\"]]")" = \
		"[($dark, ${q:-}'"'"'resume'"'"', 1)]" &&
	sf watch progress bob/bob "$dark" --season 1 --episode 1 --event complete >/dev/null &&
	sf home bob/bob --json >out &&
	test "$(hj out "[(i[\"title_id\"], i[\"state\"], i[\"episode\"][\"number\"]) for i in d[\"rows\"][0][\"items\"]]")" = \
		"[($dark, ${q:-}'"'"'next'"'"', 2)]" &&
	test "$(hj out "page(d).count($dark)")" = 1
'

test_expect_success 'a finished movie watched again is in Continue Watching and recommended nowhere' '
	f7=$(id "Film 7") &&
	sf watch progress bob/bob "$f7" --event complete >/dev/null &&
	sf home bob/bob --json >out &&
	test "$(hj out "$f7 in page(d)")" = False &&
	sf watch progress bob/bob "$f7" --position 600 >/dev/null &&
	sf home bob/bob --json >out &&
	test "$(hj out "$f7 in rows(d)[\"continue\"], page(d).count($f7)")" = "(True, 1)"
'

test_expect_success 'genre rows follow the profile'"'"'s taste; a new profile gets popular genres' '
	for t in $(test_sql "SELECT tg.title_id FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
			WHERE g.name = \$\$Horror\$\$ ORDER BY tg.title_id OFFSET 20 LIMIT 4"); do
		sf watch progress bob/bob "$t" --event complete >/dev/null || exit 1
	done &&
	horror=$(test_sql "SELECT id FROM genres WHERE name = \$\$Horror\$\$") &&
	sf home bob/bob --json >out &&
	test "$(hj out "[(r[\"id\"], r[\"title\"], r[\"reason\"]) for r in d[\"rows\"] if r[\"id\"].startswith(\"genre:\")][0]")" = \
		"(${q:-}'"'"'genre:$horror'"'"', '"'"'Horror'"'"', '"'"'Because you like Horror'"'"')" &&
	echo Secret123 | sf user add --email cy@example.com --username cy --password-stdin >/dev/null &&
	sf home cy/cy --json >out &&
	test "$(hj out "[r[\"reason\"][:11] for r in d[\"rows\"] if r[\"id\"].startswith(\"genre:\")]")" = \
		"['"'"'Popular in '"'"', '"'"'Popular in '"'"', '"'"'Popular in '"'"']"
'

test_expect_success 'New Releases: the newest first' '
	sf home cy/cy --json >out &&
	hj out "[i[\"year\"] for r in d[\"rows\"] if r[\"id\"] == \"new\" for i in r[\"items\"]]" >years &&
	test "$(cat years)" != "[]" &&
	test "$(hj out "(lambda y: y == sorted(y, reverse=True))([i[\"year\"] for r in d[\"rows\"] if r[\"id\"] == \"new\" for i in r[\"items\"]])")" = True
'

test_expect_success 'Trending counts the last 7 days, recent plays more; older plays not at all' '
	for t in "Wave 1:10 days" "Wave 2:6 days" "Wave 3:1 day"; do
		sf title add "${t%%:*}" --runtime 90 --maturity PG --status published --genres Comedy >/dev/null &&
		test_sql "INSERT INTO watch_progress (profile_id, title_id, position_s, duration_s, at, completed, completed_at)
			SELECT p.id, t.id, 6000, 6000, now() - interval \$\$${t#*:}\$\$, true, now() - interval \$\$${t#*:}\$\$
			  FROM profiles p, titles t WHERE p.name IN (\$\$v1\$\$, \$\$v2\$\$, \$\$v3\$\$)
			   AND t.title = \$\$${t%%:*}\$\$" >/dev/null || exit 1
	done &&
	sf recs build >/dev/null &&
	test "$(test_sql "SELECT string_agg(t.title || \$\$=\$\$ || (coalesce(s.trend, 0) > 0), \$\$,\$\$
			ORDER BY s.trend DESC NULLS LAST)
		FROM titles t LEFT JOIN recs_title_stats s ON s.title_id = t.id WHERE t.title LIKE \$\$Wave %\$\$")" = \
		"Wave 3=true,Wave 2=true,Wave 1=false" &&
	sf home cy/cy --fresh --json >out &&
	test "$(hj out "$(id "Wave 1") in rows(d).get(\"trending\", [])")" = False
'

test_expect_success 'human output shows rows and numbered items' '
	sf home ann/ann >out &&
	grep -q "^Top Picks for ann - " out &&
	grep -q "^   1\. " out
'

test_expect_success 'bad input: one line, the right status, nothing written' '
	test_expect_code 2 sf home ann/ann --ranker magic 2>err && test_one_line err && grep -q magic err &&
	test_expect_code 2 sf home ann/ann --region France 2>err && test_one_line err &&
	test_expect_code 3 sf home ann/nobody 2>err && test_one_line err
'

test_done
