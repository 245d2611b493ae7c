#!/usr/bin/env bash
# media.sh - media ingest benchmarks (make bench; not pass/fail).
#
# 1. Real-time factor per rendition: a 20-second 1080p clip (ffmpeg's
#    testsrc2 with moving text and a tone) encoded to each rung of the
#    standard ladder alone, with the options lib/media_ingest.c uses
#    (x264 veryfast, forced keyframes every 4 s, capped bitrate, HLS), and
#    the whole ladder through "sf media add --wait".  RTF = seconds of
#    video per second of wall time (above 1: faster than real time).
# The auto ladder against the standard one, at equal PSNR, is
# media_ladder.sh.
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

sf db stop >/dev/null 2>&1 || true
