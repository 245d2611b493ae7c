#!/usr/bin/env bash
# import.t - catalog import over HTTP (content_manager, admin): the rules
# of "sf title import" on a body of titles, all or nothing by default.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user cm@example.com content_manager >cm.tok
api_user v@example.com viewer >v.tok
CM=$(cat cm.tok) V=$(cat v.tok)
T1='{"external_id":"x1","kind":"movie","title":"Heat","year":1995,"status":"published"}'
T2='{"external_id":"x2","kind":"movie","title":"Ronin","year":1998,"status":"published"}'
BAD='{"external_id":"x3","kind":"film","title":"Bad"}'

test_expect_success 'a viewer may not import (403) and nothing is written' '
	test_snapshot >before &&
	api_expect 403 POST /api/v1/admin/import "$V" "{\"titles\":[$T1]}" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'import adds titles and says how many' '
	api_expect 200 POST /api/v1/admin/import "$CM" "{\"titles\":[$T1,$T2]}" &&
	test "$(j "d[\"records\"], d[\"added\"], d[\"updated\"], d[\"unchanged\"], d[\"failed\"]")" = "(2, 2, 0, 0, 0)" &&
	test "$(test_sql "SELECT string_agg(title, '"'"','"'"' ORDER BY title) FROM titles")" = Heat,Ronin &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = '"'"'title.import'"'"'")" = 2
'

test_expect_success 'the same import again changes nothing; a changed record updates' '
	api_expect 200 POST /api/v1/admin/import "$CM" "{\"titles\":[$T1,$T2]}" &&
	test "$(j "d[\"added\"], d[\"unchanged\"]")" = "(0, 2)" &&
	api_expect 200 POST /api/v1/admin/import "$CM" "{\"titles\":[{\"external_id\":\"x1\",\"year\":1996}]}" &&
	test "$(j "d[\"updated\"]")" = 1 &&
	test "$(test_sql "SELECT year FROM titles WHERE external_id = '"'"'x1'"'"'")" = 1996
'

test_expect_success 'a bad record stops it: 400 naming the record, nothing written' '
	test_snapshot >before &&
	api_expect 400 POST /api/v1/admin/import "$CM" "{\"titles\":[$T1,{\"external_id\":\"x4\",\"kind\":\"movie\",\"title\":\"New\"},$BAD]}" &&
	grep -q "body:3" out && grep -q film out &&
	api_expect 400 POST /api/v1/admin/import "$CM" "{\"titles\":{}}" && grep -q titles out &&
	api_expect 400 POST /api/v1/admin/import "$CM" "{\"titles\":[],\"format\":\"csv\"}" && grep -q format out &&
	api_expect 400 POST /api/v1/admin/import "$CM" &&
	test_snapshot >after && test_cmp before after
'

test_expect_success 'continue_on_error imports the good records and lists the bad; dry_run writes nothing' '
	test_snapshot >before &&
	api_expect 200 POST /api/v1/admin/import "$CM" "{\"titles\":[{\"external_id\":\"x5\",\"kind\":\"movie\",\"title\":\"Five\"},$BAD],\"continue_on_error\":true,\"dry_run\":true}" &&
	test "$(j "d[\"added\"], d[\"failed\"], d[\"errors\"][0][\"line\"], d[\"dry_run\"]")" = "(1, 1, 2, True)" &&
	test_snapshot >after && test_cmp before after &&
	api_expect 200 POST /api/v1/admin/import "$CM" "{\"titles\":[{\"external_id\":\"x5\",\"kind\":\"movie\",\"title\":\"Five\"},$BAD],\"continue_on_error\":true}" &&
	test "$(test_sql "SELECT count(*) FROM titles WHERE external_id = '"'"'x5'"'"'")" = 1 &&
	api_expect 200 POST /api/v1/admin/import "$CM" "{\"titles\":[]}" && test "$(j "d[\"records\"]")" = 0
'

api_stop
test_done
