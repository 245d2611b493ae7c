#!/usr/bin/env bash
# login.t - "sf login" / "sf logout" against a real sf serve, through the
# client library (lib/client*.c): the credentials file (XDG_CONFIG_HOME,
# mode 0600), the token refresh, and ending the session on the server.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user v@example.com viewer >/dev/null
export XDG_CONFIG_HOME=$TEST_DIR/config HOME=$TEST_DIR/nohome
CRED=$XDG_CONFIG_HOME/sf/credentials
SERVER=unix:$API_SOCK

test_expect_success 'without a session, --status says so (exit 3)' '
	test_expect_code 3 sf login --status 2>err && grep -q "not logged in" err &&
	test_expect_code 3 sf logout 2>err && grep -q "not logged in" err
'

test_expect_success 'a wrong password is 77 and saves nothing' '
	echo Wrong123 | test_expect_code 77 sf login --server "$SERVER" --email v@example.com \
		--password-stdin 2>err &&
	grep -q "invalid email or password" err &&
	test ! -e "$CRED"
'

test_expect_success 'a bad server URL is 2 naming it; an unreachable one 69' '
	echo Secret123 | test_expect_code 2 sf login --server ftp://x --email v@example.com --password-stdin 2>err &&
	grep -q "ftp://x" err &&
	echo Secret123 | test_expect_code 69 sf login --server "unix:$TEST_DIR/nothing" \
		--email v@example.com --password-stdin 2>err &&
	test ! -e "$CRED"
'

test_expect_success 'sf login saves the session in $XDG_CONFIG_HOME/sf, mode 0600' '
	echo Secret123 | sf login --server "$SERVER" --email v@example.com --password-stdin >out &&
	test "$(cat out)" = "logged in to $SERVER as v@example.com (viewer)" &&
	test "$(stat -c %a "$CRED")" = 600 &&
	test "$(stat -c %a "$XDG_CONFIG_HOME/sf")" = 700 &&
	test "$(test_json "$CRED" "d[\"server\"], d[\"email\"]")" = "('"'"'$SERVER'"'"', '"'"'v@example.com'"'"')" &&
	test ! -e "$HOME/.config/sf/credentials"
'

test_expect_success 'the saved access token works against the server' '
	api_expect 200 GET /api/v1/account "$(test_json "$CRED" "d[\"access_token\"]")"
'

test_expect_success '--status with a dead access token refreshes it and saves the new pair' '
	old=$(test_json "$CRED" "d[\"refresh_token\"]") &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1])); d[\"access_token\"] = \"not-a-token\"
json.dump(d, open(sys.argv[1], \"w\"))" "$CRED" &&
	sf login --status --json >out &&
	test "$(j "d[\"account\"][\"email\"]")" = v@example.com &&
	new=$(test_json "$CRED" "d[\"refresh_token\"]") &&
	test "$new" != "$old" &&
	test "$(stat -c %a "$CRED")" = 600 &&
	api_expect 200 GET /api/v1/account "$(test_json "$CRED" "d[\"access_token\"]")"
'

test_expect_success 'a credentials file others may read is refused' '
	chmod 644 "$CRED" &&
	test_expect_code 77 sf login --status 2>err && grep -q "readable by others" err &&
	chmod 600 "$CRED"
'

test_expect_success 'sf logout revokes the session on the server and removes the file' '
	access=$(test_json "$CRED" "d[\"access_token\"]") &&
	sf logout >out && test "$(cat out)" = "logged out of $SERVER" &&
	test ! -e "$CRED" &&
	api_expect 401 GET /api/v1/account "$access" &&
	test "$(test_sql "SELECT count(*) FROM auth_sessions WHERE revoked_at IS NOT NULL")" = 1
'

test_expect_success 'without XDG_CONFIG_HOME the file is ~/.config/sf/credentials' '
	( unset XDG_CONFIG_HOME &&
	  echo Secret123 | sf login --server "$SERVER" --email v@example.com --password-stdin >/dev/null &&
	  test "$(stat -c %a "$HOME/.config/sf/credentials")" = 600 &&
	  test "$(stat -c %a "$HOME/.config/sf")" = 700 &&
	  sf logout >/dev/null && test ! -e "$HOME/.config/sf/credentials" ) &&
	test ! -e "$CRED"
'

test_expect_success 'logging out when the server is gone removes the file and says so (69)' '
	echo Secret123 | sf login --server "$SERVER" --email v@example.com --password-stdin >/dev/null &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1])); d[\"server\"] = sys.argv[2]
json.dump(d, open(sys.argv[1], \"w\"))" "$CRED" "unix:$TEST_DIR/nothing" &&
	test_expect_code 69 sf logout 2>err && grep -q "may still be open" err &&
	test ! -e "$CRED"
'

api_stop
test_done
