# tests/gdb.sh - GDB in make test (sourced by tests/run): `make debug`'s
# script (tools/debug.sh) in batch mode, the GDB helpers (tools/gdb/pagoda/)
# checked against what the kernel itself prints, and make debug's cleanup.
#
# The helpers' test runs the guided session of docs/debugging.md
# (tools/gdb/swap-tour.gdb) with the t_gdb workload, which prints
# /proc/self/maps, /proc/self/status and /proc/meminfo while GDB stops in
# the kernel functions that write them: what a helper printed at that stop
# must be what the kernel printed right after (vmas = maps, ps = VmRSS and
# VmSwap, free-frames = MemFree, swap-slots = SwapFree), the helpers' own
# counts must equal the kernel's counters, and one page followed from its
# swap-out to its swap-in must keep one swap slot throughout.

# gdb_run NAME SCRIPT MEM KARGS: boots under tools/debug.sh with GDB in
# batch mode running SCRIPT, on a port of its own; GDB's output goes to
# $LOGS/NAME.gdb.log (without the \r of QEMU monitor lines), the console
# to $LOGS/NAME/serial.log. Returns debug.sh's status.
gdb_run() {
	local name=$1 script=$2 mem=$3 kargs=$4 status
	rm -rf "${LOGS:?}/$name"
	SNAPSHOT=1 MEM=$mem KARGS=$kargs GDB_PORT=$((20000 + RANDOM % 20000)) DEBUG_DIR=$LOGS/$name \
		TIMEOUT=$BOOT_TIMEOUT timeout 120 tools/debug.sh -batch -nx -x "$script" \
		> "$LOGS/$name.gdb.raw" 2>&1
	status=$?
	tr -d '\r' < "$LOGS/$name.gdb.raw" > "$LOGS/$name.gdb.log"
	return $status
}

# section FILE NAME [N]: the lines of the Nth (default first) "--- NAME" ... "--- end" of a console log.
section() {
	tr -d '\r' < "$1" | awk -v name="--- $2" -v want="${3:-1}" \
		'$0 == name { n++; on = (n == want); next } $0 == "--- end" { on = 0 } on'
}

# field TEXT NAME: the number after "NAME:" in /proc-style text.
field() { printf '%s\n' "$1" | awk -v f="$2:" '$1 == f { print $2; exit }'; }

# check NAME CONDITION-STATUS WHY LOG: ok if the status is 0, else FAIL with WHY.
check() {
	if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3" "$4"; fi
}

gdb_kmain_test() {
	local status
	printf 'bt\ninfo registers rip\n' > "$LOGS/gdb-kmain.gdb"
	gdb_run gdb-kmain "$LOGS/gdb-kmain.gdb" 128M ""
	status=$?
	expect gdb/stops_at_kmain_with_symbols "$LOGS/gdb-kmain.gdb.log" $status 0 \
		"Breakpoint 1, kmain (" "#0  kmain (magic=" "kernel/kmain.c" "<kmain>"
}

# user-break: the shell and init run first, each with its own main; GDB
# stops in hello's, typed at the shell's prompt, with its source line.
# The shell is asleep in wait4, or still runnable: a forked child may run
# before its parent gets there (wakeup preemption, kernel/sched.c).
gdb_user_break_test() {
	local g=$LOGS/gdb-user.gdb.log
	printf 'hello\nexit 0\n' > "$LOGS/gdb-user.input"
	printf 'user-break hello main\ncontinue\nps\nkill\n' > "$LOGS/gdb-user.gdb"
	INPUT=$LOGS/gdb-user.input gdb_run gdb-user "$LOGS/gdb-user.gdb" 128M ""
	grep -q '^Breakpoint 2, main () at user/hello.c:' "$g" && grep -qE '^ +[0-9]+ R\* hello ' "$g" &&
		grep -qE '^ +[0-9]+ [RS]  tinysh ' "$g"
	check gdb/user_break_stops_in_that_program $? "no stop in hello's main with the shell below it" "$g"
}

# The guided session, and each helper's output against the kernel's own.
gdb_helpers_test() {
	local g=$LOGS/gdb-tour.gdb.log s=$LOGS/gdb-tour/serial.log status
	gdb_run gdb-tour tools/gdb/swap-tour.gdb 8M "init=/bin/t_gdb"
	status=$?
	if [ $status != 0 ] || ! grep -q "read back: 0" "$s"; then
		fail gdb/swap_tour_runs "debug.sh exited with $status, or t_gdb did not read its page back" "$g"
		return
	fi
	pass gdb/swap_tour_runs
	local maps status1 meminfo
	maps=$(section "$s" /proc/self/maps)
	status1=$(section "$s" /proc/self/status)
	meminfo=$(section "$s" /proc/meminfo)

	[ -n "$maps" ] && [ "$maps" = "$(grep -E '^[0-9a-f]{8,}-[0-9a-f]{8,} [r-][w-][x-]p ' "$g")" ]
	check gdb/vmas_equals_proc_maps $? "vmas printed other lines than /proc/self/maps" "$g"

	local ps
	ps=$(awk '$3 == "t_gdb" { print $1, $4, $5 }' "$g")
	[ "$ps" = "$(field "$status1" Pid) $(field "$status1" VmRSS) $(field "$status1" VmSwap)" ]
	check gdb/ps_equals_proc_status $? "ps says '$ps' (pid rss swap), /proc/self/status: ${status1//$'\n'/ }" "$g"

	# total: N free frames (K kB); the kernel counts M (buddy.nr_free)
	local total
	total=$(sed -n 's/^total: \([0-9]*\) free frames (\([0-9]*\) kB); the kernel counts \([0-9]*\) .*/\1 \2 \3/p' "$g")
	# each order's line: "order blocks (counted by the kernel) frames"
	[ -n "$total" ] && set -- $total && [ "$1" = "$3" ] && [ "$2" = "$(field "$meminfo" MemFree)" ] &&
		awk '/^ *[0-9]+ +[0-9]+ +\( *[0-9]+\) +[0-9]+$/ { n++; gsub(/[()]/, " "); if ($2 != $3) bad = 1 }
		     END { exit bad || n != 11 }' "$g"
	check gdb/free_frames_equal_memfree $? "free-frames: '$total' (frames kB kernel), MemFree $(field "$meminfo" MemFree)" "$g"

	# swap: 16383 slots (...): used U, free F, bad B; ... / the kernel counts free F2, bad B2
	local slots free kfree ents kents
	slots=$(sed -n 's/^swap: \([0-9]*\) slots .*/\1/p' "$g" | head -n 1)
	free=$(sed -n 's/^swap: .*, free \([0-9]*\), bad.*/\1/p' "$g" | head -n 1)
	kfree=$(sed -n 's/^swap: the kernel counts free \([0-9]*\),.*/\1/p' "$g" | head -n 1)
	read -r ents kents < <(sed -n 's/^pid 1 (t_gdb): \([0-9]*\) page-table entries .*counts \([0-9]*\):.*/\1 \2/p' "$g")
	[ -n "$free" ] && [ "$free" = "$kfree" ] && [ $((free * 4)) = "$(field "$meminfo" SwapFree)" ] &&
		[ $((slots * 4)) = "$(field "$meminfo" SwapTotal)" ] && [ -n "$ents" ] && [ "$ents" = "$kents" ]
	check gdb/swap_slots_equal_swapfree $? \
		"swap-slots: free $free (kernel $kfree) of $slots, t_gdb's entries $ents (kernel $kents); ${meminfo//$'\n'/ }" "$g"

	gdb_lru_check gdb/lru_lists_equal_counters lru2 "$g"

	# One page, one slot: at try_to_unmap (page p), after it (vm-walk), at
	# the fault (vm-walk), and back in memory (page 0x10000000).
	local s1 s2 s3 s4
	s1=$(sed -n 's/^  swap      area 0 slot \([0-9]*\) .*/\1/p' "$g" | head -n 1)
	s2=$(sed -n 's/^=> swapped out: area 0 slot \([0-9]*\) .*/\1/p' "$g" | sed -n 1p)
	s3=$(sed -n 's/^=> swapped out: area 0 slot \([0-9]*\) .*/\1/p' "$g" | sed -n 2p)
	s4=$(sed -n 's/^  swap      area 0 slot \([0-9]*\) .*/\1/p' "$g" | tail -n 1)
	[ -n "$s1" ] && [ "$s1 $s1 $s1" = "$s2 $s3 $s4" ] && grep -q "resident: no" "$s" &&
		[ "$(grep -c '^=> 4 KiB page' "$g")" = 2 ] && grep -q "^  lru       inactive_anon (policy lru2)" "$g"
	check gdb/vm_walk_follows_swap_out_and_in $? "slots $s1 (page) $s2 (walk) $s3 (fault) $s4 (page after)" "$g"

	# The last walk's frame is where QEMU itself translates the address.
	local walked gpa
	walked=$(sed -n 's/^=> 4 KiB page: physical \(0x[0-9a-f]*\),.*/\1/p' "$g" | tail -n 1)
	gpa=$(sed -n 's/^gpa: \(0x[0-9a-f]*\)$/\1/p' "$g" | tail -n 1)
	[ -n "$walked" ] && [ "$walked" = "$gpa" ]
	check gdb/vm_walk_equals_qemu_gva2gpa $? "vm-walk: ${walked:-none}, QEMU's gva2gpa: ${gpa:-none}" "$g"

	grep -qE '^\$1 = struct page \(pfn 0x[0-9a-f]+\) = \{flags = PG_ANON\|PG_SWAPCACHE\|PG_DIRTY, swap = swp_entry_t 0x[0-9a-f]+ \(area 0 slot '"$s1"'\),.* owner = \(struct anon_root \*\) 0x' "$g" &&
		grep -qE '^\$[0-9]+ = 0x[0-9a-f]+ \[P W .*-> 0x[0-9a-f]+\]$' "$g"
	check gdb/printers_decode_page_pte_swap $? "print *p or print kernel_pml4[511] not decoded" "$g"

	grep -q '^Line [0-9]* of "user/tests/t_gdb.c" starts at address' "$g" &&
		grep -qE '^0000000010[0-9a-f]+-0000000010c00000 [0-9a-f]+ urw$' "$g"
	check gdb/user_symbols_and_monitor_info_mem $? "no t_gdb.c line for tf->rip, or no region in monitor info mem" "$g"
}

# gdb_lru_check NAME POLICY GDBLOG: the lru helper ran under POLICY; every
# list's walked length equals the policy's counter, and their sum the frames with PG_LRU.
gdb_lru_check() {
	local name=$1 policy=$2 g=$3
	grep -q "^policy $policy, lists of the machine:" "$g" &&
		awk '/ pages \(the policy counts [0-9]+\)/ { n++; c = $0; sub(/.*counts /, "", c); sub(/\).*/, "", c)
		     if ($2 != c) bad = 1 } END { exit bad || !n }' "$g" &&
		awk '/^on the lists: / { n++; if ($4 != $NF) bad = 1 } END { exit bad || !n }' "$g"
	check "$name" $? "lru under $policy: a list's length differs from its counter, or from PG_LRU" "$g"
}

# The lru helper under the other policies (their list names differ).
gdb_policy_test() {
	local policy=$1
	printf 'thbreak gen_meminfo\ncontinue\nlru\nkill\n' > "$LOGS/gdb-lru.gdb"
	gdb_run "gdb-lru-$policy" "$LOGS/gdb-lru.gdb" 8M "evict=$policy init=/bin/t_gdb"
	gdb_lru_check "gdb/lru_under_$policy" "$policy" "$LOGS/gdb-lru-$policy.gdb.log"
}

# qemu_gone PID...: whether none of these processes is left.
qemu_gone() {
	local pid
	for pid in "$@"; do
		kill -0 "$pid" 2>/dev/null && return 1
	done
	return 0
}

# make debug, tried as students do: quit, start again, kill GDB, a busy port, a QEMU error.
gdb_debug_sh_test() {
	local d=$LOGS/gdb-again port=$((20000 + RANDOM % 20000)) q1 q2 q3 gpid dpid
	printf 'shell cat %s/debug-qemu.pid\nquit\n' "$d" > "$LOGS/gdb-again.gdb"
	rm -rf "$d"
	SNAPSHOT=1 GDB_PORT=$port DEBUG_DIR=$d timeout 60 tools/debug.sh -batch -nx -x "$LOGS/gdb-again.gdb" \
		> "$LOGS/gdb-again-1.log" 2>&1
	q1=$(grep -E '^[0-9]+$' "$LOGS/gdb-again-1.log" | tail -n 1)
	SNAPSHOT=1 GDB_PORT=$port DEBUG_DIR=$d timeout 60 tools/debug.sh -batch -nx -x "$LOGS/gdb-again.gdb" \
		> "$LOGS/gdb-again-2.log" 2>&1
	local status=$?
	q2=$(grep -E '^[0-9]+$' "$LOGS/gdb-again-2.log" | tail -n 1)
	[[ $q1 =~ ^[0-9]+$ && $q2 =~ ^[0-9]+$ ]] && [ $status = 0 ] && qemu_gone "$q1" "$q2"
	check gdb/debug_sh_quit_ends_qemu_and_runs_again $? \
		"second run: status $status; QEMUs $q1 $q2 should be gone" "$LOGS/gdb-again-2.log"

	# GDB killed: debug.sh ends its QEMU. A second session meanwhile on the
	# same port fails at once, saying so, and ends nothing of the first.
	printf 'shell echo gdb $PPID; cat %s/debug-qemu.pid\nshell sleep 15\n' "$d" > "$LOGS/gdb-kill.gdb"
	SNAPSHOT=1 GDB_PORT=$port DEBUG_DIR=$d tools/debug.sh -batch -nx -x "$LOGS/gdb-kill.gdb" \
		> "$LOGS/gdb-kill.log" 2>&1 &
	dpid=$!
	for _ in $(seq 100); do grep -q '^gdb ' "$LOGS/gdb-kill.log" && break; sleep 0.1; done
	read -r _ gpid < <(grep '^gdb ' "$LOGS/gdb-kill.log")
	q3=$(grep -A1 '^gdb ' "$LOGS/gdb-kill.log" | tail -n 1)
	SNAPSHOT=1 GDB_PORT=$port DEBUG_DIR=$LOGS/gdb-busy timeout 30 tools/debug.sh -batch -nx \
		> "$LOGS/gdb-busy.log" 2>&1
	status=$?
	[ $status = 1 ] && grep -q "port $port is in use" "$LOGS/gdb-busy.log" && kill -0 "$q3" 2>/dev/null
	check gdb/debug_sh_busy_port_fails_fast $? "status $status, or the first QEMU ($q3) ended" "$LOGS/gdb-busy.log"
	[ -n "$gpid" ] && kill -9 "$gpid"
	wait $dpid
	[[ $q3 =~ ^[0-9]+$ ]] && qemu_gone "$q3"
	check gdb/debug_sh_gdb_killed_ends_qemu $? "QEMU ${q3:-?} of a killed GDB ${gpid:-?} is still there" "$LOGS/gdb-kill.log"

	# QEMU's errors reach the terminal, and GDB does not start: a bad
	# option; a disk image another QEMU holds (a paused one, on a copy).
	QEMU_EXTRA=-no-such-option SNAPSHOT=1 DEBUG_DIR=$LOGS/gdb-qemu-error timeout 30 tools/debug.sh -batch -nx \
		> "$LOGS/gdb-qemu-error.log" 2>&1
	status=$?
	cp --sparse=always "$BUILD/disk.img" "$LOGS/gdb-locked.img"
	SNAPSHOT=0 DISK_IMG=$LOGS/gdb-locked.img GDB_PORT=$((port + 1)) INTERACTIVE=0 TIMEOUT=30 \
		QEMU_EXTRA="-pidfile $LOGS/gdb-locked.pid" tools/qemu.sh > "$LOGS/gdb-locked-holder.log" 2>&1 &
	for _ in $(seq 100); do [ -s "$LOGS/gdb-locked.pid" ] && break; sleep 0.1; done
	SNAPSHOT=0 DISK_IMG=$LOGS/gdb-locked.img DEBUG_DIR=$LOGS/gdb-locked timeout 30 tools/debug.sh -batch -nx \
		> "$LOGS/gdb-locked.log" 2>&1
	local status2=$?
	kill "$(cat "$LOGS/gdb-locked.pid")" 2>/dev/null
	wait $!
	rm -f "$LOGS/gdb-locked.img" "$LOGS/gdb-locked.pid"
	[ $status = 1 ] && grep -q "QEMU stopped before its gdbstub listened" "$LOGS/gdb-qemu-error.log" &&
		grep -q "no-such-option" "$LOGS/gdb-qemu-error.log" && ! grep -q "Breakpoint 1" "$LOGS/gdb-qemu-error.log" &&
		[ $status2 = 1 ] && grep -q 'Failed to get "write" lock' "$LOGS/gdb-locked.log" &&
		! grep -q "Breakpoint 1" "$LOGS/gdb-locked.log"
	check gdb/debug_sh_shows_qemu_errors $? "status $status (bad option), $status2 (locked image)" \
		"$LOGS/gdb-locked.log"
}

# make debug OPT=-Og: builds with -Werror by gcc and clang; GDB then shows
# what -O2 leaves <optimized out> (swap_out's arguments, in the swap tour's
# backtrace); and the flags are part of what make checks, so the next
# make at -O2 in that directory recompiles instead of mixing the two.
gdb_og_test() {
	local log=$LOGS/gdb-og-build.log
	# This build's user programs and images (OPT changes only the kernel;
	# cflags.stamp makes its objects recompile): tests/labs.sh's seed_build.
	[ -d build/og ] || seed_build build/og
	if ! make --no-print-directory BUILD=build/og OPT=-Og > "$log" 2>&1 ||
	   ! make --no-print-directory BUILD=build/og-clang OPT=-Og CC=clang build/og-clang/kernel.elf >> "$log" 2>&1; then
		fail gdb/og_builds_with_gcc_and_clang "make OPT=-Og failed" "$log"
		return
	fi
	pass gdb/og_builds_with_gcc_and_clang
	make -n --no-print-directory BUILD=build/og build/og/kernel.elf > "$LOGS/gdb-og-again.log" 2>&1
	grep -q -- "-O2 .*-c mm/fault.c" "$LOGS/gdb-og-again.log"
	check gdb/og_objects_rebuilt_for_O2 $? "make at -O2 in build/og would not recompile" "$LOGS/gdb-og-again.log"
	printf 'hbreak try_to_unmap if p->index == 0x10000 && (p->flags & PG_ANON)\ncontinue\nbt 3\nkill\n' \
		> "$LOGS/gdb-og.gdb"
	BUILD=build/og gdb_run gdb-og "$LOGS/gdb-og.gdb" 8M "init=/bin/t_gdb"
	grep -qE '^#2 .* in swap_out \(pages=pages@entry=0x[0-9a-f]+, n=' "$LOGS/gdb-og.gdb.log"
	check gdb/og_shows_what_O2_optimizes_out $? "swap_out's arguments not shown" "$LOGS/gdb-og.gdb.log"
}

# Builds and boots in build/og and build/og-clang only: tests/run runs it
# beside the doc commands, at the end.
gdb_og_job() {
	job gdb/og_builds_with_gcc_and_clang gdb/og_objects_rebuilt_for_O2 \
		gdb/og_shows_what_O2_optimizes_out -- gdb_og_test
}

gdb_jobs() {
	job gdb/stops_at_kmain_with_symbols -- gdb_kmain_test
	job gdb/swap_tour_runs gdb/vmas_equals_proc_maps gdb/ps_equals_proc_status \
		gdb/free_frames_equal_memfree gdb/swap_slots_equal_swapfree gdb/lru_lists_equal_counters \
		gdb/vm_walk_follows_swap_out_and_in gdb/vm_walk_equals_qemu_gva2gpa gdb/printers_decode_page_pte_swap \
		gdb/user_symbols_and_monitor_info_mem -- gdb_helpers_test
	job gdb/user_break_stops_in_that_program -- gdb_user_break_test
	for policy in fifo clock scanmru; do
		job "gdb/lru_under_$policy" -- gdb_policy_test "$policy"
	done
	job gdb/debug_sh_quit_ends_qemu_and_runs_again gdb/debug_sh_busy_port_fails_fast \
		gdb/debug_sh_gdb_killed_ends_qemu gdb/debug_sh_shows_qemu_errors -- gdb_debug_sh_test
}
