# tests/cgroup.sh - cgroup v2's memory controller (docs/memory-groups.md),
# tests of tests/run, which sources it.
#
# t_cgroup runs as init at MEM=64M, where the machine itself is not short
# of memory: whatever is reclaimed or killed is so because of a group's
# memory.max and memory.swap.max. Its own lines count (the groups' files,
# mkdir/rmdir errors, three 8 MiB groups running a 16 MiB working set),
# the OOM report must name the group, and at init's exit every frame and
# swap slot must be back. On both disk interfaces: the group's swap-outs
# go through the driver.

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

cgroup_jobs() {
	local disk
	for disk in ide virtio; do
		job "cgroup/$disk/" -- cgroup_test "$disk"
	done
}
