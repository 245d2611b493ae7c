#!/usr/bin/env bash
# accounts.sh - what one sf command costs end to end (process start,
# connect, schema check, query, print), against a server with 10,000
# accounts, beside psql doing the same query as the floor; and the
# embedded cluster's first start.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../harness/pg.sh"

pg_start "$SF_TEST_TMP/pg" >/dev/null
export PGHOST=$SF_TEST_TMP/pg PGUSER=sf
psql -qX -d postgres -c 'CREATE DATABASE bench' >/dev/null
export SF_DATABASE_URL="host=$PGHOST user=sf dbname=bench"
"$SF_BIN" db migrate >/dev/null
psql -qX -d bench -c "INSERT INTO accounts (email, username, password_hash)
	SELECT 'user' || i || '@example.com', 'user' || i, 'x' FROM generate_series(1, 10000) i" >/dev/null

echo "## sf commands, 10,000 accounts (external server on a unix socket)"
echo
bench_header "command"
bench_cmd "sf version (process start only)" 200 "$SF_BIN" version
bench_cmd "psql: one account by email (floor)" 100 psql -qAtX -d bench \
	-c "SELECT id FROM accounts WHERE lower(email) = lower('user5000@example.com')"
bench_cmd "sf user show user5000@example.com --json" 100 "$SF_BIN" user show user5000@example.com --json
bench_cmd "sf user list --role admin (no rows)" 100 "$SF_BIN" user list --role admin
bench_cmd "sf user list --json (10,000 rows)" 20 "$SF_BIN" user list --json
bench_cmd "sf user list (10,000 rows, table)" 20 "$SF_BIN" user list
i=0
add() { i=$((i + 1)); echo Secret123 | "$SF_BIN" user add --email "new$i@example.com" --username "new$i" --password-stdin; }
bench_cmd "sf user add (argon2id, m=64 MiB, t=2)" 20 add
echo

echo "## the embedded cluster"
echo
unset SF_DATABASE_URL
export SF_HOME=$SF_TEST_TMP/home
bench_header "step"
bench_cmd "sf db start (initdb + start + migrate)" 1 "$SF_BIN" db start
bench_cmd "sf user list on the running embedded cluster" 100 "$SF_BIN" user list
bench_cmd "sf db stop" 1 "$SF_BIN" db stop
bench_cmd "sf user list, starting the stopped cluster" 1 "$SF_BIN" user list
"$SF_BIN" db stop >/dev/null
