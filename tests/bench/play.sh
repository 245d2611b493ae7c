#!/usr/bin/env bash
# play.sh - time to first frame of "sf play" with sf serve on loopback
# (make bench; not pass/fail).
#
# A 60 s 1280x720 clip is ingested with the standard ladder (240p-720p)
# in a throwaway cluster; sf serve runs on 127.0.0.1 and sf play, logged
# in to it, starts the clip 10 times with --vo null --ao null, each from
# the beginning, and each run's QoE record gives ttff_ms: from the start
# of the playback API call to mpv's first frame (the API answer, the
# rendition's playlist, the first segment, demuxing and decoding).  Beside
# it: mpv alone opening the local master playlist and the local first
# segment (--frames=1), whole process, which includes mpv's own start-up.
# Target: sf play's median <= 300 ms.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../harness/pg.sh"

echo "## sf play: time to first frame, sf serve on loopback"
echo
for p in ffmpeg mpv curl; do
	command -v $p >/dev/null || { echo "note: $p is not installed; skipped"; exit 0; }
done
bench_db play
export SF_MEDIA_ROOT=$work/media XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
cd "$work"
ffmpeg -v error -f lavfi -i testsrc2=size=1280x720:rate=25:duration=60 -f lavfi -i sine=duration=60 \
	-c:v libx264 -preset ultrafast -c:a aac -shortest -y clip.mp4
"$SF_BIN" title add "Bench" --external-id bench --status published >/dev/null
"$SF_BIN" media add bench clip.mp4 --wait >/dev/null
echo Secret123 | "$SF_BIN" user add --email bench@example.com --username bench \
	--password-stdin >/dev/null
"$SF_BIN" serve --listen 127.0.0.1:0 --threads 2 >/dev/null 2>serve.err &
serve_pid=$!
for _ in $(seq 1 200); do
	base=$(sed -n 's/^sf: serving on \([^ ]*\) .*/\1/p' serve.err)
	[ -n "$base" ] && break
	sleep 0.05
done
"$SF_BIN" login --server "http://$base" --email bench@example.com --password-stdin \
	<<<Secret123 >/dev/null
for i in $(seq 1 10); do
	"$SF_BIN" play bench --server "http://$base" --vo null --start-over --stop-at 1 \
		--stats "ttff-$i.json" </dev/null >/dev/null
done
python3 - "$work" <<'PY'
import glob, json, statistics, sys
runs = [json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + "/ttff-*.json"))]
t = sorted(r["ttff_ms"] for r in runs)
first = [r["segments"][0]["height"] for r in runs]
print("| measure | runs | median ms | min ms | max ms |")
print("|---|---|---|---|---|")
print("| sf play: playback API call to first frame | %d | %.1f | %.1f | %.1f |" % (
    len(t), statistics.median(t), t[0], t[-1]))
print("")
print("first rendition fetched, per run: " + ", ".join("%dp" % h for h in first))
PY
dir=$(psql -qAtX -d bench -c "SELECT dir FROM media_assets LIMIT 1")
bench_header "mpv alone (process start to first frame, exit)"
bench_cmd "mpv --frames=1, local master playlist" 10 \
	mpv --no-config --vo=null --ao=null --frames=1 "$SF_MEDIA_ROOT/$dir/master.m3u8"
bench_cmd "mpv --frames=1, local first 240p segment" 10 \
	mpv --no-config --vo=null --ao=null --frames=1 "$SF_MEDIA_ROOT/$dir/v0/seg_00000.ts"
