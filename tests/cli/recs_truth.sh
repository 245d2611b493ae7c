#!/usr/bin/env bash
# recs_truth.sh - personal models beat popularity where the truth is
# known: synthetic viewers with hidden tastes ("sf demo generate
# --viewers", lib/demo_viewers.h) watch a generated catalog; their
# latest plays are held out, and the models must find them.  Offline,
# "sf recs eval" on the exported plays (hybrid and item-kNN NDCG@10 at
# least 1.5x popularity's); live, the served picks ("sf recs for" and
# the homepage's Top Picks) hit more held-out titles with the hybrid
# ranker than with popularity.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"

# ev FILE MODEL: NDCG@10 of MODEL in the "sf recs eval --json" of FILE.
ndcg() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print([m["ndcg"] for m in d["models"] if m["model"] == sys.argv[2] and m["k"] == 10][0])' "$1" "$2"
}

# at_least A FACTOR B: A >= FACTOR * B > 0.
at_least() {
	python3 -c 'import sys; a, f, b = map(float, sys.argv[1:]); sys.exit(0 if a >= f * b > 0 else 1)' "$@"
}

test_expect_success 'setup: 3000 titles, 600 viewers with hidden tastes, 24000 plays' '
	sf demo generate --titles 3000 --viewers 600 --plays 24000 --seed 3 --json >gen &&
	test "$(test_json gen "d[\"viewers\"]")" = 600
'

test_expect_success 'offline: hybrid and item-kNN NDCG@10 at least 1.5x popularity'"'"'s' '
	test_sql "COPY (SELECT profile_id, title_id, 5, extract(epoch FROM at)::bigint
		FROM watch_progress) TO STDOUT" >plays.tsv &&
	test_sql "COPY (SELECT t.id || ${q}::${q} || replace(t.title, ${q}:${q}, ${q} ${q}) || ${q}::${q}
		|| string_agg(g.name, ${q}|${q} ORDER BY g.name) FROM titles t
		JOIN title_genres tg ON tg.title_id = t.id JOIN genres g ON g.id = tg.genre_id
		GROUP BY t.id) TO STDOUT" >items.dat &&
	sf recs eval --ratings plays.tsv --items items.dat --k 10 --json >eval &&
	pop=$(ndcg eval popularity) && knn=$(ndcg eval item-knn) && hyb=$(ndcg eval hybrid) &&
	con=$(ndcg eval content) &&
	echo "NDCG@10: popularity $pop, item-knn $knn, content $con, hybrid $hyb" |
		tee -a "$TEST_DIR/measured" &&
	at_least "$hyb" 1.5 "$pop" &&
	at_least "$knn" 1.5 "$pop" &&
	at_least "$con" 1.0 "$pop"
'

test_expect_success 'setup: hold out 60 viewers'"'"' two latest finished plays, then build' '
	test_sql "CREATE TABLE held AS
		SELECT profile_id, title_id FROM (SELECT w.profile_id, w.title_id,
			row_number() OVER (PARTITION BY w.profile_id ORDER BY w.at DESC) AS k
			FROM watch_progress w WHERE w.completed AND w.profile_id IN
			(SELECT profile_id FROM watch_progress GROUP BY profile_id
			 HAVING count(*) >= 20 ORDER BY profile_id LIMIT 60)) x WHERE k <= 2;
		DELETE FROM watch_events e USING held h
			WHERE e.profile_id = h.profile_id AND e.title_id = h.title_id;
		DELETE FROM watch_progress w USING held h
			WHERE w.profile_id = h.profile_id AND w.title_id = h.title_id;
		DELETE FROM ratings r USING held h
			WHERE r.profile_id = h.profile_id AND r.title_id = h.title_id" >/dev/null &&
	test "$(test_sql "SELECT count(*), count(DISTINCT profile_id) FROM held")" = "120|60" &&
	sf recs build >/dev/null &&
	test_sql "SELECT DISTINCT a.username || ${q}/${q} || p.name FROM held h
		JOIN profiles p ON p.id = h.profile_id JOIN accounts a ON a.id = p.account_id
		ORDER BY 1" >refs &&
	test "$(wc -l <refs)" = 60
'

# hits RANKER: how many held-out titles the viewers' top 20 picks hold.
hits() {
	local ref
	while read -r ref; do
		sf recs for "$ref" --ranker "$1" --limit 20 --json >picks || return 1
		test_json picks "\"\\n\".join(\"$ref %d\" % i[\"title_id\"] for i in d[\"items\"])"
	done <refs | sort >"picks.$1" &&
	comm -12 "picks.$1" held.txt | wc -l
}

test_expect_success 'live: the hybrid picks find at least 1.5x the held-out titles popularity finds' '
	test_sql "SELECT a.username || ${q}/${q} || p.name || ${q} ${q} || h.title_id FROM held h
		JOIN profiles p ON p.id = h.profile_id JOIN accounts a ON a.id = p.account_id" |
		sort >held.txt &&
	pop=$(hits popularity) && hyb=$(hits hybrid) && cf=$(hits cf) &&
	echo "held-out titles in the top 20 of $(wc -l <refs) viewers: popularity $pop, cf $cf, hybrid $hyb" |
		tee -a "$TEST_DIR/measured" &&
	at_least "$hyb" 1.5 "$pop" &&
	at_least "$cf" 1.5 "$pop"
'

test_expect_success 'live: the homepage'"'"'s Top Picks are the hybrid picks, finished titles left out' '
	ref=$(head -1 refs) &&
	sf home "$ref" --json >home &&
	sf recs for "$ref" --limit 20 --json >picks &&
	test_json home "[i[\"title_id\"] for r in d[\"rows\"] if r[\"id\"] == \"top_picks\" for i in r[\"items\"]]" >top &&
	test -s top && test "$(cat top)" != "[]" &&
	test "$(test_json home "d[\"ranker\"]")" = hybrid &&
	test_sql "SELECT title_id FROM watch_progress w JOIN profiles p ON p.id = w.profile_id
		JOIN accounts a ON a.id = p.account_id
		WHERE w.completed AND a.username || ${q}/${q} || p.name = ${q}$ref${q}" >finished &&
	python3 -c "import sys, ast
top = set(ast.literal_eval(open(\"top\").read()))
done = {int(l) for l in open(\"finished\") if l.strip()}
sys.exit(0 if top and not top & done else 1)"
'

# What was measured, for the log.
sed 's/^/# /' "$TEST_DIR/measured" >&2 2>/dev/null || true
test_done
