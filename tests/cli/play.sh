#!/usr/bin/env bash
# play.sh - "sf play" with real libmpv (--vo null --ao null) through the
# API: the local database served to itself, and a remote sf serve after
# sf login.  Resume within 1 s of the saved position, --start-over, the
# saved position after stopping, playing to the end (watched) and on to
# the next episode, a server that goes away, and bad input.
. "$SF_TEST_TOP/tests/harness/lib.sh"
for p in ffmpeg curl; do
	command -v "$p" >/dev/null || test_skip_all "$p is not installed"
done
test_db
export SF_HOME=$TEST_DIR/home SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
export SF_SECRET=0123456789abcdef0123456789abcdef-play-test
export XDG_CONFIG_HOME=$TEST_DIR/config XDG_STATE_HOME=$TEST_DIR/state
q="'"
trap 'kill -KILL $(cat "$TEST_DIR"/*.pid 2>/dev/null) 2>/dev/null' EXIT

# stat KEY: a value of the QoE record in stats.json.
stat() {
	test_json stats.json "$1"
}

# near A B TOLERANCE: |A - B| <= TOLERANCE.
near() {
	python3 -c "import sys; sys.exit(0 if abs($1 - $2) <= $3 else 1)" || {
		echo "$1 is not within $3 of $2" >&2
		return 1
	}
}

# saved TITLE: the saved position of profile 1 in the title.
saved() {
	test_sql "SELECT w.position_s FROM watch_progress w JOIN titles t ON t.id = w.title_id
		  WHERE t.external_id = '$1' AND w.profile_id = 1 ORDER BY w.at DESC LIMIT 1"
}

test_expect_success 'setup: a 48 s movie with two renditions and a two-episode series' '
	test_clip long.mp4 640x360 48 &&
	test_clip short.mp4 320x180 5 &&
	sf title add "Reel" --external-id reel --status published >/dev/null &&
	sf title add "Loop" --external-id loop --kind series --status published >/dev/null &&
	sf title season add loop 1 >/dev/null &&
	sf title episode add loop 1 1 --name One >/dev/null &&
	sf title episode add loop 1 2 --name Two >/dev/null &&
	sf title add "Bare" --external-id bare --status published >/dev/null &&
	sf media add reel long.mp4 --wait >/dev/null &&
	sf media add loop short.mp4 --season 1 --episode 1 --wait >/dev/null &&
	sf media add loop short.mp4 --season 1 --episode 2 --wait >/dev/null &&
	echo Secret123 | sf user add --email v@example.com --username v --role viewer \
		--password-stdin >/dev/null &&
	test "$(test_sql "SELECT id FROM profiles")" = 1
'

test_expect_success 'sf play plays from the start and saves where it stopped' '
	sf play reel --profile 1 --vo null --stop-at 6 --stats stats.json </dev/null >out &&
	grep -q "^played Reel from 0:00 to 0:0[67]" out &&
	near "$(stat "d[\"first_frame_s\"]")" 0 1 &&
	near "$(stat "d[\"end\"]")" 6 1 &&
	near "$(saved reel)" "$(stat "d[\"end\"]")" 1 &&
	test "$(stat "d[\"rebuffers\"], d[\"abr\"]")" = "(0, ${q}sf${q})" &&
	test "$(stat "len(d[\"segments\"]) >= 2 and all(s[\"bytes\"] > 0 for s in d[\"segments\"])")" = True &&
	test "$(test_sql "SELECT string_agg(kind, ${q},${q} ORDER BY at) FROM watch_events")" = start,stop
'

test_expect_success 'progress saved at 37 s: playback starts within 1 s of it' '
	sf watch progress 1 reel --position 37 --duration 48 >/dev/null &&
	sf play reel --profile 1 --vo null --stop-at 39 --stats stats.json </dev/null >out &&
	near "$(stat "d[\"first_frame_s\"]")" 37 1 &&
	test "$(stat "d[\"start\"], d[\"segments\"][0][\"index\"]")" = "(37.0, 9)" &&
	near "$(saved reel)" "$(stat "d[\"end\"]")" 1
'

test_expect_success 'the subtitles of the playable are there to pick' '
	printf "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello\n" >en.vtt &&
	sf media subtitle add reel en.vtt --lang en >/dev/null &&
	sf play reel --profile 1 --vo null --start-over --stop-at 2 --stats stats.json </dev/null >/dev/null &&
	test "$(stat "d[\"subtitle_tracks\"]")" = 1
'

test_expect_success '--start-over starts at 0 whatever was saved' '
	sf watch progress 1 reel --position 30 --duration 48 >/dev/null &&
	sf play reel --profile 1 --vo null --start-over --stop-at 2 --stats stats.json </dev/null >/dev/null &&
	near "$(stat "d[\"first_frame_s\"]")" 0 1 &&
	test "$(stat "d[\"segments\"][0][\"index\"]")" = 0
'

test_expect_success 'a pinned quality fetches that rendition only' '
	sf play reel --profile 1 --vo null --start-over --quality 240p --stop-at 2 --stats stats.json \
		</dev/null >/dev/null &&
	test "$(stat "sorted(set(s[\"height\"] for s in d[\"segments\"]))")" = "[240]" &&
	test "$(stat "d[\"abr\"]")" = pinned
'

test_expect_success 'an experiment that sets abr.algorithm picks the algorithm; --abr wins' '
	sf experiment layer add player >/dev/null &&
	sf experiment create abr-bba --layer player --variants bba:1,control:0 \
		--params "{\"bba\": {\"abr.algorithm\": \"bba\"}}" >/dev/null &&
	sf experiment start abr-bba >/dev/null &&
	sf play reel --profile 1 --vo null --start-over --stop-at 2 --stats stats.json </dev/null >/dev/null &&
	test "$(stat "d[\"abr\"]")" = bba &&
	sf play reel --profile 1 --vo null --start-over --stop-at 2 --abr sf --stats stats.json \
		</dev/null >/dev/null &&
	test "$(stat "d[\"abr\"]")" = sf &&
	test "$(test_sql "SELECT count(*), min(variant) FROM exp_exposures")" = "1|bba" &&
	sf experiment stop abr-bba >/dev/null
'

test_expect_success 'an episode played to the end is watched, and the next one follows' '
	sf play loop --profile 1 --vo null --countdown 0 --json </dev/null >out &&
	test "$(python3 -c "import json, sys; print(len([l for l in open(\"out\") if l.startswith(\"{\")]))")" = 2 &&
	test "$(test_sql "SELECT string_agg(e.number::text || ${q}:${q} || w.completed, ${q} ${q} ORDER BY e.number)
		FROM watch_progress w JOIN episodes e ON e.id = w.episode_id")" = "1:true 2:true"
'

test_expect_success '--no-next stops after the episode it plays' '
	sf watch forget 1 loop >/dev/null &&
	sf play loop --profile 1 --vo null --no-next --stats stats.json </dev/null >out &&
	test "$(grep -c "^played" out)" = 1 &&
	test "$(stat "d[\"episode\"][\"number\"]")" = 1
'

test_expect_success 'bad input is one line naming the value, exit 2 or 3' '
	test_expect_fail 3 "title ${q}nope${q}" sf play nope --profile 1 --vo null &&
	test_expect_fail 3 "no media ready" sf play bare --profile 1 --vo null &&
	test_expect_fail 2 "quality ${q}fast${q}" sf play reel --profile 1 --quality fast &&
	test_expect_fail 2 "quality ${q}1080p${q}: this title has no such rendition" \
		sf play reel --profile 1 --vo null --quality 1080p &&
	test_expect_fail 2 "abr ${q}fastest${q}" sf play reel --profile 1 --abr fastest &&
	test_expect_fail 2 "--season and --episode go together" sf play loop --profile 1 --season 1 &&
	test_expect_fail 2 "--profile is required" sf play reel &&
	test_expect_fail 3 "profile ${q}9${q}" sf play reel --profile 9 &&
	test_expect_fail 2 "--buffer" sf play reel --profile 1 --buffer 1 &&
	test_expect_fail 2 "stats file ${q}nodir/qoe.json${q}" \
		sf play reel --profile 1 --vo null --stats nodir/qoe.json &&
	test_expect_fail 3 "not logged in" sf play reel --server http://127.0.0.1:9
'

test_expect_success 'a libmpv that cannot be loaded is one line and exit 69' '
	test_expect_fail 69 "cannot load libmpv ($TEST_DIR/nowhere/libmpv.so.2: cannot open" \
		env SF_LIBMPV="$TEST_DIR/nowhere/libmpv.so.2" "$SF_BIN" play reel --profile 1 --vo null
'

test_expect_success 'setup: a remote sf serve and sf login' '
	"$SF_BIN" serve --listen 127.0.0.1:0 --threads 2 >serve.log 2>serve.err &
	echo $! >serve.pid &&
	for i in $(seq 100); do grep -q "serving on" serve.err && break; sleep 0.05; done &&
	sed -n "s/.*serving on \([^ ]*\).*/http:\/\/\1/p" serve.err >server &&
	sf login --server "$(cat server)" --email v@example.com --password-stdin <<<Secret123 >/dev/null
'

test_expect_success 'sf play --server plays through the remote API' '
	sf play reel --server "$(cat server)" --vo null --start-over --stop-at 3 --stats stats.json \
		</dev/null >/dev/null &&
	near "$(stat "d[\"end\"]")" 3 1 &&
	grep -q "method=GET path=/api/v1/playback/reel status=200" serve.log &&
	grep -q "method=PUT path=/api/v1/titles/1/progress status=200" serve.log &&
	test -s state/sf/abr.json
'

test_expect_success 'the server gone: a clear error once the buffer runs out, and no hang' '
	sf play reel --server "$(cat server)" --vo null --start-over --buffer 8 \
		</dev/null >/dev/null 2>err &
	pid=$! &&
	sleep 1.5 && kill -9 "$(cat serve.pid)" &&
	status=0 && wait $pid || status=$? &&
	test "$status" = 69 &&
	grep -q "^sf: a segment: the media server did not answer" err &&
	grep -q "not saved (.* write.*)" err
'

test_done
