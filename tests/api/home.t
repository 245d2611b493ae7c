#!/usr/bin/env bash
# home.t - GET /api/v1/home: the homepage of the profile ?profile= names,
# ranked as ?ranker= says, its cache invalidated by the profile's own
# progress at once, and another account's profile 404.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user cm@example.com content_manager >cm.tok
api_user v@example.com viewer >v.tok
api_user w@example.com viewer >w.tok
CM=$(cat cm.tok) V=$(cat v.tok)
WP=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'w@example.com'")
for t in Heat Ronin Collateral; do
	api POST /api/v1/admin/titles "$CM" "{\"kind\":\"movie\",\"title\":\"$t\",\"status\":\"published\",\"maturity\":\"PG\",\"runtime_minutes\":100}" >/dev/null
done
HEAT=$(test_sql "SELECT id FROM titles WHERE title = 'Heat'")
sf recs build >/dev/null

test_expect_success 'GET /home answers the rows, then the same page from the cache' '
	api_expect 200 GET /api/v1/home "$V" &&
	test "$(j "d[\"cached\"], d[\"ranker\"], [r[\"id\"] for r in d[\"rows\"]][:1]")" = "(False, '"'"'hybrid'"'"', ['"'"'top_picks'"'"'])" &&
	api_expect 200 GET /api/v1/home "$V" &&
	test "$(j "d[\"cached\"]")" = True
'

test_expect_success 'progress written a moment ago is in Continue Watching on the next request' '
	api_expect 200 PUT /api/v1/titles/$HEAT/progress "$V" "{\"position\":600}" &&
	api_expect 200 GET /api/v1/home "$V" &&
	test "$(j "d[\"cached\"], d[\"rows\"][0][\"id\"], d[\"rows\"][0][\"items\"][0][\"title_id\"]")" = "(False, '"'"'continue'"'"', $HEAT)"
'

test_expect_success '?ranker= picks the ranker (home.ranker), a cache entry of its own' '
	api_expect 200 GET "/api/v1/home?ranker=popularity" "$V" &&
	test "$(j "d[\"cached\"], d[\"ranker\"]")" = "(False, '"'"'popularity'"'"')" &&
	api_expect 200 GET "/api/v1/home?ranker=popularity" "$V" &&
	test "$(j "d[\"cached\"]")" = True
'

test_expect_success 'another account'"'"'s profile is 404; bad parameters 400' '
	api_expect 404 GET "/api/v1/home?profile=$WP" "$V" &&
	api_expect 400 GET "/api/v1/home?ranker=magic" "$V" &&
	test "$(j "\"magic\" in d[\"error\"][\"message\"]")" = True &&
	api_expect 400 GET "/api/v1/home?region=France" "$V" &&
	api_expect 400 GET "/api/v1/home?color=red" "$V" &&
	api_expect 401 GET /api/v1/home ""
'

test_done
