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

# cgroup_test DISK
cgroup_test() {
	local disk=$1 log=$LOGS/cgroup-$1.log status
	DISK=$disk MEM=64M boot "cgroup-$disk" "init=/bin/t_cgroup"
	status=$?
	collect_results "cgroup/$disk/" "$log"
	expect "cgroup/$disk/exits_0_nothing_leaked" "$log" $status 0 \
		"memory cgroup /noswap out of memory" "memory cgroup /swap4m out of memory" \
		"Killed process" "memcg /noswap" "init exited with status 0" "none leaked" \
		"slots free after init: all free"
}

# memqos_test DISK: t_memqos (memory.high, min/low, oom.group, PSI) as
# init at MEM=64M, where its 72 MiB hog puts the whole machine under
# pressure: the protected groups must keep their pages through it.
memqos_test() {
	local disk=$1 log=$LOGS/memqos-$1.log status
	DISK=$disk MEM=64M boot "memqos-$disk" "init=/bin/t_memqos"
	status=$?
	collect_results "memqos/$disk/" "$log"
	expect "memqos/$disk/exits_0_nothing_leaked" "$log" $status 0 \
		"memory cgroup /og out of memory" "Tasks in /og are going to be killed" \
		"init exited with status 0" "none leaked" "slots free after init: all free"
}

cgroup_jobs() {
	local disk
	for disk in ide virtio; do
		job "cgroup/$disk/" -- cgroup_test "$disk"
		job "memqos/$disk/" -- memqos_test "$disk"
	done
}
