#!/usr/bin/env bash
# media.sh - media ingest benchmarks (make bench; not pass/fail).
#
# 1. Real-time factor per rendition: a 20-second 1080p clip (ffmpeg's
#    testsrc2 with moving text and a tone) encoded to each rung of the
#    standard ladder alone, with the options lib/media_ingest.c uses
#    (x264 veryfast, forced keyframes every 4 s, capped bitrate, HLS), and
#    the whole ladder through "sf media add --wait".  RTF = seconds of
#    video per second of wall time (above 1: faster than real time).
# 2. The auto ladder against the standard one on the demo clips ("sf demo
#    load --titles 8": eight looks, 640x360, 8 s): each clip ingested with
#    both ladders; for every rendition its average bitrate and its PSNR
#    against the source scaled to the rendition's size.  "saved" is the
#    share of video bits auto does without; dPSNR what it costs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
for p in ffmpeg ffprobe python3; do
	command -v $p >/dev/null || { echo "media: $p is not installed; skipped"; exit 0; }
done
export SF_HOME=$SF_TEST_TMP/home SF_MEDIA_ROOT=$SF_TEST_TMP/media-bench
unset SF_MEDIA_PRESET
sf() { "$SF_BIN" "$@" </dev/null; }
work=$SF_TEST_TMP/media-bench-work
mkdir -p "$work"
cd "$work"

secs() { echo "$1" | awk '{ printf "%.2f", $1 / 1000000 }'; }

echo "Media ingest: real-time factor per rendition (20 s of 1080p25 testsrc2, x264 veryfast)"
echo
ffmpeg -v error -f lavfi -i testsrc2=s=1920x1080:r=25:d=20 -f lavfi -i sine=d=20 \
	-c:v libx264 -preset ultrafast -crf 12 -c:a aac -shortest -y src1080.mp4
printf '| %-10s | %10s | %8s | %8s |\n' rendition "kb/s" "wall s" RTF
printf '|%s|%s|%s|%s|\n' ------------ ------------ ---------- ----------
for r in "240 426 400000 3.0" "360 640 800000 3.0" "480 854 1400000 3.1" \
	 "720 1280 2800000 3.1" "1080 1920 5000000 4.0"; do
	set -- $r
	rm -rf rtf && mkdir rtf
	us=$(bench_elapsed ffmpeg -v error -i src1080.mp4 -vf "scale=$2:$1,setsar=1,format=yuv420p" \
		-c:v libx264 -preset veryfast -profile:v main -level:v "$4" -sc_threshold 0 \
		-flags +cgop -g 201 -force_key_frames "expr:gte(t,n_forced*4)" -b:v "$3" \
		-maxrate $(( $3 + $3 / 10 )) -bufsize $(( 2 * $3 )) -c:a aac -ac 2 -b:a 128k \
		-f hls -hls_time 4 -hls_playlist_type vod -hls_segment_filename "rtf/s%05d.ts" rtf/i.m3u8)
	printf '| %-10s | %10d | %8s | %8.2f |\n' "${1}p" $(( $3 / 1000 )) "$(secs "$us")" \
		"$(echo "$us" | awk '{ print 20 / ($1 / 1000000) }')"
done
sf title add "Bench" --external-id bench1 >/dev/null
us=$(bench_elapsed sf media add bench1 src1080.mp4 --wait)
printf '| %-10s | %10s | %8s | %8.2f |\n' "all five" "-" "$(secs "$us")" \
	"$(echo "$us" | awk '{ print 20 / ($1 / 1000000) }')"
echo
echo "(all five: one ffmpeg decoding once for the five renditions, plus poster,"
echo " trickplay and checksums, through sf media add --wait)"
echo

echo "Media ingest: --ladder auto against the standard ladder (demo clips, x264 veryfast)"
echo
us=$(bench_elapsed sf demo load --titles 8)
echo "(sf demo load --titles 8: $(secs "$us") s)"
echo
# psnr ASSET_DIR PLAYLIST W H SOURCE: the mean PSNR of a rendition.
psnr() {
	ffmpeg -nostdin -v error -i "$1/$2" -i "$5" -lavfi \
		"[1:v]setpts=PTS-STARTPTS,scale=$3:$4,setsar=1,format=yuv420p[ref];[0:v]setpts=PTS-STARTPTS,format=yuv420p[d];[d][ref]psnr=stats_file=psnr.log" \
		-f null - 2>/dev/null
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^psnr_avg:/) { split($i, a, ":"); s += (a[2] == "inf" ? 100 : a[2]); n++ } }
		END { printf "%.2f", s / n }' psnr.log
}
printf '| %-22s | %-5s | %9s | %8s | %9s | %8s | %7s | %6s |\n' clip rung "std kb/s" "std dB" \
	"auto kb/s" "auto dB" saved dPSNR
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------------------------ ------- ----------- ---------- \
	----------- ---------- --------- --------
total_std=0; total_auto=0
for n in 01 02 03 04 05 06 07 08; do
	clip=$SF_HOME/demo-clips/clip-$n-0.mp4
	name=$(sf title show "sfmedia:$n" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["title"])')
	sf media add "sfmedia:$n" "$clip" --ladder standard --wait --json >std.json
	sf media add "sfmedia:$n" "$clip" --ladder auto --wait --json >auto.json
	python3 - std.json auto.json <<'PY' >rungs
import json, sys
s, a = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for rs, ra in zip(s["renditions"], a["renditions"]):
    print(rs["name"], rs["width"], rs["height"], rs["playlist"], s["dir"], a["dir"],
          rs["average_bandwidth"] - 128000 * 1.05, ra["average_bandwidth"] - 128000 * 1.05)
PY
	while read -r rung w h pl sdir adir sbps abps; do
		ps=$(psnr "$SF_MEDIA_ROOT/$sdir" "$pl" "$w" "$h" "$clip")
		pa=$(psnr "$SF_MEDIA_ROOT/$adir" "$pl" "$w" "$h" "$clip")
		total_std=$(echo "$total_std $sbps" | awk '{ print $1 + $2 }')
		total_auto=$(echo "$total_auto $abps" | awk '{ print $1 + $2 }')
		printf '| %-22s | %-5s | %9.0f | %8s | %9.0f | %8s | %6.1f%% | %6.2f |\n' \
			"${name:0:22}" "$rung" "$(echo "$sbps" | awk '{ print $1 / 1000 }')" "$ps" \
			"$(echo "$abps" | awk '{ print $1 / 1000 }')" "$pa" \
			"$(echo "$sbps $abps" | awk '{ print 100 * (1 - $2 / $1) }')" \
			"$(echo "$ps $pa" | awk '{ print $2 - $1 }')"
	done <rungs
done
echo
echo "video bits saved by auto over all renditions: $(echo "$total_std $total_auto" |
	awk '{ printf "%.1f%%", 100 * (1 - $2 / $1) }') (video only: 128 kb/s of audio"
echo "and ~5% of MPEG-TS overhead taken off both)"
sf db stop >/dev/null 2>&1 || true
