#!/usr/bin/env bash
# demo.sh - "sf demo generate": exact counts for the sizes asked for, a
# plausible catalog (every series has seasons and every season episodes,
# 1-3 genres, years in range, unique external ids, credits of the right
# kinds, search documents built), the same rows for the same seed in two
# databases and other rows for another seed, refusal of a non-empty
# catalog unless --replace, bad sizes (2), --as without the right (77),
# the schema left exactly as it was (the load drops and remakes foreign
# keys and indexes), and nothing at all after kill -9.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

# json FILE EXPR: the Python expression EXPR over the JSON in FILE (d).
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

count() {
	test_sql "SELECT count(*) FROM $1"
}

# other_db NAME: another database of this file (NAME one of $others),
# cloned from the migrated template; prints its connection string.
others="b c genres race kill viewers"
other_db() {
	local name="${TEST_DBNAME}_$1"
	psql -qX -h "$SF_TEST_PGHOST" -U sf -d postgres -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name TEMPLATE sf_template" >/dev/null
	echo "host=$SF_TEST_PGHOST user=sf dbname=$name"
}

# dump [CONNINFO]: the whole catalog in a fixed order, ids included, as
# text; availability windows relative to the day of generation.
dump() {
	psql -qAtX -v ON_ERROR_STOP=1 "${1:-$SF_DATABASE_URL}" </dev/null \
		-c "SELECT id, kind, title, original_title, overview, tagline, release_date, year,
			runtime_minutes, maturity, original_language, spoken_languages, countries,
			external_id, popularity, status,
			available_from - date_trunc('day', created_at, 'UTC'),
			available_until - date_trunc('day', created_at, 'UTC'),
			regions, version, search_doc
		    FROM titles ORDER BY id" \
		-c "SELECT tg.title_id, g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
		    ORDER BY 1, 2" \
		-c "SELECT * FROM seasons ORDER BY id" \
		-c "SELECT * FROM episodes ORDER BY id" \
		-c "SELECT * FROM people ORDER BY id" \
		-c "SELECT * FROM credits ORDER BY id"
}

# The foreign keys, indexes and comments of the catalog's tables.
schema() {
	psql -qAtX -v ON_ERROR_STOP=1 "${1:-$SF_DATABASE_URL}" </dev/null \
		-c "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid),
			obj_description(oid, 'pg_constraint'), convalidated
		    FROM pg_constraint WHERE conrelid IN (SELECT oid FROM pg_class
			WHERE relnamespace = 'public'::regnamespace) ORDER BY 1, 2" \
		-c "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid),
			obj_description(indexrelid, 'pg_class'), indisvalid
		    FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class
			WHERE relnamespace = 'public'::regnamespace) ORDER BY 1"
}

# expect_fail STATUS TEXT sf ...: exit STATUS, nothing on stdout, one line
# "sf: ...TEXT..." on stderr, and the catalog unchanged.
expect_fail() {
	local status=$1 text=$2
	shift 2
	dump | md5sum >before.md5 &&
	test_expect_code "$status" "$@" >out 2>err &&
	test_one_line err &&
	if ! grep -q "^sf: " err || ! grep -qF -- "$text" err; then
		echo "expected 'sf: ...$text...' from $*, got:" >&2
		cat err >&2
		return 1
	fi &&
	test_cmp /dev/null out &&
	dump | md5sum >after.md5 &&
	test_cmp before.md5 after.md5
}

test_expect_success 'setup: the schema before any generation' '
	schema >"$TEST_DIR/schema.before" &&
	test -s "$TEST_DIR/schema.before" &&
	test "$(count titles)" = 0
'

test_expect_success 'generate makes exactly the titles, series, episodes and people asked for' '
	sf demo generate --titles 500 --series 100 --episodes 2000 --people 300 --seed 42 \
		--json >out &&
	test "$(json out "d[\"seed\"], d[\"titles\"], d[\"movies\"], d[\"series\"], d[\"episodes\"], d[\"people\"], d[\"replaced_titles\"]")" = \
		"(42, 500, 400, 100, 2000, 300, 0)" &&
	test "$(json out "\",\".join(d)")" = \
		seed,titles,movies,series,seasons,episodes,people,credits,genres,viewers,plays,events,ratings,replaced_titles,replaced_viewers,milliseconds &&
	test "$(count titles)" = 500 &&
	test "$(count "titles WHERE kind = ${q}movie${q}")" = 400 &&
	test "$(count "titles WHERE kind = ${q}series${q}")" = 100 &&
	test "$(count episodes)" = 2000 &&
	test "$(count people)" = 300 &&
	test "$(count seasons)" = "$(json out "d[\"seasons\"]")" &&
	test "$(count credits)" = "$(json out "d[\"credits\"]")" &&
	test "$(count genres)" = "$(json out "d[\"genres\"]")" &&
	test "$(count genres)" = 18
'

test_expect_success 'generate leaves the schema exactly as it was' '
	schema >schema.after &&
	test_cmp "$TEST_DIR/schema.before" schema.after
'

test_expect_success 'every series has seasons 1..n, and every season episodes 1..n' '
	test "$(count "titles t WHERE kind = ${q}series${q}
		AND NOT EXISTS (SELECT 1 FROM seasons s WHERE s.title_id = t.id)")" = 0 &&
	test "$(count "seasons s WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.season_id = s.id)")" = 0 &&
	test "$(count "(SELECT title_id FROM seasons GROUP BY title_id
		HAVING max(number) <> count(*) OR min(number) <> 1 OR count(*) > 8) x")" = 0 &&
	test "$(count "(SELECT season_id FROM episodes GROUP BY season_id
		HAVING max(number) <> count(*) OR min(number) <> 1) x")" = 0 &&
	test "$(count "episodes e JOIN seasons s ON s.id = e.season_id WHERE e.title_id <> s.title_id")" = 0 &&
	test "$(count "seasons s JOIN titles t ON t.id = s.title_id WHERE t.kind <> ${q}series${q}")" = 0 &&
	test "$(count "episodes WHERE runtime_minutes IS NULL OR release_date IS NULL OR name = ${q}${q}")" = 0
'

test_expect_success 'titles are plausible: genres, years, ratings, runtimes, ids, status' '
	test "$(count "titles t WHERE (SELECT count(*) FROM title_genres g WHERE g.title_id = t.id)
		NOT BETWEEN 1 AND 3")" = 0 &&
	test "$(count "titles WHERE year NOT BETWEEN 1920 AND 2025
		OR extract(year FROM release_date) <> year")" = 0 &&
	test "$(count "titles WHERE kind = ${q}series${q} AND year < 1950")" = 0 &&
	test "$(count "titles WHERE maturity NOT BETWEEN 1 AND 6")" = 0 &&
	test "$(count "titles WHERE (kind = ${q}movie${q}) <> (runtime_minutes IS NOT NULL)")" = 0 &&
	test "$(count "titles WHERE runtime_minutes NOT BETWEEN 55 AND 215")" = 0 &&
	test "$(test_sql "SELECT count(DISTINCT external_id) FROM titles")" = 500 &&
	test "$(count "titles WHERE external_id !~ ${q}^sfdemo:[0-9]{6}\$${q}")" = 0 &&
	test "$(test_sql "SELECT external_id FROM titles ORDER BY id LIMIT 1")" = sfdemo:000001 &&
	test "$(count "titles WHERE status = ${q}published${q}")" -gt 400 &&
	test "$(count "titles WHERE popularity <= 0 OR original_language IS NULL
		OR cardinality(countries) NOT BETWEEN 1 AND 2 OR cardinality(spoken_languages) = 0")" = 0 &&
	test "$(count "titles WHERE overview IS NOT NULL")" -gt 450 &&
	test "$(count "titles WHERE original_language <> ${q}en${q}")" -gt 100 &&
	test "$(count "titles WHERE title ~ ${q}[À-ÿ]${q} OR original_title ~ ${q}[À-ÿ]${q}")" -gt 10 &&
	test "$(count "titles WHERE available_until <= available_from")" = 0
'

test_expect_success 'common words repeat, so some titles share their name' '
	test "$(count "(SELECT title FROM titles GROUP BY title HAVING count(*) > 1) x")" -gt 5 &&
	test "$(count "titles WHERE title ILIKE ${q}%last%${q}")" -gt 10
'

test_expect_success 'credits: 3-10 cast with characters, 1-2 directors, 1-3 writers a title' '
	test "$(count "(SELECT t.id FROM titles t LEFT JOIN credits c ON c.title_id = t.id
		GROUP BY t.id HAVING count(*) FILTER (WHERE role = ${q}cast${q}) NOT BETWEEN 3 AND 10
		OR count(*) FILTER (WHERE role = ${q}director${q}) NOT BETWEEN 1 AND 2
		OR count(*) FILTER (WHERE role = ${q}writer${q}) NOT BETWEEN 1 AND 3) x")" = 0 &&
	test "$(count "credits WHERE (role = ${q}cast${q}) <> (character IS NOT NULL)")" = 0 &&
	test "$(count "(SELECT title_id, role FROM credits GROUP BY 1, 2
		HAVING max(ord) <> count(*) - 1 OR min(ord) <> 0) x")" = 0 &&
	test "$(test_sql "SELECT count(DISTINCT name) FROM people")" = 300
'

test_expect_success 'every title has its search document' '
	test "$(count "titles WHERE search_doc = ${q}${q}::tsvector")" = 0 &&
	id=$(test_sql "SELECT id FROM titles WHERE title ~ ${q}^[A-Za-z ]+\$${q} ORDER BY id LIMIT 1") &&
	word=$(test_sql "SELECT lower(split_part(title, ${q} ${q}, -1)) FROM titles WHERE id = $id") &&
	test "$(count "titles WHERE id = $id AND search_doc @@ plainto_tsquery(${q}english${q}, ${q}$word${q})")" = 1
'

test_expect_success 'the generation is in the audit log' '
	test "$(test_sql "SELECT actor LIKE ${q}os:%${q}, entity_type, entity_id, old IS NULL,
		new->>${q}seed${q}, new->>${q}titles${q}, new->>${q}episodes${q}
		FROM audit_log WHERE action = ${q}catalog.generate${q}")" = "t|catalog|0|t|42|500|2000"
'

test_expect_success 'the same seed gives the same catalog in another database, ids included' '
	dump >a.dump &&
	b=$(other_db b) &&
	sf demo generate --db "$b" --titles 500 --series 100 --episodes 2000 --people 300 --seed 42 \
		>/dev/null &&
	dump "$b" >b.dump &&
	test "$(md5sum <a.dump)" = "$(md5sum <b.dump)" &&
	test "$(wc -l <a.dump)" -gt 3000
'

test_expect_success 'another seed gives another catalog of the same sizes' '
	c=$(other_db c) &&
	sf demo generate --db "$c" --titles 500 --series 100 --episodes 2000 --people 300 --seed 43 \
		--json >out &&
	test "$(json out "d[\"titles\"], d[\"series\"], d[\"episodes\"], d[\"people\"]")" = \
		"(500, 100, 2000, 300)" &&
	dump "$c" >c.dump &&
	test "$(md5sum <a.dump)" != "$(md5sum <c.dump)" &&
	! cmp -s <(psql -qAtX "$c" -c "SELECT title FROM titles ORDER BY id") \
		<(test_sql "SELECT title FROM titles ORDER BY id")
'

test_expect_success 'a catalog that is not empty is refused (4)' '
	expect_fail 4 "the catalog is not empty (500 titles, 300 people); give --replace" \
		sf demo generate --titles 10 &&
	expect_fail 4 "the catalog is not empty" sf demo generate --json
'

test_expect_success '--replace replaces it; with the same seed, the very same rows again' '
	sf demo generate --replace --titles 20 --seed 5 --json >out &&
	test "$(json out "d[\"titles\"], d[\"series\"], d[\"episodes\"], d[\"people\"], d[\"replaced_titles\"]")" = \
		"(20, 4, 200, 100, 500)" &&
	test "$(count titles)" = 20 &&
	test "$(test_sql "SELECT min(id) FROM titles")" = 1 &&
	sf demo generate --replace --titles 500 --series 100 --episodes 2000 --people 300 --seed 42 \
		>/dev/null &&
	dump >again.dump &&
	test_cmp a.dump again.dump &&
	test "$(test_sql "SELECT old->>${q}titles${q}, new->>${q}titles${q} FROM audit_log
		WHERE action = ${q}catalog.generate${q} ORDER BY id DESC LIMIT 1")" = "20|500" &&
	schema >schema.after &&
	test_cmp "$TEST_DIR/schema.before" schema.after
'

test_expect_success 'the summary prints as key: value lines' '
	sf demo generate --replace --titles 10 --people 5 >out &&
	sed "s/:.*//" out | tr "\n" " " >keys &&
	test "$(cat keys)" = "SEED TITLES MOVIES SERIES SEASONS EPISODES PEOPLE CREDITS GENRES VIEWERS PLAYS RATINGS REPLACED MILLISECONDS " &&
	grep -q "^TITLES: *10$" out &&
	grep -q "^SERIES: *2$" out &&
	grep -q "^EPISODES: *100$" out &&
	grep -q "^PEOPLE: *5$" out &&
	grep -q "^REPLACED: *500$" out
'

test_expect_success 'few people: no one is credited twice in one role of a title' '
	test "$(count people)" = 5 &&
	test "$(count "(SELECT title_id FROM credits WHERE role = ${q}cast${q} GROUP BY 1
		HAVING count(*) NOT BETWEEN 3 AND 5) x")" = 0
'

test_expect_success 'the defaults: 1000 titles, a fifth series, 50 episodes a series' '
	sf demo generate --replace --json >out &&
	test "$(json out "d[\"seed\"], d[\"titles\"], d[\"series\"], d[\"episodes\"], d[\"people\"]")" = \
		"(1, 1000, 200, 10000, 1000)"
'

test_expect_success 'one title, no series; series only' '
	sf demo generate --replace --titles 1 --json >out &&
	test "$(json out "d[\"titles\"], d[\"series\"], d[\"episodes\"], d[\"people\"]")" = "(1, 0, 0, 100)" &&
	test "$(count episodes)" = 0 &&
	sf demo generate --replace --titles 30 --series 30 --episodes 30 --json >out &&
	test "$(json out "d[\"movies\"], d[\"series\"], d[\"seasons\"], d[\"episodes\"]")" = "(0, 30, 30, 30)"
'

test_expect_success 'many people: every name unique, middle initials once plain names run out' '
	sf demo generate --replace --titles 10 --people 120000 >/dev/null &&
	test "$(count people)" = 120000 &&
	test "$(test_sql "SELECT count(DISTINCT name) FROM people")" = 120000 &&
	test "$(count "people WHERE name ~ ${q} [A-Z]\. ${q}")" = 70000
'

test_expect_success 'bad sizes are usage errors (2) naming the option' '
	for bad in 0 -1 abc 1.5 "" 1000001 " 5" 5x; do
		expect_fail 2 "--titles ${q}$bad${q}: not a whole number from 1 to 1000000" \
			sf demo generate --replace --titles "$bad" || exit 1
	done &&
	expect_fail 2 "--people ${q}0${q}: not a whole number from 1 to 1000000" \
		sf demo generate --replace --people 0 &&
	expect_fail 2 "--people ${q}1000001${q}" sf demo generate --replace --people 1000001 &&
	expect_fail 2 "--series ${q}-1${q}" sf demo generate --replace --series -1 &&
	expect_fail 2 "--episodes ${q}-5${q}" sf demo generate --replace --episodes -5 &&
	expect_fail 2 "--episodes ${q}10000001${q}" sf demo generate --replace --episodes 10000001 &&
	expect_fail 2 "--seed ${q}-1${q}" sf demo generate --replace --seed -1 &&
	expect_fail 2 "--seed ${q}2147483648${q}: not a whole number from 0 to 2147483647" \
		sf demo generate --replace --seed 2147483648
'

test_expect_success 'sizes that do not fit each other are usage errors (2)' '
	expect_fail 2 "--series ${q}11${q}: more than the 10 titles" \
		sf demo generate --replace --titles 10 --series 11 &&
	expect_fail 2 "--episodes ${q}19${q}: fewer than the 20 series" \
		sf demo generate --replace --titles 100 --episodes 19 &&
	expect_fail 2 "--episodes ${q}5${q}: there are no series to hold them" \
		sf demo generate --replace --titles 100 --series 0 --episodes 5 &&
	expect_fail 2 "--episodes ${q}20001${q}: more than 1000 for each of the 20 series" \
		sf demo generate --replace --titles 100 --episodes 20001 &&
	expect_fail 2 "demo generate: unexpected argument ${q}now${q}" sf demo generate --replace now &&
	expect_fail 2 "demo generate: unknown option ${q}--yes${q}" sf demo generate --yes
'

test_expect_success '--as an account without the right to manage the catalog is refused (77)' '
	echo Secret123 | sf user add --email v@example.com --username viewer --password-stdin >/dev/null &&
	expect_fail 77 "account ${q}v@example.com${q} (viewer) may not manage the catalog" \
		sf demo generate --replace --as viewer &&
	echo Secret123 | sf user add --email um@example.com --username um --role user_manager \
		--password-stdin >/dev/null &&
	expect_fail 77 "(user_manager) may not manage the catalog" \
		sf demo generate --replace --titles 5 --as um
'

test_expect_success '--as a content manager may generate; the audit log names them' '
	echo Secret123 | sf user add --email cm@example.com --username cm --role content_manager \
		--password-stdin >/dev/null &&
	sf demo generate --replace --titles 50 --as cm >/dev/null &&
	test "$(test_sql "SELECT actor, new->>${q}titles${q} FROM audit_log
		WHERE action = ${q}catalog.generate${q} ORDER BY id DESC LIMIT 1")" = "cm@example.com|50"
'

test_expect_success 'existing genres are used as they are, in any case' '
	d=$(other_db genres) &&
	psql -qX "$d" -c "INSERT INTO genres (name) VALUES (${q}drama${q}), (${q}Anime${q})" &&
	sf demo generate --db "$d" --titles 200 >/dev/null &&
	test "$(psql -qAtX "$d" -c "SELECT count(*) FROM genres")" = 19 &&
	test "$(psql -qAtX "$d" -c "SELECT count(*) FROM title_genres tg JOIN genres g
		ON g.id = tg.genre_id WHERE g.name = ${q}drama${q}")" -gt 20
'

test_expect_success 'two generations at once: one makes the catalog, the other is refused (4)' '
	d=$(other_db race)
	for i in 1 2; do
		{ rc=0; "$SF_BIN" demo generate --db "$d" --titles 3000 >race$i.out 2>race$i.err ||
		  rc=$?; echo $rc >race$i.rc; } &
	done
	wait
	test "$(cat race1.rc race2.rc | sort | tr "\n" " ")" = "0 4 " &&
	cat race1.err race2.err | grep -q "the catalog is not empty (3000 titles" &&
	test "$(psql -qAtX "$d" -c "SELECT count(*) FROM titles")" = 3000
'

test_expect_success 'kill -9 in the middle of the load leaves nothing, and the schema intact' '
	d=$(other_db kill)
	schema "$d" >kill.before
	"$SF_BIN" demo generate --db "$d" --titles 100000 --episodes 200000 >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 1 300); do
		n=$(psql -qAtX "$d" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND query LIKE ${q}INSERT INTO episodes%${q}") &&
		[ "$n" = 0 ] || break
		sleep 0.1
	done &&
	test "$n" = 1 &&
	kill -9 $pid &&
	{ wait $pid || :; } &&
	test "$(psql -qAtX "$d" -c "SELECT count(*) FROM titles")" = 0 &&
	test "$(psql -qAtX "$d" -c "SELECT count(*) FROM people")" = 0 &&
	test "$(psql -qAtX "$d" -c "SELECT count(*) FROM audit_log")" = 0 &&
	schema "$d" >kill.after &&
	test_cmp kill.before kill.after &&
	"$SF_BIN" demo generate --db "$d" --titles 100 >/dev/null &&
	test "$(psql -qAtX "$d" -c "SELECT min(id), max(id) FROM titles")" = "1|100"
'

test_expect_success 'on a terminal, progress goes to standard error and is cleared' '
	command -v script >/dev/null || exit 0
	script -qec "$SF_BIN demo generate --replace --titles 200 >/dev/null" /dev/null \
		</dev/null >progress.err &&
	grep -q "generating episodes: 0%" progress.err &&
	grep -q "generating credits: 100%" progress.err &&
	test "$(tail -c 4 progress.err | od -An -c | tr -d " ")" = "\r033[K" &&
	test "$(count titles)" = 200
'

# plays [CONNINFO]: every demo viewer's plays, events and ratings in a
# fixed order, times left out (they are relative to the generation).
plays() {
	psql -qAtX -v ON_ERROR_STOP=1 "${1:-$SF_DATABASE_URL}" </dev/null \
		-c "SELECT a.email, a.username, p.name, p.maturity FROM accounts a
		    JOIN profiles p ON p.account_id = a.id WHERE a.email LIKE ${q}%@demo.invalid${q}
		    ORDER BY a.email" \
		-c "SELECT p.name, e.title_id, e.kind, e.position_s, e.duration_s FROM watch_events e
		    JOIN profiles p ON p.id = e.profile_id ORDER BY p.name, e.at, e.kind" \
		-c "SELECT p.name, w.title_id, w.position_s, w.completed FROM watch_progress w
		    JOIN profiles p ON p.id = w.profile_id ORDER BY p.name, w.title_id" \
		-c "SELECT p.name, r.title_id, r.stars FROM ratings r
		    JOIN profiles p ON p.id = r.profile_id ORDER BY p.name, r.title_id"
}

test_expect_success 'viewers: accounts, profiles and plays as asked, two events a play' '
	sf demo generate --replace --titles 2000 --viewers 300 --plays 9000 --seed 7 --json >out &&
	test "$(json out "d[\"viewers\"], d[\"events\"] == 2 * d[\"plays\"], 6000 < d[\"plays\"] <= 9000, 0 < d[\"ratings\"] < d[\"plays\"] / 5")" = \
		"(300, True, True, True)" &&
	test "$(test_sql "SELECT count(*), count(DISTINCT p.id) FROM accounts a JOIN profiles p
		ON p.account_id = a.id WHERE a.email LIKE ${q}%@demo.invalid${q}")" = "300|300" &&
	test "$(test_sql "SELECT count(*) FROM watch_progress")" = "$(json out "d[\"plays\"]")" &&
	test "$(test_sql "SELECT count(*) FROM ratings")" = "$(json out "d[\"ratings\"]")" &&
	test "$(test_sql "SELECT bool_and(t.kind = ${q}movie${q} AND t.status = ${q}published${q})
		FROM watch_progress w JOIN titles t ON t.id = w.title_id")" = t &&
	test "$(test_sql "SELECT min(at) > now() - interval ${q}31 days${q}, max(at) <= now()
		FROM watch_events")" = "t|t" &&
	test "$(test_sql "SELECT bool_and(r.stars BETWEEN 2 AND 5) FROM ratings r")" = t &&
	test "$(test_sql "SELECT sum(rating_count) FROM titles")" = "$(json out "d[\"ratings\"]")"
'

test_expect_success 'viewers: some plays are in progress, with a start and a stop' '
	test "$(test_sql "SELECT count(*) > 30 FROM watch_progress WHERE NOT completed")" = t &&
	test "$(test_sql "SELECT count(*) FROM watch_progress w WHERE NOT completed AND NOT EXISTS
		(SELECT FROM watch_events e WHERE e.profile_id = w.profile_id AND e.title_id = w.title_id
		 AND e.kind = ${q}stop${q} AND e.position_s = w.position_s)")" = 0
'

test_expect_success 'viewers have tastes: most plays in two genres, rated higher there' '
	test_sql "WITH g AS (SELECT w.profile_id, tg.genre_id, count(*) AS n
			FROM watch_progress w JOIN title_genres tg ON tg.title_id = w.title_id
			GROUP BY 1, 2),
		r AS (SELECT profile_id, genre_id, n, row_number() OVER (PARTITION BY profile_id
			ORDER BY n DESC, genre_id) AS k FROM g),
		top AS (SELECT profile_id, genre_id FROM r WHERE k <= 2),
		share AS (SELECT w.profile_id, avg((EXISTS (SELECT FROM title_genres tg JOIN top USING (genre_id)
			WHERE tg.title_id = w.title_id AND top.profile_id = w.profile_id))::int) AS s
			FROM watch_progress w GROUP BY 1)
		SELECT round(avg(s), 2) FROM share" >share &&
	echo "share of plays in the two favourite genres: $(cat share)" &&
	test "$(python3 -c "print(float(open(\"share\").read()) >= 0.7)")" = True &&
	test_sql "SELECT round(avg(stars) FILTER (WHERE stars >= 4)::numeric, 1) > 0,
		count(*) FILTER (WHERE stars >= 4) > count(*) FILTER (WHERE stars < 4)
		FROM ratings" >rated &&
	test "$(cat rated)" = "t|t"
'

test_expect_success 'viewers: the same seed gives the same viewers and plays in another database' '
	plays >a.plays &&
	v=$(other_db viewers) &&
	sf demo generate --db "$v" --titles 2000 --viewers 300 --plays 9000 --seed 7 >/dev/null &&
	plays "$v" >b.plays &&
	test_cmp a.plays b.plays &&
	test "$(wc -l <a.plays)" -gt 20000
'

test_expect_success 'viewers: --replace deletes them; existing demo viewers need --replace' '
	test_sql "TRUNCATE titles, people RESTART IDENTITY CASCADE" >/dev/null &&
	expect_fail 4 "300 demo viewers are there already; give --replace" \
		sf demo generate --titles 10 &&
	sf demo generate --replace --titles 100 --json >out &&
	test "$(json out "d[\"viewers\"], d[\"replaced_viewers\"]")" = "(0, 300)" &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE email LIKE ${q}%@demo.invalid${q}")" = 0 &&
	test "$(count watch_events)" = 0
'

test_expect_success 'viewers: bad sizes are usage errors (2) naming the option' '
	expect_fail 2 "--viewers ${q}-1${q}: not a whole number from 0 to 1000000" \
		sf demo generate --replace --viewers -1 &&
	expect_fail 2 "--viewers ${q}1000001${q}" sf demo generate --replace --viewers 1000001 &&
	expect_fail 2 "--plays ${q}5${q}: there are no viewers to play them" \
		sf demo generate --replace --plays 5 &&
	expect_fail 2 "--plays ${q}9${q}: not from one to 1000 a viewer for the 10 viewers" \
		sf demo generate --replace --viewers 10 --plays 9 &&
	expect_fail 2 "--plays ${q}10001${q}" sf demo generate --replace --viewers 10 --plays 10001 &&
	expect_fail 2 "--viewers ${q}5${q}: the catalog has no published movie with a genre" \
		sf demo generate --replace --titles 5 --series 5 --viewers 5
'

test_expect_success 'cleanup: the other databases' '
	for o in $others; do
		psql -qX -h "$SF_TEST_PGHOST" -U sf -d postgres \
			-c "DROP DATABASE IF EXISTS ${TEST_DBNAME}_$o WITH (FORCE)" >/dev/null || exit 1
	done
'

test_done
