# tests/memctl.sh - memctl (user/memctl.c, docs/memctl.md) on the host,
# tests of tests/run, which sources it: T=host/memctl/ tests/run.
#
# memctl is a static Linux program, so it runs on the host against a fake
# cgroup root: a plain directory, where mkdir works and every knob memctl
# writes becomes a plain file whose content can be read back. That checks
# the layout and every figure memctl writes for a Burstable LimitedSwap
# pod with MemoryQoS, a Guaranteed and a BestEffort pod, the exit
# statuses, the clean-up, and that bad arguments create nothing. The
# kernel's own cgroup files (memory.events, memory.peak...) are absent
# there: memctl says "-" for them. `memctl evict` kills processes this
# test starts itself (sleep), named in the fake pods' cgroup.procs.
#
# Lowering oom_score_adj (the Guaranteed pod's -997) needs
# CAP_SYS_RESOURCE, which a container's root may lack: then that one run
# takes --no-oom-adj.

MEMCTL_NODE=(--node-memory 32M --node-swap 128M)

# memctl_check NAME WANT_STATUS STATUS LOG [FILE=CONTENT | TEXT]...: the
# status must be WANT_STATUS, each FILE (relative to the fake root) must
# hold CONTENT (its first line), each other TEXT must be in LOG.
memctl_check() {
	local name=$1 want=$2 status=$3 log=$4 arg file got
	shift 4
	if [ "$status" != "$want" ]; then
		fail "host/memctl/$name" "exit status $status, expected $want" "$log"
		return
	fi
	for arg in "$@"; do
		if [[ $arg == /*=* ]]; then
			file=${arg%%=*}
			got=$(head -n 1 "$CG$file" 2>&1)
			if [ "$got" != "${arg#*=}" ]; then
				fail "host/memctl/$name" "$file holds '$got', expected '${arg#*=}'" "$log"
				return
			fi
		elif ! grep -qF -- "$arg" "$log"; then
			fail "host/memctl/$name" "missing in the output: '$arg'" "$log"
			return
		fi
	done
	pass "host/memctl/$name"
}

# memctl_run LOGNAME ARGS...: runs memctl on the fake root; sets $status.
memctl_run() {
	local log=$LOGS/memctl-$1.log
	shift
	timeout 20 "$MBIN/memctl" "$@" > "$log" 2>&1 < /dev/null
	status=$?
}

memctl_pods() {
	local B=/kubepods/burstable/pod-demo P=/kubepods/pod-g E=/kubepods/besteffort/pod-be noadj=
	(echo -997 > /proc/self/oom_score_adj) 2> /dev/null || noadj=--no-oom-adj

	memctl_run burstable run --name demo --request 4M --limit 8M --swap-behavior LimitedSwap \
		--memory-qos --keep --root "$CG" "${MEMCTL_NODE[@]}" -- /bin/cat /proc/self/oom_score_adj
	memctl_check burstable_limited_swap_memory_qos 0 $status "$LOGS/memctl-burstable.log" \
		"memctl: pod demo: Burstable, request 4194304, limit 8388608 (node: memory 33554432, swap 134217728, LimitedSwap)" \
		"memctl: oom_score_adj 875" "memctl: pod demo: exited 0" "memctl: memory.peak -" \
		"$B/main/memory.max=8388608" "$B/main/memory.swap.max=16777216" \
		"$B/main/memory.min=4194304" "$B/main/memory.high=7966720" "$B/memory.max=8388608" \
		"$B/memory.min=4194304" "/kubepods/burstable/memory.min=4194304" \
		"/kubepods/memory.min=4194304" "/cgroup.subtree_control=+memory" \
		"/kubepods/cgroup.subtree_control=+memory" "/kubepods/burstable/cgroup.subtree_control=+memory" \
		"$B/cgroup.subtree_control=+memory"
	# The child wrote its own pid, and cat read its oom_score_adj as 875.
	if grep -qx '875' "$LOGS/memctl-burstable.log" && grep -qE '^[0-9]+$' "$CG$B/main/cgroup.procs"; then
		pass host/memctl/child_joins_group_with_oom_score_adj
	else
		fail host/memctl/child_joins_group_with_oom_score_adj "no pid or no 875" "$LOGS/memctl-burstable.log"
	fi

	memctl_run guaranteed run --name g --limit 8M --swap-behavior LimitedSwap --keep $noadj \
		--root "$CG" "${MEMCTL_NODE[@]}" -- t_exit 3
	memctl_check guaranteed_limit_only 3 $status "$LOGS/memctl-guaranteed.log" \
		"memctl: pod g: Guaranteed, request 8388608, limit 8388608" "memctl: oom_score_adj -997" \
		"memctl: memory.min not set (no --memory-qos)" "memctl: pod g: exited 3" \
		"$P/main/memory.max=8388608" "$P/main/memory.swap.max=0" "$P/memory.max=8388608"
	if [ -e "$CG$P/main/memory.min" ] || [ -e "$CG$P/main/memory.high" ]; then
		fail host/memctl/no_memory_qos_no_min_high "memory.min or memory.high written"
	else
		pass host/memctl/no_memory_qos_no_min_high
	fi

	memctl_run besteffort run --name be --swap-behavior LimitedSwap --memory-qos --keep \
		--root "$CG" "${MEMCTL_NODE[@]}" -- hello
	memctl_check besteffort_no_swap_no_high 0 $status "$LOGS/memctl-besteffort.log" \
		"memctl: pod be: BestEffort, request 0, limit 0" "memctl: oom_score_adj 1000" \
		"memctl: memory.high max" "hello, world" "$E/main/memory.max=max" \
		"$E/main/memory.swap.max=0" "$E/main/memory.min=0" "/kubepods/besteffort/memory.min=0" \
		"/kubepods/memory.min=4194304"

	memctl_run top top --root "$CG"
	memctl_check top_lists_pods_and_containers 0 $status "$LOGS/memctl-top.log" \
		"memctl: group " "memctl: /kubepods/pod-g/main " "memctl: /kubepods/burstable/pod-demo " \
		"memctl: /kubepods/besteffort/pod-be/main "
}

memctl_endings() {
	memctl_run removed run --name gone --request 1M --root "$CG" "${MEMCTL_NODE[@]}" -- hello
	memctl_check removes_pod_keeps_qos_level 0 $status "$LOGS/memctl-removed.log" \
		"memctl: pod gone: exited 0" "memctl: memory.swap.current max seen -"
	if [ -e "$CG/kubepods/burstable/pod-gone" ] || ! [ -d "$CG/kubepods/burstable" ]; then
		fail host/memctl/removes_pod_keeps_qos_level "pod-gone left, or burstable removed"
	fi

	# Alone in the tree, a pod leaves nothing behind: its QoS level and kubepods go too.
	local alone=$LOGS/memctl-alone-cg
	rm -rf "$alone" && mkdir -p "$alone"
	memctl_run alone run --name solo --request 1M --root "$alone" "${MEMCTL_NODE[@]}" -- hello
	memctl_check alone_leaves_tree_as_found 0 $status "$LOGS/memctl-alone.log" \
		"memctl: pod solo: exited 0"
	if [ -e "$alone/kubepods" ]; then
		fail host/memctl/alone_leaves_tree_as_found_files "kubepods left in $alone"
	fi

	memctl_run killed run --name k --root "$CG" "${MEMCTL_NODE[@]}" -- /bin/sh -c 'kill -9 $$'
	memctl_check killed_128_plus_signal 137 $status "$LOGS/memctl-killed.log" \
		"memctl: pod k: killed by signal 9 (SIGKILL)"

	memctl_run noexec run --name x --root "$CG" "${MEMCTL_NODE[@]}" -- no_such_program
	memctl_check exec_failure_127 127 $status "$LOGS/memctl-noexec.log" "memctl: exec "
}

# Each of these must exit 2 having made nothing in an empty root.
memctl_bad_inputs() {
	local empty=$LOGS/memctl-empty-root args i=0
	local -a cases=(
		""
		"run --request 4X -- hello"
		"run --bogus -- hello"
		"run --qos guaranteed --request 4M --limit 8M -- hello"
		"run --qos besteffort --request 4M -- hello"
		"run --request 8M --limit 4M -- hello"
		"run --swap-behavior UnlimitedSwap -- hello"
		"run --request 4M"
		"evict --threshold memory.free<4M"
		"frobnicate"
	)
	rm -rf "$empty" && mkdir -p "$empty"
	for args in "${cases[@]}"; do
		i=$((i + 1))
		# shellcheck disable=SC2086  # the words of each case
		timeout 10 "$MBIN/memctl" $args --root "$empty" "${MEMCTL_NODE[@]}" \
			> "$LOGS/memctl-bad-$i.log" 2>&1 < /dev/null
		status=$?
		if [ $status != 2 ] || [ -n "$(ls -A "$empty")" ]; then
			fail host/memctl/bad_input_exits_2_creates_nothing \
				"'memctl $args': status $status, root: $(ls -A "$empty" | tr '\n' ' ')" \
				"$LOGS/memctl-bad-$i.log"
			return
		fi
	done
	grep -qF "memctl: --qos guaranteed does not fit" "$LOGS/memctl-bad-4.log" &&
		grep -qF "usage: memctl run" "$LOGS/memctl-bad-1.log" &&
		pass host/memctl/bad_input_exits_2_creates_nothing ||
		fail host/memctl/bad_input_exits_2_creates_nothing "no message" "$LOGS/memctl-bad-4.log"

	# A write that fails (kubepods is a file, not a group): exit 1, named.
	rm -rf "$empty" && mkdir -p "$empty" && : > "$empty/kubepods"
	memctl_run write-fails run --name w --root "$empty" "${MEMCTL_NODE[@]}" -- hello
	memctl_check failed_write_exits_1 1 $status "$LOGS/memctl-write-fails.log" \
		"memctl: $empty/kubepods/cgroup.subtree_control: Not a directory"
}

# Three fake pods whose processes are sleeps of this test: evict must kill
# the Burstable one, furthest above its request (its oom_score_adj 500 is a
# request of half the 32M node), and leave the others alive.
memctl_evict() {
	local s1 s2 s3 k=$CG/kubepods alive=
	sleep 30 & s1=$!
	sleep 30 & s2=$!
	sleep 30 & s3=$!
	echo 500 > /proc/$s2/oom_score_adj
	mkdir -p "$k/pod-eg/main" "$k/burstable/pod-eb/main" "$k/besteffort/pod-ebe/main" \
		"$k/besteffort/pod-eempty/main"
	echo $s1 > "$k/pod-eg/main/cgroup.procs"; echo 8388608 > "$k/pod-eg/memory.max"
	echo 9000000 > "$k/pod-eg/memory.current"
	echo $s2 > "$k/burstable/pod-eb/main/cgroup.procs"
	echo 20000000 > "$k/burstable/pod-eb/memory.current"
	echo $s3 > "$k/besteffort/pod-ebe/main/cgroup.procs"
	echo 1000000 > "$k/besteffort/pod-ebe/memory.current"
	echo 99999999 > "$k/besteffort/pod-eempty/memory.current"       # no process: skipped
	# The pods of the runs above have no live process either: their
	# cgroup.procs name pids that ended (and could be reused: not killed
	# here, as --for 0 looks once), so they go too.
	rm -rf "$k/pod-g" "$k/burstable/pod-demo" "$k/besteffort/pod-be"
	memctl_run evict evict --threshold 'memory.available<1024G' --for 0 --root "$CG" \
		--node-memory 32M
	sleep 0.2
	kill -0 $s1 2> /dev/null && kill -0 $s3 2> /dev/null && alive=yes
	kill $s1 $s2 $s3 2> /dev/null
	wait $s1 $s2 $s3 2> /dev/null
	memctl_check evict_ranks_memory_pressure 0 $status "$LOGS/memctl-evict.log" \
		"< 1099511627776: pod eb (Burstable, usage 20000000, request 16777216)"
	[ "$alive" = yes ] && pass host/memctl/evict_kills_only_that_pod ||
		fail host/memctl/evict_kills_only_that_pod "another sleep died" "$LOGS/memctl-evict.log"
}

memctl_host_test() {
	local out=$BUILD/memctl-host status
	CG=$out/cg
	if ! make -s -f user/user.mk BUILD="$out" "$out/user/bin/memctl" "$out/user/bin/hello" \
		"$out/user/bin/t_exit" > "$LOGS/memctl-build.log" 2>&1; then
		fail host/memctl/build "make -f user/user.mk failed" "$LOGS/memctl-build.log"
		return
	fi
	MBIN=$(cd "$out/user/bin" && pwd)
	export PAGODA_BIN=$MBIN
	rm -rf "$CG" && mkdir -p "$CG"
	memctl_pods
	memctl_endings
	memctl_bad_inputs
	memctl_evict 2> "$LOGS/memctl-evict.err"     # bash saying "Killed" of its sleep
}

memctl_jobs() {
	job host/memctl/ -- memctl_host_test
}
