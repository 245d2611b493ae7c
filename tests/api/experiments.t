#!/usr/bin/env bash
# experiments.t - GET /api/v1/experiments/assignments: the running
# experiments that take the caller's profile, with variant and
# parameters; answering records the exposure once; targeting by country
# follows ?region=; another account's profile 404; bad parameters 400.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start
api_user v@example.com viewer >v.tok
api_user w@example.com viewer >w.tok
V=$(cat v.tok)
VP=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'v@example.com'")
WP=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'w@example.com'")
sf experiment layer add home >/dev/null
sf experiment layer add player >/dev/null
sf experiment create ranker --layer home --variants cf:1,control:0 \
	--params '{"cf": {"home.ranker": "cf"}}' >/dev/null
sf experiment create abr --layer player --variants bba:1,control:0 \
	--params '{"bba": {"abr.algorithm": "bba"}}' --targeting '{"countries": ["FR"]}' >/dev/null

test_expect_success 'no running experiment: no assignments, no exposure' '
	api_expect 200 GET /api/v1/experiments/assignments "$V" &&
	test "$(j "d[\"assignments\"]")" = "[]" &&
	test "$(test_sql "SELECT count(*) FROM exp_exposures")" = 0
'

test_expect_success 'running experiments that take the profile, with variant and params' '
	sf experiment start ranker >/dev/null && sf experiment start abr >/dev/null &&
	api_expect 200 GET /api/v1/experiments/assignments "$V" &&
	test "$(j "[(a[\"experiment\"], a[\"variant\"], a[\"phase\"], a[\"params\"]) for a in d[\"assignments\"]]")" = \
		"[('"'"'ranker'"'"', '"'"'cf'"'"', 1, {'"'"'home.ranker'"'"': '"'"'cf'"'"'})]" &&
	api_expect 200 GET "/api/v1/experiments/assignments?region=FR" "$V" &&
	test "$(j "[a[\"experiment\"] for a in d[\"assignments\"]]")" = "['"'"'ranker'"'"', '"'"'abr'"'"']"
'

test_expect_success 'the exposure is recorded once a unit and phase' '
	api_expect 200 GET /api/v1/experiments/assignments "$V" &&
	test "$(test_sql "SELECT count(*) FROM exp_exposures WHERE unit = $VP")" = 2 &&
	sf experiment edit ranker --variants cf:2,control:0 >/dev/null &&
	api_expect 200 GET /api/v1/experiments/assignments "$V" &&
	test "$(j "[a[\"phase\"] for a in d[\"assignments\"]]")" = "[2]" &&
	test "$(test_sql "SELECT count(*) FROM exp_exposures WHERE unit = $VP")" = 3
'

test_expect_success 'another account'"'"'s profile is 404; bad parameters 400; no token 401' '
	api_expect 404 GET "/api/v1/experiments/assignments?profile=$WP" "$V" &&
	api_expect 400 GET "/api/v1/experiments/assignments?region=France" "$V" &&
	api_expect 400 GET "/api/v1/experiments/assignments?color=red" "$V" &&
	api_expect 401 GET /api/v1/experiments/assignments ""
'

api_stop
test_done
