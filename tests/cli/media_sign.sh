#!/usr/bin/env bash
# media_sign.sh - signed media URLs against a stock nginx: nginx, set up
# with the location block "sf media nginx" prints over the same media
# root, serves the playlists and segments of URLs sf signs (and mpv plays
# the master playlist through it, relative URIs keeping the signature),
# refuses tampered paths and signatures (403) and expired URLs (410).
# nginx runs as a throwaway on a free port with its prefix in the test's
# directory.
. "$SF_TEST_TOP/tests/harness/lib.sh"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for p in ffmpeg curl python3 "$NGINX"; do
	command -v "$p" >/dev/null || test_skip_all "$p is not installed"
done
test_db
export SF_HOME=$TEST_DIR/home SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
export SF_SECRET=0123456789abcdef0123456789abcdef-sign-test
q="'"

cleanup_nginx() {
	if [ -s "$TEST_DIR/nginx/nginx.pid" ]; then
		kill "$(cat "$TEST_DIR/nginx/nginx.pid")" 2>/dev/null || true
	fi
}
trap cleanup_nginx EXIT

# get URL_PATH: prints the HTTP status of GET http://127.0.0.1:PORT/URL_PATH,
# the body into body.
get() {
	curl -s -o body -w "%{http_code}" "http://127.0.0.1:$port$1"
}

test_expect_success 'setup: a movie with a ready asset' '
	sf title add "Signed" --external-id sg1 --status published >/dev/null &&
	ffmpeg -v error -f lavfi -i testsrc2=size=426x240:rate=25:duration=9 \
		-f lavfi -i sine=duration=9 -c:v libx264 -preset ultrafast -c:a aac -shortest \
		-y clip.mp4 &&
	sf media add sg1 clip.mp4 --wait >/dev/null &&
	sf media add sg1 clip.mp4 --wait >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM media_assets WHERE status = ${q}ready${q}")" = 2
'

test_expect_success 'setup: nginx with the location sf media nginx prints' '
	mkdir -p nginx/logs nginx/tmp &&
	sf media nginx >nginx/sf-media.conf &&
	grep -q "secure_link_md5" nginx/sf-media.conf &&
	port=$(python3 -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])") &&
	echo "$port" >port &&
	cat >nginx/nginx.conf <<-EOF &&
	daemon on;
	worker_processes 1;
	pid $TEST_DIR/nginx/nginx.pid;
	error_log $TEST_DIR/nginx/logs/error.log;
	events { worker_connections 64; }
	http {
	    access_log $TEST_DIR/nginx/logs/access.log;
	    client_body_temp_path $TEST_DIR/nginx/tmp/body;
	    proxy_temp_path $TEST_DIR/nginx/tmp/proxy;
	    fastcgi_temp_path $TEST_DIR/nginx/tmp/fastcgi;
	    uwsgi_temp_path $TEST_DIR/nginx/tmp/uwsgi;
	    scgi_temp_path $TEST_DIR/nginx/tmp/scgi;
	    server {
	        listen 127.0.0.1:$port;
	        include $TEST_DIR/nginx/sf-media.conf;
	    }
	}
	EOF
	"$NGINX" -p "$TEST_DIR/nginx" -c "$TEST_DIR/nginx/nginx.conf" &&
	for i in $(seq 50); do
		curl -s -o /dev/null "http://127.0.0.1:$port/" && break
		sleep 0.1
	done &&
	test -s nginx/nginx.pid
'
port=$(cat port 2>/dev/null || echo 0)

test_expect_success 'nginx serves the signed master playlist, a rendition and a segment' '
	sf media playback sg1 >pb.json &&
	master=$(test_json pb.json "d[\"master_url\"]") &&
	case $master in /media/*/*/*-*/master.m3u8) ;; *) echo "$master"; false ;; esac &&
	test "$(get "$master")" = 200 &&
	dir=$(test_sql "SELECT dir FROM media_assets ORDER BY ready_at DESC, id DESC LIMIT 1") &&
	test_cmp "$SF_MEDIA_ROOT/$dir/master.m3u8" body &&
	base=${master%master.m3u8} &&
	test "$(get "${base}v0/index.m3u8")" = 200 &&
	test_cmp "$SF_MEDIA_ROOT/$dir/v0/index.m3u8" body &&
	test "$(get "${base}v0/seg_00001.ts")" = 200 &&
	cmp "$SF_MEDIA_ROOT/$dir/v0/seg_00001.ts" body &&
	test "$(get "$(test_json pb.json "d[\"poster_url\"]")")" = 200 &&
	test "$(get "$(test_json pb.json "d[\"renditions\"][0][\"url\"]")")" = 200
'

test_expect_success 'ffprobe and mpv play the master playlist through nginx' '
	master=$(test_json pb.json "d[\"master_url\"]") &&
	ffprobe -v error -show_entries format=duration -of csv=p=0 \
		"http://127.0.0.1:$port$master" >dur &&
	python3 -c "assert abs(float(open(\"dur\").read()) - 9) < 0.2" &&
	if command -v mpv >/dev/null; then
		timeout 120 mpv --no-config --vo=null --ao=null "http://127.0.0.1:$port$master" \
			>mpv.log 2>&1 &&
		grep -q "Exiting... (End of file)" mpv.log
	fi
'

test_expect_success 'a signature is for one asset directory: another directory is 403' '
	master=$(test_json pb.json "d[\"master_url\"]") &&
	other=$(test_sql "SELECT dir FROM media_assets ORDER BY ready_at ASC, id ASC LIMIT 1") &&
	dir=$(test_sql "SELECT dir FROM media_assets ORDER BY ready_at DESC, id DESC LIMIT 1") &&
	test "$other" != "$dir" &&
	test "$(get "${master/$dir/$other}")" = 403
'

test_expect_success 'a tampered signature or expiry is 403' '
	master=$(test_json pb.json "d[\"master_url\"]") &&
	sig=$(echo "$master" | cut -d/ -f3) &&
	exp=$(echo "$master" | cut -d/ -f4) &&
	bad=$(echo "$sig" | python3 -c "import sys; s = sys.stdin.read().strip(); print((\"A\" if s[0] != \"A\" else \"B\") + s[1:])") &&
	test "$(get "${master/$sig/$bad}")" = 403 &&
	test "$(get "${master/\/$exp\//\/$((exp + 1000))\/}")" = 403 &&
	test "$(get "/media/$SF_MEDIA_ROOT/master.m3u8")" != 200
'

test_expect_success 'an expired URL is 410' '
	sf media playback sg1 --ttl -60 >old.json &&
	test "$(get "$(test_json old.json "d[\"master_url\"]")")" = 410 &&
	test "$(test_json old.json "d[\"expires\"] < __import__(\"time\").time()")" = True
'

test_expect_success 'another secret signs URLs nginx refuses' '
	SF_SECRET=another-secret-another-secret-another-secret sf media playback sg1 >x.json &&
	test "$(get "$(test_json x.json "d[\"master_url\"]")")" = 403
'

test_expect_success 'playback of a title without ready media is not found' '
	sf title add "Empty" --external-id em1 >/dev/null &&
	test_expect_fail 3 "title ${q}em1${q}: no media ready to play" sf media playback em1
'

test_done
