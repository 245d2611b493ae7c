#!/usr/bin/env bash
# docs.sh - the man pages agree with the command table, as git's
# t0450-txt-doc-vs-help.sh checks its docs against -h.
#
# The commands, verbs and options come from sf itself: "sf help", "sf CMD
# --help", "sf CMD VERB --help" and "sf __usage CMD", all printed from the
# tables in cmd/.  For every visible command man/sf-CMD.1.scd must exist,
# its SYNOPSIS must repeat "sf __usage CMD" line for line (as man renders
# it, so scdoc markup cannot hide a difference), every option of every verb
# must appear in it, and man must render it without warnings; sf.1 must
# name every command.  The pages are rendered afresh from their .scd
# sources with scdoc, so the test never reads a stale man/*.1.
. "$SF_TEST_TOP/tests/harness/lib.sh"

command -v man >/dev/null 2>&1 || test_skip_all "man is not installed"
command -v scdoc >/dev/null 2>&1 || test_skip_all "scdoc is not installed"

man_src=$SF_TEST_TOP/man
export MANPAGER=cat PAGER=cat LC_ALL=C.UTF-8

# The visible commands, in the order of the table.
commands=$(sf __usage | awk '{ print $2 }' | uniq)

# page NAME: renders man/NAME.1.scd into the scratch directory and prints
# the path of the result.
page() {
	scdoc <"$man_src/$1.1.scd" >"$TEST_DIR/$1.1" && echo "$TEST_DIR/$1.1"
}

# text NAME: the page as man shows it, on lines too wide to wrap and
# without hyphenation, so every line of the source stays one line.
text() {
	local p
	p=$(page "$1") && MANWIDTH=1000 man --nh --nj -l "$p"
}

# section NAME TITLE: the lines of one section of the rendered page,
# without their indentation.
section() {
	text "$1" | awk -v t="$2" '/^[A-Z]/ { on = ($0 == t); next } on' |
		sed -e 's/^ *//' -e '/^$/d'
}

# has_option FILE OPTION: the option appears as a word of its own
# (--pin must not be satisfied by --pin-stdin).
has_option() {
	grep -qE -- "(^|[^-[:alnum:]])$2([^-[:alnum:]]|\$)" "$1"
}

test_expect_success 'sf __usage lists the commands sf help lists' '
	sf help | sed -n "/^commands:$/,/^$/p" | awk "NF > 1 { print \$1 }" >expect &&
	echo "$commands" >actual &&
	test_cmp expect actual
'

for cmd in $commands; do
	test_expect_success "man/sf-$cmd.1.scd exists" '
		test -f "$man_src/sf-$cmd.1.scd"
	'

	test_expect_success "sf-$cmd.1 NAME gives the command's summary" '
		summary=$(sf help | awk -v c="$cmd" "\$1 == c { \$1 = \"\"; sub(/^ +/, \"\"); print }") &&
		echo "sf-$cmd - $summary" >expect &&
		section "sf-$cmd" NAME >actual &&
		test_cmp expect actual
	'

	test_expect_success "sf-$cmd.1 SYNOPSIS repeats sf __usage $cmd" '
		sf __usage "$cmd" >expect &&
		test -s expect &&
		section "sf-$cmd" SYNOPSIS | grep "^sf " >actual &&
		test_cmp expect actual
	'

	# A verb group's help starts with the usage of each of its verbs.
	test_expect_success "sf $cmd: --help usage lines are the sf __usage lines" '
		sf __usage "$cmd" | sed "s/^/usage: /" >expect &&
		vs=$(help_verbs "$cmd") &&
		if [ -z "$vs" ]; then
			sf "$cmd" --help | head -n 1 >actual
		else
			for v in $vs; do
				sf "$cmd" "$v" --help | sed -n "/^\$/q; s/^   or: /usage: /; p"
			done >actual
		fi &&
		test_cmp expect actual
	'

	test_expect_success "sf-$cmd.1 names every option of every verb" '
		text "sf-$cmd" >rendered &&
		vs=$(help_leaves "$cmd") &&
		{ if [ -z "$vs" ]; then help_options "$cmd"; else
			echo "$vs" | while read -r v; do help_options "$cmd" $v; done; fi; } | sort -u >opts &&
		test -s opts &&
		missing= &&
		for o in $(cat opts); do
			has_option rendered "$o" || missing="$missing $o"
		done &&
		if [ -n "$missing" ]; then echo "not in sf-$cmd.1:$missing"; false; fi
	'

	test_expect_success "sf-$cmd.1 has a section for every verb" '
		help_leaves "$cmd" >leaves &&
		while read -r v; do
			grep -qx "## $v" "$man_src/sf-$cmd.1.scd" ||
				{ echo "no \"## $v\" in sf-$cmd.1.scd"; false; }
		done <leaves
	'

	test_expect_success "man renders sf-$cmd.1 without warnings" '
		p=$(page "sf-$cmd") &&
		MANWIDTH=80 man --warnings -l "$p" 2>err >out &&
		test -s out &&
		if [ -s err ]; then cat err; false; fi
	'
done

test_expect_success 'man renders sf.1 without warnings' '
	p=$(page sf) &&
	MANWIDTH=80 man --warnings -l "$p" 2>err >out &&
	test -s out &&
	if [ -s err ]; then cat err; false; fi
'

test_expect_success 'sf.1 SYNOPSIS starts with the usage sf help prints' '
	sf help | sed -n "1s/^usage: //p" >expect &&
	section sf SYNOPSIS | head -n 1 >actual &&
	test_cmp expect actual
'

test_expect_success 'sf.1 names every command and its page' '
	text sf >rendered &&
	for cmd in $commands; do
		grep -q "sf $cmd" rendered || { echo "sf.1 does not name sf $cmd"; false; }
		grep -qF "sf-$cmd(1)" rendered || { echo "sf.1 does not refer to sf-$cmd(1)"; false; }
	done
'

test_expect_success 'every sf-*.1.scd page is for a command' '
	for f in "$man_src"/sf-*.1.scd; do
		c=${f##*/sf-}; c=${c%.1.scd}
		echo "$commands" | grep -qx "$c" || { echo "$f: no command $c"; false; }
	done
'

test_expect_success 'a changed option would fail the SYNOPSIS check' '
	sf __usage user | sed "s/--password-stdin/--password-file <file>/" >expect &&
	section sf-user SYNOPSIS | grep "^sf " >actual &&
	test_must_fail test_cmp expect actual >/dev/null
'

test_done
