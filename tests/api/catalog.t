#!/usr/bin/env bash
# catalog.t - titles, seasons, search and suggest as a viewer sees them,
# and catalog administration (content_manager): create, list every
# status, change, delete.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
q="'"
api_user cm@example.com content_manager >cm.tok
api_user v@example.com viewer >v.tok
CM=$(cat cm.tok) V=$(cat v.tok)

test_expect_success 'a content manager creates titles from their JSON form' '
	api_expect 201 POST /api/v1/admin/titles "$CM" \
		"{\"kind\":\"series\",\"title\":\"The Wire\",\"year\":2002,\"status\":\"published\",\"seasons\":[{\"number\":1,\"name\":\"One\",\"episodes\":[{\"number\":1,\"name\":\"The Target\"},{\"number\":2,\"name\":\"The Detail\"}]}]}" &&
	j "d[\"id\"]" >wire.id &&
	api_expect 201 POST /api/v1/admin/titles "$CM" \
		"{\"kind\":\"movie\",\"title\":\"Heat\",\"year\":1995,\"status\":\"published\"}" &&
	j "d[\"id\"]" >heat.id &&
	api_expect 201 POST /api/v1/admin/titles "$CM" "{\"kind\":\"movie\",\"title\":\"Secret Draft\",\"year\":2030}" &&
	j "d[\"id\"]" >draft.id &&
	test "$(j "d[\"status\"]")" = draft
'

test_expect_success 'a bad title is 400 naming the field, and nothing is written' '
	test_snapshot >before &&
	api_expect 400 POST /api/v1/admin/titles "$CM" "{\"kind\":\"movie\",\"title\":\"X\",\"colour\":\"red\"}" &&
	grep -q colour out &&
	api_expect 400 POST /api/v1/admin/titles "$CM" "{\"kind\":\"film\",\"title\":\"X\"}" && grep -q kind out &&
	api_expect 400 POST /api/v1/admin/titles "$CM" "{\"kind\":\"movie\",\"title\":\"X\",\"year\":\"soon\"}" &&
	api_expect 400 POST /api/v1/admin/titles "$CM" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'a viewer lists the published titles only' '
	api_expect 200 GET /api/v1/titles "$V" &&
	test "$(j "d[\"total\"]")" = 2 &&
	! grep -q "Secret Draft" out
'

test_expect_success 'filters and pages' '
	api_expect 200 "GET" "/api/v1/titles?kind=series" "$V" &&
	test "$(j "[t[\"title\"] for t in d[\"items\"]]")" = "[${q}The Wire${q}]" &&
	api_expect 200 GET "/api/v1/titles?sort=title&limit=1&page=2" "$V" &&
	test "$(j "d[\"items\"][0][\"title\"], d[\"pages\"]")" = "(${q}The Wire${q}, 2)" &&
	api_expect 200 GET "/api/v1/titles?year_from=2000" "$V" && test "$(j "d[\"total\"]")" = 1
'

test_expect_success 'the page size is capped and bad query values are 400 naming them' '
	api_expect 400 GET "/api/v1/titles?limit=101" "$V" && grep -q limit out &&
	api_expect 400 GET "/api/v1/titles?limit=0" "$V" &&
	api_expect 400 GET "/api/v1/titles?page=x" "$V" && grep -q page out &&
	api_expect 400 GET "/api/v1/titles?kind=film" "$V" &&
	api_expect 400 GET "/api/v1/titles?colour=red" "$V" && grep -q colour out &&
	api_expect 400 GET "/api/v1/titles?status=draft" "$V" &&
	api_expect 400 GET "/api/v1/titles?limit=1&limit=2" "$V"
'

test_expect_success 'title detail; a draft does not exist for a viewer' '
	api_expect 200 GET /api/v1/titles/$(cat heat.id) "$V" && test "$(j "d[\"title\"]")" = Heat &&
	api_expect 404 GET /api/v1/titles/$(cat draft.id) "$V" &&
	api_expect 404 GET /api/v1/titles/999999 "$V"
'

test_expect_success 'seasons and one season with its episodes' '
	w=$(cat wire.id) &&
	api_expect 200 GET /api/v1/titles/$w/seasons "$V" &&
	test "$(j "[s[\"number\"] for s in d[\"items\"]]")" = "[1]" &&
	api_expect 200 GET /api/v1/titles/$w/seasons/1 "$V" &&
	test "$(j "[e[\"name\"] for e in d[\"episodes\"]]")" = "[${q}The Target${q}, ${q}The Detail${q}]" &&
	api_expect 404 GET /api/v1/titles/$w/seasons/7 "$V" &&
	api_expect 400 GET /api/v1/titles/$w/seasons/one "$V" &&
	api_expect 200 GET /api/v1/titles/$(cat heat.id)/seasons "$V" && test "$(j "d[\"items\"]")" = "[]"
'

test_expect_success 'search finds by words and prefix, as the caller'"'"'s profile' '
	api_expect 200 GET "/api/v1/search?q=wire" "$V" &&
	test "$(j "[i[\"title\"] for i in d[\"items\"]]")" = "[${q}The Wire${q}]" &&
	api_expect 200 GET "/api/v1/search?q=secret" "$V" && ! grep -q "Secret Draft" out &&
	api_expect 400 GET "/api/v1/search?q=x&limit=500" "$V" &&
	api_expect 400 GET "/api/v1/search?q=x&year=soon" "$V" && grep -q year out
'

test_expect_success 'suggest completes a prefix' '
	api_expect 200 GET "/api/v1/suggest?q=he" "$V" &&
	test "$(j "[i[\"title\"] for i in d[\"items\"]]")" = "[${q}Heat${q}]" &&
	api_expect 400 GET "/api/v1/suggest" "$V" && grep -q "q" out
'

test_expect_success 'the admin list shows every status and filters by it' '
	api_expect 200 GET "/api/v1/admin/titles?status=draft" "$CM" &&
	test "$(j "[t[\"title\"] for t in d[\"items\"]]")" = "[${q}Secret Draft${q}]" &&
	api_expect 200 GET /api/v1/admin/titles/$(cat draft.id) "$CM"
'

test_expect_success 'PATCH /admin/titles/{id} changes fields and makes a version' '
	d=$(cat draft.id) &&
	api_expect 200 PATCH /api/v1/admin/titles/$d "$CM" "{\"title\":\"Open Draft\",\"status\":\"published\"}" &&
	test "$(j "d[\"title\"], d[\"version\"]")" = "(${q}Open Draft${q}, 2)" &&
	api_expect 200 GET /api/v1/titles/$d "$V" &&
	api_expect 400 PATCH /api/v1/admin/titles/$d "$CM" "{}" &&
	api_expect 404 PATCH /api/v1/admin/titles/999999 "$CM" "{\"title\":\"x\"}"
'

test_expect_success 'DELETE /admin/titles/{id} removes it and returns it as it was' '
	d=$(cat draft.id) &&
	api_expect 200 DELETE /api/v1/admin/titles/$d "$CM" && test "$(j "d[\"title\"]")" = "Open Draft" &&
	api_expect 404 GET /api/v1/admin/titles/$d "$CM" &&
	api_expect 404 DELETE /api/v1/admin/titles/$d "$CM"
'

api_stop
test_done
