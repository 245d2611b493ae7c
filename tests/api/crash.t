#!/usr/bin/env bash
# crash.t - kill -9 of sf serve while players send progress: every write
# that got a 2xx answer is in the database afterwards (an answer is sent
# only after the commit), and the server starts again on the same
# database.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start --threads 2
api_user cm@example.com content_manager >cm.tok
api_user v@example.com viewer >v.tok
CM=$(cat cm.tok) V=$(cat v.tok)
for n in 1 2 3 4; do
	api POST /api/v1/admin/titles "$CM" "{\"kind\":\"movie\",\"title\":\"Film $n\",\"status\":\"published\",\"runtime_minutes\":100}" >/dev/null
	j 'd["id"]' >"t$n.id"
done

# writer N: progress of title N, one second of position and time a write,
# until the server is gone; each 2xx is logged as "TITLE POSITION".
writer() {
	local title=$1 i=0 code
	while [ ! -e stop ] && [ "$i" -lt 5000 ]; do
		i=$((i + 1))
		code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$API_SOCK" -X PUT \
			-H "Authorization: Bearer $V" -H 'Content-Type: application/json' \
			--data-binary "{\"position\":$i,\"duration\":6000,\"at\":\"2026-11-22T00:00:00Z\"}" \
			"http://sf/api/v1/titles/$title/progress" 2>/dev/null)
		case $code in 2??) echo "$title $i" >>"acked.$title" ;; esac
	done
}

pids=
for n in 1 2 3 4; do
	writer "$(cat t$n.id)" &
	pids="$pids $!"
done
# Kill once enough writes are acknowledged (a count, not a time).
for _ in $(seq 1 600); do
	[ "$(cat acked.* 2>/dev/null | wc -l)" -ge 80 ] && break
	sleep 0.05
done
kill -KILL "$API_PID"
wait "$API_PID" 2>/dev/null
API_PID=
touch stop
wait $pids
cat acked.* >acked

test_expect_success 'writes were acknowledged before the kill' '
	test "$(wc -l <acked)" -ge 80
'

test_expect_success 'every acknowledged write is in the history' '
	test_sql "SELECT title_id || '"'"' '"'"' || position_s FROM watch_events" | sort >stored &&
	sort acked >want &&
	comm -23 want stored >missing &&
	test_cmp /dev/null missing
'

test_expect_success 'each title'"'"'s progress is at least its last acknowledged position' '
	for n in 1 2 3 4; do
		t=$(cat t$n.id)
		last=$(awk -v t=$t "\$1 == t { p = \$2 } END { print p + 0 }" acked)
		got=$(test_sql "SELECT coalesce(max(position_s), 0) FROM watch_progress WHERE title_id = $t")
		test "$got" -ge "$last" || { echo "title $t: $got < $last" >&2; return 1; }
	done
'

api_start
test_expect_success 'the server starts again and answers from the same database' '
	api_expect 200 GET /api/v1/history?limit=1 "$V"
'
api_stop
test_done
