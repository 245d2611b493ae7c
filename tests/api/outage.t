#!/usr/bin/env bash
# outage.t - PostgreSQL goes away under load and comes back: sf serve
# answers 503 with a clear body meanwhile, and 2xx again afterwards by
# itself, with no restart.  Uses a cluster of its own, since it stops it.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/harness/pg.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"

PG=$TEST_DIR/pg
pg_start "$PG" || exit 1
pg_restart() {
	pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w -t 60 \
		-o "-k '$PG' -c listen_addresses='' -c fsync=off" start >/dev/null
}
trap 'pg_stop "$PG"; if [ -n "$API_PID" ]; then kill -KILL "$API_PID" 2>/dev/null; fi' EXIT
psql -qX -h "$PG" -U sf -d postgres -c 'CREATE DATABASE sf' >/dev/null
export SF_DATABASE_URL="host=$PG user=sf dbname=sf"
sf db migrate >/dev/null
api_start --threads 2
PID=$API_PID
TOKEN=$(api_user a@example.com viewer)

# A steady load of reads and writes, every status written down.
touch load.on
(
	while [ -e load.on ]; do
		curl -s -o /dev/null -w '%{http_code}\n' --unix-socket "$API_SOCK" \
			-H "Authorization: Bearer $TOKEN" http://sf/api/v1/account
		curl -s -o /dev/null -w '%{http_code}\n' --unix-socket "$API_SOCK" -X PATCH \
			-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
			-d '{"username":"a"}' http://sf/api/v1/account
	done >load.status
) &
LOAD=$!

# until_status STATUS METHOD PATH: retries (up to a generous 30 s) until
# the request answers STATUS.
until_status() {
	local want=$1
	shift
	for _ in $(seq 1 300); do
		[ "$(api "$@")" = "$want" ] && return 0
		sleep 0.1
	done
	echo "never got $want from $*; last: $(cat out)" >&2
	return 1
}

test_expect_success 'before the outage the API answers' '
	api_expect 200 GET /api/v1/account "$TOKEN" &&
	api_expect 200 GET /readyz
'

pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG/data" -m fast -w stop >/dev/null

test_expect_success 'while PostgreSQL is down: 503 with a clear body and Retry-After' '
	until_status 503 GET /api/v1/account "$TOKEN" &&
	api_expect 503 GET /api/v1/account "$TOKEN" &&
	grep -q "the database is unavailable" out &&
	grep -qi "^retry-after: [1-9]" hdr &&
	api_expect 503 PATCH /api/v1/account "$TOKEN" "{\"username\":\"b\"}" &&
	api_expect 503 POST /api/v1/auth/login "" "{\"email\":\"a@example.com\",\"password\":\"Secret123\"}"
'

test_expect_success 'while PostgreSQL is down: /readyz is 503, /healthz still 200' '
	api_expect 503 GET /readyz &&
	api_expect 200 GET /healthz
'

pg_restart

test_expect_success 'when PostgreSQL is back, the same server answers 2xx again' '
	until_status 200 GET /api/v1/account "$TOKEN" &&
	until_status 200 GET /readyz &&
	api_expect 200 PATCH /api/v1/account "$TOKEN" "{\"username\":\"b\"}" &&
	api_expect 200 POST /api/v1/auth/login "" "{\"email\":\"a@example.com\",\"password\":\"Secret123\"}" &&
	kill -0 "$PID" && test "$API_PID" = "$PID"
'

rm -f load.on
wait $LOAD

test_expect_success 'under load every answer was 200 or 503, never a crash or a 500' '
	sort load.status | uniq -c >counts && cat counts &&
	grep -q " 200$" counts && grep -q " 503$" counts &&
	! grep -qv " 200$\| 503$" counts
'

test_expect_success 'the metrics saw connections lost and made again' '
	api_expect 200 GET /metrics &&
	grep -q "^sf_db_connections_lost_total [1-9]" out &&
	grep -q "^sf_http_errors_total{code=\"unavailable\"} [1-9]" out
'

api_stop
pg_stop "$PG"
test_expect_success 'and it still stops cleanly' '
	test "$API_STATUS" = 0
'

test_done
