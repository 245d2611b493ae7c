# lib.sh - helpers for the API tests: a real "sf serve" on a unix socket
# in the test's scratch directory, against the file's own database, and
# curl to talk to it.
#
#   . "$SF_TEST_TOP/tests/harness/lib.sh"
#   . "$SF_TEST_TOP/tests/api/lib.sh"
#   test_db; api_start
#   api_user v@example.com viewer >tok      # an account and its token
#   test_expect_success 'GET /account answers' '
#       test "$(api GET /api/v1/account "$(cat tok)")" = 200 &&
#       test "$(test_json out "d[\"email\"]")" = v@example.com
#   '
#   api_stop; test_done
#
# api prints the HTTP status and leaves the body in ./out and the headers
# in ./hdr of the test's directory.

export SF_HOME=$TEST_DIR/home
API_SOCK=$TEST_DIR/sock
API_PID=

# api_start [sf serve options]: starts the server and waits until it
# answers /healthz (a generous deadline: the machine may be busy).
api_start() {
	"$SF_BIN" serve --listen "unix:$API_SOCK" --threads 2 "$@" \
		>"$TEST_DIR/serve.log" 2>"$TEST_DIR/serve.err" &
	API_PID=$!
	for _ in $(seq 1 200); do
		if curl -s --unix-socket "$API_SOCK" -o /dev/null http://sf/healthz 2>/dev/null; then
			return 0
		fi
		kill -0 "$API_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "sf serve did not start:" >&2
	cat "$TEST_DIR/serve.err" >&2
	return 1
}

# api_stop: SIGTERM, and waits; sets API_STATUS to sf serve's exit
# status.  Call it outside test bodies (they run in subshells, which
# cannot wait for the server).
api_stop() {
	API_STATUS=
	[ -n "$API_PID" ] || return 0
	kill -TERM "$API_PID" 2>/dev/null || true
	API_STATUS=0
	wait "$API_PID" || API_STATUS=$?
	API_PID=
}

trap 'if [ -n "$API_PID" ]; then kill -KILL "$API_PID" 2>/dev/null; fi' EXIT

# api METHOD PATH [TOKEN] [BODY]: one request; prints the status.
api() {
	local method=$1 path=$2 token=${3:-} body=${4-}
	local args=(-s -o out -D hdr -w '%{http_code}' --unix-socket "$API_SOCK" -X "$method")
	if [ -n "$token" ]; then
		args+=(-H "Authorization: Bearer $token")
	fi
	if [ $# -ge 4 ]; then
		args+=(-H 'Content-Type: application/json' --data-binary "$body")
	fi
	curl "${args[@]}" "http://sf$path"
}

# api_expect STATUS METHOD PATH [TOKEN] [BODY]: the request answers
# STATUS; an error answer must have the one error shape with the code
# that belongs to the status.
api_expect() {
	local want=$1 got
	shift
	got=$(api "$@")
	if [ "$got" != "$want" ]; then
		echo "expected $want from $1 $2, got $got:" >&2
		cat out >&2
		echo >&2
		return 1
	fi
	if [ "$want" -ge 400 ]; then
		# the one error shape, exactly as the server writes it (compact)
		local code re='^\{"error":\{"code":"([a-z_]+)","message":"[^"]([^"\\]|\\.)*"\}\}$'
		if ! [[ $(cat out) =~ $re ]]; then
			echo "not the error shape: $(cat out)" >&2
			return 1
		fi
		code=${BASH_REMATCH[1]}
		case $want:$code in
		400:invalid | 401:unauthenticated | 403:forbidden | 404:not_found | 409:conflict | \
		410:gone | 413:too_large | 416:range_not_satisfiable | 429:rate_limited | \
		503:unavailable | 500:internal) ;;
		*) echo "error code '$code' does not belong to status $want" >&2; return 1 ;;
		esac
	fi
}

# api_user EMAIL ROLE [USERNAME]: makes the account with the CLI and
# prints an access token for it.
api_user() {
	local email=$1 role=$2 name=${3:-${1%%@*}}
	echo Secret123 | "$SF_BIN" user add --email "$email" --username "$name" --role "$role" \
		--password-stdin >/dev/null &&
	api_login "$email" Secret123
}

# api_login EMAIL PASSWORD: prints the access token (the pair is in ./out).
api_login() {
	local status
	status=$(api POST /api/v1/auth/login "" "{\"email\":\"$1\",\"password\":\"$2\"}")
	if [ "$status" != 200 ]; then
		echo "login as $1: $status $(cat out)" >&2
		return 1
	fi
	test_json out 'd["access_token"]'
}

# j EXPR: test_json over ./out.
j() {
	test_json out "$1"
}
