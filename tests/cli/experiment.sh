#!/usr/bin/env bash
# experiment.sh - "sf experiment": layers, experiments through their
# lifecycle (draft, running with phases, stopped), bucket ranges kept
# apart inside a layer, the holdout, assignments checked against an
# independent MurmurHash3 in Python, the audit log, roles, the homepage
# ranked by the home.ranker of the viewer's variant (exposed once,
# targeting obeyed), and bad input (one line, the right status, nothing
# written).
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"

# murmur UNIT SALT: MurmurHash3 x86_32 of the unit's decimal text, % 10000.
murmur() {
	python3 - "$1" "$2" <<'PY'
import sys
def mm3(data, seed):
    c1, c2, h, n = 0xcc9e2d51, 0x1b873593, seed & 0xffffffff, len(data)
    rot = lambda x, r: ((x << r) | (x >> (32 - r))) & 0xffffffff
    for i in range(0, n - n % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = rot(k * c1 & 0xffffffff, 15) * c2 & 0xffffffff
        h = (rot(h ^ k, 13) * 5 + 0xe6546b64) & 0xffffffff
    t, k = data[n - n % 4:], 0
    for j in reversed(range(len(t))):
        k = (k << 8) | t[j]
    if t:
        h ^= rot(k * c1 & 0xffffffff, 15) * c2 & 0xffffffff
    h ^= n
    h ^= h >> 16; h = h * 0x85ebca6b & 0xffffffff
    h ^= h >> 13; h = h * 0xc2b2ae35 & 0xffffffff
    return h ^ (h >> 16)
print(mm3(sys.argv[1].encode(), int(sys.argv[2])) % 10000)
PY
}

test_expect_success 'layer add gives each layer a salt; list shows the free buckets' '
	sf experiment layer add home --json >out &&
	test "$(test_json out "d[\"name\"], 0 <= d[\"salt\"] < 2**32")" = "(${q}home${q}, True)" &&
	sf experiment layer add player >/dev/null &&
	sf experiment layer list --json >out &&
	test "$(test_json out "[(l[\"name\"], l[\"free\"]) for l in d]")" = \
		"[(${q}home${q}, 10000), (${q}player${q}, 10000)]"
'

test_expect_success 'create: a draft with its variants, params and the first free buckets' '
	sf experiment create ranker --layer home --buckets 0-4999 --variants control:50,cf:50 \
		--params "{\"cf\": {\"home.ranker\": \"cf\"}}" --hypothesis "cf gets more plays" \
		--json >out &&
	test "$(test_json out "d[\"status\"], d[\"phase\"], d[\"buckets\"], d[\"unit\"]")" = \
		"(${q}draft${q}, 1, ${q}0-4999${q}, ${q}profile${q})" &&
	test "$(test_json out "[(v[\"name\"], v[\"weight\"], v[\"params\"]) for v in d[\"variants\"]]")" = \
		"[(${q}control${q}, 50, {}), (${q}cf${q}, 50, {${q}home.ranker${q}: ${q}cf${q}})]" &&
	sf experiment create rows --layer home --variants a,b --json >out &&
	test "$(test_json out "d[\"buckets\"]")" = 5000-9999
'

test_expect_success 'buckets of one layer never overlap; the message names the holder' '
	test_expect_fail 4 "buckets 4000-5999: experiment ${q}ranker${q} of the layer holds 0-4999" \
		sf experiment create third --layer home --variants a,b --buckets 4000-5999 &&
	test_expect_fail 4 "every bucket is taken" sf experiment create third --layer home --variants a,b &&
	sf experiment create third --layer player --variants a,b --buckets 4000-5999 >/dev/null
'

test_expect_success 'assign: the bucket is MurmurHash3 of the id under the layer salt' '
	salt=$(sf experiment layer list --json | python3 -c "import json, sys; print([l[\"salt\"] for l in json.load(sys.stdin) if l[\"name\"] == \"home\"][0])") &&
	for u in 1 42 1234567 9007199254740993; do
		sf experiment assign ranker "$u" --json >out || exit 1
		test "$(test_json out "d[\"bucket\"]")" = "$(murmur "$u" "$salt")" || exit 1
		test "$(test_json out "d[\"in_range\"] == (d[\"bucket\"] < 5000)")" = True || exit 1
		test "$(test_json out "(d[\"variant\"] is not None) == d[\"in_range\"]")" = True || exit 1
	done
'

test_expect_success 'start, then a change of weights is a new phase; stop is final' '
	sf experiment start ranker --json >out &&
	test "$(test_json out "d[\"status\"], d[\"started_at\"] is not None")" = "(${q}running${q}, True)" &&
	for u in $(seq 1 40); do sf experiment assign ranker "$u" --json | python3 -c "import json, sys; print(json.load(sys.stdin)[\"variant\"])"; done >phase1 &&
	for u in $(seq 1 40); do sf experiment assign ranker "$u" --json | python3 -c "import json, sys; print(json.load(sys.stdin)[\"variant\"])"; done >again &&
	test_cmp phase1 again &&
	sf experiment edit ranker --variants control:50,cf:50 --json >out &&
	test "$(test_json out "d[\"phase\"]")" = 1 &&
	sf experiment edit ranker --variants control:70,cf:30 --json >out &&
	test "$(test_json out "d[\"phase\"], [v[\"params\"] for v in d[\"variants\"]]")" = \
		"(2, [{}, {${q}home.ranker${q}: ${q}cf${q}}])" &&
	for u in $(seq 1 40); do sf experiment assign ranker "$u" --json | python3 -c "import json, sys; print(json.load(sys.stdin)[\"variant\"])"; done >phase2 &&
	! cmp -s phase1 phase2 &&
	test_expect_fail 4 "is running: only its hypothesis and weights can change" \
		sf experiment edit ranker --buckets 0-99 &&
	test_expect_fail 4 "is running: only the weights of its variants can change" \
		sf experiment edit ranker --variants control:1,other:1 &&
	sf experiment stop ranker --json >out &&
	test "$(test_json out "d[\"status\"]")" = stopped &&
	test_expect_fail 4 "only a running one can be stopped" sf experiment stop ranker &&
	test_expect_fail 4 "only a draft one can be started" sf experiment start ranker
'

test_expect_success 'a stopped experiment frees its buckets' '
	sf experiment create ranker2 --layer home --variants a,b --json >out &&
	test "$(test_json out "d[\"buckets\"]")" = 0-4999
'

test_expect_success 'list and show; human output has the variants table' '
	sf experiment list --status running --json >out &&
	test "$(test_json out "[e[\"key\"] for e in d]")" = "[]" &&
	sf experiment list --json >out &&
	test "$(test_json out "[e[\"key\"] for e in d]")" = \
		"[${q}ranker2${q}, ${q}third${q}, ${q}rows${q}, ${q}ranker${q}]" &&
	sf experiment show ranker >out &&
	grep -q "^KEY: *ranker$" out && grep -q "^PHASE: *2$" out &&
	grep -q "^cf  *30  *{\"home.ranker\":\"cf\"}$" out
'

test_expect_success 'the holdout keeps its share out of every experiment, and its salt' '
	sf experiment holdout set 5 --json >a &&
	sf experiment holdout set 2.5 --json >b &&
	test "$(test_json a "d[\"share\"]")" = 5.0 &&
	test "$(test_json b "d[\"share\"], d[\"salt\"] == $(test_json a "d[\"salt\"]")")" = "(2.5, True)" &&
	sf experiment holdout set 100 >/dev/null &&
	sf experiment assign rows 7 --json >out &&
	test "$(test_json out "d[\"held_out\"], d[\"variant\"]")" = "(True, None)" &&
	sf experiment holdout set 0 >/dev/null
'

test_expect_success 'every change is in the audit log' '
	test "$(test_sql "SELECT string_agg(DISTINCT action, ${q},${q} ORDER BY action) FROM audit_log
		WHERE action LIKE ${q}experiment.%${q}")" = \
		"experiment.create,experiment.edit,experiment.holdout.set,experiment.layer.add,experiment.start,experiment.stop"
'

test_expect_success 'roles: a viewer may not; a content manager may' '
	echo Secret123 | sf user add --email v@example.com --username v --password-stdin >/dev/null &&
	echo Secret123 | sf user add --email cm@example.com --username cm --role content_manager \
		--password-stdin >/dev/null &&
	test_expect_fail 77 "may not manage experiments" sf experiment list --as v &&
	sf experiment list --as cm >/dev/null
'

test_expect_success 'home.ranker: the homepage ranks as the viewer'"'"'s variant says, exposed once' '
	sf experiment layer add homepage >/dev/null &&
	sf experiment create pop-ranker --layer homepage --variants pop:1,control:0 \
		--params "{\"pop\": {\"home.ranker\": \"popularity\"}}" >/dev/null &&
	sf home v/v --json >out &&
	test "$(test_json out "d[\"ranker\"]")" = hybrid &&
	sf experiment start pop-ranker >/dev/null &&
	sf home v/v --json >out &&
	test "$(test_json out "d[\"ranker\"]")" = popularity &&
	sf home v/v --json >out &&
	test "$(test_sql "SELECT count(*), min(variant), min(phase) FROM exp_exposures")" = "1|pop|1" &&
	sf home v/v --ranker cf --json >out &&
	test "$(test_json out "d[\"ranker\"]")" = cf &&
	sf experiment holdout set 100 >/dev/null &&
	sf home v/v --json >out &&
	test "$(test_json out "d[\"ranker\"]")" = hybrid &&
	sf experiment holdout set 0 >/dev/null &&
	sf experiment stop pop-ranker >/dev/null &&
	sf home v/v --json >out &&
	test "$(test_json out "d[\"ranker\"]")" = hybrid &&
	test "$(test_sql "SELECT count(*) FROM exp_exposures")" = 1
'

test_expect_success 'targeting: a kids-only experiment leaves an adult profile alone' '
	sf experiment create kids-ranker --layer homepage --variants cf:1,control:0 \
		--params "{\"cf\": {\"home.ranker\": \"cf\"}}" --targeting "{\"kids\": true}" >/dev/null &&
	sf experiment start kids-ranker >/dev/null &&
	sf profile add v Kid --kids >/dev/null &&
	sf home v/v --json >out &&
	test "$(test_json out "d[\"ranker\"]")" = hybrid &&
	sf home v/Kid --json >out &&
	test "$(test_json out "d[\"ranker\"]")" = cf
'

test_expect_success 'bad input: one line naming the value, the right status, nothing written' '
	test_expect_fail 2 "experiment ${q}Bad Key${q}" sf experiment create "Bad Key" --layer home --variants a,b &&
	test_expect_fail 2 "layer ${q}-x${q}" sf experiment layer add -- -x &&
	test_expect_fail 4 "layer ${q}home${q}: there is one already" sf experiment layer add home &&
	test_expect_fail 3 "layer ${q}nope${q}: not found" sf experiment create k --layer nope --variants a,b &&
	test_expect_fail 2 "weight ${q}x${q}" sf experiment create k --layer player --variants a:x,b &&
	test_expect_fail 2 "give 2 to 16" sf experiment create k --layer player --variants a &&
	test_expect_fail 2 "every weight is 0" sf experiment create k --layer player --variants a:0,b:0 &&
	test_expect_fail 2 "variant ${q}a${q}: named twice" sf experiment create k --layer player --variants a,a &&
	test_expect_fail 2 "params: no variant ${q}c${q}" \
		sf experiment create k --layer player --variants a,b --params "{\"c\": {}}" &&
	test_expect_fail 2 "params ${q}[${q}" sf experiment create k --layer player --variants a,b --params "[" &&
	test_expect_fail 2 "buckets ${q}5-1${q}" sf experiment create k --layer player --variants a,b --buckets 5-1 &&
	test_expect_fail 2 "buckets ${q}0-10000${q}" sf experiment create k --layer player --variants a,b --buckets 0-10000 &&
	test_expect_fail 2 "unit ${q}device${q}" sf experiment create k --layer player --variants a,b --unit device &&
	test_expect_fail 2 "targeting" sf experiment create k --layer player --variants a,b --targeting "{\"color\": 1}" &&
	test_expect_fail 2 "holdout ${q}101${q}" sf experiment holdout set 101 &&
	test_expect_fail 2 "holdout ${q}five${q}" sf experiment holdout set five &&
	test_expect_fail 2 "unit ${q}abc${q}" sf experiment assign rows abc &&
	test_expect_fail 3 "experiment ${q}nope${q}: not found" sf experiment assign nope 1 &&
	test_expect_fail 3 "experiment ${q}nope${q}: not found" sf experiment start nope &&
	test_expect_fail 2 "status ${q}done${q}" sf experiment list --status done
'

test_done
