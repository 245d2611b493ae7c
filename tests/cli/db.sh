#!/usr/bin/env bash
# db.sh - "sf db": the embedded cluster (status, start, auto-start, stop,
# migrate, psql, reset, concurrent first use), an external server named by
# SF_DATABASE_URL (status, refusals, unreachable and unparsable targets,
# pending and concurrent migrations), and SF_MIGRATIONS_DIR.
#
# Every cluster started here lives under $TEST_DIR/home*; the last test
# and the EXIT trap stop them all, and tests/run stops any left over.
. "$SF_TEST_TOP/tests/harness/lib.sh"
q="'"   # a single quote, for the bodies below

unset SF_DATABASE_URL SF_MIGRATIONS_DIR
export SF_HOME=$TEST_DIR/home1
home2=$TEST_DIR/home2

stop_clusters() {
	local h
	for h in "$TEST_DIR"/home*; do
		if [ -f "$h/pg/postmaster.pid" ]; then
			env -u SF_DATABASE_URL SF_HOME="$h" "$SF_BIN" db stop || return 1
		fi
	done
}
trap 'stop_clusters >/dev/null 2>&1' EXIT

# fails STATUS TEXT command...: exit STATUS and one line "sf: ...TEXT..."
# on stderr (in err), with none of libpq's multi-line chatter.
fails() {
	local status=$1 text=$2
	shift 2
	test_expect_code "$status" "$@" >out 2>err &&
	test_one_line err &&
	if ! grep -q "^sf: " err || ! grep -qF -- "$text" err ||
	   grep -qi -e "is the server running" -e "FATAL" -e "connection to server" err; then
		echo "expected 'sf: ...$text...' from $*, got:" >&2
		cat err >&2
		return 1
	fi
}

# postmasters HOME: how many servers run on the cluster in HOME.
postmasters() {
	ps -C postgres -o args= | grep -c -- "-D $1/pg\( \|$\)" || true
}

# newdb NAME: an empty database on the test server; prints its URL.
newdb() {
	psql -qX -h "$SF_TEST_PGHOST" -U sf -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE DATABASE $1" >/dev/null &&
	echo "host=$SF_TEST_PGHOST user=sf dbname=$1"
}
fresh=t_db_fresh_$$

# ---- the embedded cluster ----

test_expect_success 'the test directory is reachable by the cluster'"'"'s user' '
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- test -x "$TEST_DIR"
	fi
'

test_expect_success 'db status before the first start: not running, exit 0, nothing made' '
	sf db status >out &&
	grep -q "^DATABASE: *embedded$" out &&
	grep -q "^DIRECTORY: *$SF_HOME/pg$" out &&
	grep -q "^RUNNING: *no$" out &&
	grep -q "^PID: *-$" out &&
	sf db status --json >out &&
	test "$(test_json out "d[\"mode\"], d[\"running\"], d[\"pid\"], d[\"directory\"]")" = \
		"(${q}embedded${q}, False, None, ${q}$SF_HOME/pg${q})" &&
	test ! -e "$SF_HOME/pg"
'

test_expect_success 'db start creates and starts the cluster' '
	sf db start >out &&
	grep -q "^database created and running in $SF_HOME/pg (pid [0-9]*)$" out &&
	test "$(postmasters "$SF_HOME")" = 1
'

test_expect_success 'db status then shows it running, migrated' '
	sf db status >out &&
	grep -q "^RUNNING: *yes$" out &&
	grep -q "^MIGRATIONS: *[0-9]*$" out &&
	grep -q "^PENDING: *0$" out &&
	sf db status --json >out &&
	pid=$(test_json out "d[\"pid\"]") &&
	test "$pid" = "$(head -1 "$SF_HOME/pg/postmaster.pid")" &&
	kill -0 "$pid" &&
	test "$(test_json out "d[\"running\"], d[\"pending\"], d[\"migrations\"] >= 3")" = "(True, 0, True)" &&
	test "$(test_json out "d[\"server_version\"].split(\".\")[0]")" -ge 15
'

test_expect_success 'the cluster listens on no TCP port and is private' '
	test "$(sf db psql -- -tAc "show listen_addresses")" = "" &&
	test "$(stat -c %a "$SF_HOME/pg")" = 700
'

test_expect_success 'db start again leaves the running cluster alone' '
	pid=$(head -1 "$SF_HOME/pg/postmaster.pid") &&
	sf db start >out &&
	grep -q "^database running in $SF_HOME/pg (pid $pid)$" out &&
	test "$(postmasters "$SF_HOME")" = 1
'

test_expect_success 'commands start a stopped cluster by themselves' '
	sf db stop >out &&
	grep -q "^database in $SF_HOME/pg stopped$" out &&
	sf db status >out &&
	grep -q "^RUNNING: *no$" out &&
	sf user list >out &&
	head -1 out | grep -q "^ID  *EMAIL" &&
	sf db status >out &&
	grep -q "^RUNNING: *yes$" out &&
	test "$(postmasters "$SF_HOME")" = 1
'

test_expect_success 'the embedded database works for changes' '
	echo Secret123 | sf user add --email a@example.com --username a --password-stdin >/dev/null &&
	sf user list --json >out &&
	test "$(test_json out "[a[\"email\"] for a in d]")" = "[${q}a@example.com${q}]"
'

test_expect_success 'db migrate --status lists the applied migrations' '
	sf db migrate --status >out &&
	head -1 out | grep -q "^VERSION  *NAME  *STATE  *APPLIED$" &&
	for f in "$SF_TEST_TOP"/sql/*.sql; do
		grep -q "^[0-9]*  *$(basename "$f")  *applied  *[0-9T:-]*Z$" out || exit 1
	done &&
	test $(($(wc -l <out) - 1)) = $(ls "$SF_TEST_TOP"/sql/*.sql | wc -l) &&
	sf db migrate --status --json >out &&
	test "$(test_json out "set(m[\"state\"] for m in d)")" = "{${q}applied${q}}" &&
	sf db migrate >out &&
	grep -q "is up to date$" out
'

test_expect_success 'db psql -- ARGS runs psql on the database' '
	sf db psql -- -c "select 1 as one" >out &&
	grep -q "^ *1$" out &&
	test "$(sf db psql -- -tAc "select count(*) from accounts")" = 1 &&
	test "$(sf db psql -- -tAc "select current_database()")" = sf
'

test_expect_success 'db reset without --yes and without a terminal changes nothing' '
	fails 2 "without --yes" sf db reset </dev/null &&
	test "$(sf db psql -- -tAc "select count(*) from accounts")" = 1
'

test_expect_success 'db reset --yes empties the database and migrates it again' '
	sf db reset --yes >out &&
	grep -q "^reset database ${q}sf${q} on .*: applied [0-9]* migrations$" out &&
	sf user list --json >out &&
	test "$(test_json out "d")" = "[]" &&
	sf db status --json >out &&
	test "$(test_json out "d[\"pending\"], d[\"migrations\"] >= 3")" = "(0, True)"
'

test_expect_success 'db stop stops it; status says so; a second stop is fine' '
	sf db stop >out &&
	grep -q "stopped$" out &&
	sf db status >out &&
	grep -q "^RUNNING: *no$" out &&
	test "$(postmasters "$SF_HOME")" = 0 &&
	sf db stop >out &&
	grep -q "was not running$" out
'

test_expect_success 'concurrent first use: four commands at once make one cluster' '
	for i in 1 2 3 4; do
		( SF_HOME=$home2 "$SF_BIN" user list >list$i.out 2>list$i.err; echo $? >list$i.rc ) &
	done &&
	wait &&
	for i in 1 2 3 4; do
		test "$(cat list$i.rc)" = 0 && test ! -s list$i.err && test_cmp list1.out list$i.out ||
		{ cat list$i.err; exit 1; }
	done &&
	test "$(postmasters "$home2")" = 1 &&
	test "$(grep -c "^Success. You can now start" "$home2/cluster.log")" = 1 &&
	test "$(grep -c "^server started" "$home2/cluster.log")" = 1 &&
	SF_HOME=$home2 sf db status --json >out &&
	test "$(test_json out "d[\"running\"], d[\"pending\"]")" = "(True, 0)" &&
	test "$(SF_HOME=$home2 sf db psql -- -tAc "select count(*) from schema_migrations group by version having count(*) > 1")" = ""
'

test_expect_success 'a home the cluster'"'"'s user cannot reach is refused (69)' '
	test "$(id -u)" = 0 || exit 0
	mkdir -m 700 private &&
	SF_HOME=$TEST_DIR/private/home fails 69 "is not reachable by user" sf user list &&
	grep -q "$TEST_DIR/private" err &&
	test ! -e private/home/pg
'

test_expect_success 'SF_HOME with a quote is refused (2)' '
	SF_HOME="$TEST_DIR/it${q}s" fails 2 "must not contain quotes" sf db start
'

# ---- an external server ----

test_db

test_expect_success 'db status reports the external server' '
	sf db status >out &&
	grep -q "^DATABASE: *external$" out &&
	grep -q "^TARGET: .*dbname=.$TEST_DBNAME" out &&
	grep -q "^RUNNING: *yes$" out &&
	grep -q "^PENDING: *0$" out &&
	sf db status --json >out &&
	test "$(test_json out "d[\"mode\"], d[\"directory\"], d[\"pid\"], d[\"pending\"], d[\"migrations\"] >= 3")" = \
		"(${q}external${q}, None, None, 0, True)" &&
	grep -q "\"target\": \".*dbname=.$TEST_DBNAME" out
'
test_expect_success 'db status never shows a password' '
	SF_DATABASE_URL="$SF_DATABASE_URL password=hunter2" sf db status >out &&
	grep -q "^TARGET: .*password=.\*\*\*\*\*\*\*\*" out &&
	! grep -q hunter2 out
'

test_expect_success 'db start and stop refuse to touch an external server (2)' '
	fails 2 "db start: sf only starts and stops its embedded cluster" sf db start &&
	grep -q "SF_DATABASE_URL" err &&
	fails 2 "db stop: sf only starts and stops its embedded cluster" sf db stop &&
	url=$SF_DATABASE_URL &&
	unset SF_DATABASE_URL &&
	fails 2 "set by --db" sf db start --db "$url" &&
	fails 2 "set by --db" sf db stop --db "$url" &&
	test ! -e "$TEST_DIR/home1/pg/postmaster.pid"
'

test_expect_success '--db overrides SF_DATABASE_URL' '
	test_expect_code 69 sf db status --db "host=/nonexistent dbname=x" --json >out 2>err &&
	test "$(test_json out "\"/nonexistent\" in d[\"target\"], d[\"running\"]")" = "(True, False)" &&
	fails 69 "/nonexistent" sf user list --db "host=/nonexistent dbname=x"
'

test_expect_success 'an unreachable server is one line naming it, exit 69' '
	export SF_DATABASE_URL="host=/nonexistent user=sf dbname=nowhere" &&
	fails 69 "cannot connect to database ${q}nowhere${q} on ${q}/nonexistent:5432${q}" sf user list &&
	fails 69 "/nonexistent" sf user list --json &&
	fails 69 "/nonexistent" sf audit list &&
	fails 69 "/nonexistent" sf profile list a &&
	fails 69 "/nonexistent" sf db migrate &&
	fails 69 "/nonexistent" sf db migrate --status &&
	fails 69 "/nonexistent" sf db psql -- -c "select 1" &&
	echo Secret123 >pw &&
	fails 69 "/nonexistent" sf user add --email b@example.com --username b --password-stdin <pw &&
	test_expect_code 69 sf db status >out 2>err &&
	test_one_line err &&
	grep -q "^RUNNING: *no$" out
'

test_expect_success 'a database that does not exist is one line, exit 69' '
	export SF_DATABASE_URL="host=$SF_TEST_PGHOST user=sf dbname=no_such_db" &&
	fails 69 "database \"no_such_db\" does not exist" sf user list
'

test_expect_success 'an unparsable connection string is a usage error (2)' '
	for url in bogus "host=${q}unterminated" "postgresql://[::1" "postgresql://h/db?nosuch=1"; do
		SF_DATABASE_URL=$url fails 2 "connection string: " sf user list &&
		SF_DATABASE_URL=$url fails 2 "connection string: " sf db migrate &&
		SF_DATABASE_URL=$url fails 2 "connection string: " sf db status || exit 1
	done &&
	fails 2 "connection string: missing \"=\" after \"bogus\"" sf user list --db bogus
'

test_expect_success 'a fresh database has pending migrations: 69 until sf db migrate' '
	export SF_DATABASE_URL=$(newdb ${fresh}1) &&
	fails 69 "has $(ls "$SF_TEST_TOP"/sql/*.sql | wc -l) pending migrations; run ${q}sf db migrate${q}" sf user list &&
	sf db status --json >out &&
	test "$(test_json out "d[\"migrations\"], d[\"pending\"] >= 3")" = "(0, True)" &&
	sf db migrate --status >out &&
	! grep -v -e "^VERSION" -e " pending  *-$" out &&
	sf db migrate >out &&
	grep -q "^applied [0-9]* migrations to database ${q}${fresh}1${q} on " out &&
	sf user list >out &&
	sf db migrate >out &&
	grep -q "is up to date$" out &&
	sf db status --json >out &&
	test "$(test_json out "d[\"pending\"]")" = 0
'

test_expect_success 'two concurrent sf db migrate both succeed, each migration once' '
	export SF_DATABASE_URL=$(newdb ${fresh}2) &&
	{ sf db migrate >m1.out 2>m1.err & p1=$!; } &&
	{ sf db migrate >m2.out 2>m2.err & p2=$!; } &&
	wait $p1 && wait $p2 &&
	test ! -s m1.err && test ! -s m2.err &&
	test "$(cat m1.out m2.out | grep -c "^applied [0-9]* migrations")" = 1 &&
	test "$(cat m1.out m2.out | grep -c "is up to date$")" = 1 &&
	test "$(psql -qAtX "$SF_DATABASE_URL" -c "SELECT count(*), count(DISTINCT version) FROM schema_migrations")" = \
		"$(n=$(ls "$SF_TEST_TOP"/sql/*.sql | wc -l); echo "$n|$n")"
'

test_expect_success 'SF_MIGRATIONS_DIR: migrations from a directory' '
	export SF_DATABASE_URL=$(newdb ${fresh}3) &&
	cp -r "$SF_TEST_TOP/sql" mig &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig sf db migrate >out &&
	grep -q "^applied $(ls mig | wc -l) migrations" out &&
	printf "CREATE TABLE extra (x int);\n" >mig/0099_extra.sql &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig fails 69 "has 1 pending migration; run" sf user list &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig sf db migrate >out &&
	grep -q "^applied 1 migration to" out &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig sf user list >/dev/null
'

test_expect_success 'SF_MIGRATIONS_DIR: an applied file that changed is a conflict (4)' '
	echo "-- an afterthought" >>mig/0002_profiles.sql &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig fails 4 "migration ${q}0002_profiles.sql${q} was changed after it was applied" sf db migrate &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig fails 4 "0002_profiles.sql" sf user list &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig sf db migrate --status >out &&
	grep -q "^2  *0002_profiles.sql  *changed " out
'

test_expect_success 'SF_MIGRATIONS_DIR: a failing migration is rolled back and named' '
	export SF_DATABASE_URL=$(newdb ${fresh}4) &&
	rm -rf mig && cp -r "$SF_TEST_TOP/sql" mig &&
	printf "CREATE TABLE half (x int);\nSELEC 1;\n" >mig/0099_broken.sql &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig test_must_fail sf db migrate >out 2>err &&
	test_one_line err &&
	grep -q "^sf: migration ${q}0099_broken.sql${q}: " err &&
	test "$(psql -qAtX "$SF_DATABASE_URL" -c "SELECT count(*) FROM schema_migrations WHERE version = 99")" = 0 &&
	test "$(psql -qAtX "$SF_DATABASE_URL" -c "SELECT to_regclass(${q}half${q}) IS NULL")" = t
'

test_expect_success 'SF_MIGRATIONS_DIR: bad names and a missing directory are usage errors (2)' '
	SF_MIGRATIONS_DIR=$TEST_DIR/nonexistent fails 2 "SF_MIGRATIONS_DIR ${q}$TEST_DIR/nonexistent${q}" sf db migrate &&
	rm mig/0099_broken.sql &&
	echo "SELECT 1;" >mig/0100-dash.sql &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig fails 2 "migration ${q}0100-dash.sql${q}: name is not NNNN_name.sql" sf db migrate &&
	rm mig/0100-dash.sql &&
	cp mig/0001_accounts.sql mig/0001_again.sql &&
	SF_MIGRATIONS_DIR=$TEST_DIR/mig fails 2 "have the same number" sf db migrate
'

test_expect_success 'cleanup: stop every cluster and drop the extra databases' '
	stop_clusters >/dev/null &&
	test "$(postmasters "$TEST_DIR/home1")" = 0 &&
	test "$(postmasters "$home2")" = 0 &&
	for i in 1 2 3 4; do
		psql -qX -h "$SF_TEST_PGHOST" -U sf -d postgres \
			-c "DROP DATABASE IF EXISTS ${fresh}$i WITH (FORCE)" >/dev/null || exit 1
	done
'

test_done
