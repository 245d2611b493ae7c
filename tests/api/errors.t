#!/usr/bin/env bash
# errors.t - bad requests: malformed JSON, wrong types, unknown fields,
# non-UTF-8, oversized bodies, unknown routes and methods; each is the
# one error shape with its status, naming what was wrong.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user v@example.com viewer >v.tok
V=$(cat v.tok)

test_expect_success 'malformed JSON is 400 saying where' '
	api_expect 400 PATCH /api/v1/account "$V" "{\"username\": " && grep -q "malformed JSON" out &&
	api_expect 400 PATCH /api/v1/account "$V" "[1, 2]" && grep -q "JSON object" out &&
	api_expect 400 PATCH /api/v1/account "$V" "{\"username\":\"a\",\"username\":\"b\"}"
'

test_expect_success 'a field of the wrong type is 400 naming the field' '
	api_expect 400 PATCH /api/v1/account "$V" "{\"username\": 42}" &&
	grep -q "field .username. must be a string" out &&
	api_expect 400 POST /api/v1/profiles "$V" "{\"name\":\"K\",\"kids\":1}" && grep -q "kids" out
'

test_expect_success 'an unknown field is 400 naming it' '
	api_expect 400 PATCH /api/v1/account "$V" "{\"nickname\":\"x\"}" && grep -q "nickname" out
'

test_expect_success 'a body that is not UTF-8 is 400' '
	printf "{\"username\":\"\\xff\\xfe\"}" >bad.json &&
	test "$(curl -s -o out -w "%{http_code}" --unix-socket "$API_SOCK" -X PATCH \
		-H "Authorization: Bearer $V" -H "Content-Type: application/json" \
		--data-binary @bad.json http://sf/api/v1/account)" = 400 &&
	grep -q "UTF-8" out
'

test_expect_success 'a query that is not UTF-8 is 400' '
	api_expect 400 GET "/api/v1/search?q=%ff%fe" "$V" && grep -q "UTF-8" out
'

test_expect_success 'a body that is not declared JSON is 400' '
	test "$(curl -s -o out -w "%{http_code}" --unix-socket "$API_SOCK" -X PATCH \
		-H "Authorization: Bearer $V" -H "Content-Type: text/plain" \
		--data-binary "{}" http://sf/api/v1/account)" = 400 &&
	grep -q "application/json" out
'

test_expect_success 'a GET with a body is 400' '
	api_expect 400 GET /api/v1/account "$V" "{}"
'

test_expect_success 'a body over 64 KiB is 413, declared or streamed' '
	python3 -c "print(\"{\\\"username\\\":\\\"\" + \"x\" * 70000 + \"\\\"}\")" >big.json &&
	test "$(curl -s -o out -w "%{http_code}" --unix-socket "$API_SOCK" -X PATCH \
		-H "Authorization: Bearer $V" -H "Content-Type: application/json" \
		--data-binary @big.json http://sf/api/v1/account)" = 413 &&
	grep -q "too_large" out &&
	test "$(curl -s -o out -w "%{http_code}" --unix-socket "$API_SOCK" -X PATCH \
		-H "Authorization: Bearer $V" -H "Content-Type: application/json" \
		-H "Transfer-Encoding: chunked" --data-binary @big.json http://sf/api/v1/account)" = 413 &&
	test "$(test_sql "SELECT username FROM accounts")" = v
'

test_expect_success 'an unknown route is 404; a known path with another method 404 with Allow' '
	api_expect 404 GET /api/v1/nothing "$V" && grep -q "not found" out &&
	api_expect 404 GET /api/v2/account "$V" &&
	api_expect 404 PUT /api/v1/account "$V" "{}" &&
	grep -qi "^allow: GET, PATCH, DELETE" hdr
'

test_expect_success 'error messages are one line and never leak SQL' '
	api_expect 404 GET "/api/v1/profiles/9223372036854775807" "$V" &&
	! grep -qi "select\|sqlstate" out
'

api_stop
test_done
