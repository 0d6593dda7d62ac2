# tests/cgroup.sh - cgroup v2's memory controller (docs/memory-groups.md),
# tests of tests/run, which sources it.
#
# t_cgroup runs as init at MEM=64M, where the machine itself is not short
# of memory: whatever is reclaimed or killed is so because of a group's
# memory.max and memory.swap.max. Its own lines count (the groups' files,
# mkdir/rmdir errors, three 8 MiB groups running a 16 MiB working set),
# the OOM report must name the group, and at init's exit every frame and
# swap slot must be back. On both disk interfaces: the group's swap-outs
# go through the driver. t_memqos does the same for memory.high,
# memory.min and memory.low, memory.oom.group and PSI.

# group_test NAME PROG DISK PATTERN...: PROG as init at MEM=64M on DISK:
# its own lines count as NAME/DISK/..., and NAME/DISK/exits_0_nothing_leaked
# needs exit 0, every frame and swap slot back, and each PATTERN in the log.
group_test() {
	local name=$1 prog=$2 disk=$3 log=$LOGS/$1-$3.log status
	shift 3
	DISK=$disk MEM=64M boot "$name-$disk" "init=/bin/$prog"
	status=$?
	collect_results "$name/$disk/" "$log"
	expect "$name/$disk/exits_0_nothing_leaked" "$log" $status 0 "$@" \
		"init exited with status 0" "none leaked" "slots free after init: all free"
}

# t_cgroup: the OOM reports must name the groups.
cgroup_test() {
	group_test cgroup t_cgroup "$1" "memory cgroup /noswap out of memory" \
		"memory cgroup /swap4m out of memory" "Killed process" "memcg /noswap"
}

# t_memqos (memory.high, min/low, oom.group, PSI): its 72 MiB hog puts the
# whole machine under pressure; the oom.group kill must be reported.
# memqos_test DISK [NAME]: NAME (default memqos) names the log and results.
memqos_test() {
	group_test "${2:-memqos}" t_memqos "$1" "memory cgroup /og out of memory" \
		"Tasks in /og are going to be killed" "Killed process"
}

cgroup_jobs() {
	local disk
	for disk in ide virtio; do
		job "cgroup/$disk/" -- cgroup_test "$disk"
		job "memqos/$disk/" -- memqos_test "$disk"
	done
	# On virtio the disks use io_uring where the host allows it (reads that
	# need no sleep once made the qos scenario thrash instead of OOM-killing:
	# mm/kswapd.c); once more with QEMU's thread pool.
	VIRTIO_AIO=threads job memqos-threads/virtio/ -- memqos_test virtio memqos-threads
}
