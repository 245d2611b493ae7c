#!/usr/bin/env bash
# media_ladder.sh - what "--ladder auto" saves against the standard
# ladder, at equal quality (make bench; not pass/fail).
#
# Four 12 s clips of the demo's kinds of look at 1280x720, from simple to
# busy, each ingested twice through "sf media add --wait": with the
# standard ladder and with --ladder auto.  For every rendition of both:
# its real bitrate (video segments over duration) and its PSNR against
# the source scaled to the rendition's size.  Since one rendition of the
# auto ladder is the same encoder at another bitrate, the fair question
# is what the standard encode would need to reach auto's PSNR: each
# standard rendition is also encoded at 0.25, 0.5 and 1.5 times its
# bitrate with the same settings (2-pass-free ABR, the same VBV), and the
# standard curve is interpolated in log-bitrate at auto's PSNR.  "saved at
# equal PSNR" = 1 - auto bits / standard bits at that PSNR; "saved" alone
# is the plain difference, with the PSNR it costs beside it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../harness/pg.sh"

echo "## media: --ladder auto against the standard ladder, at equal PSNR"
echo
command -v ffmpeg >/dev/null || { echo "note: ffmpeg is not installed; skipped"; exit 0; }
work=$SF_TEST_TMP/ladder
pg=$SF_TEST_TMP/pg-ladder
mkdir -p "$work"
chmod 755 "$work"
pg_start "$pg" >/dev/null
trap 'pg_stop "$pg"' EXIT
export PGHOST=$pg PGUSER=sf
psql -qX -d postgres -c 'CREATE DATABASE bench' >/dev/null
export SF_DATABASE_URL="host=$PGHOST user=sf dbname=bench"
export SF_HOME=$work/home SF_MEDIA_ROOT=$work/media SF_SECRET=bench-secret-bench-secret-bench-ladder
cd "$work"
"$SF_BIN" db migrate >/dev/null

looks="gradients=s=1280x720:r=25:speed=0.03 smptehdbars=s=1280x720:r=25 testsrc2=s=1280x720:r=25 mandelbrot=s=1280x720:r=25:maxiter=256"
n=0
for look in $looks; do
	n=$((n + 1))
	ffmpeg -v error -f lavfi -i "$look" -t 12 -pix_fmt yuv420p -c:v libx264 -preset veryfast -crf 10 -an -y "src$n.mp4"
	"$SF_BIN" title add "Clip $n" --external-id "c$n" --status published >/dev/null
	for ladder in standard auto; do
		"$SF_BIN" media add "c$n" "src$n.mp4" --ladder $ladder --wait --json >"$ladder$n.json"
	done
done

# psnr REF_MP4 WIDTH HEIGHT FILE: the mean PSNR (all planes) of FILE
# against the reference scaled to its size.
psnr() {
	ffmpeg -nostdin -nostats -i "$4" -i "$1" -lavfi "[0:v]setpts=PTS-STARTPTS[d];
		[1:v]setpts=PTS-STARTPTS,scale=$2:$3:flags=bicubic[r];[d][r]psnr" -f null - 2>&1 |
		sed -n 's/.*PSNR.* average:\([0-9.inf]*\).*/\1/p' | tail -1
}

# One line a rendition: clip ladder height width kbps psnr
: >points
for i in $(seq 1 $n); do
	for ladder in standard auto; do
		dir=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['dir'])" "$ladder$i.json")
		python3 -c "
import json, sys
a = json.load(open(sys.argv[1]))
for r in a['renditions']:
    print(r['name'], r['width'], r['height'], r['playlist'])
" "$ladder$i.json" | while read -r name w h pl; do
			rd=$SF_MEDIA_ROOT/$dir/$(dirname "$pl")
			cat "$rd"/seg_*.ts >r.ts
			bytes=$(ffprobe -v error -select_streams v:0 -show_entries packet=size -of csv=p=0 r.ts |
				awk '{ s += $1 } END { print s }')
			p=$(psnr "src$i.mp4" "$w" "$h" r.ts)
			echo "$i $ladder $h $w $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b * 8 / 12 / 1000 }') $p" >>points
		done
	done
done

# The standard settings at other bitrates, for the curve.
: >curve
while read -r i ladder h w kbps p; do
	[ "$ladder" = standard ] || continue
	for f in 0.25 0.5 1.5; do
		b=$(awk -v k="$kbps" -v f="$f" 'BEGIN { printf "%d", k * f * 1000 }')
		ffmpeg -nostdin -v error -i "src$i.mp4" -vf "scale=$w:$h,format=yuv420p" -c:v libx264 -preset veryfast -profile:v main \
			-sc_threshold 0 -g 101 -force_key_frames 'expr:gte(t,n_forced*4)' \
			-b:v "$b" -maxrate "$((b + b / 10))" -bufsize "$((2 * b))" -an -f mpegts -y c.ts
		bytes=$(ffprobe -v error -select_streams v:0 -show_entries packet=size -of csv=p=0 c.ts |
			awk '{ s += $1 } END { print s }')
		echo "$i curve $h $w $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b * 8 / 12 / 1000 }') $(psnr "src$i.mp4" "$w" "$h" c.ts)" >>curve
	done
done <points
cat curve >>points

python3 - "$looks" <<'PY'
import math, sys
looks = sys.argv[1].split()
pts = [l.split() for l in open("points")]
def get(i, kind, h):
    return [(float(k), float(p)) for (c, l, hh, w, k, p) in pts if c == i and l == kind and hh == h]
print("| clip | rung | standard kbps | PSNR dB | auto kbps | PSNR dB | bits saved | PSNR change | saved at equal PSNR |")
print("|---|---|---|---|---|---|---|---|---|")
tot_std = tot_auto = tot_eq = 0
for i in sorted({p[0] for p in pts}, key=int):
    for h in sorted({p[2] for p in pts if p[0] == i and p[1] == "auto"}, key=int):
        (sk, sp), = get(i, "standard", h)
        (ak, ap), = get(i, "auto", h)
        curve = sorted(get(i, "standard", h) + get(i, "curve", h), key=lambda x: x[1])
        eq = None
        for (k0, p0), (k1, p1) in zip(curve, curve[1:]):
            if p0 <= ap <= p1 and p1 > p0:
                t = (ap - p0) / (p1 - p0)
                eq = math.exp(math.log(k0) + t * (math.log(k1) - math.log(k0)))
        name = looks[int(i) - 1].split("=")[0]
        tot_std += sk; tot_auto += ak
        if eq:
            tot_eq += eq
        print("| %s | %sp | %.0f | %.1f | %.0f | %.1f | %.0f%% | %+.1f dB | %s |" % (
            name, h, sk, sp, ak, ap, 100 * (1 - ak / sk), ap - sp,
            "%.0f%%" % (100 * (1 - ak / eq)) if eq else "outside the curve"))
print()
print("all rungs: standard %.0f kbps, auto %.0f kbps (%.0f%% fewer bits)" % (
    tot_std, tot_auto, 100 * (1 - tot_auto / tot_std)))
PY
