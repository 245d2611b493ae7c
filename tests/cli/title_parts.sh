#!/usr/bin/env bash
# title_parts.sh - the verb groups of "sf title": season, episode and
# credit, each verb in human and JSON form, each a new version of its
# title, and every bad input answered with one line, the right exit status
# and nothing written.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

version() {
	test_sql "SELECT version FROM titles WHERE external_id = ${q}$1${q}"
}

test_expect_success 'setup: a series and a movie' '
	sf title add "Breaking Bad" --kind series --external-id tt0903747 >/dev/null &&
	sf title add "The Godfather" --external-id tt0068646 >/dev/null
'

test_expect_success 'season add prints the season and makes a version' '
	sf title season add tt0903747 1 --name "Season 1" --release-date 2008-01-20 >out &&
	grep -q "^NUMBER: *1$" out &&
	grep -q "^NAME: *Season 1$" out &&
	grep -q "^RELEASED: *2008-01-20$" out &&
	grep -q "^EPISODES: *0$" out &&
	test "$(version tt0903747)" = 2 &&
	test "$(test_sql "SELECT action FROM title_versions WHERE version = 2")" = season.add &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}season.add${q}
			  AND entity_type = ${q}title${q}")" = 1 &&
	sf title season add tt0903747 0 --name Specials --overview "Extras." --json >out &&
	test "$(test_json out "d")" = \
		"{${q}number${q}: 0, ${q}name${q}: ${q}Specials${q}, ${q}overview${q}: ${q}Extras.${q}, ${q}release_date${q}: None, ${q}episodes${q}: []}"
'

test_expect_success 'episode add prints the episode' '
	sf title episode add tt0903747 1 1 --name Pilot --runtime 58 --release-date 2008-01-20 >out &&
	grep -q "^SEASON: *1$" out &&
	grep -q "^NUMBER: *1$" out &&
	grep -q "^NAME: *Pilot$" out &&
	grep -q "^RUNTIME: *58$" out &&
	sf title episode add tt0903747 1 2 --name "Cat${q}s in the Bag..." --json >out &&
	test "$(test_json out "list(d)")" = \
		"[${q}season${q}, ${q}number${q}, ${q}name${q}, ${q}overview${q}, ${q}runtime_minutes${q}, ${q}release_date${q}]" &&
	test "$(test_json out "d[\"season\"], d[\"number\"], d[\"name\"]")" = \
		"(1, 2, \"Cat${q}s in the Bag...\")" &&
	sf title episode add tt0903747 0 1 --name "Making of" >/dev/null &&
	test "$(version tt0903747)" = 6
'

test_expect_success 'season list and episode list, human and JSON' '
	sf title season list tt0903747 >out &&
	cat >expect <<-EOF &&
	NUMBER  NAME      RELEASED    EPISODES
	0       Specials  -           1
	1       Season 1  2008-01-20  2
	EOF
	test_cmp expect out &&
	sf title season list tt0903747 --json >out &&
	test "$(test_json out "[(s[\"number\"], len(s[\"episodes\"])) for s in d]")" = "[(0, 1), (1, 2)]" &&
	sf title episode list tt0903747 >out &&
	head -n 1 out | grep -q "^SEASON  *NUMBER  *NAME  *RUNTIME  *RELEASED$" &&
	test $(wc -l <out) = 4 &&
	sf title episode list tt0903747 --season 1 --json >out &&
	test "$(test_json out "[(e[\"season\"], e[\"number\"], e[\"name\"]) for e in d]")" = \
		"[(1, 1, ${q}Pilot${q}), (1, 2, \"Cat${q}s in the Bag...\")]" &&
	sf title show tt0903747 | grep -q "^SEASONS: *2 (3 episodes)$"
'

test_expect_success 'season edit and episode edit change what is given' '
	sf title season edit tt0903747 0 --number 99 --overview "" >out &&
	grep -q "^NUMBER: *99$" out &&
	grep -q "^NAME: *Specials$" out &&
	grep -q "^OVERVIEW: *-$" out &&
	sf title episode edit tt0903747 1 2 --number 3 --runtime 48 --json >out &&
	test "$(test_json out "d[\"number\"], d[\"runtime_minutes\"], d[\"name\"]")" = \
		"(3, 48, \"Cat${q}s in the Bag...\")" &&
	v=$(version tt0903747) &&
	sf title episode edit tt0903747 1 3 --runtime 48 >/dev/null 2>err &&
	grep -q "unchanged" err &&
	test "$(version tt0903747)" = "$v"
'

test_expect_success 'episode delete and season delete' '
	sf title episode delete tt0903747 99 1 >out &&
	test "$(cat out)" = "deleted season 99 episode 1 of ${q}Breaking Bad${q} (${q}Making of${q})" &&
	sf title episode add tt0903747 99 1 --name Again >/dev/null &&
	sf title episode delete tt0903747 99 1 --json >out &&
	test "$(test_json out "d[\"season\"], d[\"name\"]")" = "(99, ${q}Again${q})" &&
	sf title season delete tt0903747 99 >out &&
	test "$(cat out)" = "deleted season 99 of ${q}Breaking Bad${q} (0 episodes)" &&
	sf title season add tt0903747 2 >/dev/null &&
	sf title episode add tt0903747 2 1 --name "Seven Thirty-Seven" >/dev/null &&
	sf title season delete tt0903747 2 --json >out &&
	test "$(test_json out "d[\"number\"], len(d[\"episodes\"])")" = "(2, 1)" &&
	test "$(test_sql "SELECT count(*) FROM episodes WHERE name = ${q}Seven Thirty-Seven${q}")" = 0
'

test_expect_success 'credit add, list and remove' '
	sf title credit add tt0068646 "Francis Ford Coppola" --role director >out &&
	grep -q "^NAME: *Francis Ford Coppola$" out &&
	grep -q "^ROLE: *director$" out &&
	grep -q "^CHARACTER: *-$" out &&
	grep -q "^ORDER: *0$" out &&
	sf title credit add tt0068646 "Marlon Brando" --role cast --character "Vito Corleone" >/dev/null &&
	sf title credit add tt0068646 "Al Pacino" --role cast --character "Michael Corleone" --json >out &&
	test "$(test_json out "d")" = \
		"{${q}name${q}: ${q}Al Pacino${q}, ${q}role${q}: ${q}cast${q}, ${q}character${q}: ${q}Michael Corleone${q}, ${q}order${q}: 1}" &&
	sf title credit add tt0068646 "Mario Puzo" --role writer >/dev/null &&
	sf title credit add tt0068646 "Mario Puzo" --role cast --character Cameo --order 9 >/dev/null &&
	sf title credit list tt0068646 >out &&
	cat >expect <<-EOF &&
	NAME                  ROLE      CHARACTER         ORDER
	Francis Ford Coppola  director  -                 0
	Mario Puzo            writer    -                 0
	Marlon Brando         cast      Vito Corleone     0
	Al Pacino             cast      Michael Corleone  1
	Mario Puzo            cast      Cameo             9
	EOF
	test_cmp expect out &&
	sf title credit list tt0068646 --role cast --json >out &&
	test "$(test_json out "[c[\"name\"] for c in d]")" = \
		"[${q}Marlon Brando${q}, ${q}Al Pacino${q}, ${q}Mario Puzo${q}]" &&
	sf title show tt0068646 >out &&
	grep -q "^DIRECTORS: *Francis Ford Coppola$" out &&
	grep -q "^CAST: *Marlon Brando (Vito Corleone), Al Pacino (Michael Corleone), Mario Puzo (Cameo)$" out &&
	sf title credit remove tt0068646 "mario puzo" --role cast >out &&
	test "$(cat out)" = "removed ${q}Mario Puzo${q} (cast) from ${q}The Godfather${q}" &&
	sf title credit add tt0068646 "Mario Puzo" --role cast >/dev/null &&
	sf title credit remove tt0068646 "Mario Puzo" --json >out &&
	test "$(test_json out "[c[\"role\"] for c in d]")" = "[${q}writer${q}, ${q}cast${q}]" &&
	test "$(test_sql "SELECT string_agg(action, ${q},${q} ORDER BY v.version) FROM title_versions v
			  JOIN titles t ON t.id = v.title_id WHERE t.external_id = ${q}tt0068646${q}")" = \
		title.add,credit.add,credit.add,credit.add,credit.add,credit.add,credit.remove,credit.add,credit.remove
'

test_expect_success 'a viewer sees the parts of what viewers see, and changes nothing (77)' '
	echo Secret123 | sf user add --email v@example.com --username viewer --password-stdin >/dev/null &&
	test_expect_fail 3 "not found" sf title season list tt0903747 --as viewer &&
	test_expect_fail 3 "not found" sf title credit list tt0068646 --as viewer &&
	sf title publish tt0903747 >/dev/null &&
	sf title episode list tt0903747 --as viewer >/dev/null &&
	for args in "season add tt0903747 5" "season edit tt0903747 1 --name X" \
		    "season delete tt0903747 1" "episode add tt0903747 1 9 --name X" \
		    "episode edit tt0903747 1 1 --name X" "episode delete tt0903747 1 1" \
		    "credit add tt0068646 X --role cast" "credit remove tt0068646 Al\ Pacino"; do
		eval "test_expect_fail 77 \"may not manage the catalog\" sf title $args --as viewer" || exit 1
	done
'

test_expect_success 'season: bad input' '
	test_expect_fail 4 "title ${q}The Godfather${q} is a movie; only a series has seasons" sf title season add tt0068646 1 &&
	test_expect_fail 4 "title ${q}Breaking Bad${q}: season 1 already exists" sf title season add tt0903747 1 &&
	test_expect_fail 2 "season ${q}x${q}: not a whole number from 0 to 1000" sf title season add tt0903747 x &&
	test_expect_fail 2 "season ${q}1001${q}: not a whole number from 0 to 1000" sf title season add tt0903747 1001 &&
	test_expect_fail 2 "--release-date ${q}2008-02-30${q}: not a date" sf title season add tt0903747 5 --release-date 2008-02-30 &&
	test_expect_fail 2 "--name ${q}" sf title season add tt0903747 5 --name "$(printf "%0301d" 0)" &&
	test_expect_fail 3 "title ${q}nope${q}: not found" sf title season add nope 5 &&
	test_expect_fail 2 "title season add: missing <title> <season>" sf title season add tt0903747 &&
	test_expect_fail 3 "title ${q}Breaking Bad${q}: season 7: not found" sf title season edit tt0903747 7 --name X &&
	test_expect_fail 2 "nothing to change" sf title season edit tt0903747 1 &&
	test_expect_fail 2 "--number ${q}-1${q}: not a whole number" sf title season edit tt0903747 1 --number -1 &&
	test_expect_fail 3 "season 7: not found" sf title season delete tt0903747 7 &&
	test_expect_fail 4 "is a movie; only a series has seasons" sf title season list tt0068646 &&
	test_expect_fail 2 "title season: ${q}frobnicate${q} is not a verb" sf title season frobnicate
'

test_expect_success 'episode: bad input' '
	test_expect_fail 4 "season 1 episode 1 already exists" sf title episode add tt0903747 1 1 --name X &&
	test_expect_fail 2 "title episode add: missing --name" sf title episode add tt0903747 1 9 &&
	test_expect_fail 2 "--name ${q}${q}: must not be empty" sf title episode add tt0903747 1 9 --name "" &&
	test_expect_fail 2 "episode ${q}0${q}: not a whole number from 1 to 10000" sf title episode add tt0903747 1 0 --name X &&
	test_expect_fail 2 "--runtime ${q}2001${q}: not a whole number from 1 to 2000" sf title episode add tt0903747 1 9 --name X --runtime 2001 &&
	test_expect_fail 3 "season 8: not found" sf title episode add tt0903747 8 1 --name X &&
	test_expect_fail 4 "is a movie" sf title episode add tt0068646 1 1 --name X &&
	test_expect_fail 3 "season 1 episode 9: not found" sf title episode edit tt0903747 1 9 --name X &&
	test_expect_fail 4 "season 1 episode 3 already exists" sf title episode edit tt0903747 1 1 --number 3 &&
	test_expect_fail 2 "nothing to change" sf title episode edit tt0903747 1 1 &&
	test_expect_fail 2 "--name ${q}${q}: must not be empty" sf title episode edit tt0903747 1 1 --name "" &&
	test_expect_fail 3 "season 1 episode 9: not found" sf title episode delete tt0903747 1 9 &&
	test_expect_fail 3 "season 4: not found" sf title episode list tt0903747 --season 4 &&
	test_expect_fail 2 "season ${q}x${q}" sf title episode list tt0903747 --season x &&
	test_expect_fail 4 "is a movie; only a series has episodes" sf title episode list tt0068646
'

test_expect_success 'credit: bad input' '
	test_expect_fail 4 "${q}Al Pacino${q} is already credited as cast on title ${q}The Godfather${q}" \
		sf title credit add tt0068646 "Al Pacino" --role cast &&
	test_expect_fail 2 "title credit add: missing --role" sf title credit add tt0068646 X &&
	test_expect_fail 2 "--role ${q}actor${q}: not one of cast, director, writer" sf title credit add tt0068646 X --role actor &&
	test_expect_fail 2 "credit: only a cast credit has a character" sf title credit add tt0068646 X --role director --character Y &&
	test_expect_fail 2 "--order ${q}-2${q}: not a whole number" sf title credit add tt0068646 X --role cast --order -2 &&
	test_expect_fail 2 "person ${q}${q}: must not be empty" sf title credit add tt0068646 "" --role cast &&
	test_expect_fail 2 "person ${q} X${q}: starts or ends with a space" sf title credit add tt0068646 " X" --role cast &&
	test_expect_fail 3 "title ${q}The Godfather${q}: no credit for ${q}Nobody${q}" sf title credit remove tt0068646 Nobody &&
	test_expect_fail 3 "no credit for ${q}Al Pacino${q} as writer" sf title credit remove tt0068646 "Al Pacino" --role writer &&
	test_expect_fail 3 "title ${q}nope${q}: not found" sf title credit list nope &&
	test_expect_fail 2 "--role ${q}x${q}: not one of" sf title credit list tt0068646 --role x
'

test_expect_success 'history shows the changes of parts, and rollback brings them back' '
	sf title history tt0903747 --json >out &&
	test "$(test_json out "[v[\"action\"] for v in d][:3]")" = \
		"[${q}title.publish${q}, ${q}season.delete${q}, ${q}episode.add${q}]" &&
	sf title rollback tt0903747 --to 3 --json >out &&
	test "$(test_json out "[(s[\"number\"], [e[\"name\"] for e in s[\"episodes\"]]) for s in d[\"seasons\"]]")" = \
		"[(0, []), (1, [])]" &&
	test "$(test_json out "d[\"status\"]")" = draft
'

test_done
