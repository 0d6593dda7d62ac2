#!/usr/bin/env bash
# tests/user-host.sh - builds the user programs (user/user.mk) and runs them
# on the host Linux, where every check must pass: the programs are plain
# static Linux binaries, so the host is the reference pagoda must match.
#
# tests/user-host.sh [quiet|rest]: one part only (see quiet_part below).
#
# Prints each test program's "ok NAME" / "not ok NAME: why" lines as
# host/PROG/NAME, then checks the shell and init, and ends with the line
# "N passed, N failed". Exits 1 if anything failed. Logs: $OUT/logs/.
#
# The programs find each other through environment variables, since the
# host has no /bin/hello: PAGODA_BIN (sh and init look programs up there
# instead of /bin), HELLO (the good exec of t_fork and t_exec_bad) and
# BAD_DIR (t_exec_bad's malformed files instead of /bin/bad).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${USER_HOST_BUILD:-build/host-user}
LOGS=$OUT/logs
TIMEOUT=${USER_HOST_TIMEOUT:-60}
mkdir -p "$LOGS"
passed=0
failed=0

pass() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "not ok $1: $2"; failed=$((failed + 1)); }

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

if ! make -s -f user/user.mk BUILD="$OUT" user > "$LOGS/build.log" 2>&1; then
	fail host/build "make -f user/user.mk failed"
	tail -n 25 "$LOGS/build.log" | sed 's/^/    | /'
	summary
fi
BIN=$(cd "$OUT/user/bin" && pwd)
export PAGODA_BIN=$BIN HELLO=$BIN/hello BAD_DIR=$BIN/bad

# report PROG LOG STATUS: re-prints a test program's result lines as
# host/PROG/NAME (a terminal's \r dropped). An exit status that disagrees
# with its lines fails too.
report() {
	local prog=$1 log=$2 status=$3 line bad=0
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"ok "*)     pass "host/$prog/${line#ok }" ;;
		"not ok "*) fail "host/$prog/${line#not ok }" ""; bad=1 ;;
		esac
	done < "$log"
	if [ $status = 124 ]; then
		fail "host/$prog/exit" "timed out after ${TIMEOUT}s"
	elif [ $status != $bad ]; then
		fail "host/$prog/exit" "exit status $status, expected $bad (see $log)"
	fi
}

# run_test PROG ARGS...: runs a test program and reports its lines.
run_test() {
	local prog=$1 log=$LOGS/$1.log
	shift
	timeout "$TIMEOUT" "$BIN/$prog" "$@" > "$log" 2>&1 < /dev/null
	report "$prog" "$log" $?
}

. tests/keyboard.sh

# t_tty needs a terminal: script(1) runs it on a pseudo-terminal, into which
# type_when types; what was typed with ECHO off must not be on the screen.
# `exec`: script runs the command with $SHELL -c, and dash stays as the
# parent in the foreground group, where the Ctrl-C typed for t_tty kills it.
tty_host_test() {
	local log=$LOGS/t_tty.log
	: > "$log"
	TYPE_END='t_tty: done' type_when "$log" "${TTY_KEYS[@]}" |
		timeout "$TIMEOUT" script -qfec "exec $BIN/t_tty" /dev/null > "$log" 2>&1
	report t_tty "$log" $?
	if grep -q s3cr3t "$log"; then
		fail host/t_tty/secret_not_echoed "the input typed with ECHO off is on the screen"
	else
		pass host/t_tty/secret_not_echoed
	fi
}

# t_args prints "arg[i]=VALUE"; they must be exactly what we passed.
check_args() {
	local want got
	want=$(printf 'arg[0]=%s\narg[1]=one\narg[2]=two words\narg[3]=\narg[4]=*\n' "$BIN/t_args")
	got=$(grep '^arg\[' "$LOGS/t_args.log")
	if [ "$want" = "$got" ]; then
		pass host/t_args/arg_lines
	else
		fail host/t_args/arg_lines "got: $(echo "$got" | tr '\n' '|')"
	fi
}

# expect_run NAME WANT_STATUS WANT_TEXT COMMAND...: runs COMMAND (stdin
# from $INPUT); its exit status must be WANT_STATUS and its output must
# contain WANT_TEXT (a fixed string; empty means anything).
INPUT=/dev/null
expect_run() {
	local name=$1 want=$2 text=$3 log=$LOGS/${1//\//_}.log status
	shift 3
	printf '%b' "$INPUT" | timeout "$TIMEOUT" "$@" > "$log" 2>&1
	status=$?
	if [ $status != "$want" ]; then
		fail "$name" "exit status $status, expected $want (see $log)"
	elif [ -n "$text" ] && ! grep -qF -- "$text" "$log"; then
		fail "$name" "missing in the output: '$text' (see $log)"
	else
		pass "$name"
	fi
}

# The programs that measure the host (its free memory, its disk reads)
# run in part "quiet", which tests/run runs with nothing beside it; the
# others, which mostly wait (timers, the keyboard, the shell's sleeps), in
# part "rest", beside other jobs. No argument: both.
quiet_part() {
	for t in t_cow_frames t_bigdata t_share t_swapslot t_cgroup; do
		run_test $t
	done
	# The file tests read the tree the root disk is made from.
	tools/mkrootfs.sh "$BIN" "$OUT/rootfs" > "$LOGS/rootfs.log" 2>&1
	run_test t_files "$OUT/rootfs/test"
	run_test t_pagecache "$OUT/rootfs/test/size_3146505"
	run_test t_demand "$OUT/rootfs/test/size_65536"
}

PART=${1:-all}
[ "$PART" = rest ] || quiet_part
[ "$PART" = quiet ] && summary
for t in t_fork t_cow t_isolation t_exec_bad t_mem t_sched t_swapreaderr t_rlimit t_syscall t_signal t_uvm t_timer t_jobs t_poll t_thread t_thread_proc t_procstat t_diskstats t_shmem t_fsmeta t_mremap t_mlock t_links t_swapon; do
	run_test $t
done
# t_writeback writes into a directory of its own; 16 MiB, not twice the host's RAM.
mkdir -p "$OUT/wb" && run_test t_writeback "$OUT/wb" --mb 16
run_test t_args one "two words" "" "*"
tools/mkscripts.sh "$OUT/scripts" "$BIN"
run_test t_script "$OUT/scripts" "$BIN"
# t_mount reads a disk: on the host, an image made as the root disk is.
mkdir -p "$OUT/mini" && echo mini > "$OUT/mini/file"
tools/mkdisk.sh "$OUT/mini" "$OUT/mini.img" 4
run_test t_mount "$OUT/mini.img"
run_test t_tmpfs                       # mounts a tmpfs in a temporary directory: needs root
rm -rf "$OUT/ext2w"
run_test t_ext2w "$OUT/ext2w"            # writes a tree there (tests/run compares pagoda's with it)
tty_host_test
check_args

expect_run host/t_exit/status_9 9 "" "$BIN/t_exit" 9

INPUT='hello\nexit 3\n'
expect_run host/tinysh/stdin_runs_hello 3 'hello, world' "$BIN/tinysh"
expect_run host/tinysh/stdin_prompt 3 '$ ' "$BIN/tinysh"
INPUT='t_exit 4\necho "quoted   words" x\n'
expect_run host/tinysh/exit_n_reported 0 '[exit 4]' "$BIN/tinysh"
expect_run host/tinysh/echo_quotes 0 'quoted   words x' "$BIN/tinysh"
INPUT='t_exit 2\n'
expect_run host/tinysh/eof_keeps_last_status 2 "" "$BIN/tinysh"
INPUT='t_exit 3 &\nsleep 0.3\necho after\n'
expect_run host/tinysh/background_reported 0 ' exit 3]' "$BIN/tinysh"
INPUT='t_exit 3 &\nt_exit 0 &\nwait\necho after\n'
expect_run host/tinysh/wait_reports_each 0 ' exit 3]' "$BIN/tinysh"
expect_run host/tinysh/wait_then_goes_on 0 'after' "$BIN/tinysh"
INPUT='no_such_program\n'
expect_run host/tinysh/not_found_127 127 '[exit 127]' "$BIN/tinysh"
INPUT=
expect_run host/tinysh/dash_c_status 7 "" "$BIN/tinysh" -c "t_exit 7"
expect_run host/tinysh/dash_c_semicolon 5 "one" "$BIN/tinysh" -c "echo one; t_exit 5"
# On Linux this malformed file dies of SIGSEGV after exec's point of no return.
expect_run host/tinysh/killed_reported 139 '[killed by signal 11 (SIGSEGV)]' \
	"$BIN/tinysh" -c "$BIN/bad/kernel_segment"

expect_run host/init/program_status 5 "" "$BIN/init" t_exit 5
expect_run host/init/killed_status 139 "" "$BIN/init" "$BIN/bad/kernel_segment"
INPUT='exit 6\n'
expect_run host/init/shell_status 6 'init: starting' "$BIN/init"

summary
