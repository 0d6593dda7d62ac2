# tests/faultinj.sh - the fault-injection scenarios of tests/run, which
# sources it (docs/fault-injection.md).
#
# The rule each one checks: a failure the kernel can ride out (an
# allocation retried after reclaim, a swap write undone and redone
# elsewhere) kills nobody and loses nothing - the workload verifies every
# page (errors=0), and when it is over every frame and every good swap
# slot is free again (workload() in tests/run); a page that cannot be
# read back from swap kills exactly the processes that touch it (SIGBUS).
# Every scenario must really have injected something: one console line
# "FAULT_INJECTION: forcing a failure" per failure, counted here.

# The swap disk of a boot on DISK: the second disk (tools/qemu.sh).
swap_dev() { [ "$1" = ide ] && echo hdb || echo vdb; }

# The kernel arguments for one kind of failure on DISK: about 2 percent of
# the calls fail, a few dozen times per boot (swap writes are fewer: one
# request carries up to 32 pages, so 10 percent of them).
fault_kargs() {
	local kind=$1 disk=$2
	case $kind in
	failslab)        echo "failslab=1,2,0,30" ;;
	fail_page_alloc) echo "fail_page_alloc=1,2,0,30" ;;
	swap_write)      echo "fail_make_request=1,10,0,30 make_it_fail=$(swap_dev "$disk"):write" ;;
	fail_swap_alloc) echo "fail_swap_alloc=1,10,0,-1" ;;
	esac
}

# fault_workload NAME DISK "PROG ARGS" KARGS: a swap workload at MEM=8M
# under injected failures: the workload's own checks, and failures forced.
fault_workload() {
	local name=$1 disk=$2 prog=$3 kargs=$4 forced
	WORKLOAD_GROUP=faultinj workload "$name" "$disk" 8M "$prog" "$kargs fail_seed=1"
	forced=$(grep -c "^FAULT_INJECTION: forcing a failure" "$LOGS/$name.log")
	if [ "$forced" -gt 0 ]; then
		pass "faultinj/$name-injected"
	else
		fail "faultinj/$name-injected" "no failure was forced" "$LOGS/$name.log"
	fi
}

fault_workload_job() {
	job "faultinj/$1" "faultinj/$1-injected" -- fault_workload "$@"
}

# A page that cannot be read back from swap: SIGBUS for those who touch it.
swap_read_error_test() {
	local disk=$1
	DISK=$disk MEM=32M boot "swapreaderr-$disk" "init=/bin/t_swapreaderr $(swap_dev "$disk")"
	local status=$?
	collect_results "faultinj/swapreaderr-$disk/" "$LOGS/swapreaderr-$disk.log"
	expect "faultinj/swapreaderr-$disk/exits_0_nothing_leaked" "$LOGS/swapreaderr-$disk.log" \
		$status 0 "FAULT_INJECTION: forcing a failure. name fail_make_request" \
		"failed; the slot is marked bad, its users get SIGBUS" \
		"init exited with status 0" "none leaked" "slots free after init: all free"
}

fault_injection_jobs() {
	local disk prog kind
	# The bug this all started from: swap-out asked for an order-3 block in
	# the middle of reclaim, and when it did not come, dropped the pages
	# unwritten (3352 of 3072 pages read back wrong; now no such block).
	WORKLOAD_GROUP=faultinj workload_job swapout_without_order3_blocks virtio 8M "seqtouch 12" \
		"fail_page_alloc=1,100,0,-1 fail_page_alloc.min-order=3"
	fault_workload_job swapout_with_half_of_kmalloc_failing virtio "seqtouch 12" "failslab=1,50,0,-1"
	for disk in ide virtio; do
		for prog in "seqtouch 12" "rand 12" "hotcold 12" "forkswap 6 2"; do
			for kind in failslab fail_page_alloc swap_write; do
				fault_workload_job "${prog%% *}-$kind-$disk" "$disk" "$prog" \
					"$(fault_kargs $kind $disk)"
			done
		done
		fault_workload_job "seqtouch-fail_swap_alloc-$disk" "$disk" "seqtouch 12" \
			"$(fault_kargs fail_swap_alloc $disk)"
		job "faultinj/swapreaderr-$disk/" -- swap_read_error_test "$disk"
	done
}
