#!/usr/bin/env bash
# media.t - media over HTTP: GET /api/v1/playback/{title} hands a player
# the signed master URL, the ladder, subtitles, trickplay, where to start
# and the next episode; GET /media/... serves the files of ready assets
# with their types, cache lifetimes, byte ranges and validators, refusing
# tampered URLs (403) and expired ones (410); and mpv plays the master URL
# from sf serve to the end.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
for p in ffmpeg mpv curl; do
	command -v "$p" >/dev/null || test_skip_all "$p is not installed"
done
test_db
export SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
export SF_SECRET=0123456789abcdef0123456789abcdef-api-media
q="'"
# Servers started inside test bodies leave their pid in a .pid file.
trap 'kill -KILL $API_PID $(cat "$TEST_DIR"/*.pid 2>/dev/null) 2>/dev/null' EXIT

# media URL [curl options]: GET of an absolute media URL over the socket;
# prints the status, the body in ./out and the headers in ./hdr.
media() {
	local url=$1
	shift
	curl -s -o out -D hdr -w '%{http_code}' --unix-socket "$API_SOCK" "$@" "$url"
}

# header NAME: the value of a response header in ./hdr.
header() {
	tr -d '\r' <hdr | sed -n "s/^$1: //Ip" | tail -1
}

test_expect_success 'setup: a movie and a two-episode series with ready media' '
	test_clip clip.mp4 320x180 6 &&
	sf title add "Reel" --external-id reel --status published >/dev/null &&
	sf title add "Loop" --external-id loop --kind series --status published >/dev/null &&
	sf title season add loop 1 >/dev/null &&
	sf title episode add loop 1 1 --name "One" >/dev/null &&
	sf title episode add loop 1 2 --name "Two" >/dev/null &&
	sf title add "Bare" --external-id bare --status published >/dev/null &&
	sf title add "Grim" --external-id grim --status published --maturity R >/dev/null &&
	sf media add reel clip.mp4 --wait >/dev/null &&
	sf media add loop clip.mp4 --season 1 --episode 1 --wait >/dev/null &&
	sf media add loop clip.mp4 --season 1 --episode 2 --wait >/dev/null &&
	sf media add grim clip.mp4 --wait >/dev/null &&
	printf "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello\n" >en.vtt &&
	sf media subtitle add reel en.vtt --lang en >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM media_assets WHERE status = ${q}ready${q}")" = 4
'
api_start
api_user v@example.com viewer >v.tok
V=$(cat v.tok)
REEL=$(test_sql "SELECT id FROM titles WHERE external_id = 'reel'")
LOOP=$(test_sql "SELECT id FROM titles WHERE external_id = 'loop'")
KID=$(sf profile add v@example.com Kid --maturity PG --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

test_expect_success 'playback answers the signed master URL, ladder, subtitles and trickplay' '
	api_expect 200 GET /api/v1/playback/$REEL "$V" &&
	j "d[\"master_url\"]" >master &&
	grep -q "^http://sf/media/[A-Za-z0-9_-]*/[0-9]*/[^/]*/master.m3u8$" master &&
	test "$(j "len(d[\"renditions\"]) >= 1 and all(r[\"url\"].startswith(\"http://sf/media/\") for r in d[\"renditions\"])")" = True &&
	test "$(j "[s[\"lang\"] for s in d[\"subtitles\"]]")" = "[${q}en${q}]" &&
	test "$(j "d[\"thumbnails_url\"].endswith(\"/thumbs.vtt\"), d[\"poster_url\"].endswith(\"/poster.jpg\")")" = "(True, True)" &&
	test "$(j "d[\"start\"], d[\"resume\"], d[\"episode\"], d[\"next\"]")" = "(0, False, None, None)" &&
	test "$(j "d[\"expires\"] > __import__(\"time\").time() + 3600")" = True
'

test_expect_success 'playback offers the saved position, and the next episode of a series' '
	api_expect 200 PUT /api/v1/titles/$REEL/progress "$V" "{\"position\":37,\"duration\":600}" &&
	api_expect 200 GET /api/v1/playback/$REEL "$V" &&
	test "$(j "d[\"start\"], d[\"resume\"]")" = "(37, True)" &&
	api_expect 200 GET /api/v1/playback/$LOOP "$V" &&
	test "$(j "d[\"episode\"][\"number\"], d[\"next\"][\"number\"], d[\"next\"][\"name\"]")" = "(1, 2, ${q}Two${q})" &&
	api_expect 200 "GET" "/api/v1/playback/$LOOP?season=1&episode=2" "$V" &&
	test "$(j "d[\"episode\"][\"number\"], d[\"next\"]")" = "(2, None)"
'

test_expect_success 'playback refuses what cannot be played, naming it' '
	api_expect 404 GET /api/v1/playback/bare "$V" && grep -q "no media ready" out &&
	api_expect 404 GET /api/v1/playback/999999 "$V" &&
	api_expect 404 "GET" "/api/v1/playback/$LOOP?season=1&episode=7" "$V" &&
	api_expect 400 "GET" "/api/v1/playback/$LOOP?season=x&episode=1" "$V" && grep -q "${q}x${q}" out &&
	api_expect 404 "GET" "/api/v1/playback/grim?profile=$KID" "$V" && grep -q "rated R" out &&
	api_expect 400 "GET" "/api/v1/playback/$REEL?speed=2" "$V" && grep -q speed out &&
	api_expect 401 GET /api/v1/playback/$REEL
'

api_expect 200 GET /api/v1/playback/$REEL "$V" >/dev/null
cp out playback.json
MASTER=$(test_json playback.json 'd["master_url"]')
SIGNED=${MASTER%/master.m3u8}
SEG=$SIGNED/$(test_json playback.json 'd["renditions"][0]["url"].split("/")[-2]')/seg_00000.ts

test_expect_success 'the master playlist: its type, a short cache lifetime, and its subtitles' '
	test "$(media "$MASTER")" = 200 &&
	test "$(header Content-Type)" = application/vnd.apple.mpegurl &&
	test "$(header Cache-Control)" = "public, max-age=60" &&
	grep -q "^#EXT-X-STREAM-INF" out && grep -q "TYPE=SUBTITLES" out &&
	test "$(media "$SIGNED/subs/en.vtt")" = 200 && test "$(header Content-Type)" = "text/vtt; charset=utf-8" &&
	test "$(media "$SIGNED/thumbs.vtt")" = 200 &&
	test "$(media "$SIGNED/poster.jpg")" = 200 && test "$(header Content-Type)" = image/jpeg
'

test_expect_success 'a segment: video/mp2t, cached for a year, the same bytes as on disk' '
	test "$(media "$SEG")" = 200 &&
	test "$(header Content-Type)" = video/mp2t &&
	test "$(header Cache-Control)" = "public, max-age=31536000, immutable" &&
	test "$(header Accept-Ranges)" = bytes &&
	dir=$(test_sql "SELECT dir FROM media_assets WHERE title_id = $REEL") &&
	test_cmp "$SF_MEDIA_ROOT/$dir/${SEG#$SIGNED/}" out
'

test_expect_success 'byte ranges: first bytes, a middle, the suffix; past the end is 416' '
	size=$(stat -c %s "$SF_MEDIA_ROOT/$(test_sql "SELECT dir FROM media_assets WHERE title_id = $REEL")/${SEG#$SIGNED/}") &&
	test "$(media "$SEG" -H "Range: bytes=0-187")" = 206 &&
	test "$(stat -c %s out)" = 188 && test "$(header Content-Range)" = "bytes 0-187/$size" &&
	test "$(media "$SEG" -H "Range: bytes=188-375")" = 206 && test "$(stat -c %s out)" = 188 &&
	test "$(media "$SEG" -H "Range: bytes=-100")" = 206 && test "$(stat -c %s out)" = 100 &&
	test "$(header Content-Range)" = "bytes $((size - 100))-$((size - 1))/$size" &&
	test "$(media "$SEG" -H "Range: bytes=100-")" = 206 && test "$(stat -c %s out)" = $((size - 100)) &&
	test "$(media "$SEG" -H "Range: bytes=$size-")" = 416 &&
	test "$(header Content-Range)" = "bytes */$size" && grep -q "range_not_satisfiable" out &&
	test "$(media "$SEG" -H "Range: bytes=0-1,5-9")" = 200 && test "$(stat -c %s out)" = "$size"
'

test_expect_success 'HEAD answers the headers alone; If-None-Match with the ETag is 304' '
	test "$(media "$SEG" -I)" = 200 && test "$(header Content-Type)" = video/mp2t &&
	etag=$(header ETag) && test -n "$etag" &&
	rm -f out && test "$(media "$SEG" -H "If-None-Match: $etag")" = 304 && ! test -s out &&
	test "$(media "$SEG" -H "If-None-Match: \"other\"")" = 200
'

test_expect_success 'tampered paths and signatures are 403; unknown files 404' '
	md5=$(echo "$MASTER" | cut -d/ -f5) && exp=$(echo "$MASTER" | cut -d/ -f6) &&
	dir=$(echo "$MASTER" | cut -d/ -f7) &&
	other=$(test_sql "SELECT dir FROM media_assets WHERE title_id = $LOOP ORDER BY id LIMIT 1") &&
	test "$(media "http://sf/media/$md5/$exp/$other/master.m3u8")" = 403 &&
	test "$(media "http://sf/media/AAAA${md5#????}/$exp/$dir/master.m3u8")" = 403 &&
	test "$(media "http://sf/media/$md5/$((exp + 1))/$dir/master.m3u8")" = 403 &&
	test "$(media "http://sf/media/$dir/master.m3u8")" = 403 &&
	test "$(media "$SIGNED/../$other/master.m3u8" --path-as-is)" = 403 &&
	test "$(media "$SIGNED/nothing.ts")" = 404 &&
	test "$(media "$MASTER" -X POST)" = 404
'

test_expect_success 'an expired URL is 410' '
	sf media playback reel --ttl -60 >old.json &&
	old=$(test_json old.json "d[\"master_url\"]") &&
	test "$(media "http://sf$old")" = 410 && grep -q "\"gone\"" out
'

test_expect_success 'mpv plays the master URL from sf serve to the end' '
	"$SF_BIN" serve --listen 127.0.0.1:0 --threads 2 >tcp.log 2>tcp.err &
	TCP_PID=$! && echo $TCP_PID >tcp.pid &&
	for i in $(seq 100); do grep -q "serving on" tcp.err && break; sleep 0.05; done &&
	addr=$(sed -n "s/.*serving on \([^ ]*\).*/\1/p" tcp.err) &&
	curl -s -o out -H "Authorization: Bearer $V" "http://$addr/api/v1/playback/$REEL" &&
	url=$(j "d[\"master_url\"]") && case $url in "http://$addr/media/"*) ;; *) false ;; esac &&
	mpv --no-config --vo=null --ao=null "$url" >mpv.out 2>&1 &&
	grep -q "Exiting... (End of file)" mpv.out &&
	kill $TCP_PID && wait $TCP_PID &&
	grep -q "method=GET path=/media/.*/seg_00001.ts status=20[06]" tcp.log
'

test_expect_success '--media-base puts a CDN origin before the URLs; a bad one is refused' '
	"$SF_BIN" serve --listen "unix:$TEST_DIR/cdn.sock" --media-base https://cdn.example/sf \
		>cdn.log 2>cdn.err &
	pid=$! && echo $pid >cdn.pid &&
	for i in $(seq 100); do grep -q "serving on" cdn.err && break; sleep 0.05; done &&
	curl -s -o out --unix-socket cdn.sock -H "Authorization: Bearer $V" \
		"http://sf/api/v1/playback/$REEL" &&
	kill $pid &&
	test "$(j "d[\"master_url\"].startswith(\"https://cdn.example/sf/media/\")")" = True &&
	test_expect_fail 2 "media base ${q}cdn.example${q}" "$SF_BIN" serve --media-base cdn.example &&
	test_expect_fail 2 "media base" "$SF_BIN" serve --media-base https://cdn.example/ &&
	test_expect_fail 2 "media-ttl" "$SF_BIN" serve --media-ttl 5
'

api_stop
test_expect_success 'sf serve stopped cleanly' 'test "$API_STATUS" = 0'
test_done
