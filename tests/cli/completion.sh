#!/usr/bin/env bash
# completion.sh - the bash, zsh and fish completions offer every command,
# verb and option of the command table.
#
# Each shell loads the real script from completions/ and is asked, as it
# would be at a prompt, to complete "sf ", "sf CMD " (every verb), "sf CMD
# VERB --" (every option) and "sf user list --role " (the roles).  The
# expected answers come from sf's own help (sf help, sf CMD --help, sf CMD
# VERB --help) and from the message that lists the roles, not from "sf
# __complete", so a command, verb or option that the completion machinery
# drops makes this fail.  sf is found through a symlink first on PATH.
#
# bash: the completion function runs with COMP_WORDS and COMP_CWORD set as
# readline would set them, and COMPREPLY is printed.  zsh: a zsh runs
# interactively in a pseudo-terminal (zsh/zpty) with compinit, a TAB is
# typed, and compadd is wrapped to print the matches it adds (after the
# approach of zsh-capture-completion).  fish: "complete -C".
. "$SF_TEST_TOP/tests/harness/lib.sh"

mkdir bin
ln -s "$SF_BIN" bin/sf
export PATH=$TEST_DIR/bin:$PATH
# Keep the shells away from the user's files.
export HOME=$TEST_DIR/home XDG_CONFIG_HOME=$TEST_DIR/home/.config \
	XDG_DATA_HOME=$TEST_DIR/home/.local/share XDG_CACHE_HOME=$TEST_DIR/home/.cache
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
touch movie.mkv music.flac
# An sf that offers the wrong things, to be first on PATH when the sf
# typed is another.
mkdir impostor
printf '#!/bin/sh\nprintf "wrong\\tthe sf on PATH\\n"\n' >impostor/sf
chmod +x impostor/sf
completions=$SF_TEST_TOP/completions

# A TAP skip, counted like a test.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # skip $2"
}

# ---- the command table, from sf's help ----

commands=$(sf help | sed -n '/^commands:$/,/^$/p' | awk 'NF > 1 { print $1 }')

# groups CMD: the verbs of a command that are groups of verbs ("season").
groups() {
	local v
	for v in $(help_verbs "$1"); do
		if sf "$1" "$v" --help | grep -qx "verbs:"; then echo "$v"; fi
	done
}

roles() {
	sf user list --role '?' 2>&1 | sed -n 's/.*not one of //p' | tr -d ' ' | tr ',' '\n'
}

# ---- asking each shell ----

# complete_bash LINE: the words bash offers for the end of LINE.  LINE is
# split at spaces, and at "=" as COMP_WORDBREAKS does.
cat >complete.bash <<'EOF'
source "$1"
line=$2
read -ra COMP_WORDS <<<"${line//=/ = }"
[[ $line == *" " ]] && COMP_WORDS+=("")
[[ $line == *"=" ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
spec=$(complete -p sf) || exit 1
fn=${spec#*-F }
fn=${fn%% *}
"$fn" sf "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
EOF
complete_bash() {
	timeout 30 bash --norc --noprofile complete.bash "$completions/sf.bash" "$1"
}

# complete_fish LINE: what fish offers, "word<TAB>description".
complete_fish() {
	timeout 30 fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
		"$completions/sf.fish" "$1"
}

# complete_zsh LINE: what zsh offers, "word<TAB>what zsh shows".
cat >zsh-setup.zsh <<'EOF'
PROMPT= RPROMPT=
fpath=($SF_COMPLETIONS $fpath)
# The first run writes the dump, the others start from it.
autoload -U compinit && compinit -u -C -d $SF_ZCOMPDUMP
bindkey '^I' complete-word
__capture_mark() { print -rn -- $'\0\r\n' }
compprefuncs=(__capture_mark)
comppostfuncs=(__capture_mark exit)
# Prints every match added, and what zsh would show for it.
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a __hits __dscr
	local __d __i
	if (( $@[(I)-d] )); then
		__d=${@[$(( ${@[(i)-d]} + 1 ))]}
		if [[ $__d == \(* ]]; then eval "__dscr=$__d"; else __dscr=("${(@P)__d}"); fi
	fi
	builtin compadd -A __hits -D __dscr "$@"
	for __i in {1..$#__hits}; do
		print -r -- "$IPREFIX$__hits[__i]"$'\t'"$__dscr[__i]"
	done
}
print capture-ready
EOF
cat >zsh-capture.zsh <<'EOF'
zmodload zsh/zpty || exit 3
local l
integer marks=0
export TERM=vt100 SF_COMPLETIONS=$1 SF_ZCOMPDUMP=${2:h}/zcompdump
zpty z zsh -f -i
zpty -w z "source ${(q)2}"
zpty -r z l '*capture-ready*' || exit 4
zpty -w -n z "$3"$'\t'
while zpty -r z l; do
	if [[ $l == *$'\0'* ]]; then
		(( marks++ )) && break || continue
	fi
	l=${${l%$'\n'}%$'\r'}
	(( marks )) && [[ -n $l ]] && print -r -- $l
done
zpty -d z
EOF
complete_zsh() {
	timeout 30 zsh -f zsh-capture.zsh "$completions" "$TEST_DIR/zsh-setup.zsh" "$1"
}

# words SHELL LINE: the words SHELL offers, sorted, without descriptions.
words() {
	"complete_$1" "$2" >raw || return 1
	cut -f 1 raw | sed '/^$/d' | sort
}

# offers SHELL LINE WORD...: SHELL offers exactly these words for LINE.
offers() {
	local sh=$1 line=$2
	shift 2
	if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi | sort >expect
	words "$sh" "$line" >actual &&
	test_cmp expect actual
}

have_shell() {
	case $1 in
	bash) command -v bash >/dev/null ;;
	fish) command -v fish >/dev/null ;;
	zsh) command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null ;;
	esac
}

for sh in bash zsh fish; do
	if ! have_shell "$sh"; then
		test_skip "$sh completion" "$sh (or zsh/zpty) is not installed"
		continue
	fi

	test_expect_success "$sh offers every command after 'sf '" '
		offers "$sh" "sf " $commands
	'

	for cmd in $commands; do
		vs=$(help_verbs "$cmd")
		if [ -n "$vs" ]; then
			test_expect_success "$sh offers every verb of sf $cmd" '
				offers "$sh" "sf $cmd " $vs
			'
		fi
		for g in $(groups "$cmd"); do
			test_expect_success "$sh offers every verb of sf $cmd $g" '
				offers "$sh" "sf $cmd $g " $(help_verbs "$cmd" "$g")
			'
		done
		test_expect_success "$sh offers every option of every verb of sf $cmd" '
			help_leaves "$cmd" >leaves &&
			if [ ! -s leaves ]; then echo >leaves; fi &&
			while read -r v; do
				offers "$sh" "sf $cmd ${v:+$v }--" $(help_options "$cmd" $v) </dev/null ||
					{ echo "(sf $cmd $v)"; false; }
			done <leaves
		'
	done

	test_expect_success "$sh completes a verb of a group after prefixes" '
		offers "$sh" "sf ti sea l" list
	'

	test_expect_success "$sh completes option values in a group's verb" '
		offers "$sh" "sf title credit add --role " cast director writer
	'

	test_expect_success "$sh offers the roles after sf user list --role" '
		offers "$sh" "sf user list --role " $(roles)
	'

	test_expect_success "$sh completes a value given as --role=VALUE" '
		words "$sh" "sf user list --role=ad" >actual &&
		grep -qx -- "--role=admin\\|admin" actual
	'

	test_expect_success "$sh completes a verb after a command prefix" '
		offers "$sh" "sf us unsu" unsuspend
	'

	test_expect_success "$sh completes file names where sf offers nothing" '
		offers "$sh" "sf user show m" movie.mkv music.flac
	'

	test_expect_success "$sh completes no file names for an unknown option" '
		offers "$sh" "sf user show --fi"
	'

	test_expect_success "$sh runs the sf typed, not the one on PATH" '
		PATH=$TEST_DIR/impostor:$PATH &&
		offers "$sh" "$TEST_DIR/bin/sf pro" profile
	'

	if [ "$sh" != bash ]; then
		test_expect_success "$sh shows the verbs with their descriptions" '
			"complete_$sh" "sf user " >raw &&
			sf user --help | sed -n "/^verbs:$/,/^$/p" |
				awk "NF > 1 { v = \$1; \$1 = \"\"; sub(/^ +/, \"\"); print v \" \" \$0 }" >verbs &&
			test -s verbs &&
			while read -r v summary; do
				grep -q "^$v	.*$summary" raw ||
					{ echo "no \"$summary\" for $v"; cat raw; false; }
			done <verbs
		'
	fi
done

test_done
