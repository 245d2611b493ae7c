# lib.sh - shell test helpers, in the style of git's t/test-lib.sh.
#
#   . "$SF_TEST_TOP/tests/harness/lib.sh"
#   test_db                         # this file's own database
#   test_expect_success 'adding a user prints it' '
#       echo Secret123 | sf user add --email a@example.com --username a --password-stdin >out &&
#       grep a@example.com out
#   '
#   test_done
#
# Each body runs in a subshell with "set -e", in the file's scratch
# directory; its output is shown only when it fails.  Output is TAP.

set -u
test_count=0
test_failed=0
test_name=$(basename "$0" .sh)
TEST_DIR=$(mktemp -d "${SF_TEST_TMP:-/tmp}/$test_name.XXXXXX")
chmod 755 "$TEST_DIR"
cd "$TEST_DIR"

# The sf under test.
sf() {
	"$SF_BIN" "$@"
}

# ---- the command table, as sf's help shows it ----

# help_verbs CMD [GROUP]: the verbs of a command (or of one of its verb
# groups, "title season"), one a line; none for a command without verbs.
help_verbs() {
	sf "$@" --help | sed -n '/^verbs:$/,/^$/p' | awk 'NF && $0 != "verbs:" { print $1 }'
}

# help_leaves CMD: the verbs that run, one a line: "add", and for a group
# its verbs after its name ("season add").
help_leaves() {
	local v
	for v in $(help_verbs "$1"); do
		if sf "$1" "$v" --help | grep -qx "verbs:"; then
			help_verbs "$1" "$v" | sed "s/^/$v /"
		else
			echo "$v"
		fi
	done
}

# help_options CMD [VERB...]: the long options a verb takes, its own and
# the common ones, as its --help lists them.
help_options() {
	sf "$@" --help | sed -n 's/^    \(--[a-z][a-z-]*\).*/\1/p'
}

# Creates this file's database from the migrated template and points sf
# at it; it is dropped by test_done.
# test_clip FILE WxH SECONDS: a synthetic clip (moving test pattern, a
# tone) for the media tests.
test_clip() {
	ffmpeg -v error -f lavfi -i "testsrc2=size=$2:rate=25:duration=$3" \
		-f lavfi -i "sine=duration=$3" -c:v libx264 -preset ultrafast -c:a aac -shortest \
		-y "$1"
}

# serve_tcp LOG: starts sf serve on a free loopback port, its access log
# in LOG and its standard error in LOG.err, and waits until it listens.
# Sets SERVE_PID and SERVE_ADDR ("127.0.0.1:PORT"); call it outside test
# bodies (they run in subshells) and stop the server in a trap.
serve_tcp() {
	"$SF_BIN" serve --listen 127.0.0.1:0 --threads 2 >"$1" 2>"$1.err" &
	SERVE_PID=$!
	for _ in $(seq 200); do
		SERVE_ADDR=$(sed -n 's/^sf: serving on \([^ ]*\) .*/\1/p' "$1.err" 2>/dev/null)
		[ -n "$SERVE_ADDR" ] && return 0
		sleep 0.05
	done
	echo "sf serve did not start:" >&2
	cat "$1.err" >&2
	return 1
}

test_db() {
	TEST_DBNAME="t_${test_name//[^a-z0-9_]/_}_$$"
	psql -qX -h "$SF_TEST_PGHOST" -U sf -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE DATABASE $TEST_DBNAME TEMPLATE sf_template" >/dev/null
	export SF_DATABASE_URL="host=$SF_TEST_PGHOST user=sf dbname=$TEST_DBNAME"
}

# Runs SQL in this file's database; prints unaligned, tuples only.
test_sql() {
	psql -qAtX -v ON_ERROR_STOP=1 "$SF_DATABASE_URL" -c "$1"
}

test_expect_success() {
	local name=$1 body=$2 rc
	test_count=$((test_count + 1))
	( set -e; eval "$body" ) >"$TEST_DIR/.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok $test_count - $name"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $name"
		# Diagnostics go to stderr, which prove shows.
		{
			echo "# failed: $test_name $test_count - $name"
			sed 's/^/#   /' "$TEST_DIR/.out"
			echo "#   (exit $rc) body:"
			printf '%s\n' "$body" | sed 's/^/#   /'
		} >&2
	fi
}

# test_expect_code N command...: the command must exit with status N.
test_expect_code() {
	local want=$1 got=0
	shift
	"$@" || got=$?
	if [ "$got" != "$want" ]; then
		echo "expected exit $want, got $got: $*" >&2
		return 1
	fi
}

# test_must_fail command...: any failure but a crash (signal) will do.
test_must_fail() {
	local got=0
	"$@" || got=$?
	if [ "$got" = 0 ]; then
		echo "expected failure, got success: $*" >&2
		return 1
	elif [ "$got" -gt 128 ]; then
		echo "crashed with signal $((got - 128)): $*" >&2
		return 1
	fi
}

# test_cmp EXPECTED ACTUAL: the files must be equal (a diff otherwise).
test_cmp() {
	diff -u "$1" "$2"
}

# test_one_line FILE: an error message is exactly one non-empty line.
test_one_line() {
	if [ "$(wc -l <"$1")" != 1 ] || [ ! -s "$1" ]; then
		echo "expected exactly one line in $1, got:" >&2
		cat "$1" >&2
		return 1
	fi
}

# test_json FILE EXPR: prints the Python expression EXPR over the JSON
# document in FILE (bound to d): test "$(test_json out 'd["id"]')" = 1
test_json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# test_snapshot: every row of every table in this file's database, one JSON
# object a line, in a stable order.  Columns named *_hash show as their md5,
# so no password or PIN hash is ever written to a file.
test_snapshot() {
	psql -qAtX -v ON_ERROR_STOP=1 "$SF_DATABASE_URL" <<'SQL'
SELECT format($q$SELECT %L, (SELECT jsonb_object_agg(k, CASE WHEN k LIKE '%%\_hash'
	AND jsonb_typeof(v) = 'string' THEN to_jsonb(md5(v #>> '{}')) ELSE v END)
	FROM jsonb_each(to_jsonb(r)) AS e(k, v)) AS line FROM %I r ORDER BY line$q$,
	tablename, tablename)
FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL
}

# test_expect_fail STATUS TEXT command...: the command exits with STATUS,
# prints nothing on stdout and one line "sf: ...TEXT..." on stderr, and
# leaves the database exactly as it was.  Standard input passes through.
test_expect_fail() {
	local status=$1 text=$2
	shift 2
	test_snapshot >.before.db &&
	test_expect_code "$status" "$@" >.fail.out 2>.fail.err &&
	test_one_line .fail.err &&
	if ! grep -q "^sf: " .fail.err || ! grep -qF -- "$text" .fail.err; then
		echo "expected 'sf: ...$text...' from $*, got:" >&2
		cat .fail.err >&2
		return 1
	fi &&
	test_cmp /dev/null .fail.out &&
	test_snapshot >.after.db &&
	test_cmp .before.db .after.db
}

test_skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

test_done() {
	echo "1..$test_count"
	if [ -n "${TEST_DBNAME:-}" ]; then
		psql -qX -h "$SF_TEST_PGHOST" -U sf -d postgres \
			-c "DROP DATABASE IF EXISTS $TEST_DBNAME WITH (FORCE)" >/dev/null 2>&1 || true
	fi
	cd /
	[ $test_failed -eq 0 ] && rm -rf "$TEST_DIR"
	[ $test_failed -eq 0 ]
}
