#!/usr/bin/env bash
# throttle.t - growing delays against guessing: failed logins per account
# and per client address, and registrations per address; while blocked,
# 429 with Retry-After, even for the right password.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
q="'"   # a single quote, for the bodies below

login() {
	api POST /api/v1/auth/login "" "{\"email\":\"$1\",\"password\":\"$2\"}"
}

echo Secret123 | sf user add --email reg@example.com --username reg --password-stdin >/dev/null
login reg@example.com Secret123 >/dev/null

test_expect_success 'registrations are throttled per client address' '
	test_sql "INSERT INTO login_throttle (key, failures) VALUES (${q}register:unix${q}, 29)" &&
	api_expect 201 POST /api/v1/auth/register "" \
		"{\"email\":\"one@example.com\",\"username\":\"one\",\"password\":\"Secret123\"}" &&
	api_expect 429 POST /api/v1/auth/register "" \
		"{\"email\":\"many@example.com\",\"username\":\"many\",\"password\":\"Secret123\"}" &&
	grep -qi "^retry-after: [1-9]" hdr &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE email = ${q}many@example.com${q}")" = 0 &&
	test_sql "DELETE FROM login_throttle; DELETE FROM accounts WHERE username IN (${q}one${q})"
'

test_expect_success 'five failed logins are free; the sixth blocks the account for 1 s' '
	echo Secret123 | sf user add --email t@example.com --username t --password-stdin >/dev/null &&
	for i in 1 2 3 4 5; do
		test "$(login t@example.com Wrong12345)" = 401 || exit 1
	done &&
	test "$(test_sql "SELECT failures, blocked_until IS NULL FROM login_throttle WHERE key = ${q}account:t@example.com${q}")" = "5|t" &&
	test "$(login t@example.com Wrong12345)" = 401 &&
	test "$(test_sql "SELECT failures, extract(epoch FROM blocked_until - last_failure_at)::int FROM login_throttle WHERE key = ${q}account:t@example.com${q}")" = "6|1"
'

# The blocks below are stretched in the database, so that a busy machine
# cannot outlast a one-second block between two requests.
stretch() {
	test_sql "UPDATE login_throttle SET blocked_until = now() + interval ${q}1 minute${q} WHERE key = ${q}$1${q}"
}

test_expect_success 'while an account is blocked, login is 429 with Retry-After, even with the right password' '
	stretch account:t@example.com &&
	api_expect 429 POST /api/v1/auth/login "" "{\"email\":\"T@example.com\",\"password\":\"Secret123\"}" &&
	grep -qi "^retry-after: [1-9]" hdr &&
	test "$(test_sql "SELECT failures FROM login_throttle WHERE key = ${q}account:t@example.com${q}")" = 6 &&
	test "$(login reg@example.com Secret123)" = 200
'

test_expect_success 'the block grows with each failure and a success clears the count' '
	test_sql "UPDATE login_throttle SET blocked_until = now() - interval ${q}1 second${q} WHERE key = ${q}account:t@example.com${q}" &&
	test "$(login t@example.com Wrong12345)" = 401 &&
	test "$(test_sql "SELECT extract(epoch FROM blocked_until - last_failure_at)::int FROM login_throttle WHERE key = ${q}account:t@example.com${q}")" = 2 &&
	test_sql "UPDATE login_throttle SET blocked_until = NULL WHERE key = ${q}account:t@example.com${q}" &&
	test "$(login t@example.com Secret123)" = 200 &&
	test "$(test_sql "SELECT count(*) FROM login_throttle WHERE key = ${q}account:t@example.com${q}")" = 0
'

test_expect_success 'failed logins are throttled per client address too' '
	test_sql "DELETE FROM login_throttle" &&
	for i in $(seq 1 20); do
		test "$(login "nobody$i@example.com" Wrong12345)" = 401 || exit 1
	done &&
	test "$(test_sql "SELECT blocked_until IS NULL FROM login_throttle WHERE key = ${q}address:unix${q}")" = t &&
	test "$(login nobody21@example.com Wrong12345)" = 401 &&
	test "$(test_sql "SELECT blocked_until IS NOT NULL FROM login_throttle WHERE key = ${q}address:unix${q}")" = t &&
	stretch address:unix &&
	api_expect 429 POST /api/v1/auth/login "" "{\"email\":\"reg@example.com\",\"password\":\"Secret123\"}" &&
	grep -qi "^retry-after:" hdr
'

api_stop
test_done
