#!/usr/bin/env bash
# profile.sh - "sf profile": add, list, show, set and delete, in human and
# JSON form; the three ways to name a profile; the limits (five profiles,
# unique names, the kids cap); PINs; and every failure leaving the
# database exactly as it was.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

count() {
	test_sql "SELECT count(*) FROM $1"
}

test_expect_success 'setup: two accounts, each with its first profile' '
	echo Secret123 | sf user add --email alice@example.com --username alice --password-stdin >/dev/null &&
	echo Secret123 | sf user add --email bob@example.com --username bob --password-stdin >/dev/null &&
	test "$(count profiles)" = 2
'

test_expect_success 'the first profile is named after the username, unrestricted' '
	sf profile list alice --json >out &&
	test "$(test_json out "[(p[\"name\"], p[\"maturity\"], p[\"kids\"], p[\"language\"], p[\"has_pin\"]) for p in d]")" = \
		"[(${q}alice${q}, ${q}NC-17${q}, False, ${q}en${q}, False)]"
'

test_expect_success 'profile add prints the new profile' '
	sf profile add alice Kids --kids >out &&
	grep -q "^NAME: *Kids$" out &&
	grep -q "^MATURITY: *PG$" out &&
	grep -q "^KIDS: *yes$" out &&
	grep -q "^LANGUAGE: *en$" out &&
	grep -q "^PIN: *no$" out &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}profile.add${q}
			  AND old IS NULL AND new->>${q}name${q} = ${q}Kids${q}")" = 1
'

test_expect_success 'profile add --json, with a rating and a language tag' '
	sf profile add ALICE@example.com Teen --maturity pg-13 --language pt-br --json >out &&
	test "$(test_json out "d[\"name\"], d[\"maturity\"], d[\"maturity_level\"], d[\"kids\"], d[\"language\"], d[\"has_pin\"]")" = \
		"(${q}Teen${q}, ${q}PG-13${q}, 4, False, ${q}pt-BR${q}, False)" &&
	test "$(test_json out "d[\"account_id\"]")" = "$(test_sql "SELECT id FROM accounts WHERE username = ${q}alice${q}")" &&
	test "$(test_json out "\",\".join(sorted(d))")" = \
		account_id,created_at,has_pin,id,kids,language,list_on_finish,maturity,maturity_level,name,updated_at
'

test_expect_success 'profile add takes the account by id, and a PIN from --pin-stdin' '
	id=$(test_sql "SELECT id FROM accounts WHERE username = ${q}alice${q}") &&
	echo 4321 | sf profile add "$id" Locked --pin-stdin --json >out &&
	test "$(test_json out "d[\"has_pin\"]")" = True &&
	test "$(test_sql "SELECT pin_hash LIKE ${q}\$argon2id\$%${q} FROM profiles WHERE name = ${q}Locked${q}")" = t &&
	! grep -qi -e argon2 -e pin_hash out
'

test_expect_success 'language tags are checked and normalized' '
	sf profile add bob Lang --language ES-419 --json >out &&
	test "$(test_json out "d[\"language\"]")" = es-419 &&
	sf profile set bob/lang --language FR --json >out &&
	test "$(test_json out "d[\"language\"]")" = fr &&
	sf profile set bob/lang --language Zh-tw >out &&
	grep -q "^LANGUAGE: *zh-TW$" out &&
	for bad in english e en_US en- en-USA en-1 12 "" "en-U1" "fra-" "e n"; do
		test_expect_fail 2 "language ${q}$bad${q}: not a language tag" \
			sf profile set bob/lang --language "$bad" &&
		test_expect_fail 2 "language ${q}$bad${q}: not a language tag" \
			sf profile add bob Other --language "$bad" || exit 1
	done
'

test_expect_success 'profile list prints a table of the account'"'"'s profiles' '
	sf profile list alice >out &&
	head -1 out | grep -q "^ID  *NAME  *MATURITY  *KIDS  *LANGUAGE  *PIN  *CREATED$" &&
	test $(wc -l <out) = 5 &&
	grep -q "^[0-9]*  *Locked  *NC-17  *no  *en  *yes  " out &&
	sf profile list alice --json >out &&
	test "$(test_json out "[p[\"name\"] for p in d]")" = \
		"[${q}alice${q}, ${q}Kids${q}, ${q}Teen${q}, ${q}Locked${q}]"
'

test_expect_success 'profile show finds a profile by id, email/Name and username/name' '
	id=$(test_sql "SELECT id FROM profiles WHERE name = ${q}Teen${q}") &&
	acct=$(test_sql "SELECT id FROM accounts WHERE username = ${q}alice${q}") &&
	sf profile show "$id" >by-id &&
	sf profile show alice@example.com/Teen >by-email &&
	sf profile show ALICE/teen >by-name &&
	sf profile show "$acct/TEEN" >by-acct &&
	test_cmp by-id by-email &&
	test_cmp by-id by-name &&
	test_cmp by-id by-acct &&
	grep -q "^ID: *$id$" by-id &&
	sf profile show alice/teen --json >out &&
	test "$(test_json out "d[\"id\"]")" = "$id"
'

test_expect_success 'profile set changes name, rating, language and kids, human and JSON' '
	sf profile set alice/teen --name Teenager --maturity R >out &&
	grep -q "^NAME: *Teenager$" out &&
	grep -q "^MATURITY: *R$" out &&
	sf profile set alice/teenager --language de --json >out &&
	test "$(test_json out "d[\"name\"], d[\"maturity\"], d[\"language\"]")" = \
		"(${q}Teenager${q}, ${q}R${q}, ${q}de${q})" &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}profile.set${q}
			  AND old->>${q}name${q} = ${q}Teen${q} AND new->>${q}name${q} = ${q}Teenager${q}")" = 1
'

test_expect_success 'profile set --kids lowers a higher rating to PG; --no-kids undoes kids' '
	sf profile set alice/teenager --kids --json >out &&
	test "$(test_json out "d[\"kids\"], d[\"maturity\"]")" = "(True, ${q}PG${q})" &&
	sf profile set alice/teenager --no-kids --maturity PG-13 --json >out &&
	test "$(test_json out "d[\"kids\"], d[\"maturity\"]")" = "(False, ${q}PG-13${q})" &&
	sf profile set alice/teenager --kids --maturity G >out &&
	grep -q "^MATURITY: *G$" out && grep -q "^KIDS: *yes$" out
'

test_expect_success 'profile set with --pin-stdin sets a PIN and --clear-pin removes it' '
	echo 0000 | sf profile set alice/kids --pin-stdin >out &&
	grep -q "^PIN: *yes$" out &&
	sf profile set alice/kids --clear-pin --json >out &&
	test "$(test_json out "d[\"has_pin\"]")" = False &&
	test "$(test_sql "SELECT pin_hash IS NULL FROM profiles WHERE name = ${q}Kids${q}")" = t
'

test_expect_success 'a sixth profile is a conflict (4)' '
	sf profile add alice Fifth >/dev/null &&
	test "$(count "profiles p JOIN accounts a ON a.id = p.account_id WHERE a.username = ${q}alice${q}")" = 5 &&
	test_expect_fail 4 "account ${q}alice@example.com${q} already has 5 profiles" sf profile add alice Sixth &&
	test_expect_fail 4 "already has 5 profiles" sf profile add alice Sixth --kids --json
'

test_expect_success 'a duplicate name on the same account is a conflict (4), in any case' '
	test_expect_fail 4 "profile ${q}BOB${q} already exists on this account" sf profile add bob BOB &&
	test_expect_fail 4 "profile ${q}lang${q} already exists on this account" sf profile set bob/bob --name lang &&
	sf profile add bob Kids >/dev/null
'

test_expect_success 'a kids profile above PG is a usage error (2)' '
	for r in PG-13 TV-14 R NC-17 TV-MA NR; do
		test_expect_fail 2 "above PG, the most a kids profile may have" \
			sf profile add bob Small --kids --maturity $r || exit 1
	done &&
	test_expect_fail 2 "above PG" sf profile set alice/kids --maturity R &&
	test_expect_fail 2 "above PG" sf profile set bob/lang --kids --maturity PG-13
'

test_expect_success 'an unknown rating is a usage error (2) naming it' '
	test_expect_fail 2 "--maturity ${q}XXX${q}: not one of G" sf profile add bob Small --maturity XXX &&
	test_expect_fail 2 "--maturity ${q}PG13${q}: not one of G" sf profile set bob/lang --maturity PG13 &&
	test_expect_fail 2 "--maturity ${q}${q}" sf profile set bob/lang --maturity ""
'

test_expect_success 'a bad PIN is a usage error (2)' '
	for pin in 1 123 12345 12a4 "12 4" abcd "１２３４"; do
		printf "%s\n" "$pin" >pin &&
		test_expect_fail 2 "PIN: must be exactly 4 digits" sf profile add bob Small --pin-stdin <pin &&
		test_expect_fail 2 "PIN: must be exactly 4 digits" sf profile set bob/lang --pin-stdin <pin ||
		exit 1
	done &&
	test_expect_fail 2 "no PIN on standard input" sf profile add bob Small --pin-stdin </dev/null
'

test_expect_success 'a PIN is never taken from the command line or without a terminal' '
	echo 1234 >pin &&
	test_expect_fail 2 "unexpected argument (not shown" sf profile add bob Small 1234 <pin &&
	test_expect_fail 2 "use --pin-stdin" sf profile add bob Small --pin </dev/null &&
	test_expect_fail 2 "give --pin or --pin-stdin, not both" sf profile add bob Small --pin --pin-stdin <pin &&
	test_expect_fail 2 "give a PIN or clear it, not both" sf profile set bob/lang --pin-stdin --clear-pin <pin
'

test_expect_success 'bad names are usage errors (2)' '
	long=$(printf "%051d" 0 | tr 0 n) &&
	test_expect_fail 2 "longer than 50 characters" sf profile add bob "$long" &&
	test_expect_fail 2 "longer than 50 characters" sf profile set bob/lang --name "$long" &&
	test_expect_fail 2 "must not be empty" sf profile add bob "" &&
	test_expect_fail 2 "must not contain ${q}/${q}" sf profile add bob "a/b" &&
	test_expect_fail 2 "must not contain ${q}/${q}" sf profile set bob/lang --name "a/b" &&
	test_expect_fail 2 "contains a control character" sf profile add bob "$(printf "a\tb")" &&
	test_expect_fail 2 "profile name ${q}a?b${q}: not valid UTF-8" sf profile add bob "$(printf "a\377b")" &&
	sf profile add bob "$(printf "%050d" 0 | tr 0 n)" --json >out &&
	test "$(test_json out "len(d[\"name\"])")" = 50 &&
	sf profile add bob "Zoë" >out &&
	grep -q "^NAME: *Zoë$" out
'

test_expect_success 'bad profile references are usage errors (2)' '
	test_expect_fail 2 "profile ${q}alice${q}: give an id or ACCOUNT/NAME" sf profile show alice &&
	test_expect_fail 2 "give an id or ACCOUNT/NAME" sf profile show alice/ &&
	test_expect_fail 2 "give an id or ACCOUNT/NAME" sf profile set /kids --name x &&
	test_expect_fail 2 "give an id or ACCOUNT/NAME" sf profile delete 0 &&
	test_expect_fail 2 "not valid UTF-8" sf profile show "$(printf "alice/\377")"
'

test_expect_success 'unknown accounts and profiles are not found (3)' '
	test_expect_fail 3 "account ${q}nobody${q}: not found" sf profile add nobody Kid &&
	test_expect_fail 3 "account ${q}nobody@example.com${q}: not found" sf profile list nobody@example.com &&
	test_expect_fail 3 "profile ${q}99999${q}: not found" sf profile show 99999 &&
	test_expect_fail 3 "profile ${q}alice/ghost${q}: not found" sf profile show alice/ghost &&
	test_expect_fail 3 "profile ${q}nobody/alice${q}: not found" sf profile set nobody/alice --name x &&
	test_expect_fail 3 "profile ${q}bob/alice${q}: not found" sf profile delete bob/alice &&
	test_expect_fail 3 "profile ${q}99999${q}: not found" sf profile delete 99999
'

test_expect_success 'profile set with nothing to change, or --kids and --no-kids, is refused' '
	test_expect_fail 2 "nothing to change" sf profile set bob/lang &&
	test_expect_fail 2 "give --kids or --no-kids, not both" sf profile set bob/lang --kids --no-kids
'

test_expect_success 'profile delete removes a profile, in human and JSON form' '
	id=$(test_sql "SELECT id FROM profiles WHERE name = ${q}Fifth${q}") &&
	sf profile delete alice/fifth >out &&
	test "$(cat out)" = "deleted profile ${q}Fifth${q} (id $id)" &&
	test "$(count "profiles WHERE id = $id")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}profile.delete${q}
			  AND entity_id = ${q}$id${q} AND new IS NULL")" = 1 &&
	id=$(test_sql "SELECT id FROM profiles WHERE name = ${q}Locked${q}") &&
	sf profile delete "$id" --json >out &&
	test "$(test_json out "d[\"name\"], d[\"id\"]")" = "(${q}Locked${q}, $id)"
'

test_expect_success 'the only profile of an account cannot be deleted (4)' '
	echo Secret123 | sf user add --email c@example.com --username carol --password-stdin >/dev/null &&
	test_expect_fail 4 "profile ${q}carol${q} is the account${q}s only profile" sf profile delete carol/carol
'

test_expect_success 'profiles of a deleted account cannot change (4)' '
	sf user delete carol >/dev/null &&
	test_expect_fail 4 "account ${q}c@example.com${q} is deleted; restore it first" sf profile add carol Two &&
	test_expect_fail 4 "is deleted; restore it first" sf profile set carol/carol --name Two &&
	test_expect_fail 4 "is deleted; restore it first" sf profile delete carol/carol &&
	sf user restore carol >/dev/null
'

test_expect_success '--as an account may manage its own profiles only' '
	sf profile add carol Mine --as carol >/dev/null &&
	sf profile list carol --as c@example.com >out &&
	grep -q Mine out &&
	sf profile set carol/mine --language it --as carol >/dev/null &&
	test "$(test_sql "SELECT actor FROM audit_log WHERE action = ${q}profile.set${q}
			  ORDER BY id DESC LIMIT 1")" = c@example.com &&
	test_expect_fail 77 "account ${q}c@example.com${q} (viewer) may not manage accounts" \
		sf profile add bob Intruder --as carol &&
	test_expect_fail 77 "may not manage accounts" sf profile list bob --as carol &&
	test_expect_fail 77 "may not manage accounts" sf profile show bob/lang --as carol &&
	sf profile show carol/mine --as carol >/dev/null &&
	test_expect_fail 77 "may not manage accounts" sf profile set bob/lang --name x --as carol &&
	test_expect_fail 77 "may not manage accounts" sf profile delete bob/lang --as carol &&
	test_expect_fail 3 "--as: account ${q}ghost${q}: not found" sf profile list carol --as ghost &&
	sf profile delete carol/mine --as carol >/dev/null
'

test_expect_success 'a user_manager may manage anyone'"'"'s profiles' '
	echo Secret123 | sf user add --email m@example.com --username mgr --role user_manager \
		--password-stdin >/dev/null &&
	sf profile delete bob/zoë --as mgr >/dev/null &&
	sf profile add bob Managed --as mgr >/dev/null &&
	sf profile set bob/managed --maturity G --as mgr >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE actor = ${q}m@example.com${q}
			  AND action LIKE ${q}profile.%${q}")" = 3
'

test_expect_success 'no PIN or password hash appears in any output' '
	{
		for a in alice bob carol mgr; do
			sf profile list $a && sf profile list $a --json || exit 1
		done &&
		for p in $(test_sql "SELECT id FROM profiles"); do
			sf profile show "$p" && sf profile show "$p" --json || exit 1
		done &&
		sf audit list --limit 1000 --json
	} >out 2>&1 &&
	! grep -qi -e argon2 -e pin_hash -e password out
'

test_expect_success 'every profile belongs to an account that has at most five' '
	test "$(test_sql "SELECT count(*) FROM (SELECT account_id FROM profiles
			  GROUP BY account_id HAVING count(*) > 5) x")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM accounts a
			  WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.account_id = a.id)")" = 0
'

test_done
