#!/usr/bin/env bash
# review.sh - "sf review": rate, unrate and rating; add, edit, delete,
# list and show reviews; vote; report, queue and moderate; in human and
# JSON form; what a kids profile and a title out of its window show; who
# may do what; purges and title deletes; and every bad input refused with
# one line, the right exit status and the database exactly as it was.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

# avg TITLE: the title's rating count and average, "count/avg".
avg() {
	test_sql "SELECT format(${q}%s/%s${q}, rating_count, rating_avg) FROM titles WHERE id = $1"
}

# exact TITLE: the same, recomputed from the ratings.
exact() {
	test_sql "SELECT format(${q}%s/%s${q}, count(*), round(avg(stars), 3)) FROM ratings WHERE title_id = $1"
}

# rid PROFILE TITLE: the id of the profile's review of the title.
rid() {
	test_sql "SELECT r.id FROM reviews r JOIN profiles p ON p.id = r.profile_id
		  WHERE p.name = ${q}$1${q} AND r.title_id = $2"
}

test_expect_success 'setup: viewers, a kids profile, a moderator, four titles' '
	for u in ada bob cat dan; do
		echo Secret123 | sf user add --email $u@example.com --username $u --password-stdin >/dev/null || exit 1
	done &&
	echo Secret123 | sf user add --email mo@example.com --username mo --role moderator --password-stdin >/dev/null &&
	sf profile add ada Kids --kids >/dev/null &&
	test_sql "INSERT INTO titles (kind, title, year, maturity, status, external_id)
		VALUES (${q}movie${q}, ${q}The Godfather${q}, 1972, 5, ${q}published${q}, ${q}tt0068646${q}),
		       (${q}series${q}, ${q}Bluey${q}, 2018, 1, ${q}published${q}, NULL),
		       (${q}movie${q}, ${q}Draft${q}, 2020, 1, ${q}draft${q}, NULL),
		       (${q}movie${q}, ${q}Dune${q}, 2021, 4, ${q}published${q}, NULL)" &&
	test "$(test_sql "SELECT string_agg(id::text, ${q} ${q} ORDER BY id) FROM titles")" = "1 2 3 4"
'

# ---- ratings ----

test_expect_success 'review rate rates a title and prints the rating and the average' '
	sf review rate ada/ada tt0068646 4 >out &&
	grep -q "^TITLE: *The Godfather$" out &&
	grep -q "^STARS: *4$" out &&
	grep -q "^AVERAGE: *4.0$" out &&
	grep -q "^RATINGS: *1$" out &&
	sf review rate bob/bob 1 5 --json >out &&
	test "$(test_json out "d[\"stars\"], d[\"rating_avg\"], d[\"rating_count\"]")" = "(5, 4.5, 2)" &&
	test "$(test_json out "\",\".join(d)")" = \
		profile_id,title_id,title,stars,rated_at,rating_avg,rating_count &&
	sf review rate cat/cat 1 5 >/dev/null &&
	test "$(avg 1)" = "3/4.667"
'

test_expect_success 'rating again changes the rating, not the count' '
	sf review rate ada/ada 1 1 --json >out &&
	test "$(test_json out "d[\"stars\"], d[\"rating_count\"]")" = "(1, 3)" &&
	test "$(avg 1)" = "3/3.667" &&
	test "$(avg 1)" = "$(exact 1)"
'

test_expect_success 'review rating shows a rating, or none' '
	sf review rating ada/ada 1 --json >out &&
	test "$(test_json out "d[\"stars\"], d[\"rating_avg\"]")" = "(1, 3.667)" &&
	sf review rating dan/dan 1 >out &&
	grep -q "^STARS: *-$" out &&
	grep -q "^RATINGS: *3$" out
'

test_expect_success 'review unrate takes a rating back' '
	sf review unrate cat/cat 1 --json >out &&
	test "$(test_json out "d[\"stars\"], d[\"rating_count\"]")" = "(None, 2)" &&
	test "$(avg 1)" = "2/3.000" &&
	test_expect_fail 3 "title ${q}1${q}: you have not rated it" sf review unrate cat/cat 1
'

test_expect_success 'bad ratings are refused and change nothing' '
	for s in 0 6 3.5 x "" 10 " 3" "٣"; do
		test_expect_fail 2 "stars ${q}$s${q}: not a whole number from 1 to 5" sf review rate ada/ada 1 "$s" ||
		exit 1
	done &&
	test_expect_fail 3 "title ${q}999${q}: not found" sf review rate ada/ada 999 3 &&
	test_expect_fail 3 "title ${q}3${q}: not found" sf review rate ada/ada 3 3 &&
	test_expect_fail 3 "title ${q}1${q}: not found" sf review rate ada/kids 1 3 &&
	test_expect_fail 3 "title ${q}1${q}: not found" sf review rating ada/kids 1 &&
	test_expect_fail 3 "profile ${q}ada/ghost${q}: not found" sf review rate ada/ghost 1 3 &&
	test_expect_fail 2 "review rate: missing <profile> <title> <stars>" sf review rate ada/ada 1
'

# ---- reviews ----

test_expect_success 'review add writes a review and prints it' '
	sf review add ada/ada 1 "A masterpiece." >out &&
	grep -q "^TITLE: *The Godfather$" out &&
	grep -q "^AUTHOR: *ada$" out &&
	grep -q "^STARS: *1$" out &&
	grep -q "^HIDDEN: *no$" out &&
	grep -q "^REVIEW: *A masterpiece.$" out &&
	sf review add bob/bob tt0068646 "An offer you cannot refuse." --json >out &&
	test "$(test_json out "\",\".join(d)")" = \
		id,title_id,title,profile_id,author,stars,body,helpful,unhelpful,score,hidden,my_vote,created_at,updated_at &&
	test "$(test_json out "d[\"author\"], d[\"stars\"], d[\"helpful\"], d[\"score\"]")" = \
		"(${q}bob${q}, 5, 0, 0.0)"
'

test_expect_success 'review add again edits the review, keeping its id and created_at' '
	id=$(rid ada 1) &&
	test_sql "UPDATE reviews SET created_at = created_at - interval ${q}1 day${q},
		updated_at = updated_at - interval ${q}1 day${q} WHERE id = $id" &&
	sf review add ada/ada 1 "Better than I said." --json >out &&
	test "$(test_json out "d[\"id\"], d[\"body\"]")" = "($id, ${q}Better than I said.${q})" &&
	test "$(test_sql "SELECT count(*) FROM reviews WHERE title_id = 1")" = 2 &&
	test "$(test_sql "SELECT updated_at > created_at + interval ${q}12 hours${q} FROM reviews WHERE id = $id")" = t
'

test_expect_success 'a review text of - is read from standard input, line breaks kept' '
	printf "First line.\nSecond line.\n" | sf review add cat/cat 1 - --json >out &&
	test "$(test_json out "repr(d[\"body\"])")" = "${q}First line.\\nSecond line.${q}"
'

test_expect_success 'bad review texts are refused and change nothing' '
	long=$(printf "%04001d" 0) &&
	test_expect_fail 2 "review ${q}${q}: must not be empty" sf review add dan/dan 1 "" &&
	test_expect_fail 2 "must not be blank" sf review add dan/dan 1 "   " &&
	test_expect_fail 2 "longer than 4000 characters" sf review add dan/dan 1 "$long" &&
	printf "%s" "$long" >long &&
	test_expect_fail 2 "longer than 4000 characters" sf review add dan/dan 1 - <long &&
	test_expect_fail 2 "must not be empty" sf review add dan/dan 1 - </dev/null &&
	test_expect_fail 2 "contains a control character" sf review add dan/dan 1 "$(printf "a\033b")" &&
	test_expect_fail 2 "not valid UTF-8" sf review add dan/dan 1 "$(printf "a\377b")" &&
	test_expect_fail 3 "title ${q}3${q}: not found" sf review add dan/dan 3 "Drafty" &&
	test_expect_fail 3 "title ${q}1${q}: not found" sf review add ada/kids 1 "Scary" &&
	sf review add dan/dan 1 "$(printf "%04000d" 0)" >/dev/null &&
	sf review delete dan/dan "$(rid dan 1)" >/dev/null
'

test_expect_success 'review edit replaces the text of your own review only' '
	id=$(rid ada 1) &&
	sf review edit ada/ada "$id" "Edited." >out &&
	grep -q "^REVIEW: *Edited.$" out &&
	test_expect_fail 77 "review ${q}$id${q} is another profile${q}s; only its author may edit it" \
		sf review edit bob/bob "$id" "Hijacked" &&
	test_expect_fail 2 "review ${q}abc${q}: not a review id" sf review edit ada/ada abc "x" &&
	test_expect_fail 3 "review ${q}999${q}: not found" sf review edit ada/ada 999 "x" &&
	test_expect_fail 2 "must not be empty" sf review edit ada/ada "$id" ""
'

test_expect_success 'review show prints one review as the profile sees it' '
	id=$(rid bob 1) &&
	sf review show dan/dan "$id" >out &&
	grep -q "^ID: *$id$" out &&
	grep -q "^REVIEW: *An offer you cannot refuse.$" out &&
	sf review show dan/dan "$id" --json >out &&
	test "$(test_json out "d[\"id\"]")" = "$id" &&
	test_expect_fail 3 "review ${q}999${q}: not found" sf review show dan/dan 999 &&
	test_expect_fail 3 "review ${q}$id${q}: not found" sf review show ada/kids "$id"
'

# ---- votes and lists ----

test_expect_success 'review vote counts a vote, which may change or be taken back' '
	id=$(rid ada 1) &&
	sf review vote bob/bob "$id" helpful --json >out &&
	test "$(test_json out "d[\"helpful\"], d[\"unhelpful\"], d[\"my_vote\"]")" = "(1, 0, ${q}helpful${q})" &&
	sf review vote bob/bob "$id" unhelpful >out &&
	grep -q "^HELPFUL: *0$" out && grep -q "^UNHELPFUL: *1$" out && grep -q "^MY VOTE: *unhelpful$" out &&
	sf review vote bob/bob "$id" none --json >out &&
	test "$(test_json out "d[\"helpful\"] + d[\"unhelpful\"], d[\"my_vote\"]")" = "(0, None)" &&
	test "$(test_sql "SELECT count(*) FROM review_votes")" = 0
'

test_expect_success 'bad votes are refused and change nothing' '
	id=$(rid ada 1) &&
	test_expect_fail 2 "review ${q}$id${q} is your own; you cannot vote on it" sf review vote ada/ada "$id" helpful &&
	test_expect_fail 2 "vote ${q}great${q}: not one of helpful, unhelpful, none" sf review vote bob/bob "$id" great &&
	test_expect_fail 3 "review ${q}999${q}: not found" sf review vote bob/bob 999 helpful &&
	test_expect_fail 2 "review ${q}-1${q}: not a review id" sf review vote bob/bob -- -1 helpful
'

test_expect_success 'review list ranks by the Wilson bound of helpful votes, or newest first' '
	ada=$(rid ada 1) bob=$(rid bob 1) cat=$(rid cat 1) &&
	sf review vote dan/dan "$ada" helpful >/dev/null &&
	sf review vote bob/bob "$cat" helpful >/dev/null &&
	sf review vote dan/dan "$cat" helpful >/dev/null &&
	sf review vote ada/ada "$cat" unhelpful >/dev/null &&
	sf review list dan/dan 1 >out &&
	head -n 1 out | grep -q "^ID  *TITLE  *AUTHOR  *STARS  *HELPFUL  *UNHELPFUL  *SCORE  *CREATED  *REVIEW$" &&
	awk "NR > 1 { print \$1 }" out | tr "\n" " " >ids &&
	test "$(cat ids)" = "$cat $ada $bob " &&
	grep -q "^$cat  *The Godfather  *cat  *-  *2  *1  *0.208  " out &&
	sf review list dan/dan 1 --sort newest --json >out &&
	test "$(test_json out "[r[\"id\"] for r in d[\"items\"]]")" = "[$cat, $bob, $ada]" &&
	test "$(test_json out "d[\"sort\"], d[\"total\"], d[\"page\"], d[\"pages\"]")" = "(${q}newest${q}, 3, 1, 1)" &&
	sf review list dan/dan 1 --limit 2 --page 2 --json >out &&
	test "$(test_json out "[r[\"id\"] for r in d[\"items\"]], d[\"pages\"]")" = "([$bob], 2)" &&
	sf review list dan/dan 1 --limit 2 >out &&
	tail -n 1 out | grep -q "^page 1 of 2 (3 reviews)$"
'

test_expect_success 'review list without a title lists the profile'"'"'s own reviews' '
	sf review add ada/ada 2 "For the kids." >/dev/null &&
	sf review list ada/ada --json >out &&
	test "$(test_json out "[r[\"title\"] for r in d[\"items\"]], d[\"title_id\"]")" = \
		"([${q}Bluey${q}, ${q}The Godfather${q}], None)"
'

test_expect_success 'bad list options are refused' '
	test_expect_fail 2 "--sort ${q}best${q}: not one of helpful, newest" sf review list dan/dan 1 --sort best &&
	test_expect_fail 2 "--limit ${q}0${q}: not a whole number from 1 to 100" sf review list dan/dan 1 --limit 0 &&
	test_expect_fail 2 "--page ${q}x${q}: not a whole number" sf review list dan/dan 1 --page x &&
	test_expect_fail 2 "--region ${q}USA${q}: not a two-letter country code" sf review list dan/dan 1 --region USA &&
	test_expect_fail 3 "title ${q}999${q}: not found" sf review list dan/dan 999
'

test_expect_success 'a kids profile sees no review of an R title' '
	test_expect_fail 3 "title ${q}1${q}: not found" sf review list ada/kids 1 &&
	sf review list ada/kids 2 --json >out &&
	test "$(test_json out "[r[\"body\"] for r in d[\"items\"]]")" = "[${q}For the kids.${q}]"
'

test_expect_success 'a title out of its window or region hides its reviews' '
	test_sql "UPDATE titles SET regions = ${q}{FR}${q} WHERE id = 2" &&
	test_expect_fail 3 "title ${q}2${q}: not found" sf review list dan/dan 2 --region US &&
	sf review list dan/dan 2 --region fr --json >out &&
	test "$(test_json out "d[\"total\"]")" = 1 &&
	test_sql "UPDATE titles SET regions = ${q}{}${q}, available_from = now() + interval ${q}1 day${q} WHERE id = 2" &&
	test_expect_fail 3 "title ${q}2${q}: not found" sf review list dan/dan 2 &&
	sf review list ada/ada --json >out &&
	test "$(test_json out "d[\"total\"]")" = 1 &&
	test_sql "UPDATE titles SET available_from = NULL WHERE id = 2"
'

# ---- reports and moderation ----

test_expect_success 'review report hides a review from all but its author' '
	id=$(rid bob 1) &&
	sf review report dan/dan "$id" --reason "Spoilers!" >out &&
	grep -q "^REVIEW: *$id$" out &&
	grep -q "^REASON: *Spoilers!$" out &&
	sf review list cat/cat 1 --json >out &&
	test "$(test_json out "$id in [r[\"id\"] for r in d[\"items\"]]")" = False &&
	test_expect_fail 3 "review ${q}$id${q}: not found" sf review show cat/cat "$id" &&
	sf review show bob/bob "$id" >out &&
	grep -q "^HIDDEN: *yes$" out
'

test_expect_success 'bad reports are refused and change nothing' '
	id=$(rid ada 1) &&
	test_expect_fail 2 "review report: missing --reason" sf review report dan/dan "$id" &&
	test_expect_fail 2 "reason ${q}${q}: must not be empty" sf review report dan/dan "$id" --reason "" &&
	test_expect_fail 2 "longer than 500 characters" sf review report dan/dan "$id" --reason "$(printf "%0501d" 0)" &&
	test_expect_fail 2 "review ${q}$id${q} is your own; you cannot report it" sf review report ada/ada "$id" --reason x &&
	test_expect_fail 3 "review ${q}999${q}: not found" sf review report dan/dan 999 --reason x
'

test_expect_success 'review queue lists the reported reviews for moderators only' '
	id=$(rid bob 1) &&
	sf review queue >out &&
	head -n 1 out | grep -q "^REVIEW  *TITLE  *AUTHOR  *REPORTS  *FIRST REPORTED  *REASONS  *TEXT$" &&
	grep -q "^$id  *The Godfather  *bob  *1  *.*Spoilers!  *An offer" out &&
	sf review queue --as mo --json >out &&
	test "$(test_json out "[(e[\"review_id\"], e[\"reports\"], e[\"reasons\"]) for e in d]")" = \
		"[($id, 1, [${q}Spoilers!${q}])]" &&
	test_expect_fail 77 "account ${q}dan@example.com${q} (viewer) may not moderate reviews" sf review queue --as dan &&
	test_expect_fail 2 "--limit ${q}0${q}" sf review queue --limit 0
'

test_expect_success 'bad moderation is refused and changes nothing' '
	id=$(rid bob 1) &&
	test_expect_fail 2 "give --approve or --remove" sf review moderate "$id" --reason ok &&
	test_expect_fail 2 "give --approve or --remove" sf review moderate "$id" --approve --remove --reason ok &&
	test_expect_fail 2 "review moderate: missing --reason" sf review moderate "$id" --approve &&
	test_expect_fail 77 "(viewer) may not moderate reviews" sf review moderate "$id" --approve --reason ok --as dan &&
	test_expect_fail 3 "review ${q}999${q}: not found" sf review moderate 999 --remove --reason x &&
	test_expect_fail 4 "review ${q}$(rid ada 1)${q} has no open reports to approve" \
		sf review moderate "$(rid ada 1)" --approve --reason ok
'

test_expect_success 'a moderator approves: the review shows again, and it is audited' '
	id=$(rid bob 1) &&
	sf review moderate "$id" --approve --reason "Not a spoiler" --as mo >out &&
	test "$(cat out)" = "approved review $id of ${q}The Godfather${q} (1 open report)" &&
	sf review show cat/cat "$id" >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}review.approve${q}
			  AND entity_type = ${q}review${q} AND entity_id = ${q}$id${q} AND actor = ${q}mo@example.com${q}
			  AND new->>${q}reason${q} = ${q}Not a spoiler${q}
			  AND old->${q}reports${q}->>0 = ${q}Spoilers!${q}")" = 1 &&
	test_expect_fail 4 "review ${q}$id${q}: you have already reported it" sf review report dan/dan "$id" --reason again &&
	sf review queue --json >out &&
	test "$(test_json out "d")" = "[]"
'

test_expect_success 'a moderator removes: the review is gone, and it is audited' '
	id=$(rid cat 1) &&
	sf review report ada/ada "$id" --reason "Rude" --json >out &&
	test "$(test_json out "d[\"reason\"]")" = Rude &&
	sf review moderate "$id" --remove --reason "Abusive" --json >out &&
	test "$(test_json out "d[\"decision\"], d[\"reports\"], d[\"review\"][\"id\"]")" = "(${q}remove${q}, 1, $id)" &&
	test "$(test_sql "SELECT count(*) FROM reviews WHERE id = $id")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM review_votes WHERE review_id = $id")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}review.remove${q}
			  AND entity_id = ${q}$id${q} AND new->>${q}reason${q} = ${q}Abusive${q}
			  AND old->>${q}body${q} LIKE ${q}First line.%${q}")" = 1
'

test_expect_success 'review delete deletes your own review only' '
	id=$(rid ada 2) &&
	test_expect_fail 77 "only its author may delete it" sf review delete bob/bob "$id" &&
	sf review delete ada/ada "$id" >out &&
	test "$(cat out)" = "deleted review $id of ${q}Bluey${q}" &&
	test_expect_fail 3 "review ${q}$id${q}: not found" sf review delete ada/ada "$id"
'

test_expect_success '--as an account reviews as its own profiles only' '
	sf review rate dan/dan 4 3 --as dan >/dev/null &&
	sf review add dan/dan 4 "Spice." --as dan@example.com >/dev/null &&
	test_expect_fail 77 "account ${q}dan@example.com${q} (viewer) may not manage accounts" \
		sf review rate ada/ada 4 3 --as dan &&
	test_expect_fail 77 "may not manage accounts" sf review add ada/ada 4 "Forged" --as dan &&
	test_expect_fail 77 "may not manage accounts" sf review list ada/ada 4 --as dan &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action LIKE ${q}review.%${q}
			  AND action NOT IN (${q}review.approve${q}, ${q}review.remove${q})")" = 0
'

test_expect_success 'purging an account removes its ratings, reviews and votes; averages stay exact' '
	sf review vote bob/bob "$(rid ada 1)" helpful >/dev/null &&
	test "$(avg 1)" = "2/3.000" &&
	sf user purge bob --yes >/dev/null &&
	test "$(avg 1)" = "1/1.000" &&
	test "$(avg 1)" = "$(exact 1)" &&
	test "$(test_sql "SELECT helpful FROM reviews WHERE id = $(rid ada 1)")" = 1 &&
	for t in ratings reviews review_votes review_reports; do
		test "$(test_sql "SELECT count(*) FROM $t WHERE profile_id NOT IN (SELECT id FROM profiles)")" = 0 ||
		exit 1
	done
'

test_expect_success 'deleting a title removes its ratings and reviews' '
	test "$(test_sql "SELECT count(*) FROM reviews WHERE title_id = 1")" = 1 &&
	sf title delete 1 --yes >/dev/null &&
	test "$(test_sql "SELECT (SELECT count(*) FROM ratings WHERE title_id = 1)
			  + (SELECT count(*) FROM reviews WHERE title_id = 1)")" = 0 &&
	test "$(avg 4)" = "$(exact 4)"
'

test_done
