#!/usr/bin/env bash
# media.sh - "sf media", "sf worker" and "sf job": a generated clip
# ingested end to end (the ladder, valid playlists that ffprobe reads and
# mpv plays to the end, 4-second segments, keyframes aligned at every
# segment start in every rendition, checksums), the auto ladder,
# episodes, subtitles, bad sources failing with ffmpeg's reason and
# leaving nothing behind, and a worker killed with -9 mid-encode whose
# job is taken again and ends ready while no partial asset is ever
# listed.  Real ffmpeg, ffprobe, mpv and PostgreSQL; clips are tiny.
. "$SF_TEST_TOP/tests/harness/lib.sh"
for p in ffmpeg ffprobe mpv python3; do
	command -v $p >/dev/null || test_skip_all "$p is not installed"
done
test_db
export SF_HOME=$TEST_DIR/home SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
export SF_SECRET=0123456789abcdef0123456789abcdef-media-test
q="'"

# clip NAME SECONDS [SIZE]: a test picture with a tone.
clip() {
	ffmpeg -v error -f lavfi -i "testsrc2=size=${3:-640x360}:rate=25:duration=$2" \
		-f lavfi -i "sine=frequency=440:duration=$2" -c:v libx264 -preset ultrafast \
		-c:a aac -shortest -y "$1"
}

# asset_json ID: the asset's JSON form into asset.json.
asset_json() {
	sf media show "$1" --json >asset.json
}

# dir_of ID: the asset's directory on disk.
dir_of() {
	echo "$SF_MEDIA_ROOT/$(test_sql "SELECT dir FROM media_assets WHERE id = $1")"
}

test_expect_success 'setup: a movie, a series with an episode, clips' '
	sf title add "Test Pattern" --external-id tp1 >/dev/null &&
	sf title add "Pattern Show" --kind series --external-id ps1 >/dev/null &&
	sf title season add ps1 1 >/dev/null &&
	sf title episode add ps1 1 1 --name Pilot >/dev/null &&
	clip "$TEST_DIR/clip.mp4" 10 &&
	clip "$TEST_DIR/small.mp4" 6 320x180
'

test_expect_success 'media add queues an asset and a job' '
	sf media add tp1 "$TEST_DIR/clip.mp4" --json >out &&
	test "$(test_json out "d[\"status\"], d[\"ladder\"], d[\"job\"][\"state\"]")" = \
		"(${q}queued${q}, ${q}standard${q}, ${q}queued${q})" &&
	test "$(test_json out "d[\"source\"]")" = "$TEST_DIR/clip.mp4" &&
	sf job list >jobs &&
	grep -q "media.ingest.*queued" jobs &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}media.add${q}")" = 1
'

test_expect_success 'sf worker --drain encodes the queued asset and stops' '
	sf worker --drain 2>log &&
	grep -q "job 1 (asset 1): ready" log &&
	asset_json 1 &&
	test "$(test_json asset.json "d[\"status\"], d[\"segment_count\"], d[\"width\"], d[\"height\"]")" = \
		"(${q}ready${q}, 3, 640, 360)" &&
	test "$(test_json asset.json "[r[\"name\"] for r in d[\"renditions\"]]")" = \
		"[${q}240p${q}, ${q}360p${q}]" &&
	test "$(test_json asset.json "abs(d[\"duration\"] - 10) < 0.1")" = True &&
	sf job show 1 --json >job &&
	test "$(test_json job "d[\"state\"], d[\"attempts\"]")" = "(${q}done${q}, 1)"
'

test_expect_success 'the asset directory holds master, renditions, poster and trickplay' '
	d=$(dir_of 1) &&
	for f in master.m3u8 v0/index.m3u8 v1/index.m3u8 poster.jpg thumbs.jpg thumbs.vtt; do
		test -s "$d/$f" || { echo "no $f"; false; }
	done &&
	grep -q "^#EXT-X-STREAM-INF:.*RESOLUTION=426x240,CODECS=\"avc1.4d401e,mp4a.40.2\"" "$d/master.m3u8" &&
	grep -q "^#EXT-X-STREAM-INF:.*RESOLUTION=640x360" "$d/master.m3u8" &&
	test "$(grep -c "^v[01]/index.m3u8$" "$d/master.m3u8")" = 2 &&
	head -n 1 "$d/thumbs.vtt" | grep -qx WEBVTT &&
	test "$(grep -c "thumbs.jpg#xywh=" "$d/thumbs.vtt")" = 10 &&
	ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$d/thumbs.jpg" >size &&
	grep -qx "1600,180" size &&
	ffprobe -v error -show_entries stream=height -of csv=p=0 "$d/poster.jpg" | grep -qx 360 &&
	! ls -a "$SF_MEDIA_ROOT" | grep -q "^\.tmp-"
'

test_expect_success 'ffprobe reads every rendition, AAC stereo beside H.264' '
	d=$(dir_of 1) &&
	for v in v0 v1; do
		ffprobe -v error -show_entries stream=codec_name,channels -of csv=p=0 \
			"$d/$v/index.m3u8" >streams &&
		grep -qx h264 streams && grep -qx aac,2 streams || { cat streams; false; }
	done
'

test_expect_success 'segments last 4 s (the last one the rest), within a frame' '
	d=$(dir_of 1) &&
	for v in v0 v1; do
		grep "^#EXTINF:" "$d/$v/index.m3u8" | sed "s/#EXTINF:\([0-9.]*\),/\1/" >durs &&
		test "$(wc -l <durs)" = 3 &&
		python3 -c "import sys; d = [float(x) for x in open(\"durs\")]; \
			assert all(abs(x - 4) <= 0.04 for x in d[:-1]), d; \
			assert abs(d[-1] - 2) <= 0.04, d" || return 1
	done
'

test_expect_success 'every segment of every rendition starts on a keyframe, at the same time' '
	d=$(dir_of 1) &&
	for v in v0 v1; do
		for s in "$d/$v"/seg_*.ts; do
			ffprobe -v error -select_streams v -show_entries packet=pts_time,flags \
				-of csv=p=0 -read_intervals "%+#1" "$s" | head -n 1
		done >"starts.$v" &&
		cut -d, -f2 "starts.$v" | grep -v "^K" && return 1
		# The keyframes inside the segment are its first only.
		for s in "$d/$v"/seg_*.ts; do
			test "$(ffprobe -v error -select_streams v -show_entries packet=flags \
				-of csv=p=0 "$s" | grep -c "^K")" = 1 || { echo "$s"; return 1; }
		done
	done &&
	cut -d, -f1 starts.v0 >t0 && cut -d, -f1 starts.v1 >t1 &&
	test_cmp t0 t1 &&
	python3 -c "t = [float(x) for x in open(\"t0\")]; \
		assert all(abs(b - a - 4) < 0.001 for a, b in zip(t, t[1:])), t"
'

test_expect_success 'mpv plays the master playlist from the media root to the end' '
	d=$(dir_of 1) &&
	timeout 120 mpv --no-config --vo=null --ao=null --msg-level=all=info \
		"$d/master.m3u8" >mpv.log 2>&1 &&
	grep -q "Exiting... (End of file)" mpv.log
'

test_expect_success 'the checksums recorded are those of the files' '
	d=$(dir_of 1) &&
	test_sql "SELECT path || ${q} ${q} || sha256 FROM media_files WHERE asset_id = 1 ORDER BY path" >db &&
	(cd "$d" && find . -type f | sed "s|^\./||" | LC_ALL=C sort | while read -r f; do
		echo "$f $(sha256sum "$f" | cut -d" " -f1)"; done) >disk &&
	LC_ALL=C sort db >db.sorted &&
	test_cmp db.sorted disk
'

test_expect_success 'media add --wait encodes here; --ladder auto records its complexity' '
	sf media add tp1 "$TEST_DIR/clip.mp4" --ladder auto --wait --json >out &&
	test "$(test_json out "d[\"status\"], d[\"ladder\"]")" = "(${q}ready${q}, ${q}auto${q})" &&
	test "$(test_json out "0.25 <= d[\"complexity\"] <= 1")" = True &&
	test "$(test_json out "all(r[\"target_bitrate\"] <= s for r, s in zip(d[\"renditions\"], [528000, 928000]))")" = True
'

test_expect_success 'a source smaller than 240p gets one rendition at its own size' '
	sf media add tp1 "$TEST_DIR/small.mp4" --wait --json >out &&
	test "$(test_json out "[(r[\"name\"], r[\"width\"], r[\"height\"]) for r in d[\"renditions\"]]")" = \
		"[(${q}180p${q}, 320, 180)]"
'

test_expect_success 'an episode is named by its title, --season and --episode' '
	sf media add ps1 "$TEST_DIR/small.mp4" --season 1 --episode 1 --wait >out &&
	grep -q "^PLAYABLE: *Pattern Show S01E01$" out &&
	test_expect_fail 2 "is a series: name an episode" sf media add ps1 "$TEST_DIR/small.mp4" &&
	test_expect_fail 3 "episode 9 of season 1" sf media add ps1 "$TEST_DIR/small.mp4" \
		--season 1 --episode 9 &&
	test_expect_fail 2 "is a movie" sf media add tp1 "$TEST_DIR/small.mp4" --season 1 --episode 1
'

test_expect_success 'SRT subtitles become WebVTT, listed in the master playlist' '
	printf "1\r\n00:00:01,000 --> 00:00:03,500\r\nHello there\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,000\r\nGoodbye\r\n" >en.srt &&
	sf media subtitle add tp1 en.srt --lang en >out &&
	grep -q "added en subtitles (2 cues)" out &&
	d=$(dir_of 1) &&
	head -n 1 "$d/subs/en.vtt" | grep -qx WEBVTT &&
	map=$(sed -n "s/^X-TIMESTAMP-MAP=MPEGTS:\([0-9]*\),LOCAL:00:00:00.000$/\1/p" "$d/subs/en.vtt") &&
	start=$(ffprobe -v error -show_entries format=start_time -of csv=p=0 "$d/v0/seg_00000.ts") &&
	python3 -c "import sys; sys.exit(abs($map / 90000 - $start) > 0.2)" &&
	grep -q "^00:00:01.000 --> 00:00:03.500$" "$d/subs/en.vtt" &&
	grep -q "^#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",LANGUAGE=\"en\".*URI=\"subs/en.m3u8\"" "$d/master.m3u8" &&
	grep -q "SUBTITLES=\"subs\"" "$d/master.m3u8" &&
	grep -qx "en.vtt" "$d/subs/en.m3u8" &&
	printf "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBonjour\n" >fr.vtt &&
	sf media subtitle add tp1 fr.vtt --lang fr >/dev/null &&
	grep -q "LANGUAGE=\"fr\"" "$d/master.m3u8" &&
	timeout 120 mpv --no-config --vo=null --ao=null --sid=1 "$d/master.m3u8" >mpv.log 2>&1 &&
	grep -q "Exiting... (End of file)" mpv.log
'

test_expect_success 'bad subtitle input is one line, nothing changed' '
	echo "just text" >bad.srt &&
	test_expect_fail 2 "neither WebVTT nor SRT" sf media subtitle add tp1 bad.srt --lang en &&
	test_expect_fail 2 "--lang ${q}English${q}: not a language tag" \
		sf media subtitle add tp1 en.srt --lang English &&
	test_expect_fail 2 "subtitle file ${q}nope.srt${q}: No such file" \
		sf media subtitle add tp1 nope.srt --lang en
'

# ---- bad sources ----

# fails_with FILE TEXT: ingesting FILE fails the job with TEXT in one
# line, and leaves no directory behind.
fails_with() {
	sf media add tp1 "$1" --json >added &&
	id=$(test_json added "d[\"id\"]") &&
	sf worker --drain 2>log &&
	asset_json "$id" &&
	test "$(test_json asset.json "d[\"status\"], d[\"dir\"], d[\"renditions\"]")" = \
		"(${q}failed${q}, None, [])" &&
	test_json asset.json "d[\"error\"]" >err &&
	test_one_line err &&
	grep -qF -- "$2" err || { cat err; return 1; }
	test "$(test_json asset.json "d[\"job\"][\"state\"]")" = failed &&
	! ls -a "$SF_MEDIA_ROOT" | grep -q "^\.tmp-$id-\|^$id-"
}

test_expect_success 'a file that is not a video fails with ffprobe'\''s reason' '
	echo "not a video at all" >text.mp4 &&
	fails_with "$TEST_DIR/text.mp4" "Invalid data found when processing input"
'

test_expect_success 'a file with no video stream fails' '
	ffmpeg -v error -f lavfi -i sine=duration=3 -y "$TEST_DIR/tone.m4a" &&
	fails_with "$TEST_DIR/tone.m4a" "no video stream"
'

test_expect_success 'a truncated file fails' '
	head -c 60000 "$TEST_DIR/clip.mp4" >"$TEST_DIR/cut.mp4" &&
	fails_with "$TEST_DIR/cut.mp4" "source ${q}$TEST_DIR/cut.mp4${q}: "
'

test_expect_success 'a truncated file whose index promises more fails as truncated' '
	ffmpeg -v error -i "$TEST_DIR/clip.mp4" -c copy -movflags +faststart -y "$TEST_DIR/fs.mp4" &&
	head -c $(( $(stat -c %s "$TEST_DIR/fs.mp4") / 2 )) "$TEST_DIR/fs.mp4" >"$TEST_DIR/half.mp4" &&
	fails_with "$TEST_DIR/half.mp4" "truncated: "
'

test_expect_success 'a source gone before the worker came fails the job' '
	cp "$TEST_DIR/small.mp4" "$TEST_DIR/gone.mp4" &&
	sf media add tp1 "$TEST_DIR/gone.mp4" --json >added &&
	rm "$TEST_DIR/gone.mp4" &&
	id=$(test_json added "d[\"id\"]") &&
	sf worker --drain 2>log &&
	asset_json "$id" &&
	test "$(test_json asset.json "d[\"status\"]")" = failed &&
	grep -q "No such file or directory" asset.json
'

test_expect_success 'a missing, unreadable or odd source is refused at once' '
	test_expect_fail 2 "source ${q}nope.mp4${q}: No such file or directory" \
		sf media add tp1 nope.mp4 &&
	mkdir adir &&
	test_expect_fail 2 "source ${q}adir${q}: not a regular file" sf media add tp1 adir &&
	test_expect_fail 2 "--ladder ${q}fast${q}: not one of" \
		sf media add tp1 "$TEST_DIR/clip.mp4" --ladder fast &&
	test_expect_fail 3 "title ${q}nosuch${q}: not found" \
		sf media add nosuch "$TEST_DIR/clip.mp4" &&
	test_expect_fail 2 "asset ${q}x${q}: not an asset id" sf media show x &&
	test_expect_fail 3 "asset ${q}999${q}: not found" sf media show 999 &&
	test_expect_fail 2 "job ${q}x${q}: not a job id" sf job show x
'

test_expect_success 'media retry queues a failed asset again; a ready one is a conflict' '
	id=$(test_sql "SELECT min(id) FROM media_assets WHERE status = ${q}failed${q}") &&
	sf media retry "$id" --json >out &&
	test "$(test_json out "d[\"status\"], d[\"job\"][\"state\"], d[\"job\"][\"attempts\"]")" = \
		"(${q}queued${q}, ${q}queued${q}, 0)" &&
	sf worker --drain 2>/dev/null &&
	test_expect_fail 4 "asset ${q}1${q} is ready; only a failed asset is retried" \
		sf media retry 1
'

test_expect_success 'media remove deletes the rows and the directory' '
	d=$(dir_of 2) &&
	test -d "$d" &&
	sf media remove 2 --yes >out &&
	grep -q "removed asset 2" out &&
	test ! -e "$d" &&
	test "$(test_sql "SELECT count(*) FROM media_files WHERE asset_id = 2")" = 0 &&
	test_expect_fail 3 "asset ${q}2${q}: not found" sf media remove 2 --yes
'

test_expect_success 'a viewer may not manage media' '
	echo Secret123viewer | sf user add --email v@example.com --username v --password-stdin >/dev/null &&
	test_expect_fail 77 "may not manage the catalog" sf media list --as v@example.com
'

# ---- a worker killed mid-encode ----

test_expect_success 'kill -9 mid-encode: the job is taken again and ends ready; no partial asset is listed' '
	clip "$TEST_DIR/long.mp4" 20 854x480 &&
	sf media add tp1 "$TEST_DIR/long.mp4" --json >added &&
	id=$(test_json added "d[\"id\"]")
	# Watch the list the whole time: every asset it shows as ready must
	# have every file its rows name.
	( while [ ! -e stop-watch ]; do
		sf media list --json >list.json 2>/dev/null &&
		python3 - "$SF_MEDIA_ROOT" <<-PY || touch watch-failed
		import json, os, subprocess, sys
		for a in json.load(open("list.json")):
		    if a["status"] == "ready":
		        d = os.path.join(sys.argv[1], a["dir"])
		        for r in a["renditions"]:
		            assert os.path.exists(os.path.join(d, r["playlist"])), (a["id"], r)
		        assert os.path.exists(os.path.join(d, "master.m3u8")), a["id"]
		    else:
		        assert a["dir"] is None and a["renditions"] == [], a
		PY
	  done ) &
	watcher=$!
	# Not the sf function: $! must be sf itself.
	SF_MEDIA_PRESET=medium "$SF_BIN" worker >worker.log 2>&1 &
	worker=$!
	for i in $(seq 600); do
		ls -a "$SF_MEDIA_ROOT" | grep -q "^\.tmp-$id-" &&
			ls "$SF_MEDIA_ROOT"/.tmp-$id-*/v0/seg_00000.ts >/dev/null 2>&1 && break
		sleep 0.1
	done &&
	test "$(test_sql "SELECT status FROM media_assets WHERE id = $id")" = encoding &&
	kill -9 $worker &&
	{ wait $worker 2>/dev/null || true; } &&
	# Its ffmpeg dies with it (zombies aside, which only wait for a reaper).
	for i in $(seq 50); do
		ps -eo stat=,args= | grep -v "^Z" | grep -q "[f]fmpeg.*$TEST_DIR/long.mp4" || break
		sleep 0.1
	done &&
	! ps -eo stat=,args= | grep -v "^Z" | grep "[f]fmpeg.*$TEST_DIR/long.mp4" &&
	test "$(test_sql "SELECT status FROM media_assets WHERE id = $id")" = encoding &&
	sf job list --json >jobs &&
	test "$(test_json jobs "[j[\"state\"] for j in d if j[\"asset_id\"] == $id]")" = "[${q}orphaned${q}]" &&
	sf worker --drain 2>log &&
	touch stop-watch && wait $watcher &&
	test ! -e watch-failed &&
	asset_json "$id" &&
	test "$(test_json asset.json "d[\"status\"], d[\"job\"][\"attempts\"]")" = "(${q}ready${q}, 2)" &&
	test "$(test_json asset.json "[r[\"name\"] for r in d[\"renditions\"]]")" = \
		"[${q}240p${q}, ${q}360p${q}, ${q}480p${q}]" &&
	! ls -a "$SF_MEDIA_ROOT" | grep -q "^\.tmp-" &&
	test "$(ls "$SF_MEDIA_ROOT" | grep -c "^$id-")" = 1
'

test_done
