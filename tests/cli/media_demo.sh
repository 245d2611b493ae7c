#!/usr/bin/env bash
# media_demo.sh - "sf demo load": the demo catalog imported, its clips
# made with the title's name drawn on them and ingested by workers
# through the real pipeline, and a second load changing nothing.  Only
# the first titles, to stay quick; the whole load is timed by hand (see
# sf-demo(1)).
. "$SF_TEST_TOP/tests/harness/lib.sh"
for p in ffmpeg ffprobe python3; do
	command -v $p >/dev/null || test_skip_all "$p is not installed"
done
[ -r /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] ||
	test_skip_all "fonts-dejavu-core is not installed"
test_db
export SF_HOME=$TEST_DIR/home SF_MEDIA_ROOT=$TEST_DIR/media SF_MEDIA_PRESET=ultrafast
q="'"

test_expect_success 'demo load --titles 2 loads two titles and encodes their clips' '
	sf demo load --titles 2 --json >out &&
	test "$(test_json out "d[\"titles\"], d[\"movies\"], d[\"encoded\"], d[\"failed\"]")" = \
		"(2, 2, 2, 0)" &&
	sf title show sfmedia:01 --json >t &&
	test "$(test_json t "d[\"title\"], d[\"status\"], d[\"genres\"]")" = \
		"(${q}The Fractal Coast${q}, ${q}published${q}, [${q}Documentary${q}])" &&
	test "$(test_json t "len(d[\"credits\"]) >= 2")" = True &&
	sf media list --status ready --json >list &&
	test "$(test_json list "sorted(a[\"title\"] for a in d)")" = \
		"[${q}Signal Lost${q}, ${q}The Fractal Coast${q}]" &&
	test "$(test_json list "all(a[\"duration\"] == 8 and len(a[\"renditions\"]) == 2 for a in d)")" = True
'

test_expect_success 'each clip is distinct: different posters' '
	sf media list --json >list &&
	for dir in $(test_json list "\" \".join(a[\"dir\"] for a in d)"); do
		sha256sum "$SF_MEDIA_ROOT/$dir/poster.jpg" | cut -d" " -f1
	done | sort -u | wc -l | grep -qx 2
'

test_expect_success 'loading again queues nothing new' '
	sf demo load --titles 2 --json >out &&
	test "$(test_json out "d[\"encoded\"], d[\"skipped\"]")" = "(0, 2)" &&
	test "$(test_sql "SELECT count(*) FROM media_assets")" = 2 &&
	test "$(test_sql "SELECT count(*) FROM titles")" = 2
'

test_expect_success 'demo generate --replace takes the replaced titles media with them' '
	test "$(ls "$SF_MEDIA_ROOT" | grep -c "^[0-9]")" = 2 &&
	sf demo generate --titles 3 --episodes 0 --replace >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM media_assets")" = 0 &&
	test "$(ls "$SF_MEDIA_ROOT" | grep -c "^[0-9]")" = 0
'

test_expect_success 'bad sizes are refused' '
	test_expect_fail 2 "--titles ${q}41${q}: not a whole number from 1 to 40" sf demo load --titles 41
'

test_done
