#!/usr/bin/env bash
# play_net.sh - "sf play" adapting to the network: a shaping proxy
# (tests/tools/shaper.c) in front of a real sf serve follows a bandwidth
# schedule, fast, then slow, then fast again; the QoE record must show
# the player stepping down within two segments of the drop, back up after
# the recovery, and no rebuffering, since the slow rate still carries the
# lowest rendition.
. "$SF_TEST_TOP/tests/harness/lib.sh"
command -v ffmpeg >/dev/null || test_skip_all "ffmpeg is not installed"
SHAPER=$SF_TEST_BUILD/tests/tools/shaper
test_db
export SF_HOME=$TEST_DIR/home SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
export SF_SECRET=0123456789abcdef0123456789abcdef-play-net
export XDG_CONFIG_HOME=$TEST_DIR/config XDG_STATE_HOME=$TEST_DIR/state
PIDS=
trap 'kill -KILL $PIDS 2>/dev/null' EXIT

# The schedule: 3000 kbit/s (both renditions fit), 700 kbit/s from 10 s
# to 24 s (only 240p fits), then 3000 kbit/s again.
DROP=10 RISE=24

test_expect_success 'setup: a 64 s movie in 240p and 360p' '
	test_clip clip.mp4 640x360 64 &&
	sf title add "Reel" --external-id reel --status published >/dev/null &&
	sf media add reel clip.mp4 --wait >/dev/null &&
	echo Secret123 | sf user add --email v@example.com --username v --password-stdin >/dev/null
'

serve_tcp serve.log
PIDS="$PIDS $SERVE_PID"
"$SHAPER" --upstream "$SERVE_ADDR" --port-file port --log shaper.log \
	--schedule "3000k:$DROP,700k:$((RISE - DROP)),3000k" >/dev/null 2>&1 &
PIDS="$PIDS $!"
for i in $(seq 100); do test -s port && break; sleep 0.05; done

test_expect_success 'setup: sf serve behind the shaper, and sf login' '
	echo "http://127.0.0.1:$(cat port)" >server &&
	sf login --server "$(cat server)" --email v@example.com --password-stdin <<<Secret123 >/dev/null
'

test_expect_success 'the whole movie plays through the shaper' '
	sf play reel --server "$(cat server)" --vo null --start-over --buffer 8 \
		--stats stats.json </dev/null >out &&
	grep -q "^played Reel from 0:00 to 1:04" out
'

# The segments with the time their download started on the shaper's
# clock (which starts at the playback call): start = arrival - download.
python3 - "$DROP" "$RISE" >segments <<'PY'
import json, sys
d = json.load(open("stats.json"))
for s in d["segments"]:
    start = s["at_s"] - s["download_ms"] / 1000
    print(s["index"], s["height"], "%.2f" % start)
PY

test_expect_success 'the player stepped down within two segments of the drop' '
	awk -v d=$DROP -v r=$RISE "\$3 >= d && \$3 < r { n++; if (n > 2 && \$2 != 240) bad = 1 }
		END { exit bad || n < 3 }" segments
'

test_expect_success 'and back up after the recovery' '
	awk -v r=$RISE "\$3 >= r && \$2 == 360 { up = 1 } END { exit !up }" segments
'

test_expect_success 'without rebuffering' '
	test "$(test_json stats.json "d[\"rebuffers\"]")" = 0
'

test_expect_success 'the shaper followed the schedule' '
	awk "/seg_/ && \$4 > 100000 { print \$1, \$1 + \$5 / 1000, \$4 * 8 / \$5 }" shaper.log >rates &&
	awk -v d=$DROP -v r=$RISE "\$1 > d && \$2 < r { slow++; if (\$3 > 900) bad = 1 }
		\$1 > r { fast++; if (\$3 < 2000) bad = 1 } END { exit bad || !slow || !fast }" rates
'

test_done
