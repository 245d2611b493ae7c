#!/usr/bin/env bash
# mylist.t - My List, ratings and title detail's viewer state over HTTP,
# for the profile the "profile" query parameter names (default: the
# account's first profile); another account's profile is 404.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user cm@example.com content_manager >cm.tok
api_user v@example.com viewer >v.tok
api_user w@example.com viewer >w.tok
CM=$(cat cm.tok) V=$(cat v.tok) W=$(cat w.tok)
P=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'v@example.com'")
WP=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'w@example.com'")
for t in Heat Ronin Alien; do
	api POST /api/v1/admin/titles "$CM" "{\"kind\":\"movie\",\"title\":\"$t\",\"status\":\"published\",\"runtime_minutes\":100,\"maturity\":\"PG-13\"}" >/dev/null
	j 'd["id"]' >"$t.id"
done
api POST /api/v1/admin/titles "$CM" '{"kind":"movie","title":"Gore","status":"published","maturity":"NC-17"}' >/dev/null
j 'd["id"]' >Gore.id
HEAT=$(cat Heat.id) RONIN=$(cat Ronin.id) ALIEN=$(cat Alien.id) GORE=$(cat Gore.id)

test_expect_success 'an empty list, for the first profile by default and by name' '
	api_expect 200 GET /api/v1/my-list "$V" && test "$(j "d[\"items\"]")" = "[]" &&
	test "$(j "d[\"profile_id\"]")" = "$P" &&
	api_expect 200 GET "/api/v1/my-list?profile=$P" "$V" && test "$(j "d[\"profile_id\"]")" = "$P"
'

test_expect_success 'POST adds to the top (201); the same title again is 409 already in your list' '
	api_expect 201 POST "/api/v1/my-list?profile=$P" "$V" "{\"title\":\"$HEAT\"}" &&
	test "$(j "d[\"title\"], d[\"position\"]")" = "('"'"'Heat'"'"', 1)" &&
	api_expect 201 POST /api/v1/my-list "$V" "{\"title\":\"$RONIN\"}" &&
	api_expect 201 POST /api/v1/my-list "$V" "{\"title\":\"$ALIEN\"}" &&
	test_snapshot >before &&
	api_expect 409 POST /api/v1/my-list "$V" "{\"title\":\"$HEAT\"}" &&
	grep -q "already in your list" out &&
	test_snapshot >after && test_cmp before after &&
	api_expect 200 GET /api/v1/my-list "$V" &&
	test "$(j "[i[\"title\"] for i in d[\"items\"]]")" = "['"'"'Alien'"'"', '"'"'Ronin'"'"', '"'"'Heat'"'"']"
'

test_expect_success 'bad adds: unknown title 404, missing or wrong field 400 naming it' '
	test_snapshot >before &&
	api_expect 404 POST /api/v1/my-list "$V" "{\"title\":\"999999\"}" &&
	api_expect 400 POST /api/v1/my-list "$V" "{}" && grep -q title out &&
	api_expect 400 POST /api/v1/my-list "$V" "{\"title\":5}" && grep -q title out &&
	api_expect 400 POST /api/v1/my-list "$V" "{\"title\":\"$HEAT\",\"x\":1}" && grep -q "x" out &&
	api_expect 400 GET "/api/v1/my-list?colour=red" "$V" && grep -q colour out &&
	api_expect 400 GET "/api/v1/my-list?profile=abc" "$V" && grep -q abc out &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'another account'"'"'s profile is 404 for every list route' '
	test_snapshot >before &&
	api_expect 404 GET "/api/v1/my-list?profile=$WP" "$V" &&
	api_expect 404 POST "/api/v1/my-list?profile=$WP" "$V" "{\"title\":\"$HEAT\"}" &&
	api_expect 404 PUT "/api/v1/my-list?profile=$WP" "$V" "{\"titles\":[]}" &&
	api_expect 404 DELETE "/api/v1/my-list/$HEAT?profile=$WP" "$V" &&
	api_expect 404 DELETE "/api/v1/my-list?profile=$WP" "$V" &&
	api_expect 404 GET "/api/v1/my-list?profile=$P" "$W" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'PUT puts the list in order; anything but exactly its items is 400 and changes nothing' '
	api_expect 200 PUT /api/v1/my-list "$V" "{\"titles\":[$HEAT,\"$RONIN\",$ALIEN]}" &&
	test "$(j "[i[\"title\"] for i in d[\"items\"]]")" = "['"'"'Heat'"'"', '"'"'Ronin'"'"', '"'"'Alien'"'"']" &&
	test_snapshot >before &&
	api_expect 400 PUT /api/v1/my-list "$V" "{\"titles\":[$HEAT,$RONIN]}" &&
	api_expect 400 PUT /api/v1/my-list "$V" "{\"titles\":[$HEAT,$HEAT,$ALIEN]}" &&
	api_expect 400 PUT /api/v1/my-list "$V" "{\"titles\":\"$HEAT\"}" && grep -q titles out &&
	api_expect 400 PUT /api/v1/my-list "$V" "{\"titles\":[true]}" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'title detail tells in_my_list, my_rating and resume for the profile' '
	api_expect 200 GET "/api/v1/titles/$HEAT?profile=$P" "$V" &&
	test "$(j "d[\"in_my_list\"], d[\"my_rating\"], d[\"resume\"][\"start\"], d[\"resume\"][\"resume\"]")" = "(True, None, 0, False)" &&
	api_expect 200 PUT "/api/v1/titles/$HEAT/rating" "$V" "{\"stars\":4}" &&
	api_expect 200 PUT "/api/v1/titles/$HEAT/progress?profile=$P" "$V" "{\"position\":600}" &&
	api_expect 200 GET "/api/v1/titles/$HEAT" "$V" &&
	test "$(j "d[\"in_my_list\"], d[\"my_rating\"], d[\"resume\"][\"start\"], d[\"resume\"][\"resume\"]")" = "(True, 4, 600, True)" &&
	api_expect 200 GET "/api/v1/titles/$GORE" "$V" &&
	test "$(j "d[\"in_my_list\"], d[\"my_rating\"]")" = "(False, None)" &&
	api_expect 404 GET "/api/v1/titles/$HEAT?profile=$WP" "$V"
'

test_expect_success 'a kids profile does not see a title above its limit: 404 everywhere' '
	api_expect 201 POST /api/v1/profiles "$V" "{\"name\":\"Kid\",\"kids\":true}" && K=$(j "d[\"id\"]") &&
	api_expect 404 GET "/api/v1/titles/$GORE?profile=$K" "$V" &&
	api_expect 404 POST "/api/v1/my-list?profile=$K" "$V" "{\"title\":\"$GORE\"}" &&
	api_expect 200 GET "/api/v1/titles/$GORE" "$V"
'

test_expect_success 'ratings: set, change, show with the average, clear; bad stars 400' '
	api_expect 200 PUT "/api/v1/titles/$RONIN/rating" "$V" "{\"stars\":5}" &&
	api_expect 200 PUT "/api/v1/titles/$RONIN/rating" "$W" "{\"stars\":2}" &&
	api_expect 200 GET "/api/v1/titles/$RONIN/rating" "$V" &&
	test "$(j "d[\"stars\"], d[\"rating_count\"], float(d[\"rating_avg\"])")" = "(5, 2, 3.5)" &&
	test_snapshot >before &&
	api_expect 400 PUT "/api/v1/titles/$RONIN/rating" "$V" "{\"stars\":6}" && grep -q 6 out &&
	api_expect 400 PUT "/api/v1/titles/$RONIN/rating" "$V" "{\"stars\":\"5\"}" &&
	api_expect 400 PUT "/api/v1/titles/$RONIN/rating" "$V" "{}" &&
	api_expect 404 PUT "/api/v1/titles/999999/rating" "$V" "{\"stars\":3}" &&
	api_expect 404 PUT "/api/v1/titles/$RONIN/rating?profile=$WP" "$V" "{\"stars\":3}" &&
	test_snapshot >after && test_cmp before after &&
	api_expect 200 DELETE "/api/v1/titles/$RONIN/rating" "$V" && test "$(j "d[\"stars\"]")" = None &&
	api_expect 404 DELETE "/api/v1/titles/$RONIN/rating" "$V"
'

test_expect_success 'DELETE one item returns it; a title not in the list is 404' '
	api_expect 200 DELETE "/api/v1/my-list/$RONIN" "$V" && test "$(j "d[\"title\"]")" = Ronin &&
	api_expect 404 DELETE "/api/v1/my-list/$RONIN" "$V" &&
	api_expect 200 GET /api/v1/my-list "$V" &&
	test "$(j "[i[\"title\"] for i in d[\"items\"]]")" = "['"'"'Heat'"'"', '"'"'Alien'"'"']"
'

test_expect_success 'DELETE the list empties it and says how many went' '
	api_expect 200 DELETE /api/v1/my-list "$V" && test "$(j "d[\"removed\"]")" = 2 &&
	api_expect 200 GET /api/v1/my-list "$V" && test "$(j "d[\"items\"]")" = "[]" &&
	api_expect 200 DELETE /api/v1/my-list "$V" && test "$(j "d[\"removed\"]")" = 0
'

api_stop
test_done
