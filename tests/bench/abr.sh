#!/usr/bin/env bash
# abr.sh - the ABR algorithms over real network traces: "sf abr sim" on
# the training traces published with Pensieve (SIGCOMM 2017), every
# algorithm with its share of the offline optimum, and how long the run
# takes.  The traces are not part of sf: SF_ABR_DATA names a directory
# holding traces/train/ (the 127 files of the Pensieve repository's
# sim/cooked_traces) and video/video_sizes.txt (the chunk sizes of its test
# video, with a first line "# ... columns: 300 750 1200 1850 2850 4300
# kbps; chunk 4 s").
#
# Targets: sf above mpc in QoE_lin, with no more rebuffering, and at least
# 75% of the optimum.  The model's reference figures on these traces are
# bba -0.060 (5.4% rebuffering) and the optimum 0.428 (4.7%).
set -euo pipefail

echo "## ABR algorithms over network traces (sf abr sim)"
echo
data=${SF_ABR_DATA:-}
if [ -z "$data" ] || [ ! -d "$data/traces/train" ]; then
	echo "skipped: set SF_ABR_DATA to a directory with traces/train/ and"
	echo "video/video_sizes.txt from the Pensieve repository to run it."
	exit 0
fi
t0=$EPOCHREALTIME
"$SF_BIN" abr sim --traces "$data/traces/train" --video "$data/video/video_sizes.txt"
t1=$EPOCHREALTIME
echo
printf 'took %.1f s (all algorithms and the optimum)\n' "$(( ${t1/./} - ${t0/./} ))e-6"
