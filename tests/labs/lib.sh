# tests/labs/lib.sh - what a lab's rubric (tests/labs/labN.sh) is made of;
# sourced by tools/lab/grade.sh after tests/lib.sh.
#
#   lab_title "copy-on-write fork"
#   lab_depends 1 2 4            labs whose code this lab's tests go through
#   lab_test POINTS NAME -- KIND ARGS...
#
# Kinds of test (each prints "ok labN/NAME" or "FAIL labN/NAME: why" and
# the end of its log):
#
#   ktest KTEST [VAR=VALUE...] [KARGS...]
#       one boot of the in-kernel test KTEST alone (test=KTEST KARGS);
#       passes if it printed "ok KTEST" and "ktest: done: 1 passed, 0 failed".
#       Those with neither VAR=VALUE nor KARGS the grader first boots all
#       together (test=a,b,c): a test that boot reports is scored from it.
#   boot [VAR=VALUE...] KARGS WANT_STATUS PATTERN...
#       one boot; init's exit status must be WANT_STATUS and each
#       fixed-string PATTERN must be in the serial log
#   unit FILE [CASE...]
#       the host unit test tests/unit/test_FILE.c prints "ok CASE" for each
#       CASE named (the other cases do not count: partial credit); none
#       named: every case passes and it exits 0. A sanitizer's report
#       fails it either way.
#
# VAR=VALUE words (MEM=16M, DISK=virtio, SWAP=32M...) hold for that boot
# only, as tools/qemu.sh takes them. No test may depend on the machine's
# speed: boots get BOOT_TIMEOUT seconds (120 here), far beyond what they need.

lab_title()   { LAB_TITLE=$1; }
lab_depends() { LAB_DEPENDS="$*"; }

# lab_test POINTS NAME -- KIND ARGS...: grade.sh defines what it does
# (list the rubric or run the test); this checks its shape.
lab_test_check() {
	[[ $1 =~ ^[0-9]+$ ]] && [ -n "${2:-}" ] && [ "${3:-}" = -- ] && [ -n "${4:-}" ] || {
		echo "tests/labs/lab$LAB.sh: bad line: lab_test $*" >&2
		exit 2
	}
	case $4 in ktest|boot|unit) ;; *)
		echo "tests/labs/lab$LAB.sh: unknown kind of test '$4' (ktest, boot or unit)" >&2
		exit 2 ;;
	esac
}

# lab_env_split ARGS...: sets lab_env (the leading VAR=VALUE words) and lab_rest.
lab_env_split() {
	lab_env=() lab_rest=()
	while [ $# -gt 0 ] && [[ $1 =~ ^[A-Z_][A-Z0-9_]*= ]]; do
		lab_env+=("$1")
		shift
	done
	lab_rest=("$@")
}

# The log of test NAME: $LOGS/NAME with / as -.
lab_log() { echo "$LOGS/${1//\//-}.log"; }

lab_kind_ktest() {
	local name=$1 ktest=$2 log status
	shift 2
	# Reported by the grader's boot of the lab's tests together (grade.sh)?
	if [ $# = 0 ] && [ -n "${KTEST_BATCH_LOG:-}" ] && grep -qE "^(not )?ok $ktest(:|"$'\r'"?\$)" "$KTEST_BATCH_LOG"; then
		if grep -qE "^ok $ktest"$'\r'"?\$" "$KTEST_BATCH_LOG"; then
			pass "$name"
		else
			fail "$name" "$(grep -m1 "^not ok $ktest:" "$KTEST_BATCH_LOG" | sed 's/^not ok [^:]*: //')" "$KTEST_BATCH_LOG"
		fi
		return
	fi
	lab_env_split "$@"
	log=$(lab_log "$name")
	env "${lab_env[@]}" SNAPSHOT=1 KARGS="test=$ktest ${lab_rest[*]}" INTERACTIVE=0 \
		TIMEOUT=$BOOT_TIMEOUT tools/qemu.sh > "$log" 2>&1
	status=$?
	if grep -qE "^ok $ktest"$'\r'"?\$" "$log" && grep -q '^ktest: done: 1 passed, 0 failed' "$log"; then
		pass "$name"
	elif grep -q "^not ok $ktest: no such test" "$log"; then
		fail "$name" "the kernel has no test $ktest" "$log"
	elif grep -q "^not ok $ktest" "$log"; then
		fail "$name" "$(grep -m1 "^not ok $ktest" "$log" | sed 's/^not ok [^:]*: //')" "$log"
	else
		fail "$name" "the test did not finish (exit status $status): $(lab_last_words "$log")" "$log"
	fi
}

# What a boot that ended early said last: its panic, or else its last line.
lab_last_words() {
	grep -m1 -E 'panic|lab [0-9]+: .*not implemented|timed out' "$1" || tail -n 1 "$1"
}

lab_kind_boot() {
	local name=$1
	shift
	lab_env_split "$@"
	set -- "${lab_rest[@]}"
	local kargs=$1 want=$2 log status
	shift 2
	log=$(lab_log "$name")
	env "${lab_env[@]}" SNAPSHOT=1 KARGS="$kargs" INTERACTIVE=0 TIMEOUT=$BOOT_TIMEOUT \
		tools/qemu.sh > "$log" 2>&1
	status=$?
	expect "$name" "$log" "$status" "$want" "$@"
}

lab_kind_unit() {
	local name=$1 file=$2 log status c
	shift 2
	log=$(lab_log "$name")
	cp "$LOGS/unit-$file.log" "$log"                # grade.sh ran the binary once for all its tests
	status=$(cat "$LOGS/unit-$file.ran")
	# A sanitizer's report fails every line of the binary: memory was misused.
	if grep -qE 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' "$log"; then
		fail "$name" "$(grep -m1 -E 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' "$log")" "$log"
		return
	fi
	if [ $# -eq 0 ]; then          # the whole binary: every case, and its exit status
		if grep -q '^not ok' "$log"; then
			fail "$name" "$(grep -m1 '^not ok' "$log" | sed 's/^not ok //')" "$log"
		elif [ $status != 0 ]; then
			fail "$name" "exit status $status" "$log"
		else
			pass "$name"
		fi
		return
	fi
	for c in "$@"; do              # only the cases named: partial credit within a binary
		if grep -q "^not ok $c:" "$log"; then
			fail "$name" "$(grep -m1 "^not ok $c:" "$log" | sed 's/^not ok //')" "$log"
			return
		fi
		grep -qx "ok $c" "$log" || { fail "$name" "no 'ok $c' line (exit status $status)" "$log"; return; }
	done
	pass "$name"
}
