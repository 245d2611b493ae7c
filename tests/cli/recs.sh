#!/usr/bin/env bash
# recs.sh - "sf recs": build (whole and incremental), similar, for (each
# ranker), and the offline evaluation on a small ratings file whose
# answer is worked out by hand; bad input fails with one line and the
# right status.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db

test_expect_success 'setup: a generated catalog, viewers who watch Films A and B together' '
	sf demo generate --titles 300 >/dev/null &&
	echo Secret123 | sf user add --email ann@example.com --username ann --password-stdin >/dev/null &&
	test_sql "INSERT INTO accounts (email, username, password_hash)
		  SELECT \$\$v\$\$ || i || \$\$@example.com\$\$, \$\$v\$\$ || i, \$\$!\$\$ FROM generate_series(1, 5) i" &&
	test_sql "INSERT INTO profiles (account_id, name, maturity)
		  SELECT id, username, 6 FROM accounts WHERE username ~ \$\$^v[0-9]\$\$" &&
	a=$(test_sql "SELECT min(id) FROM titles WHERE kind = \$\$movie\$\$ AND status = \$\$published\$\$ AND available_from IS NULL AND available_until IS NULL AND cardinality(regions) = 0") &&
	b=$(test_sql "SELECT min(id) FROM titles WHERE kind = \$\$movie\$\$ AND status = \$\$published\$\$ AND available_from IS NULL AND available_until IS NULL AND cardinality(regions) = 0 AND id > $a") &&
	echo "$a $b" >ab &&
	test_sql "INSERT INTO watch_progress (profile_id, title_id, position_s, duration_s, at, completed, completed_at)
		  SELECT p.id, t, 100, 100, now(), true, now() FROM profiles p, unnest(ARRAY[$a, $b]) t
		   WHERE p.name ~ \$\$^v[0-9]\$\$"
'
read -r A B <ab

test_expect_success 'before any build, Top Picks are the catalog'"'"'s most popular titles' '
	sf home ann/ann --json >out &&
	test_sql "SELECT id FROM titles t WHERE sf_title_viewable(t, 6, NULL)
		ORDER BY popularity DESC, id LIMIT 30" >popular &&
	test_json out "\"\\n\".join(str(i[\"title_id\"]) for i in d[\"rows\"][0][\"items\"][:10])" >picks &&
	test "$(head -1 picks)" = "$(head -1 popular)" &&
	test "$(sort picks | comm -23 - <(sort popular) | wc -l)" = 0 &&
	test "$(wc -l <picks)" = 10
'

test_expect_success 'recs build counts what it made' '
	sf recs build --json >out &&
	test "$(test_json out "d[\"profiles\"], d[\"interactions\"], d[\"cf_neighbours\"], d[\"content_neighbours\"] > 0")" = "(5, 10, 2, True)" &&
	test "$(test_sql "SELECT count(*) FROM recs_state")" = 1
'

test_expect_success 'recs similar: the co-viewed title first, from cf; content ones after' '
	sf recs similar "$A" --json >out &&
	test "$(test_json out "d[\"items\"][0][\"title_id\"], d[\"items\"][0][\"source\"]")" = "($B, '"'"'cf'"'"')" &&
	test "$(test_json out "all(i[\"source\"] == \"content\" for i in d[\"items\"][1:]) and len(d[\"items\"]) > 1")" = True &&
	sf recs similar "$A" --limit 1 >out && test "$(wc -l <out)" = 2
'

test_expect_success 'recs for: a viewer of A gets B first from cf; popularity ranks by popularity' '
	sf profile add ann Fan >/dev/null &&
	sf watch progress ann/Fan "$A" --event complete >/dev/null &&
	sf recs for ann/Fan --json >out &&
	test "$(test_json out "d[\"ranker\"], d[\"items\"][0][\"title_id\"], d[\"items\"][0][\"cf\"]")" = "(${q:-}'"'"'hybrid'"'"', $B, 1.0)" &&
	test "$(test_json out "$A in [i[\"title_id\"] for i in d[\"items\"]]")" = False &&
	sf recs for ann/Fan --ranker popularity --json >out &&
	test "$(test_json out "[i[\"popularity\"] for i in d[\"items\"]] == sorted([i[\"popularity\"] for i in d[\"items\"]], reverse=True)")" = True
'

# nb TITLE...: the stored neighbours of the titles, in order.
nb() {
	test_sql "SELECT title_id, source, rank, neighbour_id, round(score::numeric, 4)
		FROM recs_neighbours WHERE title_id IN ($(echo "$@" | tr " " ",")) ORDER BY 1, 2, 3"
}

# time_passes: the last build was an hour ago, and the viewing, ratings
# and catalog edits so far came well before it.
time_passes() {
	test_sql "UPDATE watch_progress SET received_at = received_at - interval \$\$2 hours\$\$;
		UPDATE ratings SET updated_at = updated_at - interval \$\$2 hours\$\$;
		UPDATE titles SET updated_at = updated_at - interval \$\$2 hours\$\$;
		UPDATE recs_state SET built_at = built_at - interval \$\$1 hour\$\$" >/dev/null
}

test_expect_success 'recs build --incremental: nothing touched, nothing recomputed' '
	sf recs build --json >/dev/null &&
	time_passes &&
	test_sql "SELECT title_id, source, rank, neighbour_id, score FROM recs_neighbours ORDER BY 1, 2, 3" >before &&
	sf recs build --incremental --json >out &&
	test "$(test_json out "d[\"incremental\"], d[\"touched\"]")" = "(True, 0)" &&
	test_sql "SELECT title_id, source, rank, neighbour_id, score FROM recs_neighbours ORDER BY 1, 2, 3" >after &&
	test_cmp before after
'

test_expect_success 'recs build --incremental recomputes the touched titles as a whole build would' '
	c=$(test_sql "SELECT min(id) FROM titles WHERE kind = \$\$movie\$\$ AND status = \$\$published\$\$ AND id > $B") &&
	for v in v1 v2 v3; do
		sf watch progress "$v/$v" "$c" --event complete >/dev/null || exit 1
	done &&
	sf recs build --incremental --json >out &&
	test "$(test_json out "d[\"incremental\"], d[\"touched\"]")" = "(True, 1)" &&
	nb "$c" >incremental &&
	grep -q "|cf|1|" incremental &&
	sf recs build --json >out &&
	test "$(test_json out "d[\"incremental\"], d[\"touched\"]")" = "(False, None)" &&
	nb "$c" >whole &&
	test_cmp whole incremental
'

test_expect_success 'the first build is whole even when asked to be incremental' '
	test_sql "DELETE FROM recs_state" >/dev/null &&
	sf recs build --incremental --json >out &&
	test "$(test_json out "d[\"incremental\"]")" = False
'

test_expect_success 'recs eval: a known answer (item-knn finds each held-out title, popularity half)' '
	python3 -c "
rot = [[0, 1, 2], [1, 2, 0], [2, 0, 1]]
u = 0
for g in \"ba\":
    for r in range(6):
        u += 1
        print(f\"{u}\tP\t5\t1\")
        for t, k in enumerate(rot[r % 3]):
            print(f\"{u}\t{g}{k + 1}\t4\t{t + 2}\")
" >known.tsv &&
	sf recs eval --ratings known.tsv --k 1,2 --json >out &&
	test "$(test_json out "d[\"users\"], d[\"items\"], d[\"train\"], d[\"test\"]")" = "(12, 7, 36, 12)" &&
	test "$(test_json out "[(m[\"model\"], m[\"k\"], m[\"recall\"], m[\"ndcg\"], round(m[\"coverage\"], 4)) for m in d[\"models\"] if m[\"model\"] != \"hybrid\"]")" = \
		"[('"'"'popularity'"'"', 1, 0.5, 0.5, 0.4286), ('"'"'popularity'"'"', 2, 0.5, 0.5, 0.5714), ('"'"'item-knn'"'"', 1, 1.0, 1.0, 0.8571), ('"'"'item-knn'"'"', 2, 1.0, 1.0, 0.8571)]"
'

test_expect_success 'recs eval reads :: and comma files, a header, item genres, and a random split' '
	sed "s/\t/::/g" known.tsv >known.dat &&
	sf recs eval --ratings known.dat --k 1 --json >dat &&
	sf recs eval --ratings known.tsv --k 1 --json >tsv &&
	test "$(test_json dat "d[\"models\"]")" = "$(test_json tsv "d[\"models\"]")" &&
	{ echo userId,movieId,rating,timestamp; tr "\t" , <known.tsv; } >known.csv &&
	printf "P::P::Drama\na1::A1::Comedy\na2::A2::Comedy\na3::A3::Comedy\nb1::B1::Horror\nb2::B2::Horror\nb3::B3::Horror\n" >items.dat &&
	sf recs eval --ratings known.csv --format csv --items items.dat --k 1 --json >out &&
	test "$(test_json out "[(m[\"model\"], m[\"recall\"]) for m in d[\"models\"] if m[\"model\"] == \"content\"]")" = "[('"'"'content'"'"', 1.0)]" &&
	sf recs eval --ratings known.tsv --split random --seed 7 >out &&
	grep -q "^item-knn " out
'

test_expect_success 'bad input: one line naming the value, the right status' '
	test_expect_code 2 sf recs eval --ratings nope.tsv 2>err && test_one_line err && grep -q nope.tsv err &&
	printf "1\t2\t3\t4\n1\tx\tbad\t5\n" >bad.tsv &&
	test_expect_code 2 sf recs eval --ratings bad.tsv 2>err && test_one_line err && grep -q "line 2" err &&
	test_expect_code 2 sf recs eval --ratings known.tsv --k 0 2>err && test_one_line err &&
	test_expect_code 2 sf recs eval --ratings known.tsv --split sideways 2>err && test_one_line err &&
	test_expect_code 2 sf recs for ann/ann --ranker magic 2>err && test_one_line err &&
	test_expect_code 2 sf recs similar "$A" --limit 0 2>err && test_one_line err &&
	test_expect_code 3 sf recs similar 99999999 2>err && test_one_line err &&
	test_expect_code 77 sf recs build --as ann 2>err && test_one_line err
'

test_done
