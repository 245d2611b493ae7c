#!/usr/bin/env bash
# reviews.t - reviews over HTTP: write (201, then 200 replacing), list,
# show, edit, delete, vote, report; and the moderators' queue and
# decisions (moderator, admin; audited).
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user cm@example.com content_manager >cm.tok
api_user a@example.com viewer >a.tok
api_user b@example.com viewer >b.tok
api_user mod@example.com moderator >mod.tok
CM=$(cat cm.tok) A=$(cat a.tok) B=$(cat b.tok) MOD=$(cat mod.tok)
BP=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'b@example.com'")
api POST /api/v1/admin/titles "$CM" '{"kind":"movie","title":"Heat","status":"published"}' >/dev/null
HEAT=$(j 'd["id"]')

test_expect_success 'writing a review is 201; writing again replaces its text (200)' '
	api_expect 201 POST /api/v1/titles/$HEAT/reviews "$A" "{\"body\":\"Great heist.\"}" &&
	j "d[\"id\"]" >a.review &&
	api_expect 200 POST /api/v1/titles/$HEAT/reviews "$A" "{\"body\":\"Great heist film.\"}" &&
	test "$(j "d[\"id\"], d[\"body\"]")" = "($(cat a.review), '"'"'Great heist film.'"'"')" &&
	api_expect 201 POST /api/v1/titles/$HEAT/reviews "$B" "{\"body\":\"Too long.\"}" &&
	j "d[\"id\"]" >b.review
'

test_expect_success 'bad reviews are 400 naming the problem and write nothing' '
	test_snapshot >before &&
	api_expect 400 POST /api/v1/titles/$HEAT/reviews "$A" "{\"body\":\"   \"}" &&
	api_expect 400 POST /api/v1/titles/$HEAT/reviews "$A" "{}" && grep -q body out &&
	api_expect 400 POST /api/v1/titles/$HEAT/reviews "$A" "{\"body\":1}" &&
	api_expect 404 POST /api/v1/titles/999999/reviews "$A" "{\"body\":\"x\"}" &&
	api_expect 404 POST "/api/v1/titles/$HEAT/reviews?profile=$BP" "$A" "{\"body\":\"x\"}" &&
	api_expect 400 GET /api/v1/reviews/abc "$A" && grep -q abc out &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'a title'"'"'s reviews, newest first or by helpfulness; one review; my reviews' '
	api_expect 200 GET "/api/v1/titles/$HEAT/reviews?sort=newest" "$A" &&
	test "$(j "[r[\"body\"] for r in d[\"items\"]]")" = "['"'"'Too long.'"'"', '"'"'Great heist film.'"'"']" &&
	api_expect 400 GET "/api/v1/titles/$HEAT/reviews?sort=worst" "$A" && grep -q worst out &&
	api_expect 400 GET "/api/v1/titles/$HEAT/reviews?limit=101" "$A" &&
	api_expect 200 GET /api/v1/reviews/$(cat b.review) "$A" && test "$(j "d[\"author\"]")" = b &&
	api_expect 200 GET /api/v1/reviews "$A" && test "$(j "len(d[\"items\"])")" = 1
'

test_expect_success 'votes: helpful counts, changing and taking back; not on one'"'"'s own' '
	r=$(cat b.review) &&
	api_expect 200 PUT /api/v1/reviews/$r/vote "$A" "{\"vote\":\"helpful\"}" &&
	test "$(j "d[\"helpful\"], d[\"my_vote\"]")" = "(1, '"'"'helpful'"'"')" &&
	api_expect 200 PUT /api/v1/reviews/$r/vote "$A" "{\"vote\":\"helpful\"}" && test "$(j "d[\"helpful\"]")" = 1 &&
	api_expect 200 PUT /api/v1/reviews/$r/vote "$A" "{\"vote\":\"unhelpful\"}" &&
	test "$(j "d[\"helpful\"], d[\"unhelpful\"]")" = "(0, 1)" &&
	api_expect 400 PUT /api/v1/reviews/$r/vote "$B" "{\"vote\":\"helpful\"}" &&
	api_expect 400 PUT /api/v1/reviews/$r/vote "$A" "{\"vote\":\"great\"}" && grep -q great out &&
	api_expect 404 PUT /api/v1/reviews/999999/vote "$A" "{\"vote\":\"helpful\"}"
'

test_expect_success 'editing is the author'"'"'s own: another profile is 403' '
	api_expect 200 PATCH /api/v1/reviews/$(cat a.review) "$A" "{\"body\":\"Edited.\"}" &&
	test "$(j "d[\"body\"]")" = Edited. &&
	api_expect 403 PATCH /api/v1/reviews/$(cat a.review) "$B" "{\"body\":\"Mine now.\"}"
'

test_expect_success 'a report hides the review from others (201), once per profile (409)' '
	r=$(cat b.review) &&
	api_expect 201 POST /api/v1/reviews/$r/reports "$A" "{\"reason\":\"spoilers\"}" &&
	test "$(j "d[\"review_id\"]")" = "$r" &&
	api_expect 404 GET /api/v1/reviews/$r "$A" &&
	api_expect 200 GET /api/v1/reviews/$r "$B" && test "$(j "d[\"hidden\"]")" = True &&
	api_expect 400 POST /api/v1/reviews/$(cat a.review)/reports "$A" "{\"reason\":\"mine\"}" &&
	api_expect 400 POST /api/v1/reviews/$r/reports "$A" "{}" && grep -q reason out
'

test_expect_success 'the moderation queue lists it for a moderator; a viewer is 403' '
	api_expect 403 GET /api/v1/admin/moderation/queue "$A" &&
	api_expect 200 GET /api/v1/admin/moderation/queue "$MOD" &&
	test "$(j "[(i[\"review_id\"], i[\"reports\"]) for i in d[\"items\"]]")" = "[($(cat b.review), 1)]" &&
	api_expect 400 GET "/api/v1/admin/moderation/queue?limit=0" "$MOD"
'

test_expect_success 'deciding: bad decisions 400, approve shows it again and is audited' '
	r=$(cat b.review) &&
	test_snapshot >before &&
	api_expect 400 POST /api/v1/admin/reviews/$r/decision "$MOD" "{\"decision\":\"maybe\",\"reason\":\"x\"}" &&
	grep -q maybe out &&
	api_expect 400 POST /api/v1/admin/reviews/$r/decision "$MOD" "{\"decision\":\"approve\"}" &&
	api_expect 403 POST /api/v1/admin/reviews/$r/decision "$A" "{\"decision\":\"approve\",\"reason\":\"x\"}" &&
	test_snapshot >after && test_cmp before after &&
	api_expect 200 POST /api/v1/admin/reviews/$r/decision "$MOD" "{\"decision\":\"approve\",\"reason\":\"fine\"}" &&
	test "$(j "d[\"decision\"], d[\"reports\"]")" = "('"'"'approve'"'"', 1)" &&
	api_expect 200 GET /api/v1/reviews/$r "$A" &&
	api_expect 409 POST /api/v1/admin/reviews/$r/decision "$MOD" "{\"decision\":\"approve\",\"reason\":\"again\"}" &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = '"'"'review.approve'"'"'")" = 1
'

test_expect_success 'remove deletes the review (audited); the author deletes their own' '
	r=$(cat b.review) &&
	api_expect 200 POST /api/v1/admin/reviews/$r/decision "$MOD" "{\"decision\":\"remove\",\"reason\":\"spoilers\"}" &&
	api_expect 404 GET /api/v1/reviews/$r "$B" &&
	api_expect 404 POST /api/v1/admin/reviews/$r/decision "$MOD" "{\"decision\":\"remove\",\"reason\":\"x\"}" &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = '"'"'review.remove'"'"'")" = 1 &&
	api_expect 200 DELETE /api/v1/reviews/$(cat a.review) "$A" &&
	api_expect 404 DELETE /api/v1/reviews/$(cat a.review) "$A"
'

api_stop
test_done
