#!/usr/bin/env bash
# abr.sh - "sf abr sim": the table and the JSON over small traces made up
# here, a figure worked out by hand, each bad input answered with one line
# and the right exit status; and, when SF_ABR_DATA names a copy of the
# Pensieve traces and video (traces/train/ and video/video_sizes.txt),
# the reference figures of the model reproduced to within 0.005.
. "$SF_TEST_TOP/tests/harness/lib.sh"

# fail STATUS TEXT command...: exits with STATUS, prints nothing on
# stdout and one line "sf: ...TEXT..." on stderr.
fail() {
	local status=$1 text=$2
	shift 2
	test_expect_code "$status" "$@" >.fail.out 2>.fail.err &&
	test_one_line .fail.err &&
	if ! grep -q "^sf: " .fail.err || ! grep -qF -- "$text" .fail.err; then
		echo "expected 'sf: ...$text...' from $*, got:" >&2
		cat .fail.err >&2
		return 1
	fi &&
	test_cmp /dev/null .fail.out
}

mkdir traces
printf '0.0\t4.0\n1.0\t6.0\n2.0\t1.5\n3.0\t8.0\n' >traces/a
printf '0\t3\n5\t1.6\n10\t12\n' >traces/b
printf 'not a trace\n' >traces/.notes
{
	echo "# chunk sizes in bytes; columns: 300 750 1850 kbps; chunk 4 s"
	for i in 0 1 2 3 4 5 6 7 8 9 10 11; do
		echo "$((150000 + i * 1000)) $((375000 - i * 1000)) $((925000 + i * 500))"
	done
} >video

test_expect_success 'sim prints a row per algorithm and the optimum' '
	sf abr sim --traces traces --video video >out &&
	head -1 out | grep -q "^ALGORITHM *QOE_LIN *QOE_LOG *QOE_HD *REBUFFER *KBPS *SWITCHES *OPTIMUM$" &&
	test "$(sed -n "2,8p" out | awk "{ print \$1 }" | tr "\n" " ")" = \
		"sf rule bba bola throughput mpc optimal " &&
	grep -q "^optimal .* 100.0%$" out &&
	grep -q "^2 traces, 12 chunks of 4 s" out
'

test_expect_success 'sim --json: the same rows, and the optimum beats every algorithm' '
	sf abr sim --traces traces --video video --json >out &&
	test "$(test_json out "(d[\"traces\"], d[\"chunks\"], len(d[\"algorithms\"]))")" = "(2, 12, 7)" &&
	test "$(test_json out "all(a[\"qoe_lin\"] <= d[\"algorithms\"][-1][\"qoe_lin\"] + 1e-9
		for a in d[\"algorithms\"])")" = True &&
	test "$(test_json out "d[\"algorithms\"][-1][\"of_optimum\"]")" = 1.0
'

test_expect_success 'sim --algo plays one algorithm, next to the optimum' '
	sf abr sim --traces traces --video video --algo bba --json >out &&
	test "$(test_json out "\",\".join(a[\"algorithm\"] for a in d[\"algorithms\"])")" = bba,optimal
'

# 1 Mbps: 118,750 bytes a second.  The first chunk (1000 kbps, 118,750
# bytes) takes 1 s + 80 ms, all of it rebuffering; with 4 s of buffer bba
# takes the lowest rung next (59,375 bytes: 0.58 s, no rebuffering).
test_expect_success 'a flat 1 Mbps trace: the figures by hand' '
	mkdir one &&
	printf "0\t1\n100\t1\n" >one/flat &&
	printf "# columns: 500 1000 kbps; chunk 4 s\n59375 118750\n59375 118750\n" >tiny &&
	sf abr sim --traces one --video tiny --algo bba --json >out &&
	test "$(test_json out "round(d[\"algorithms\"][0][\"qoe_lin\"], 9)")" = \
		"$(python3 -c "print(round(((1 - 4.3 * 1.08) + (0.5 - 0.5)) / 2, 9))")" &&
	test "$(test_json out "round(d[\"algorithms\"][0][\"rebuffer_ratio\"], 9)")" = \
		"$(python3 -c "print(round(1.08 / (8 + 1.08), 9))")"
'

test_expect_success 'bad inputs: one line each, the right status' '
	fail 3 "traces '\''nowhere'\''" sf abr sim --traces nowhere --video video &&
	mkdir empty &&
	fail 2 "no trace files" sf abr sim --traces empty --video video &&
	mkdir bad && printf "0\t1\n1\tfast\n" >bad/t1 &&
	fail 2 "bad/t1'\'' line 2" sf abr sim --traces bad --video video &&
	fail 3 "video '\''missing'\''" sf abr sim --traces traces --video missing &&
	printf "150000 375000\n" >badvideo &&
	fail 2 "video '\''badvideo'\'' line 1" sf abr sim --traces traces --video badvideo &&
	printf "# columns: 300 750 kbps; chunk 4 s\n150000 x\n" >badvideo &&
	fail 2 "line 2: not 2 sizes" sf abr sim --traces traces --video badvideo &&
	fail 2 "--algo '\''fastest'\''" sf abr sim --traces traces --video video --algo fastest &&
	fail 2 "--traces" sf abr sim --video video
'

# The reference figures of the model, on the data set when it is there.
if [ -z "${SF_ABR_DATA:-}" ]; then
	test_count=$((test_count + 1))
	echo "ok $test_count # skip the reference figures: set SF_ABR_DATA to a directory" \
		"with traces/train/ and video/video_sizes.txt from the Pensieve repository"
else
	test_expect_success 'the reference figures of the model on traces/train, within 0.005' '
		sf abr sim --traces "$SF_ABR_DATA/traces/train" \
			--video "$SF_ABR_DATA/video/video_sizes.txt" --algo bba --json >out &&
		python3 - out <<-PY
		import json, sys
		d = json.load(open(sys.argv[1]))
		a = {x["algorithm"]: x for x in d["algorithms"]}
		want = {"bba": (-0.060, 0.054), "optimal": (0.428, 0.047)}
		bad = [(n, a[n]["qoe_lin"], a[n]["rebuffer_ratio"]) for n, (q, r) in want.items()
		       if abs(a[n]["qoe_lin"] - q) > 0.005 or abs(a[n]["rebuffer_ratio"] - r) > 0.005]
		assert d["traces"] == 127 and not bad, bad
		PY
	'
fi

test_done
