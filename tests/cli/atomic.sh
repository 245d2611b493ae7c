#!/usr/bin/env bash
# atomic.sh - killing sf during "sf user add" leaves either the whole
# account (with its first profile and its audit entry) or nothing.
#
# The kills land from before the connection to after the commit: the
# delays are spread evenly over 0 to twice the measured length of one add
# (argon2 hashing alone takes 50-150 ms), so about half land before the
# transaction ends.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

RUNS=30
DEADLINE=40   # seconds for the whole kill loop

now_ms() {
	date +%s%3N
}

invariant() {
	# Every account has exactly one profile (named after it) and exactly
	# one user.add entry; nothing points at an account that is not there.
	test "$(test_sql "SELECT count(*) FROM accounts a WHERE
		(SELECT count(*) FROM profiles p WHERE p.account_id = a.id) <> 1
		OR NOT EXISTS (SELECT 1 FROM profiles p WHERE p.account_id = a.id
			       AND p.name = a.username)
		OR (SELECT count(*) FROM audit_log l WHERE l.action = ${q}user.add${q}
		    AND l.entity_type = ${q}account${q} AND l.entity_id = a.id::text) <> 1")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM profiles p
		WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = p.account_id)")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM audit_log l
		WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id::text = l.entity_id)")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM audit_log")" = "$(test_sql "SELECT count(*) FROM accounts")"
}

test_expect_success 'setup: one add, timed' '
	echo Secret123 >pw &&
	start=$(now_ms) &&
	sf user add --email timing@example.com --username timing --password-stdin <pw >/dev/null &&
	echo $(( $(now_ms) - start )) >add.ms &&
	test "$(cat add.ms)" -gt 0 &&
	invariant
'

test_expect_success "kill -9 at $RUNS moments during sf user add" '
	span=$(( $(cat add.ms) * 2 )) &&
	if [ $span -lt 150 ]; then span=150; elif [ $span -gt 3000 ]; then span=3000; fi &&
	begin=$(now_ms) &&
	: >outcomes &&
	for i in $(seq 0 $((RUNS - 1))); do
		[ $(( $(now_ms) - begin )) -lt $((DEADLINE * 1000)) ] || break
		delay=$(( span * i / (RUNS - 1) ))
		"$SF_BIN" user add --email k$i@example.com --username k$i --password-stdin \
			<pw >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf "%d.%03d" $((delay / 1000)) $((delay % 1000)))"
		kill -9 $pid 2>/dev/null
		rc=0
		wait $pid || rc=$?
		echo "$i $delay $rc" >>outcomes
	done &&
	test $(wc -l <outcomes) -ge 10 &&
	# Every run either was killed or succeeded: nothing else went wrong.
	! awk "\$3 != 0 && \$3 != 137" outcomes | grep . &&
	grep -q " 137$" outcomes
'

test_expect_success 'each killed add left the whole account or nothing' '
	invariant
'

test_expect_success 'every add that finished left its account' '
	for i in $(awk "\$3 == 0 { print \$1 }" outcomes); do
		test "$(test_sql "SELECT count(*) FROM accounts WHERE username = ${q}k$i${q}")" = 1 ||
		exit 1
	done
'

test_expect_success 'an add that was killed can simply be run again' '
	while read -r i delay rc; do
		got=0
		sf user add --email k$i@example.com --username k$i --password-stdin <pw \
			>/dev/null 2>err || got=$?
		# A finished add must now conflict; a killed one may have
		# committed (4) or not (0), but nothing in between.
		case "$rc:$got" in
		0:4|137:4) grep -q "already taken" err || exit 1 ;;
		137:0) ;;
		*) echo "run $i (exit $rc after $delay ms): the second add exited $got" >&2
		   cat err >&2
		   exit 1 ;;
		esac
	done <outcomes &&
	test "$(test_sql "SELECT count(*) FROM accounts WHERE username LIKE ${q}k%${q}")" = $(wc -l <outcomes) &&
	invariant
'

if [ -f outcomes ]; then
	echo "# $(grep -c " 137$" outcomes) of $(wc -l <outcomes) adds killed," \
		"$(grep -c " 0$" outcomes) finished; one add took $(cat add.ms) ms"
fi

test_done
