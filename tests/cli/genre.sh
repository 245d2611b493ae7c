#!/usr/bin/env bash
# genre.sh - "sf genre": add, list, rename and delete, human and JSON; names
# unique in any case; titles that have a genre; who may change the list;
# and every bad input answered with one line, the right exit status and
# nothing written.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

test_expect_success 'genre add prints the genre' '
	sf genre add Drama >out &&
	grep -q "^ID: *[0-9][0-9]*$" out &&
	grep -q "^NAME: *Drama$" out &&
	grep -q "^TITLES: *0$" out &&
	sf genre add "Science Fiction" --json >out &&
	test "$(test_json out "list(d), d[\"name\"], d[\"titles\"]")" = \
		"([${q}id${q}, ${q}name${q}, ${q}titles${q}], ${q}Science Fiction${q}, 0)" &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}genre.add${q}
			  AND entity_type = ${q}genre${q}")" = 2
'

test_expect_success 'genre list, by name, with how many titles have each' '
	sf genre add comedy >/dev/null &&
	sf title add Heat --genres drama >/dev/null &&
	sf genre list >out &&
	cat >expect <<-EOF &&
	ID  NAME             TITLES
	3   comedy           0
	1   Drama            1
	2   Science Fiction  0
	EOF
	test_cmp expect out &&
	sf genre list --json >out &&
	test "$(test_json out "[(g[\"name\"], g[\"titles\"]) for g in d]")" = \
		"[(${q}comedy${q}, 0), (${q}Drama${q}, 1), (${q}Science Fiction${q}, 0)]"
'

test_expect_success 'genre rename, by name or id, on every title that has it' '
	sf genre rename comedy Comedy >out &&
	grep -q "^NAME: *Comedy$" out &&
	sf genre rename 1 "Drama Film" --json >out &&
	test "$(test_json out "d[\"name\"], d[\"titles\"]")" = "(${q}Drama Film${q}, 1)" &&
	sf title list --json >out &&
	test "$(test_json out "d[\"items\"][0][\"genres\"], d[\"items\"][0][\"version\"]")" = \
		"([${q}Drama Film${q}], 1)" &&
	sf genre rename "drama film" Drama >/dev/null
'

test_expect_success 'genre delete deletes one no title has' '
	id=$(test_sql "SELECT id FROM genres WHERE name = ${q}Comedy${q}") &&
	sf genre delete comedy >out &&
	test "$(cat out)" = "deleted genre ${q}Comedy${q} (id $id)" &&
	sf genre add Western >/dev/null &&
	sf genre delete western --json >out &&
	test "$(test_json out "d[\"name\"]")" = Western &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}genre.delete${q}
			  AND new IS NULL")" = 2
'

test_expect_success 'a content manager may change the list; a viewer may not (77)' '
	echo Secret123 | sf user add --email cm@example.com --username cm --role content_manager \
		--password-stdin >/dev/null &&
	echo Secret123 | sf user add --email v@example.com --username viewer --password-stdin >/dev/null &&
	sf genre add Horror --as cm >/dev/null &&
	test "$(test_sql "SELECT actor FROM audit_log WHERE action = ${q}genre.add${q}
			  AND new->>${q}name${q} = ${q}Horror${q}")" = cm@example.com &&
	sf genre list --as viewer >/dev/null &&
	test_expect_fail 77 "account ${q}v@example.com${q} (viewer) may not manage the catalog" sf genre add X --as viewer &&
	test_expect_fail 77 "may not manage the catalog" sf genre rename horror X --as viewer &&
	test_expect_fail 77 "may not manage the catalog" sf genre delete horror --as viewer
'

test_expect_success 'bad input: one line, the right status, nothing written' '
	test_expect_fail 4 "genre ${q}drama${q} already exists (as ${q}Drama${q})" sf genre add drama &&
	test_expect_fail 4 "genre ${q}Drama${q} already exists" sf genre add Drama &&
	test_expect_fail 2 "genre ${q}${q}: must not be empty" sf genre add "" &&
	test_expect_fail 2 "genre ${q}Sci,Fi${q}: must not contain ${q},${q} or ${q}|${q}" sf genre add Sci,Fi &&
	test_expect_fail 2 "genre ${q}A|B${q}: must not contain" sf genre add "A|B" &&
	test_expect_fail 2 "genre ${q} Pad${q}: starts or ends with a space" sf genre add " Pad" &&
	test_expect_fail 2 "genre ${q}1984${q}: must not be all digits" sf genre add 1984 &&
	test_expect_fail 2 "longer than 40 characters" sf genre add "$(printf "%041d" 0)" &&
	test_expect_fail 2 "contains a control character" sf genre add "$(printf "a\tb")" &&
	test_expect_fail 3 "genre ${q}Polka${q}: not found" sf genre rename Polka Waltz &&
	test_expect_fail 4 "genre ${q}horror${q} already exists (as ${q}Horror${q})" sf genre rename drama horror &&
	test_expect_fail 4 "genre ${q}Drama${q} already has that name" sf genre rename drama Drama &&
	test_expect_fail 3 "genre ${q}999${q}: not found" sf genre delete 999 &&
	test_expect_fail 4 "genre ${q}Drama${q} is used by 1 title; take it off them first" sf genre delete drama &&
	test_expect_fail 2 "genre add: missing <name>" sf genre add &&
	test_expect_fail 2 "genre rename: missing <genre> <name>" sf genre rename drama &&
	test_expect_fail 2 "genre list: unexpected argument ${q}x${q}" sf genre list x
'

test_done
