#!/usr/bin/env bash
# user.sh - "sf user": every verb in human and JSON form, every kind of
# bad input (one line on stderr, the right exit status, the database left
# exactly as it was), --as, and passwords typed on a real terminal (tmux).
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

add() {
	echo Secret123 | sf user add --email "$1" --username "$2" --password-stdin "${@:3}"
}

test_expect_success 'user add creates an account from --password-stdin' '
	echo Secret123 | sf user add --email a@example.com --username a --password-stdin >out 2>err &&
	test_cmp /dev/null err &&
	grep -q "^EMAIL: *a@example.com$" out &&
	grep -q "^USERNAME: *a$" out &&
	grep -q "^ROLE: *viewer$" out &&
	grep -q "^STATUS: *active$" out &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE email = ${q}a@example.com${q}")" = 1
'

test_expect_success 'user list --json shows the account and no password' '
	sf user list --json >out &&
	test "$(test_json out "len(d)")" = 1 &&
	test "$(test_json out "d[0][\"email\"]")" = a@example.com &&
	test "$(test_json out "d[0][\"username\"]")" = a &&
	test "$(test_json out "\",\".join(sorted(d[0]))")" = \
		created_at,deleted_at,email,id,role,status,updated_at,username &&
	! grep -qi argon2 out &&
	! grep -qi password out
'

test_expect_success 'the password is stored as an argon2id hash' '
	test_sql "SELECT password_hash LIKE ${q}\$argon2id\$%${q} FROM accounts WHERE username = ${q}a${q}" >out &&
	test "$(cat out)" = t
'

test_expect_success 'user add also makes the first profile and one audit entry' '
	test "$(test_sql "SELECT name FROM profiles p JOIN accounts a ON a.id = p.account_id
			  WHERE a.username = ${q}a${q}")" = a &&
	test "$(test_sql "SELECT actor || ${q} ${q} || action FROM audit_log")" = "os:$(id -un) user.add"
'

test_expect_success 'the same email in another case is a conflict (4)' '
	echo Secret123 >pw &&
	test_expect_fail 4 "email ${q}A@Example.com${q} is already taken" \
		sf user add --email A@Example.com --username other --password-stdin <pw
'

test_expect_success 'the same username in another case is a conflict (4)' '
	echo Secret123 >pw &&
	test_expect_fail 4 "username ${q}A${q} is already taken" \
		sf user add --email other@example.com --username A --password-stdin <pw
'

test_expect_success 'user add --json prints the new account as JSON' '
	echo Secret123 | sf user add --email B@example.com --username bob --role moderator \
		--password-stdin --json >out &&
	test "$(test_json out "d[\"email\"], d[\"username\"], d[\"role\"], d[\"status\"], d[\"deleted_at\"]")" = \
		"(${q}B@example.com${q}, ${q}bob${q}, ${q}moderator${q}, ${q}active${q}, None)" &&
	test "$(test_json out "type(d[\"id\"]).__name__")" = int &&
	! grep -qi -e argon2 -e password out
'

test_expect_success 'user list prints a table, filtered by --role and --status' '
	sf user list >out &&
	head -1 out | grep -q "^ID  *EMAIL  *USERNAME  *ROLE  *STATUS  *CREATED$" &&
	test $(wc -l <out) = 3 &&
	grep -q "^[0-9]*  *B@example.com  *bob  *moderator  *active " out &&
	sf user list --role moderator >out &&
	test $(wc -l <out) = 2 && grep -q bob out &&
	sf user list --role admin --json >out &&
	test "$(test_json out "d")" = "[]" &&
	sf user list --status suspended >out &&
	test $(wc -l <out) = 1
'

test_expect_success 'user show finds an account by id, email or username in any case' '
	id=$(test_sql "SELECT id FROM accounts WHERE username = ${q}bob${q}") &&
	sf user show "$id" >by-id &&
	sf user show b@EXAMPLE.com >by-email &&
	sf user show BOB >by-name &&
	test_cmp by-id by-email &&
	test_cmp by-id by-name &&
	grep -q "^ID: *$id$" by-id &&
	grep -q "^DELETED: *-$" by-id &&
	sf user show bob --json >out &&
	test "$(test_json out "d[\"id\"]")" = "$id"
'

test_expect_success 'user set changes the email and the username' '
	sf user set bob --email bob@example.com >out &&
	grep -q "^EMAIL: *bob@example.com$" out &&
	sf user set bob@example.com --username robert --json >out &&
	test "$(test_json out "d[\"email\"], d[\"username\"]")" = "(${q}bob@example.com${q}, ${q}robert${q})" &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}user.set${q}")" = 2
'

test_expect_success 'user set with nothing to change is a usage error' '
	test_expect_fail 2 "nothing to change" sf user set robert
'

test_expect_success 'user set refuses a bad or taken email or username' '
	test_expect_fail 2 "email ${q}not-an-email${q}" sf user set robert --email not-an-email &&
	test_expect_fail 2 "username ${q}-x${q}" sf user set robert --username -x &&
	test_expect_fail 4 "email ${q}A@EXAMPLE.COM${q} is already taken" sf user set robert --email A@EXAMPLE.COM &&
	test_expect_fail 4 "username ${q}a${q} is already taken" sf user set robert --username a
'

test_expect_success 'user passwd sets a new password from --password-stdin' '
	before=$(test_sql "SELECT md5(password_hash) FROM accounts WHERE username = ${q}a${q}") &&
	echo Another456 | sf user passwd a --password-stdin >out 2>err &&
	test_cmp /dev/null out &&
	grep -q "password changed for account ${q}a${q}" err &&
	after=$(test_sql "SELECT md5(password_hash) FROM accounts WHERE username = ${q}a${q}") &&
	test "$before" != "$after" &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}user.passwd${q}")" = 1
'

test_expect_success 'user passwd refuses a weak password and leaves the old one' '
	echo weak >pw &&
	test_expect_fail 2 "password: shorter than 8 characters" sf user passwd a --password-stdin <pw
'

test_expect_success 'user passwd without a terminal or --password-stdin is a usage error' '
	test_expect_fail 2 "use --password-stdin" sf user passwd a </dev/null &&
	test_expect_fail 2 "no password on standard input" sf user passwd a --password-stdin </dev/null
'

test_expect_success 'user role gives a role, in human and JSON form' '
	sf user role robert content_manager >out &&
	grep -q "^ROLE: *content_manager$" out &&
	sf user role robert user_manager --json >out &&
	test "$(test_json out "d[\"role\"]")" = user_manager
'

test_expect_success 'user role refuses an unknown role (2) and the same role (4)' '
	test_expect_fail 2 "role ${q}king${q}: not one of" sf user role robert king &&
	test_expect_fail 4 "already has role user_manager" sf user role robert user_manager
'

test_expect_success 'the last active admin cannot be demoted, suspended, deleted or purged' '
	sf user role a admin >/dev/null &&
	test_expect_fail 4 "last active admin" sf user role a viewer &&
	test_expect_fail 4 "last active admin" sf user suspend a &&
	test_expect_fail 4 "last active admin" sf user delete a &&
	test_expect_fail 4 "last active admin" sf user purge a --yes
'

test_expect_success 'user suspend and unsuspend, in human and JSON form' '
	sf user suspend robert >out &&
	grep -q "^STATUS: *suspended$" out &&
	test_expect_fail 4 "already suspended" sf user suspend robert &&
	sf user list --status suspended >out &&
	grep -q robert out &&
	sf user unsuspend robert --json >out &&
	test "$(test_json out "d[\"status\"]")" = active &&
	test_expect_fail 4 "already active" sf user unsuspend robert &&
	sf user suspend robert --json >out &&
	test "$(test_json out "d[\"status\"]")" = suspended &&
	sf user unsuspend robert >out &&
	grep -q "^STATUS: *active$" out
'

test_expect_success 'user delete hides an account and restore brings it back' '
	add c@example.com carol >/dev/null &&
	sf user delete carol >out &&
	grep -q "^DELETED: *[0-9T:Z-]*$" out &&
	! grep -q "^DELETED: *-$" out &&
	sf user list >out &&
	! grep -q carol out &&
	sf user list --all >out &&
	grep -q carol out &&
	sf user list --status deleted --json >out &&
	test "$(test_json out "[a[\"username\"] for a in d]")" = "[${q}carol${q}]" &&
	test_expect_fail 4 "already deleted" sf user delete carol &&
	test_expect_fail 4 "is deleted; restore it first" sf user set carol --username caz &&
	sf user restore carol --json >out &&
	test "$(test_json out "d[\"deleted_at\"]")" = None &&
	test_expect_fail 4 "is not deleted" sf user restore carol &&
	sf user delete carol --json >out &&
	test "$(test_json out "d[\"deleted_at\"] is not None")" = True &&
	sf user restore carol >out &&
	grep -q "^DELETED: *-$" out
'

test_expect_success 'user purge without --yes and without a terminal removes nothing' '
	test_expect_fail 2 "without --yes" sf user purge carol </dev/null
'

test_expect_success 'user purge --yes removes the account and its profiles, and is audited' '
	id=$(test_sql "SELECT id FROM accounts WHERE username = ${q}carol${q}") &&
	sf user purge carol --yes >out &&
	test "$(cat out)" = "purged account ${q}c@example.com${q} (id $id)" &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE id = $id")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM profiles WHERE account_id = $id")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}user.purge${q}
			  AND entity_id = ${q}$id${q} AND new IS NULL AND old IS NOT NULL")" = 1
'

test_expect_success 'user purge --json prints the account as it was' '
	add d@example.com dave >/dev/null &&
	sf user purge dave --yes --json >out &&
	test "$(test_json out "d[\"username\"]")" = dave &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE username = ${q}dave${q}")" = 0
'

test_expect_success 'an unknown account is not found (3) for every verb' '
	echo Secret123 >pw &&
	for ref in nobody nobody@example.com 99999; do
		test_expect_fail 3 "account ${q}$ref${q}: not found" sf user show "$ref" &&
		test_expect_fail 3 "account ${q}$ref${q}: not found" sf user set "$ref" --username zed &&
		test_expect_fail 3 "account ${q}$ref${q}: not found" sf user passwd "$ref" --password-stdin <pw &&
		test_expect_fail 3 "account ${q}$ref${q}: not found" sf user role "$ref" admin &&
		for verb in suspend unsuspend delete restore; do
			test_expect_fail 3 "account ${q}$ref${q}: not found" sf user $verb "$ref" || exit 1
		done &&
		test_expect_fail 3 "account ${q}$ref${q}: not found" sf user purge "$ref" --yes ||
		exit 1
	done
'

test_expect_success 'user passwd asks nothing for an unknown account' '
	test_expect_fail 3 "not found" sf user passwd nobody </dev/null
'

test_expect_success 'invalid email addresses are refused (2) and named' '
	echo Secret123 >pw &&
	test_expect_fail 2 "email ${q}a@${q}: shorter than 3 characters" \
		sf user add --email a@ --username x --password-stdin <pw &&
	for e in plain @example.com a@b a@@example.com "a b@example.com" .a@example.com \
		 a..b@example.com a.@example.com a@-example.com a@example-.com a@example..com \
		 a@example.123 "a@exa mple.com" "a(b)@example.com"; do
		test_expect_fail 2 "email ${q}$e${q}: not a valid address" \
			sf user add --email "$e" --username x --password-stdin <pw || exit 1
	done
'

test_expect_success 'weak passwords are refused, one rule at a time' '
	for case in "Sh0rt:shorter than 8 characters" "secret123:needs an upper-case letter" \
		    "SecretSecret:needs a digit" "Ab1    :shorter than 8 characters"; do
		printf "%s\n" "${case%%:*}" >pw &&
		test_expect_fail 2 "password: ${case#*:}" \
			sf user add --email x@example.com --username x --password-stdin <pw || exit 1
	done &&
	printf "Secret\t123\n" >pw &&
	test_expect_fail 2 "password: contains a control character" \
		sf user add --email x@example.com --username x --password-stdin <pw &&
	printf "Secret\377123\n" >pw &&
	test_expect_fail 2 "password: not valid UTF-8" \
		sf user add --email x@example.com --username x --password-stdin <pw &&
	python3 -c "print(\"Aa1\" * 400)" >pw &&
	test_expect_fail 2 "password: longer than 1024 bytes" \
		sf user add --email x@example.com --username x --password-stdin <pw &&
	python3 -c "print(\"Aa1\" * 2000)" >pw &&
	test_expect_fail 2 "password on standard input: longer than 4095 bytes" \
		sf user add --email x@example.com --username x --password-stdin <pw
'

test_expect_success 'passwords that meet every rule are accepted' '
	i=0 &&
	for p in SECRET12 Secret12 "Aa1 b c d" "Ab1     " "$(python3 -c "print(\"Aa1\" * 341 + \"A\")")"; do
		i=$((i + 1)) &&
		printf "%s\n" "$p" | sf user add --email ok$i@example.com --username ok$i \
			--password-stdin >/dev/null || exit 1
	done &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE username LIKE ${q}ok_${q}")" = 5
'

test_expect_success 'a password is counted in characters, not bytes' '
	printf "Ünïcöd1A\n" >pw &&
	sf user add --email u@example.com --username uni --password-stdin <pw >/dev/null &&
	printf "Ünïcö1A\n" >pw &&
	test_expect_fail 2 "password: shorter than 8 characters" \
		sf user add --email u2@example.com --username uni2 --password-stdin <pw
'

test_expect_success 'an unknown role is a usage error (2)' '
	echo Secret123 >pw &&
	test_expect_fail 2 "--role ${q}king${q}: not one of viewer" \
		sf user add --email x@example.com --username x --role king --password-stdin <pw
'

test_expect_success 'over-long fields are refused (2)' '
	echo Secret123 >pw &&
	long=$(printf "%033d" 0 | tr 0 x) &&
	test_expect_fail 2 "longer than 32 characters" \
		sf user add --email x@example.com --username "$long" --password-stdin <pw &&
	long=$(printf "%0250d" 0 | tr 0 x)@ex.com &&
	test_expect_fail 2 "longer than 254 characters" \
		sf user add --email "$long" --username x --password-stdin <pw &&
	long=$(printf "%065d" 0 | tr 0 x)@example.com &&
	test_expect_fail 2 "not a valid address" \
		sf user add --email "$long" --username x --password-stdin <pw &&
	test_expect_fail 2 "longer than 32 characters" sf user set a --username "$(printf "%033d" 0 | tr 0 y)"
'

test_expect_success 'fields at their longest are accepted' '
	name=$(printf "%032d" 0 | tr 0 n) &&
	email=$(printf "%064d" 0 | tr 0 e)@$(printf "%063d" 0 | tr 0 d).$(printf "%063d" 0 | tr 0 d).$(printf "%057d" 0 | tr 0 d).com &&
	test ${#email} = 254 &&
	add "$email" "$name" >/dev/null &&
	sf user show "$name" --json >out &&
	test "$(test_json out "len(d[\"email\"])")" = 254
'

test_expect_success 'non-UTF-8 bytes in an email, username or account are refused (2)' '
	echo Secret123 >pw &&
	test_expect_fail 2 "email ${q}x?@example.com${q}: not valid UTF-8" \
		sf user add --email "$(printf "x\377@example.com")" --username x --password-stdin <pw &&
	test_expect_fail 2 "username ${q}x?${q}: not valid UTF-8" \
		sf user add --email x@example.com --username "$(printf "x\377")" --password-stdin <pw &&
	test_expect_fail 2 "account ${q}x?${q}: not valid UTF-8" sf user show "$(printf "x\377")" &&
	test_expect_fail 2 "not valid UTF-8" sf user set a --username "$(printf "\300\200")"
'

test_expect_success 'control characters and bad usernames are refused (2)' '
	echo Secret123 >pw &&
	test_expect_fail 2 "username ${q}x?y${q}: contains a control character" \
		sf user add --email x@example.com --username "$(printf "x\ty")" --password-stdin <pw &&
	test_expect_fail 2 "must not be empty" \
		sf user add --email x@example.com --username "" --password-stdin <pw &&
	test_expect_fail 2 "must not be all digits" \
		sf user add --email x@example.com --username 1234 --password-stdin <pw &&
	test_expect_fail 2 "use letters, digits" \
		sf user add --email x@example.com --username "x y" --password-stdin <pw &&
	test_expect_fail 2 "use letters, digits" \
		sf user add --email x@example.com --username "_x" --password-stdin <pw &&
	test_expect_fail 2 "account: empty name" sf user show ""
'

test_expect_success 'an empty standard input with --password-stdin is a usage error' '
	test_expect_fail 2 "no password on standard input" \
		sf user add --email x@example.com --username x --password-stdin </dev/null
'

test_expect_success 'without a terminal or --password-stdin user add asks nothing and fails' '
	test_expect_fail 2 "standard input is not a terminal" \
		sf user add --email x@example.com --username x </dev/null &&
	echo Secret123 >pw &&
	test_expect_fail 2 "use --password-stdin" sf user add --email x@example.com --username x <pw
'

test_expect_success 'a password is never taken from the command line' '
	echo Secret123 >pw &&
	test_expect_fail 2 "passwords are never taken on the command line" \
		sf user add --email x@example.com --username x --password Secret123 <pw &&
	test_expect_fail 2 "unexpected argument (not shown" \
		sf user add --email x@example.com --username x --password-stdin Secret123 <pw &&
	test_expect_fail 2 "passwords are never taken on the command line" \
		sf user passwd a --password=Secret123 <pw &&
	test_expect_fail 2 "option ${q}--password-stdin${q} takes no value" \
		sf user passwd a --password-stdin=Secret123 <pw &&
	test_expect_fail 2 "unexpected argument (not shown" sf user passwd a Secret123 <pw &&
	sf user add --email x@example.com --username x --password Secret123 <pw 2>err || true &&
	! grep -q Secret123 err
'

test_expect_success 'user_manager accounts may add users, but not admins' '
	add mgr@example.com mgr --role user_manager >/dev/null &&
	echo Secret123 | sf user add --email e@example.com --username erin --password-stdin \
		--as MGR@example.com >/dev/null &&
	test "$(test_sql "SELECT actor FROM audit_log WHERE action = ${q}user.add${q}
			  AND new->>${q}username${q} = ${q}erin${q}")" = mgr@example.com &&
	echo Secret123 >pw &&
	test_expect_fail 77 "(user_manager) may not grant or change the admin role" \
		sf user add --email f@example.com --username f --role admin --password-stdin \
		--as mgr <pw &&
	test_expect_fail 77 "may not grant or change the admin role" sf user role erin admin --as mgr
'

test_expect_success '--as a viewer may not add a user (77)' '
	echo Secret123 >pw &&
	test_expect_fail 77 "account ${q}e@example.com${q} (viewer) may not manage accounts" \
		sf user add --email g@example.com --username g --password-stdin --as erin <pw &&
	test_expect_fail 77 "may not manage accounts" \
		sf user add --email g@example.com --username g --as erin </dev/null &&
	test_expect_fail 77 "may not manage accounts" sf user passwd mgr --as erin </dev/null &&
	test_expect_fail 77 "may not manage accounts" sf user suspend mgr --as erin &&
	test_expect_fail 77 "may not manage accounts" sf user purge mgr --yes --as erin
'

test_expect_success '--as a viewer sees only its own account' '
	sf user show erin --as erin >out &&
	grep -q "^EMAIL: *e@example.com$" out &&
	test_expect_fail 77 "account ${q}e@example.com${q} (viewer) may not manage accounts" \
		sf user show mgr --as erin &&
	test_expect_fail 77 "may not manage accounts" sf user list --as erin &&
	sf user list --as mgr --json >out &&
	test "$(test_json out "len(d)")" = "$(test_sql "SELECT count(*) FROM accounts WHERE deleted_at IS NULL")"
'

test_expect_success '--as an unknown account is not found (3)' '
	echo Secret123 >pw &&
	test_expect_fail 3 "--as: account ${q}ghost@example.com${q}: not found" \
		sf user add --email g@example.com --username g --password-stdin \
		--as ghost@example.com <pw &&
	test_expect_fail 3 "--as: account ${q}ghost${q}: not found" sf user list --as ghost
'

test_expect_success '--as a suspended account is forbidden (77)' '
	sf user suspend mgr >/dev/null &&
	echo Secret123 >pw &&
	test_expect_fail 77 "--as: account ${q}mgr@example.com${q} is suspended" \
		sf user add --email g@example.com --username g --password-stdin --as mgr <pw &&
	sf user unsuspend mgr >/dev/null
'

# A real terminal (tmux).
. "$SF_TEST_TOP/tests/harness/tty.sh"

test_expect_success 'on a terminal user add asks twice for the password without echo' '
	tty_run add1 "$SF_BIN" user add --email tty@example.com --username tty &&
	tty_wait add1 "New password:" &&
	$T send-keys -t add1 "Typed987x" Enter &&
	tty_wait add1 "Retype the new password:" &&
	$T send-keys -t add1 "Typed987x" Enter &&
	test "$(tty_done add1)" = 0 &&
	$T capture-pane -p -t add1 >screen &&
	grep -q "^EMAIL: *tty@example.com$" screen &&
	! grep -q Typed987x screen &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE username = ${q}tty${q}")" = 1
'

test_expect_success 'the typed password is the one stored' '
	tty_run pw1 "$SF_BIN" user passwd tty &&
	tty_wait pw1 "New password:" &&
	$T send-keys -t pw1 "Again123x" Enter &&
	tty_wait pw1 "Retype the new password:" &&
	$T send-keys -t pw1 "Again123x" Enter &&
	test "$(tty_done pw1)" = 0 &&
	$T capture-pane -p -t pw1 >screen &&
	grep -q "password changed for account ${q}tty${q}" screen &&
	! grep -q Again123x screen
'

test_expect_success 'on a terminal a mistyped retype fails and creates nothing' '
	test_snapshot >before.db &&
	tty_run add2 "$SF_BIN" user add --email tty2@example.com --username tty2 &&
	tty_wait add2 "New password:" &&
	$T send-keys -t add2 "Typed987x" Enter &&
	tty_wait add2 "Retype the new password:" &&
	$T send-keys -t add2 "Typed987y" Enter &&
	test "$(tty_done add2)" = 2 &&
	$T capture-pane -p -t add2 >screen &&
	grep -q "^sf: the two passwords differ$" screen &&
	! grep -q Typed987 screen &&
	test_snapshot >after.db &&
	test_cmp before.db after.db
'

test_expect_success 'on a terminal user purge asks first; "n" keeps the account' '
	test_snapshot >before.db &&
	tty_run purge1 "$SF_BIN" user purge tty &&
	tty_wait purge1 "[y/N]" &&
	$T send-keys -t purge1 n Enter &&
	test "$(tty_done purge1)" = 2 &&
	$T capture-pane -p -t purge1 >screen &&
	grep -q "^sf: purge of account ${q}tty@example.com${q} not confirmed$" screen &&
	test_snapshot >after.db &&
	test_cmp before.db after.db
'

test_expect_success 'on a terminal user purge with "y" removes the account' '
	tty_run purge2 "$SF_BIN" user purge tty &&
	tty_wait purge2 "[y/N]" &&
	$T send-keys -t purge2 y Enter &&
	test "$(tty_done purge2)" = 0 &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE username = ${q}tty${q}")" = 0
'

test_expect_success 'no password hash appears in any output or audit entry' '
	{
		sf user list --all && sf user list --all --json &&
		for a in $(test_sql "SELECT id FROM accounts"); do
			sf user show "$a" && sf user show "$a" --json || exit 1
		done &&
		sf audit list --limit 1000 && sf audit list --limit 1000 --json
	} >out 2>&1 &&
	! grep -qi -e argon2 -e password_hash out &&
	! grep -rqi argon2 "$TEST_DIR" &&
	test "$(test_sql "SELECT count(*) FROM audit_log
			  WHERE coalesce(old::text, ${q}${q}) || coalesce(new::text, ${q}${q}) ~* ${q}argon2|password${q}")" = 0
'

test_expect_success 'every account still has exactly one user.add entry and a profile' '
	test "$(test_sql "SELECT count(*) FROM accounts a WHERE
		(SELECT count(*) FROM audit_log l WHERE l.action = ${q}user.add${q}
		 AND l.entity_id = a.id::text) <> 1
		OR NOT EXISTS (SELECT 1 FROM profiles p WHERE p.account_id = a.id)")" = 0
'

$T kill-server 2>/dev/null
test_done
