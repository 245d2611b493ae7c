#!/usr/bin/env bash
# basics.sh - the dispatcher: help, version, unknown and ambiguous
# commands, prefixes, usage errors.
. "$SF_TEST_TOP/tests/harness/lib.sh"

test_expect_success 'sf --version prints the version' '
	sf --version >out &&
	grep -E "^sf [0-9]+\.[0-9]+\.[0-9]+$" out
'

test_expect_success 'sf help lists every command' '
	sf help >out &&
	for c in user profile audit db help version; do grep -q "^    $c " out; done
'

test_expect_success 'sf with no command prints help and exits 2' '
	test_expect_code 2 sf 2>err &&
	grep -q "^usage: sf" err
'

test_expect_success 'an unknown command is one line and exit 2' '
	test_expect_code 2 sf frobnicate 2>err &&
	test_one_line err &&
	grep -q "'"'"'frobnicate'"'"' is not an sf command" err
'

test_expect_success 'commands and verbs take unique prefixes' '
	sf us --help >out &&
	grep -q "^usage: sf user add" out &&
	sf help us li >out &&
	grep -q "^usage: sf user list" out
'

test_expect_success 'an unknown verb is one line and exit 2' '
	test_expect_code 2 sf user fly 2>err &&
	test_one_line err &&
	grep -q "user: '"'"'fly'"'"' is not a verb" err
'

test_expect_success 'an ambiguous verb prefix is refused' '
	test_expect_code 2 sf user s 2>err &&
	test_one_line err &&
	grep -q "ambiguous" err
'

test_expect_success 'an unknown option names it' '
	test_expect_code 2 sf user list --colour 2>err &&
	test_one_line err &&
	grep -q "unknown option '"'"'--colour'"'"'" err
'

test_expect_success 'a missing required option names it' '
	test_expect_code 2 sf user add --username a </dev/null 2>err &&
	test_one_line err &&
	grep -q "missing --email" err
'

test_expect_success 'a missing argument names it' '
	test_expect_code 2 sf user show 2>err &&
	test_one_line err &&
	grep -q "missing <account>" err
'

test_expect_success 'an extra argument names it' '
	test_expect_code 2 sf user show a b 2>err &&
	test_one_line err &&
	grep -q "unexpected argument '"'"'b'"'"'" err
'

test_expect_success 'a bad choice lists the choices' '
	test_expect_code 2 sf user list --role king 2>err &&
	test_one_line err &&
	grep -q "not one of viewer" err
'

test_expect_success 'verb --help goes to stdout and exits 0' '
	sf user add --help >out &&
	grep -q "^usage: sf user add --email <email> --username <name>" out &&
	grep -q -- "--password-stdin" out
'

test_expect_success 'a bad SF_LOG is refused' '
	test_expect_code 2 env SF_LOG=loud "$SF_BIN" version 2>err &&
	grep -q "SF_LOG '"'"'loud'"'"'" err
'

test_expect_success 'output to a full disk fails loudly' '
	test -w /dev/full || exit 0
	test_expect_code 1 sf help >/dev/full 2>err &&
	grep -q "error writing output" err
'

test_done
