# tests/lib.sh - the machinery of tests/run, which sources it: result
# lines, boots, and the scheduler that runs boots side by side.
#
# Results. A test prints "ok NAME", or "FAIL NAME: why" followed by the
# end of its log, indented. The scheduler counts these lines as it
# prints them, so the totals are exactly the lines you read.
#
# Jobs. tests/run cuts the suite into jobs, most of them one boot each,
# and registers them in the order their lines are to appear:
#
#     job [--alone] NAME... -- COMMAND [ARG...]
#
# COMMAND (a function of tests/run) runs in the background with its
# output in a file, up to JOBS at a time: a boot keeps one CPU busy
# (QEMU's TCG), so the default is one job per CPU. JOBS=1 runs them one
# after the other. A job's lines are printed together as soon as it and
# every job registered before it have finished, so the output is the
# same whatever order they finish in. Jobs must not depend on each other:
# a file that several of them read is made by tests/run before it
# registers them, and boots share disk images read-only (see boot below).
#
# Names and T=. The NAMEs of a job are the test names it reports: whole
# names, or prefixes ending in "/" for names it learns only when it runs
# (the test=all boot reports kernel/NAME for each in-kernel test).
# T=pattern runs only the jobs that could report a name matching the
# pattern, a shell glob matched against the start of the name (as if it
# ended in "*"): T=swap/ runs the swap workloads, T=kernel/vmm the
# test=all boot (all its lines are shown). A pattern that starts with "*"
# also runs every job with a prefix NAME, since any name could follow
# it. A name that its job's NAMEs do not cover fails: T= could not have
# selected it, so the job line must list it.

export BUILD=${BUILD:-build}
LOGS=$BUILD/test-logs
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
T=${T:-}
mkdir -p "$LOGS"
# Job I's output goes to $JOB_DIR/I.out: a directory of this run's own, so
# that a runner started inside the suite (tests/doc-commands.sh runs the
# README's) cannot touch the files of the one that started it.
JOB_DIR=$(mktemp -d "$LOGS/jobs.XXXXXX")
trap 'rm -rf "$JOB_DIR"' EXIT
if ! [[ $JOBS =~ ^[1-9][0-9]*$ ]]; then
	echo "tests/run: JOBS must be a number of jobs (1 or more), not '$JOBS'" >&2
	exit 2
fi

pass() { echo "ok $1"; }

# fail NAME WHY [LOG]
fail() {
	echo "FAIL $1: $2"
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		echo "    ---- last 25 lines of $3"
		tail -n 25 "$3" | sed 's/^/    | /'
	fi
}

# expect NAME LOG STATUS WANT_STATUS PATTERN...: every fixed-string
# pattern must appear in LOG, and the status must be the wanted one.
expect() {
	local name=$1 log=$2 status=$3 want=$4
	shift 4
	if [ "$status" != "$want" ]; then
		fail "$name" "exit status $status, expected $want" "$log"
		return
	fi
	for p in "$@"; do
		if ! grep -qF -- "$p" "$log"; then
			fail "$name" "missing in the output: '$p'" "$log"
			return
		fi
	done
	pass "$name"
}

# Re-reads "ok X" / "not ok X: why" lines of a log as results named PREFIX/X.
collect_results() {
	local prefix=$1 log=$2 line
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"ok "*)     pass "$prefix${line#ok }" ;;
		"not ok "*) fail "$prefix${line#not ok }" "" ;;
		esac
	done < "$log"
}

# boot LOGNAME KARGS: boots with the given command line (plus any MEM,
# QEMU_CPU... already in the environment); the serial output goes to
# $LOGS/LOGNAME.log. Returns QEMU's mapped exit status. The disks are
# opened with SNAPSHOT=1 (tools/qemu.sh): boots running at once share the
# build's images, and none of them changes them. A boot that must really
# write an image (injected write errors) passes SNAPSHOT=0 and images of
# its own.
boot() {
	SNAPSHOT=${SNAPSHOT:-1} KARGS=$2 INTERACTIVE=0 TIMEOUT=$BOOT_TIMEOUT \
		tools/qemu.sh > "$LOGS/$1.log" 2>&1
}

# boot_expect NAME LOGNAME KARGS WANT_STATUS PATTERN...: boot, then expect.
boot_expect() {
	local name=$1 logname=$2 kargs=$3 want=$4 status
	shift 4
	boot "$logname" "$kargs"
	status=$?
	expect "$name" "$LOGS/$logname.log" $status "$want" "$@"
}

# boot_job NAME LOGNAME KARGS WANT_STATUS PATTERN...: a job of one boot
# (with MEM, DISK, INPUT... as set for the call) whose exit status must
# be WANT_STATUS and whose serial log must hold every fixed-string PATTERN.
boot_job() { job "$1" -- boot_expect "$@"; }

# selected NAME...: whether T could match the start of a test name that
# is one of the NAMEs or, for a NAME ending in "/", starts with it.
selected() {
	local name i
	[ -z "$T" ] && return 0
	for name in "$@"; do
		[[ $name == $T* ]] && return 0
		# Past a prefix the name is unknown: it is enough that the first
		# i characters of T match the whole prefix.
		if [[ $name == */ ]]; then
			for ((i = 1; i <= ${#T}; i++)); do
				[[ $name == ${T:0:i} ]] && return 0
			done
		fi
	done
	return 1
}

# covered NAME ENTRY...: whether NAME is one of the ENTRYs, or starts
# with one that ends in "/".
covered() {
	local name=$1 entry
	shift
	for entry in "$@"; do
		[ "$name" = "$entry" ] && return 0
		[[ $entry == */ && $name == "$entry"* ]] && return 0
	done
	return 1
}

job_pids=()       # job I's process: the subshell running its COMMAND
job_names=()      # job I's NAMEs, separated by spaces
jobs_printed=0    # jobs 0 .. jobs_printed-1 have had their lines printed
passed=0
failed=0

# job [--alone|--after-all] NAME... -- COMMAND [ARG...]: registers a job
# (see the top of the file) and starts it once fewer than JOBS run; does
# nothing if T can match none of its NAMEs. With --alone no other job runs
# meanwhile: for tests that measure the whole host (its free memory, its
# disk reads), which the other jobs would disturb. With --after-all it
# starts once every job before it has ended, and the jobs after it may
# run beside it: for commands that rebuild what the earlier jobs' boots
# read, followed by jobs that use build directories of their own.
job() {
	local names=() limit=$JOBS alone=0
	if [ "$1" = --alone ]; then
		alone=1 limit=1
		shift
	elif [ "$1" = --after-all ]; then
		limit=1
		shift
	fi
	while [ "$1" != -- ]; do
		names+=("$1")
		shift
	done
	shift
	selected "${names[@]}" || return 0
	print_finished
	count_running
	while (( nrunning >= limit )); do
		wait -n             # until any job ends
		print_finished
		count_running
	done
	local i=${#job_pids[@]}
	job_names[i]=${names[*]}
	timed_job "${names[0]}" "$@" > "$JOB_DIR/$i.out" 2>&1 &
	job_pids[i]=$!
	while (( alone )) && job_running $i; do
		wait -n
	done
}

# timed_job NAME COMMAND...: runs COMMAND, then adds "SECONDS CPU START
# NAME" to $LOGS/job-times.txt (wall-clock seconds, the CPU seconds of the
# processes it ran, user + system, and when it started, in seconds since
# the suite did), to find what makes the suite long: sort -rn -k2 it, or
# sort -n -k3 for the order the jobs ran in. With 2 cores the suite's
# time is about the CPU total / 2.
suite_start=$EPOCHREALTIME
timed_job() {
	local name=$1 start=$EPOCHREALTIME
	shift
	"$@"
	local status=$? t=$LOGS/.times.$BASHPID
	# times' second line: the children's user and system time, as 0m1.234s
	# (times in this shell: in a pipe or $(...) it would count a new one's).
	times > "$t"
	echo "$(awk -v a="$start" -v b="$EPOCHREALTIME" -v s="$suite_start" \
		-v t="$(tail -n 1 "$t"; rm -f "$t")" 'BEGIN {
		gsub(/[ms]/, " ", t); split(t, f, " ")
		printf "%.1f %.1f %.1f", b - a, f[1] * 60 + f[2] + f[3] * 60 + f[4], a - s }') $name" \
		>> "$LOGS/job-times.txt"
	return $status
}

# job_running I: whether job I is still running. (kill -0 asks without a
# process of its own: this runs after every job, and forks cost.)
job_running() { kill -0 "${job_pids[$1]}" 2>/dev/null; }

# count_running: how many jobs are running, in nrunning (those printed have ended).
count_running() {
	local i
	nrunning=0
	for ((i = jobs_printed; i < ${#job_pids[@]}; i++)); do
		job_running $i && nrunning=$((nrunning + 1))
	done
	return 0
}

# Prints the lines of the finished jobs, in order, up to the first one
# still running.
print_finished() {
	while (( jobs_printed < ${#job_pids[@]} )) && ! job_running $jobs_printed; do
		print_job $jobs_printed
		jobs_printed=$((jobs_printed + 1))
	done
}

# print_job I: prints job I's lines and counts its results.
print_job() {
	local line name
	while IFS= read -r line || [ -n "$line" ]; do     # a last line without its newline too
		case $line in
		"ok "*)   name=${line#ok } ;;
		"FAIL "*) name=${line#FAIL }; name=${name%%: *} ;;
		*)        echo "$line"; continue ;;
		esac
		if [[ $line == "ok "* ]] && ! covered "$name" ${job_names[$1]}; then
			line="FAIL $name: passed, but its job in tests/run does not list"
			line+=" this name, so T= cannot select it"
		fi
		echo "$line"
		if [[ $line == "ok "* ]]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done < "$JOB_DIR/$1.out"
}

# finish_jobs: waits for the jobs still running and prints their lines,
# then the totals as the very last line. Returns 1 if any test failed,
# or if T matched no test at all (a typo should not look like success).
finish_jobs() {
	print_finished
	while (( jobs_printed < ${#job_pids[@]} )); do
		wait -n
		print_finished
	done
	[ ${#job_pids[@]} != 0 ] || echo "tests/run: no test name can match T='$T'" >&2
	echo "$passed passed, $failed failed"
	[ $failed = 0 ] && [ ${#job_pids[@]} != 0 ]
}

# On Ctrl-C or kill, the running jobs are ended with everything under
# them: their shells, tools/qemu.sh, timeout and QEMU. (A job's QEMU is
# in a process group of its own, made by timeout, so a Ctrl-C does not
# reach it, and the jobs' shells ignore SIGINT, as background commands
# of a script do.)
stop_jobs() {
	local pid
	for pid in $(jobs -rp); do
		kill_tree "$pid"
	done
	exit 130
}

# kill_tree PID: stops PID so that it starts nothing new, does the same
# to its children, then ends it.
kill_tree() {
	local child
	kill -STOP "$1" 2>/dev/null
	for child in $(pgrep -P "$1"); do
		kill_tree "$child"
	done
	kill -TERM "$1" 2>/dev/null
	kill -CONT "$1" 2>/dev/null
}
trap stop_jobs INT TERM
