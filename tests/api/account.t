#!/usr/bin/env bash
# account.t - the caller's account and profiles: show and change with
# whitelisted fields, password change, deletion, profile CRUD, the PIN
# check and its throttle, and object-level authorization (another
# account's profile is 404, never data).
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
q="'"
api_user a@example.com viewer >a.tok
api_user b@example.com viewer >b.tok
A=$(cat a.tok) B=$(cat b.tok)
BPROF=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'b@example.com'")

test_expect_success 'GET /account shows the caller, without any hash' '
	api_expect 200 GET /api/v1/account "$A" &&
	test "$(j "d[\"email\"]")" = a@example.com &&
	! grep -qi "hash\|argon" out
'

test_expect_success 'PATCH /account changes the username' '
	api_expect 200 PATCH /api/v1/account "$A" "{\"username\":\"alice\"}" &&
	test "$(j "d[\"username\"]")" = alice &&
	test "$(test_sql "SELECT actor || ${q} ${q} || action FROM audit_log ORDER BY id DESC LIMIT 1")" = "a@example.com user.set"
'

test_expect_success 'PATCH /account refuses role and status (not in the whitelist)' '
	api_expect 400 PATCH /api/v1/account "$A" "{\"role\":\"admin\"}" && grep -q "role" out &&
	api_expect 400 PATCH /api/v1/account "$A" "{\"status\":\"active\"}" &&
	api_expect 400 PATCH /api/v1/account "$A" "{\"username\":\"x\",\"role\":\"admin\"}" &&
	test "$(test_sql "SELECT role || username FROM accounts WHERE email = ${q}a@example.com${q}")" = vieweralice
'

test_expect_success 'PATCH /account: a taken username is 409, a bad email 400, nothing 400' '
	api_expect 409 PATCH /api/v1/account "$A" "{\"username\":\"b\"}" &&
	api_expect 400 PATCH /api/v1/account "$A" "{\"email\":\"not-an-email\"}" &&
	api_expect 400 PATCH /api/v1/account "$A" "{}"
'

test_expect_success 'changing the password needs the current one and ends other sessions' '
	other=$(api_login a@example.com Secret123) &&
	api_expect 403 POST /api/v1/account/password "$A" \
		"{\"current_password\":\"Wrong1234\",\"new_password\":\"Better456\"}" &&
	api_expect 400 POST /api/v1/account/password "$A" \
		"{\"current_password\":\"Secret123\",\"new_password\":\"weak\"}" &&
	api_expect 204 POST /api/v1/account/password "$A" \
		"{\"current_password\":\"Secret123\",\"new_password\":\"Better456\"}" &&
	api_expect 200 GET /api/v1/account "$A" &&
	api_expect 401 GET /api/v1/account "$other" &&
	api_login a@example.com Better456 >/dev/null
'

test_expect_success 'the caller lists only its own profiles' '
	api_expect 200 GET /api/v1/profiles "$A" &&
	test "$(j "len(d[\"items\"])")" = 1 &&
	test "$(j "d[\"items\"][0][\"name\"]")" = a
'

test_expect_success 'POST /profiles adds one; bad fields are 400 naming them' '
	api_expect 201 POST /api/v1/profiles "$A" "{\"name\":\"Kids\",\"kids\":true,\"pin\":\"1234\"}" &&
	test "$(j "d[\"kids\"], d[\"has_pin\"], d[\"maturity\"]")" = "(True, True, ${q}PG${q})" &&
	j "d[\"id\"]" >kids.id &&
	api_expect 400 POST /api/v1/profiles "$A" "{\"name\":\"X\",\"kids\":\"yes\"}" && grep -q "kids" out &&
	api_expect 400 POST /api/v1/profiles "$A" "{\"name\":\"X\",\"pin\":\"12\"}" &&
	api_expect 400 POST /api/v1/profiles "$A" "{\"name\":\"X\",\"account_id\":2}" && grep -q account_id out &&
	api_expect 400 POST /api/v1/profiles "$A" "{\"kids\":true}" && grep -q "name" out &&
	api_expect 409 POST /api/v1/profiles "$A" "{\"name\":\"KIDS\"}"
'

test_expect_success 'GET and PATCH /profiles/{id} work on the caller'"'"'s profile' '
	id=$(cat kids.id) &&
	api_expect 200 GET /api/v1/profiles/$id "$A" && test "$(j "d[\"name\"]")" = Kids &&
	api_expect 200 PATCH /api/v1/profiles/$id "$A" "{\"name\":\"Little\",\"language\":\"fr\"}" &&
	test "$(j "d[\"name\"], d[\"language\"]")" = "(${q}Little${q}, ${q}fr${q})"
'

test_expect_success 'another account'"'"'s profile is 404 for every verb, and is left alone' '
	test_snapshot >before &&
	api_expect 404 GET /api/v1/profiles/$BPROF "$A" &&
	! grep -q "b@example.com" out &&
	api_expect 404 PATCH /api/v1/profiles/$BPROF "$A" "{\"name\":\"Pwned\"}" &&
	api_expect 404 DELETE /api/v1/profiles/$BPROF "$A" &&
	api_expect 404 POST /api/v1/profiles/$BPROF/pin "$A" "{\"pin\":\"0000\"}" &&
	api_expect 404 GET "/api/v1/search?profile=$BPROF" "$A" &&
	api_expect 404 GET "/api/v1/suggest?q=a&profile=$BPROF" "$A" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'a profile that does not exist is 404, one that is not an id 400' '
	api_expect 404 GET /api/v1/profiles/999999 "$A" &&
	api_expect 400 GET /api/v1/profiles/abc "$A"
'

test_expect_success 'the PIN check: right 204, wrong 403' '
	id=$(cat kids.id) &&
	api_expect 204 POST /api/v1/profiles/$id/pin "$A" "{\"pin\":\"1234\"}" &&
	api_expect 403 POST /api/v1/profiles/$id/pin "$A" "{\"pin\":\"9999\"}"
'

test_expect_success 'wrong PINs are throttled: 429 with Retry-After, even for the right one' '
	id=$(cat kids.id) &&
	for i in 1 2 3 4 5; do api_expect 403 POST /api/v1/profiles/$id/pin "$A" "{\"pin\":\"9999\"}" || exit 1; done &&
	api_expect 429 POST /api/v1/profiles/$id/pin "$A" "{\"pin\":\"1234\"}" &&
	grep -qi "^retry-after: [1-9]" hdr
'

test_expect_success 'PATCH with pin null removes the PIN' '
	id=$(cat kids.id) &&
	api_expect 200 PATCH /api/v1/profiles/$id "$A" "{\"pin\":null}" &&
	test "$(j "d[\"has_pin\"]")" = False
'

test_expect_success 'DELETE /profiles/{id} removes it; the last profile cannot go (409)' '
	id=$(cat kids.id) &&
	api_expect 204 DELETE /api/v1/profiles/$id "$A" &&
	api_expect 404 GET /api/v1/profiles/$id "$A" &&
	last=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = ${q}a@example.com${q}") &&
	api_expect 409 DELETE /api/v1/profiles/$last "$A"
'

test_expect_success 'DELETE /account needs the password, then the account and its sessions are gone' '
	api_expect 403 DELETE /api/v1/account "$B" "{\"password\":\"Wrong1234\"}" &&
	api_expect 400 DELETE /api/v1/account "$B" &&
	api_expect 204 DELETE /api/v1/account "$B" "{\"password\":\"Secret123\"}" &&
	api_expect 401 GET /api/v1/account "$B" &&
	test "$(test_sql "SELECT deleted_at IS NOT NULL FROM accounts WHERE email = ${q}b@example.com${q}")" = t &&
	api_expect 401 POST /api/v1/auth/login "" "{\"email\":\"b@example.com\",\"password\":\"Secret123\"}"
'

api_stop
test_done
