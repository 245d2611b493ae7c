#!/usr/bin/env bash
# auth.t - the auth routes against a real sf serve: register, login with
# its one generic failure, refresh rotation and reuse detection, logout,
# suspended and deleted accounts.  (The throttles are throttle.t's.)
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
q="'"   # a single quote, for the bodies below

login() {
	api POST /api/v1/auth/login "" "{\"email\":\"$1\",\"password\":\"$2\"}"
}

test_expect_success 'register makes a viewer account and returns a token pair' '
	api_expect 201 POST /api/v1/auth/register "" \
		"{\"email\":\"reg@example.com\",\"username\":\"reg\",\"password\":\"Secret123\"}" &&
	test "$(j "d[\"account\"][\"role\"]")" = viewer &&
	test "$(j "d[\"token_type\"]")" = Bearer &&
	test "$(j "d[\"expires_in\"]")" = 900 &&
	j "d[\"refresh_token\"]" | grep -q "^sfr_" &&
	api_expect 200 GET /api/v1/account "$(j "d[\"access_token\"]")" &&
	test "$(j "d[\"email\"]")" = reg@example.com
'

test_expect_success 'register refuses a taken email (409) and a weak password (400)' '
	api_expect 409 POST /api/v1/auth/register "" \
		"{\"email\":\"REG@example.com\",\"username\":\"reg2\",\"password\":\"Secret123\"}" &&
	api_expect 400 POST /api/v1/auth/register "" \
		"{\"email\":\"new@example.com\",\"username\":\"new\",\"password\":\"short\"}" &&
	test "$(test_sql "SELECT count(*) FROM accounts")" = 1
'

test_expect_success 'register cannot choose a role' '
	api_expect 400 POST /api/v1/auth/register "" \
		"{\"email\":\"x@example.com\",\"username\":\"x\",\"password\":\"Secret123\",\"role\":\"admin\"}" &&
	grep -q "unknown field .role." out &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE role = ${q}admin${q}")" = 0
'

test_expect_success 'a wrong password and an unknown email get the same 401' '
	test "$(login reg@example.com Wrong12345)" = 401 && cp out wrong &&
	test "$(login nobody@example.com Wrong12345)" = 401 && cp out unknown &&
	test_cmp wrong unknown &&
	grep -q "invalid email or password" wrong
'

test_expect_success 'login returns a pair whose access token works' '
	test "$(login reg@example.com Secret123)" = 200 &&
	api_expect 200 GET /api/v1/account "$(j "d[\"access_token\"]")"
'

test_expect_success 'refresh rotates: the new pair works, the old refresh token is spent' '
	login reg@example.com Secret123 >/dev/null && cp out pair1 &&
	r1=$(test_json pair1 "d[\"refresh_token\"]") &&
	api_expect 200 POST /api/v1/auth/refresh "" "{\"refresh_token\":\"$r1\"}" && cp out pair2 &&
	test "$(test_json pair2 "d[\"refresh_token\"]")" != "$r1" &&
	api_expect 200 GET /api/v1/account "$(test_json pair2 "d[\"access_token\"]")"
'

test_expect_success 'reusing a spent refresh token revokes the whole session' '
	r1=$(test_json pair1 "d[\"refresh_token\"]") &&
	r2=$(test_json pair2 "d[\"refresh_token\"]") &&
	a2=$(test_json pair2 "d[\"access_token\"]") &&
	api_expect 401 POST /api/v1/auth/refresh "" "{\"refresh_token\":\"$r1\"}" &&
	grep -q "already used" out &&
	api_expect 401 POST /api/v1/auth/refresh "" "{\"refresh_token\":\"$r2\"}" &&
	api_expect 401 GET /api/v1/account "$a2" &&
	test "$(test_sql "SELECT count(*) FROM auth_sessions WHERE revoked_reason = ${q}reuse${q}")" = 1
'

test_expect_success 'refresh tokens are stored only hashed' '
	r2=$(test_json pair2 "d[\"refresh_token\"]") &&
	test "$(test_sql "SELECT count(*) FROM refresh_tokens WHERE token_hash = ${q}$r2${q}")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM refresh_tokens WHERE token_hash = encode(sha256(${q}$r2${q}), ${q}hex${q})")" = 1
'

test_expect_success 'an unknown refresh token is 401' '
	api_expect 401 POST /api/v1/auth/refresh "" "{\"refresh_token\":\"sfr_nothing\"}" &&
	api_expect 401 POST /api/v1/auth/refresh "" "{\"refresh_token\":\"other\"}"
'

test_expect_success 'logout ends the session: its access and refresh tokens stop working' '
	login reg@example.com Secret123 >/dev/null && cp out pair &&
	a=$(test_json pair "d[\"access_token\"]") && r=$(test_json pair "d[\"refresh_token\"]") &&
	api_expect 204 POST /api/v1/auth/logout "$a" &&
	api_expect 401 GET /api/v1/account "$a" &&
	api_expect 401 POST /api/v1/auth/refresh "" "{\"refresh_token\":\"$r\"}" &&
	api_expect 401 POST /api/v1/auth/logout
'

test_expect_success 'a suspended account cannot log in, refresh, or use its token' '
	echo Secret123 | sf user add --email s@example.com --username s --password-stdin >/dev/null &&
	login s@example.com Secret123 >/dev/null && cp out pair &&
	sf user suspend s@example.com >/dev/null &&
	api_expect 403 POST /api/v1/auth/login "" "{\"email\":\"s@example.com\",\"password\":\"Secret123\"}" &&
	grep -q suspended out &&
	api_expect 401 POST /api/v1/auth/refresh "" "{\"refresh_token\":\"$(test_json pair "d[\"refresh_token\"]")\"}" &&
	api_expect 401 GET /api/v1/account "$(test_json pair "d[\"access_token\"]")"
'

test_expect_success 'a deleted account cannot log in: the generic 401' '
	echo Secret123 | sf user add --email d@example.com --username d --password-stdin >/dev/null &&
	sf user delete d@example.com >/dev/null &&
	api_expect 401 POST /api/v1/auth/login "" "{\"email\":\"d@example.com\",\"password\":\"Secret123\"}" &&
	grep -q "invalid email or password" out
'

api_stop
test_expect_success 'sf serve stops on SIGTERM with status 0' '
	test "$API_STATUS" = 0
'

test_done
