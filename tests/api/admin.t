#!/usr/bin/env bash
# admin.t - account administration and the audit log over the API: what a
# user_manager and an admin may do to accounts, the finer rules the
# account module keeps (admins are the admin's), and the audit entries.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
q="'"
api_user um@example.com user_manager >um.tok
api_user root@example.com admin >admin.tok
UM=$(cat um.tok) ADMIN=$(cat admin.tok)

test_expect_success 'a user manager creates an account with a role' '
	api_expect 201 POST /api/v1/admin/accounts "$UM" \
		"{\"email\":\"m@example.com\",\"username\":\"m\",\"password\":\"Secret123\",\"role\":\"moderator\"}" &&
	test "$(j "d[\"role\"]")" = moderator &&
	api_expect 409 POST /api/v1/admin/accounts "$UM" \
		"{\"email\":\"m@example.com\",\"username\":\"m2\",\"password\":\"Secret123\"}" &&
	api_expect 400 POST /api/v1/admin/accounts "$UM" \
		"{\"email\":\"n@example.com\",\"username\":\"n\",\"password\":\"Secret123\",\"role\":\"king\"}"
'

test_expect_success 'a user manager may not make an admin; an admin may' '
	api_expect 403 POST /api/v1/admin/accounts "$UM" \
		"{\"email\":\"x@example.com\",\"username\":\"x\",\"password\":\"Secret123\",\"role\":\"admin\"}" &&
	api_expect 403 PATCH /api/v1/admin/accounts/m "$UM" "{\"role\":\"admin\"}" &&
	api_expect 403 PATCH /api/v1/admin/accounts/root "$UM" "{\"status\":\"suspended\"}" &&
	api_expect 200 PATCH /api/v1/admin/accounts/m "$ADMIN" "{\"role\":\"admin\"}" &&
	api_expect 200 PATCH /api/v1/admin/accounts/m "$ADMIN" "{\"role\":\"viewer\"}"
'

test_expect_success 'list and show accounts, by id, email or username' '
	api_expect 200 GET "/api/v1/admin/accounts?role=viewer" "$UM" &&
	test "$(j "[a[\"email\"] for a in d[\"items\"]]")" = "[${q}m@example.com${q}]" &&
	api_expect 200 GET /api/v1/admin/accounts/m@example.com "$UM" &&
	id=$(j "d[\"id\"]") &&
	api_expect 200 GET /api/v1/admin/accounts/$id "$UM" &&
	api_expect 404 GET /api/v1/admin/accounts/nobody "$UM" &&
	api_expect 400 GET "/api/v1/admin/accounts?role=king" "$UM"
'

test_expect_success 'PATCH changes one group at a time, never half' '
	test_snapshot >before &&
	api_expect 400 PATCH /api/v1/admin/accounts/m "$UM" "{\"username\":\"mm\",\"role\":\"moderator\"}" &&
	api_expect 400 PATCH /api/v1/admin/accounts/m "$UM" "{}" &&
	api_expect 400 PATCH /api/v1/admin/accounts/m "$UM" "{\"status\":\"asleep\"}" &&
	api_expect 400 PATCH /api/v1/admin/accounts/m "$UM" "{\"password_hash\":\"x\"}" &&
	test_snapshot >after && test_cmp before after &&
	api_expect 200 PATCH /api/v1/admin/accounts/m "$UM" "{\"username\":\"mm\"}" &&
	test "$(j "d[\"username\"]")" = mm
'

test_expect_success 'suspending logs the account out at once; reactivating lets it back' '
	mt=$(api_login m@example.com Secret123) &&
	api_expect 200 PATCH /api/v1/admin/accounts/mm "$UM" "{\"status\":\"suspended\"}" &&
	api_expect 401 GET /api/v1/account "$mt" &&
	api_expect 409 PATCH /api/v1/admin/accounts/mm "$UM" "{\"status\":\"suspended\"}" &&
	api_expect 200 PATCH /api/v1/admin/accounts/mm "$UM" "{\"status\":\"active\"}" &&
	api_login m@example.com Secret123 >/dev/null
'

test_expect_success 'DELETE deletes (softly); again is 409' '
	api_expect 200 DELETE /api/v1/admin/accounts/mm "$UM" &&
	test "$(j "d[\"deleted_at\"] is not None")" = True &&
	api_expect 409 DELETE /api/v1/admin/accounts/mm "$UM"
'

test_expect_success 'the last admin cannot delete itself' '
	api_expect 409 DELETE /api/v1/account "$ADMIN" "{\"password\":\"Secret123\"}" &&
	grep -q "last active admin" out
'

test_expect_success 'the audit log names the API caller and filters' '
	api_expect 200 GET "/api/v1/admin/audit?actor=um@example.com&limit=3" "$UM" &&
	test "$(j "len(d[\"items\"])")" = 3 &&
	test "$(j "d[\"items\"][0][\"action\"]")" = user.delete &&
	api_expect 200 GET "/api/v1/admin/audit?entity=account" "$ADMIN" &&
	api_expect 400 GET "/api/v1/admin/audit?since=yesterday" "$UM" && grep -q since out &&
	api_expect 400 GET "/api/v1/admin/audit?limit=1000" "$UM"
'

api_stop
test_done
