#!/usr/bin/env bash
# server.t - sf serve itself: health, readiness, metrics, the served
# OpenAPI document, the access log, TCP on a free port, limits on
# connections and slow clients, and the graceful stop on SIGTERM.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start

test_expect_success '/healthz and /readyz answer 200' '
	api_expect 200 GET /healthz && test "$(j "d[\"status\"]")" = ok &&
	api_expect 200 GET /readyz && test "$(j "d[\"database\"]")" = ok
'

test_expect_success 'responses carry a request id and no-store' '
	api GET /healthz >/dev/null &&
	grep -qi "^x-request-id: [0-9a-f]*-[0-9]" hdr &&
	grep -qi "^cache-control: no-store" hdr
'

test_expect_success '/api/v1/openapi.json is the document in the repository' '
	api_expect 200 GET /api/v1/openapi.json &&
	python3 -c "import json, sys; assert json.load(open(\"out\")) == json.load(open(sys.argv[1]))" \
		"$SF_TEST_TOP/api/openapi.json"
'

test_expect_success '/metrics counts requests per route and status, latency, errors and the pool' '
	api GET /api/v1/nothing >/dev/null &&
	api_expect 200 GET /metrics &&
	grep -q "^# TYPE sf_http_requests_total counter" out &&
	grep -q "^sf_http_requests_total{route=\"GET /healthz\",status=\"2xx\"} [1-9]" out &&
	grep -q "^sf_http_requests_total{route=\"unmatched\",status=\"4xx\"} [1-9]" out &&
	grep -q "^sf_http_request_duration_seconds_bucket{route=\"GET /readyz\",le=\"+Inf\"} [1-9]" out &&
	grep -q "^sf_http_request_duration_seconds_count{route=\"GET /api/v1/titles\"} 0" out &&
	grep -q "^sf_http_errors_total{code=\"not_found\"} [1-9]" out &&
	grep -q "^sf_db_connections [1-9]" out &&
	grep -q "^sf_db_connect_failures_total 0" out
'

test_expect_success 'the access log has one line per request with id, method, path, status, bytes, duration, account' '
	api_user a@example.com viewer >tok &&
	api_expect 200 GET /api/v1/account "$(cat tok)" &&
	id=$(test_sql "SELECT id FROM accounts") &&
	grep -E "^ts=[0-9T:-]+Z id=[0-9a-f]+-[0-9]+ method=GET path=/api/v1/account status=200 bytes=[1-9][0-9]* duration_ms=[0-9.]+ account=$id address=unix$" \
		"$TEST_DIR/serve.log" &&
	grep -q "method=GET path=/api/v1/nothing status=404 .* account=0 " "$TEST_DIR/serve.log" &&
	! grep -q "Secret123\|sfr_\|eyJ" "$TEST_DIR/serve.log"
'

test_expect_success 'a path with control characters cannot forge a log line' '
	api GET "/api/v1/x%0aid=forged" >/dev/null &&
	! grep -q "^id=forged" "$TEST_DIR/serve.log" &&
	grep -q "path=/api/v1/x%0Aid=forged" "$TEST_DIR/serve.log"
'

api_stop
test_expect_success 'SIGTERM stops it with status 0 and removes the socket' '
	test "$API_STATUS" = 0 && test ! -e "$API_SOCK"
'

test_expect_success 'sf serve --help comes from the command table' '
	sf serve --help >out &&
	for o in --listen --threads --timeout --max-connections-per-address --routes --db; do
		grep -q -- "$o" out || exit 1
	done &&
	test_expect_code 2 sf serve --threads 0 2>err && grep -q "threads" err &&
	test_expect_code 2 sf serve --listen nowhere 2>err && grep -q "nowhere" err &&
	test_expect_code 2 sf serve extra 2>err
'

# A TCP server on a free port, with small limits.
"$SF_BIN" serve --listen 127.0.0.1:0 --threads 2 --timeout 1 --max-connections-per-address 2 \
	>tcp.log 2>tcp.err &
TCP_PID=$!
for _ in $(seq 1 200); do
	PORT=$(sed -n "s/^sf: serving on 127.0.0.1:\([0-9]*\) .*/\1/p" tcp.err)
	[ -n "$PORT" ] && break
	sleep 0.05
done

test_expect_success 'listening on TCP port 0 picks a free port and says which' '
	test -n "$PORT" &&
	test "$(curl -s -o out -w "%{http_code}" "http://127.0.0.1:$PORT/healthz")" = 200
'

test_expect_success 'a client address may hold only so many connections' '
	python3 - "$PORT" <<-PY
	import socket, sys
	port = int(sys.argv[1])
	held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
	third = socket.create_connection(("127.0.0.1", port))
	third.settimeout(10)
	third.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	try:
	    data = third.recv(100)
	except ConnectionResetError:
	    data = b""
	assert data == b"", data
	PY
'

test_expect_success 'a client that stalls is disconnected after the timeout' '
	python3 - "$PORT" <<-PY
	import socket, sys
	s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
	s.settimeout(30)
	s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")   # never finished
	assert s.recv(100) == b""
	PY
'

kill -TERM $TCP_PID; wait $TCP_PID; TCP_STATUS=$?

test_expect_success 'the TCP server stopped with status 0 too' '
	test "$TCP_STATUS" = 0
'

# Graceful stop: a request still uploading its body when SIGTERM comes.
api_start
python3 -c 'print("{\"email\":\"a@example.com\",\"password\":\"" + "x" * 4000 + "\"}")' >slow.json
curl -s -o slow.out -w '%{http_code}' --unix-socket "$API_SOCK" --limit-rate 1500 \
	-H 'Content-Type: application/json' --data-binary @slow.json \
	http://sf/api/v1/auth/login >slow.status &
CURL_PID=$!
sleep 1   # the upload takes about three seconds; it has begun by now
kill -TERM "$API_PID"
sleep 0.3
curl -s -o /dev/null -w '%{http_code}' --unix-socket "$API_SOCK" http://sf/healthz >late.status 2>&1
wait $CURL_PID
api_stop_status=0
wait "$API_PID" || api_stop_status=$?
API_PID=

test_expect_success 'on SIGTERM a request in flight still gets its answer' '
	test "$(cat slow.status)" = 401 &&
	grep -q "invalid email or password" slow.out
'

test_expect_success 'on SIGTERM new connections are refused at once' '
	test "$(cat late.status)" = 000
'

test_expect_success 'and the server then exits 0' '
	test "$api_stop_status" = 0
'

test_done
