#!/usr/bin/env bash
# play_keys.sh - "sf play" on a real terminal (tmux): the keys of
# sf-play(1) read in raw mode while it plays: → seeks 10 s ahead, 5 jumps
# to the middle, space pauses, s picks subtitles, q quits; each is reported to the server as it happens, and the
# position saved is where playback stopped.
. "$SF_TEST_TOP/tests/harness/lib.sh"
command -v ffmpeg >/dev/null || test_skip_all "ffmpeg is not installed"
test_db
export SF_HOME=$TEST_DIR/home SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
export SF_SECRET=0123456789abcdef0123456789abcdef-play-keys
export XDG_CONFIG_HOME=$TEST_DIR/config XDG_STATE_HOME=$TEST_DIR/state
. "$SF_TEST_TOP/tests/harness/tty.sh"
q="'"

# wait_event KIND: waits (10 s at most) for the event in the history;
# prints its position.
wait_event() {
	local i p
	for i in $(seq 100); do
		p=$(test_sql "SELECT position_s FROM watch_events WHERE kind = '$1' ORDER BY at DESC LIMIT 1")
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.1
	done
	echo "no $1 event" >&2
	return 1
}

test_expect_success 'setup: a 48 s movie' '
	test_clip clip.mp4 320x180 48 &&
	sf title add "Reel" --external-id reel --status published >/dev/null &&
	sf media add reel clip.mp4 --wait >/dev/null &&
	printf "WEBVTT\n\n00:00:01.000 --> 00:00:40.000\nHello\n" >en.vtt &&
	sf media subtitle add reel en.vtt --lang en >/dev/null &&
	echo Secret123 | sf user add --email v@example.com --username v --password-stdin >/dev/null
'

test_expect_success 'keys on the terminal: → seeks 10 s, space pauses, q quits and saves' '
	tty_run p1 "$SF_BIN" play reel --profile 1 --vo null --start-over --stats stats.json &&
	wait_event start >/dev/null &&
	sleep 1 &&
	$T send-keys -t p1 Right &&
	seek=$(wait_event seek) &&
	test "$seek" -ge 10 && test "$seek" -le 13 &&
	$T send-keys -t p1 5 &&
	for i in $(seq 100); do
		mid=$(test_sql "SELECT max(position_s) FROM watch_events WHERE kind = ${q}seek${q}") &&
		test "$mid" -ge 23 && break
		sleep 0.1
	done &&
	test "$mid" -ge 23 && test "$mid" -le 26 &&
	$T send-keys -t p1 Space &&
	paused=$(wait_event pause) &&
	sleep 1.5 &&
	$T send-keys -t p1 q &&
	test "$(tty_done p1)" = 0 &&
	stop=$(wait_event stop) &&
	test "$stop" = "$paused" &&
	test "$(test_sql "SELECT position_s FROM watch_progress")" = "$stop" &&
	tty_wait p1 "played Reel from 0:00 to 0:$(printf %02d "$stop")"
'

test_expect_success 's picks the subtitles, and they stay on across a jump that refetches' '
	tty_run p2 "$SF_BIN" play reel --profile 1 --vo null --start-over --buffer 8 --stats stats.json &&
	for i in $(seq 100); do
		test "$(test_sql "SELECT count(*) FROM watch_events WHERE kind = ${q}start${q}")" = 2 && break
		sleep 0.1
	done &&
	sleep 1 &&
	$T send-keys -t p2 s &&
	sleep 0.5 &&
	$T send-keys -t p2 8 &&
	sleep 2 &&
	$T send-keys -t p2 q &&
	test "$(tty_done p2)" = 0 &&
	test "$(test_json stats.json "d[\"subtitle\"], d[\"subtitle_tracks\"]")" = "(${q}en${q}, 1)" &&
	test "$(test_json stats.json "d[\"end\"] > 38")" = True &&
	test "$(test_json stats.json "any(b[\"index\"] > a[\"index\"] + 1
		for a, b in zip(d[\"segments\"], d[\"segments\"][1:]))")" = True
'

test_done
