#!/usr/bin/env bash
# audit.sh - "sf audit list": an entry for every change, with its actor
# (the OS user, or the account given with --as), the filters, their bad
# values, and the JSON shape.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below
me="os:$(id -un)"

# actions [sf audit list options]: "actor action entity" per entry, newest first.
actions() {
	sf audit list --json --limit 1000 "$@" >actions.json &&
	test_json actions.json "\"\\n\".join(\"%s %s %s:%s\" % (e[\"actor\"], e[\"action\"], e[\"entity_type\"], e[\"entity_id\"]) for e in d)" |
	sed "/^\$/d"
}

test_expect_success 'an empty log lists nothing' '
	sf audit list >out &&
	test "$(cat out)" = "$(printf "ID  AT  ACTOR  ACTION  ENTITY  CHANGE")" &&
	sf audit list --json >out &&
	test "$(test_json out "d")" = "[]"
'

test_expect_success 'every account change is recorded with the OS user as actor' '
	echo Secret123 | sf user add --email a@example.com --username alice --password-stdin >/dev/null &&
	a=$(test_sql "SELECT id FROM accounts WHERE username = ${q}alice${q}") &&
	sf user set alice --username al >/dev/null &&
	echo Secret456 | sf user passwd al --password-stdin 2>/dev/null &&
	sf user role al moderator >/dev/null &&
	sf user suspend al >/dev/null &&
	sf user unsuspend al >/dev/null &&
	sf user delete al >/dev/null &&
	sf user restore al >/dev/null &&
	actions >out &&
	cat >expect <<-EOF &&
	$me user.restore account:$a
	$me user.delete account:$a
	$me user.unsuspend account:$a
	$me user.suspend account:$a
	$me user.role account:$a
	$me user.passwd account:$a
	$me user.set account:$a
	$me user.add account:$a
	EOF
	test_cmp expect out
'

test_expect_success 'every profile change is recorded' '
	sf profile add al Kids --kids >/dev/null &&
	p=$(test_sql "SELECT id FROM profiles WHERE name = ${q}Kids${q}") &&
	sf profile set al/kids --language fr >/dev/null &&
	sf profile delete al/kids >/dev/null &&
	actions --entity profile >out &&
	cat >expect <<-EOF &&
	$me profile.delete profile:$p
	$me profile.set profile:$p
	$me profile.add profile:$p
	EOF
	test_cmp expect out
'

test_expect_success 'a purge is recorded, and its entries outlive the account' '
	echo Secret123 | sf user add --email gone@example.com --username gone --password-stdin >/dev/null &&
	g=$(test_sql "SELECT id FROM accounts WHERE username = ${q}gone${q}") &&
	sf user purge gone --yes >/dev/null &&
	actions --entity account:$g >out &&
	cat >expect <<-EOF &&
	$me user.purge account:$g
	$me user.add account:$g
	EOF
	test_cmp expect out
'

test_expect_success 'changes made --as an account name that account (its email) as actor' '
	echo Secret123 | sf user add --email Mgr@Example.com --username mgr --role user_manager \
		--password-stdin >/dev/null &&
	m=$(test_sql "SELECT id FROM accounts WHERE username = ${q}mgr${q}") &&
	echo Secret123 | sf user add --email b@example.com --username bob --password-stdin \
		--as mgr >/dev/null &&
	b=$(test_sql "SELECT id FROM accounts WHERE username = ${q}bob${q}") &&
	sf user suspend bob --as $m >/dev/null &&
	sf profile add bob Den --as MGR@EXAMPLE.COM >/dev/null &&
	actions --limit 3 >out &&
	cat >expect <<-EOF &&
	Mgr@Example.com profile.add profile:$(test_sql "SELECT id FROM profiles WHERE name = ${q}Den${q}")
	Mgr@Example.com user.suspend account:$b
	Mgr@Example.com user.add account:$b
	EOF
	test_cmp expect out &&
	test "$(test_sql "SELECT DISTINCT actor_account_id FROM audit_log WHERE actor = ${q}Mgr@Example.com${q}")" = "$m" &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE actor LIKE ${q}os:%${q} AND actor_account_id IS NOT NULL")" = 0
'

test_expect_success 'the human table summarizes each change' '
	sf audit list --limit 100 >out &&
	head -1 out | grep -q "^ID  *AT  *ACTOR  *ACTION  *ENTITY  *CHANGE$" &&
	grep -q " user\.add  *account:[0-9]*  *created$" out &&
	grep -q " user\.purge  *account:[0-9]*  *removed$" out &&
	grep -q " user\.set  *account:[0-9]*  *username=al$" out &&
	grep -q " user\.role  *account:[0-9]*  *role=moderator$" out &&
	grep -q " user\.suspend  *account:[0-9]*  *status=suspended$" out &&
	grep -q " user\.passwd  *account:[0-9]*  *(no field changed)$" out &&
	grep -q " profile\.set  *profile:[0-9]*  *language=fr$" out &&
	grep -q "^[0-9]*  *[0-9T:-]*Z  *Mgr@Example.com  *user.suspend " out
'

test_expect_success 'the JSON form: old and new objects, or null' '
	sf audit list --json --limit 1000 >out &&
	test "$(test_json out "sorted(set(\",\".join(sorted(e)) for e in d))")" = \
		"[${q}action,actor,at,entity_id,entity_type,id,new,old${q}]" &&
	test "$(test_json out "all(e[\"old\"] is None and isinstance(e[\"new\"], dict) for e in d if e[\"action\"].endswith(\".add\"))")" = True &&
	test "$(test_json out "all(isinstance(e[\"old\"], dict) and e[\"new\"] is None for e in d if e[\"action\"] in (\"user.purge\", \"profile.delete\"))")" = True &&
	test "$(test_json out "all(isinstance(e[\"old\"], dict) and isinstance(e[\"new\"], dict) for e in d if e[\"action\"] in (\"user.set\", \"user.role\", \"profile.set\"))")" = True &&
	test "$(test_json out "[(e[\"old\"][\"username\"], e[\"new\"][\"username\"]) for e in d if e[\"action\"] == \"user.set\"]")" = \
		"[(${q}alice${q}, ${q}al${q})]" &&
	test "$(test_json out "[(e[\"old\"][\"role\"], e[\"new\"][\"role\"]) for e in d if e[\"action\"] == \"user.role\"]")" = \
		"[(${q}viewer${q}, ${q}moderator${q})]" &&
	test "$(test_json out "sorted(d[-1][\"new\"])")" = \
		"[${q}created_at${q}, ${q}deleted_at${q}, ${q}email${q}, ${q}id${q}, ${q}role${q}, ${q}status${q}, ${q}updated_at${q}, ${q}username${q}]" &&
	test "$(test_json out "[e[\"id\"] for e in d] == sorted((e[\"id\"] for e in d), reverse=True)")" = True &&
	! grep -qi -e argon2 -e password_hash -e pin_hash out
'

test_expect_success '--actor filters by actor, in any case' '
	actions --actor mgr@example.com >out &&
	test $(wc -l <out) = 3 &&
	! grep -v "^Mgr@Example.com " out &&
	actions --actor "$me" >out &&
	test $(wc -l <out) = $(($(test_sql "SELECT count(*) FROM audit_log") - 3)) &&
	actions --actor "$(echo "$me" | tr a-z A-Z)" >out2 &&
	test_cmp out out2 &&
	sf audit list --actor os:nobody --json >out &&
	test "$(test_json out "d")" = "[]"
'

test_expect_success '--entity filters by type, or by type and id' '
	a=$(test_sql "SELECT id FROM accounts WHERE username = ${q}al${q}") &&
	actions --entity account:$a >out &&
	test $(wc -l <out) = 8 &&
	! grep -v " account:$a$" out &&
	actions --entity account:00$a >out2 &&
	test_cmp out out2 &&
	actions --entity profile >out &&
	test $(wc -l <out) = 4 &&
	! grep -v " profile:[0-9]*$" out &&
	actions --entity account >out &&
	! grep " profile:" out
'

test_expect_success '--limit gives the newest entries' '
	sf audit list --json --limit 2 >out &&
	test "$(test_json out "len(d)")" = 2 &&
	test "$(test_json out "d[0][\"id\"]")" = "$(test_sql "SELECT max(id) FROM audit_log")" &&
	sf audit list --limit 1 >out &&
	test $(wc -l <out) = 2
'

test_expect_success 'without --limit at most 50 entries are listed' '
	for i in $(seq 20); do sf user role bob moderator >/dev/null && sf user role bob viewer >/dev/null || exit 1; done &&
	test "$(test_sql "SELECT count(*) FROM audit_log")" -gt 50 &&
	sf audit list --json >out &&
	test "$(test_json out "len(d)")" = 50
'

test_expect_success '--since takes an age or a date' '
	test_sql "UPDATE audit_log SET at = now() - interval ${q}3 days${q} WHERE action = ${q}user.add${q}" &&
	test_sql "UPDATE audit_log SET at = ${q}2020-01-15 12:00Z${q} WHERE action = ${q}user.purge${q}" &&
	total=$(test_sql "SELECT count(*) FROM audit_log") &&
	adds=$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}user.add${q}") &&
	actions --since 2d >out && test $(wc -l <out) = $((total - adds - 1)) &&
	! grep -e " user.add " -e " user.purge " out &&
	actions --since 48h >out && test $(wc -l <out) = $((total - adds - 1)) &&
	actions --since 2880m >out && test $(wc -l <out) = $((total - adds - 1)) &&
	actions --since 1w >out && test $(wc -l <out) = $((total - 1)) &&
	actions --since 2020-01-17 >out && test $(wc -l <out) = $((total - 1)) &&
	actions --since 2020-01-15T11:59Z >out && test $(wc -l <out) = $total &&
	actions --since 2020-01-15T12:00:01Z >out && test $(wc -l <out) = $((total - 1)) &&
	actions --since 2999-01-01 >out && test ! -s out &&
	actions --since 0s >out && test ! -s out
'

test_expect_success 'filters combine' '
	actions --actor mgr@example.com --entity account --since 1w --limit 1 >out &&
	test "$(cut -d" " -f2 out)" = user.suspend
'

test_expect_success 'a bad --since is a usage error (2) naming it' '
	for s in yesterday 10x 1234567d 2h30m "" 2026-13-01 2026-02-30 2026-11-01T25:00 \
		 2026-11-01T10:60Z 2026-11-01T10:00+02 2026/11/01 26-11-01 "2026-11-01 T10:00"; do
		test_expect_fail 2 "--since ${q}$s${q}: not a" sf audit list --since "$s" || exit 1
	done
'

test_expect_success 'a bad --entity is a usage error (2) naming it' '
	for e in "" :3 account: account:x account:0 account:-1 account:1:2 "account:1 "; do
		test_expect_fail 2 "--entity ${q}$e${q}: not TYPE or TYPE:ID" sf audit list --entity "$e" || exit 1
	done
'

test_expect_success 'a bad --limit is a usage error (2) naming it' '
	for l in 0 -1 abc 100001 1.5 "" " 3" 99999999999999999999; do
		test_expect_fail 2 "--limit ${q}$l${q}: not a whole number from 1 to 100000" \
			sf audit list --limit "$l" || exit 1
	done
'

test_expect_success 'reading the log needs the right role (77), --as a known account (3)' '
	echo Secret123 | sf user add --email v@example.com --username viewer --password-stdin >/dev/null &&
	test_expect_fail 77 "account ${q}v@example.com${q} (viewer) may not read the audit log" \
		sf audit list --as viewer &&
	test_expect_fail 3 "--as: account ${q}ghost${q}: not found" sf audit list --as ghost &&
	sf user unsuspend bob >/dev/null &&
	sf user role bob user_manager >/dev/null &&
	sf audit list --as bob --limit 1 >out &&
	test $(wc -l <out) = 2
'

test_expect_success 'failed changes and reads add no entries' '
	n=$(test_sql "SELECT count(*) FROM audit_log") &&
	test_expect_fail 4 "already taken" sf user set bob --username viewer &&
	test_expect_fail 3 "not found" sf user delete ghost &&
	echo weak | test_expect_code 2 sf user add --email w@example.com --username w --password-stdin 2>/dev/null &&
	sf audit list >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM audit_log")" = "$n"
'

test_done
