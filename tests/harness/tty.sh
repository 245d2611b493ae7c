# tty.sh - a real terminal for the shell tests: tmux on a socket of the
# test's own, polled with deadlines.
#
#   . "$SF_TEST_TOP/tests/harness/tty.sh"
#   tty_run NAME COMMAND...     run it in a new 160x40 session NAME
#   tty_wait NAME TEXT          wait (10 s at most) until the screen shows TEXT
#   tty_done NAME               wait (30 s at most) for the command; print its status
#   $T send-keys -t NAME ...    type into it
#
# The command sees the test's SF_*, XDG_* and PG* variables.

T="tmux -L sf-$test_name-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null' EXIT
unset TMUX

tty_run() {
	local name=$1
	shift
	printf "%q " "$@" >"$name.cmd"
	{
		export -p | grep -E '^declare -x (SF_|XDG_|PG)'
		echo "$(cat "$name.cmd") 2>&1; echo \$? >$name.rc.tmp && mv $name.rc.tmp $name.rc"
		echo "exec sleep 600"
	} >"$name.run"
	rm -f "$name.rc"
	$T new-session -d -s "$name" -x 160 -y 40 "bash $TEST_DIR/$name.run"
}

tty_wait() {
	local i
	for i in $(seq 100); do
		$T capture-pane -p -t "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$2'; the screen:" >&2
	$T capture-pane -p -t "$1" >&2
	return 1
}

tty_done() {
	local i
	for i in $(seq 300); do
		[ -f "$1.rc" ] && { cat "$1.rc"; return 0; }
		sleep 0.1
	done
	echo "timed out waiting for the command in $1" >&2
	return 1
}
