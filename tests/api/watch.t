#!/usr/bin/env bash
# watch.t - viewing over HTTP: progress writes (idempotent with the
# client's time), resume, next up, Continue Watching and history, for the
# profile the "profile" query parameter names.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user cm@example.com content_manager >cm.tok
api_user v@example.com viewer >v.tok
api_user w@example.com viewer >w.tok
CM=$(cat cm.tok) V=$(cat v.tok) W=$(cat w.tok)
WP=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'w@example.com'")
api POST /api/v1/admin/titles "$CM" '{"kind":"movie","title":"Heat","status":"published","runtime_minutes":170}' >/dev/null
HEAT=$(j 'd["id"]')
api POST /api/v1/admin/titles "$CM" '{"kind":"series","title":"The Wire","status":"published","seasons":[{"number":1,"episodes":[{"number":1,"name":"The Target","runtime_minutes":60},{"number":2,"name":"The Detail","runtime_minutes":60}]}]}' >/dev/null
WIRE=$(j 'd["id"]')
AT=2026-11-22T08:00:00.000Z

test_expect_success 'PUT progress records it and answers the progress' '
	api_expect 200 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":1200,\"at\":\"$AT\"}" &&
	test "$(j "d[\"position\"], d[\"duration\"], d[\"applied\"], d[\"duplicate\"]")" = "(1200, 10200, True, False)"
'

test_expect_success 'the same write again changes nothing and answers 200 (idempotent)' '
	test_snapshot >before &&
	api_expect 200 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":1200,\"at\":\"$AT\"}" &&
	test "$(j "d[\"position\"], d[\"duplicate\"]")" = "(1200, True)" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'a late write never moves the position back' '
	api_expect 200 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":300,\"at\":\"2026-11-22T07:59:00Z\"}" &&
	test "$(j "d[\"position\"], d[\"applied\"]")" = "(1200, False)"
'

test_expect_success 'bad writes are 400 naming the value and write nothing' '
	test_snapshot >before &&
	api_expect 400 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":-3}" && grep -q -- -3 out &&
	api_expect 400 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":\"12\"}" && grep -q position out &&
	api_expect 400 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":1,\"event\":\"dance\"}" && grep -q dance out &&
	api_expect 400 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":1,\"at\":\"yesterday\"}" && grep -q yesterday out &&
	api_expect 400 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":1,\"speed\":2}" && grep -q speed out &&
	api_expect 400 PUT /api/v1/titles/$HEAT/progress "$V" &&
	api_expect 404 PUT /api/v1/titles/999999/progress "$V" "{\"position\":1}" &&
	api_expect 404 PUT /api/v1/titles/$WIRE/progress "$V" "{\"position\":1,\"season\":1,\"episode\":9}" &&
	api_expect 404 PUT "/api/v1/titles/$HEAT/progress?profile=$WP" "$V" "{\"position\":1}" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'resume offers the position; next up for a series; a movie has none (400)' '
	api_expect 200 GET /api/v1/titles/$HEAT/resume "$V" &&
	test "$(j "d[\"start\"], d[\"resume\"]")" = "(1200, True)" &&
	api_expect 200 GET /api/v1/titles/$WIRE/next "$V" &&
	test "$(j "d[\"episode\"][\"number\"]")" = 1 &&
	api_expect 400 GET /api/v1/titles/$HEAT/next "$V"
'

test_expect_success 'completing episode 1 moves next up to episode 2 and Continue Watching shows both titles' '
	api_expect 200 PUT /api/v1/titles/$WIRE/progress "$V" "{\"season\":1,\"episode\":1,\"event\":\"complete\",\"duration\":3600}" &&
	test "$(j "d[\"completed\"]")" = True &&
	api_expect 200 GET /api/v1/titles/$WIRE/next "$V" && test "$(j "d[\"episode\"][\"number\"]")" = 2 &&
	api_expect 200 GET /api/v1/continue-watching "$V" &&
	test "$(j "[(i[\"title\"], i[\"state\"]) for i in d[\"items\"]]")" = "[('"'"'The Wire'"'"', '"'"'next'"'"'), ('"'"'Heat'"'"', '"'"'resume'"'"')]" &&
	api_expect 400 GET "/api/v1/continue-watching?limit=0" "$V" &&
	api_expect 200 GET /api/v1/continue-watching "$W" && test "$(j "d[\"items\"]")" = "[]"
'

test_expect_success 'history lists every event newest first, of one title on request' '
	api_expect 200 GET /api/v1/history "$V" &&
	test "$(j "[(i[\"title\"], i[\"event\"]) for i in d[\"items\"]][0]")" = "('"'"'The Wire'"'"', '"'"'complete'"'"')" &&
	test "$(j "len(d[\"items\"])")" = 3 &&
	api_expect 200 GET "/api/v1/history?title=$HEAT&limit=1" "$V" &&
	test "$(j "[i[\"position\"] for i in d[\"items\"]]")" = "[1200]" &&
	api_expect 404 GET "/api/v1/history?profile=$WP" "$V" &&
	api_expect 400 GET "/api/v1/history?limit=x" "$V"
'

api_stop
test_done
