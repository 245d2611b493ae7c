#!/usr/bin/env bash
# play_faults.sh - "sf play" when the media goes wrong, through the
# shaping proxy's faults (tests/tools/shaper.c): a URL answered 410 is
# signed again through the API once, then given up on; a 403 stops at
# once; a segment that is not MPEG-TS is skipped and playback goes on; a
# connection cut in the middle of every try stops with a clear message
# once the buffer is gone.  Every case ends by itself, never hangs.
. "$SF_TEST_TOP/tests/harness/lib.sh"
command -v ffmpeg >/dev/null || test_skip_all "ffmpeg is not installed"
SHAPER=$SF_TEST_BUILD/tests/tools/shaper
test_db
export SF_HOME=$TEST_DIR/home SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
export SF_SECRET=0123456789abcdef0123456789abcdef-play-faults
export XDG_CONFIG_HOME=$TEST_DIR/config XDG_STATE_HOME=$TEST_DIR/state
q="'"
PIDS=
trap 'kill -KILL $PIDS 2>/dev/null' EXIT

test_expect_success 'setup: a 12 s movie' '
	test_clip clip.mp4 320x180 12 &&
	sf title add "Reel" --external-id reel --status published >/dev/null &&
	sf media add reel clip.mp4 --wait >/dev/null &&
	echo Secret123 | sf user add --email v@example.com --username v --password-stdin >/dev/null
'

serve_tcp serve.log
PIDS="$PIDS $SERVE_PID"

# shaper NAME FAULT: starts a shaper with the fault, logs in through it;
# its URL in NAME.url.
shaper() {
	"$SHAPER" --upstream "$SERVE_ADDR" --port-file "$1.port" --log "$1.log" --fault "$2" \
		>/dev/null 2>&1 &
	PIDS="$PIDS $!"
	for i in $(seq 100); do test -s "$1.port" && break; sleep 0.05; done
	echo "http://127.0.0.1:$(cat "$1.port")" >"$1.url"
}
shaper expired status=410:/seg_00001.ts
shaper refused status=403:/seg_00001.ts
shaper corrupt corrupt:/seg_00001.ts
shaper cut drop:/seg_00001.ts

# play NAME [OPTIONS]: sf play through shaper NAME (logged in there first).
play() {
	local name=$1
	shift
	sf login --server "$(cat "$name.url")" --email v@example.com --password-stdin \
		<<<Secret123 >/dev/null &&
	sf play reel --server "$(cat "$name.url")" --vo null --start-over "$@" </dev/null
}

test_expect_success 'an expired URL is signed again once, then given up on (exit 77)' '
	test_expect_code 77 play expired >out 2>err &&
	test_one_line err &&
	grep -q "^sf: a segment: the media server says the URL has expired even after fresh ones" err &&
	test "$(grep -c "/api/v1/playback/reel" expired.log)" = 2
'

test_expect_success 'a refused URL stops playback at once (exit 77), naming the answer' '
	test_expect_code 77 play refused >out 2>err &&
	test_one_line err &&
	grep -q "^sf: a segment: the media server refused it (HTTP 403)" err
'

test_expect_success 'a segment that is not MPEG-TS is skipped; playback goes on to the end' '
	play corrupt --stats stats.json >out 2>err &&
	test "$(test_json stats.json "[s[\"index\"] for s in d[\"segments\"] if s.get(\"skipped\")]")" = "[1]" &&
	test "$(test_json stats.json "d[\"end\"]")" = 12.0 &&
	test "$(grep -c "seg_00001.ts 200" corrupt.log)" = 2
'

test_expect_success 'a connection cut on every try: a clear error once the buffer is gone (exit 69)' '
	test_expect_code 69 play cut --buffer 4 >out 2>err &&
	grep -q "^sf: a segment: the media server did not answer for 5 s with nothing left to play" err &&
	test "$(grep -c "seg_00001.ts" cut.log)" -ge 3
'

test_done
