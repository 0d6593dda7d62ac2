# tests/policy.sh - the replacement policies' tests of tests/run, which
# sources it (docs/policies.md).
#
# Known answers: FIFO's Belady anomaly (9 faults in 3 frames, 10 in 4) on
# pagoda itself; FIFO and clock on pagoda fault exactly as often as the
# simulator says (the hardware's accessed bit is clock's reference bit);
# the simulator's OPT, LRU and FIFO give the textbooks' numbers. Then every
# policy must run the four swap workloads at twice the RAM on both disks
# with no page lost, and the tunables and RLIMIT_RSS must behave (t_policy).

BELADY=1,2,3,4,1,2,5,1,2,3,4,5
SILBERSCHATZ=7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1

# 300 references over 14 pages, a third of them writes: the same every run.
random_string() {
	awk 'BEGIN { x = 7; for (i = 0; i < 300; i++) { x = (x * 1103515245 + 12345) % 2147483648;
		p = int(x / 65536) % 14; w = int(x / 8) % 3 == 0 ? "w" : "";
		printf "%s%d%s", i ? "," : "", p, w } }'
}

# The simulator, on the host: the textbook numbers (OPT, LRU, FIFO).
policysim_test() {
	local sim=$BUILD/tools/policysim log=$LOGS/policysim.log
	{ "$sim" -f 3,4 "$BELADY"; "$sim" -f 3,4 "$SILBERSCHATZ"; } > "$log" 2>&1
	expect policy/policysim_textbook_answers "$log" 0 0 \
		"     3      9      9     10      7" "     4     10     10      8      6" \
		"     3     15     14     12      9" "     4     10      9      8      8"
}

# refstr_sim_test POLICY NAME FRAMES STRING: pagoda's count under
# evict=POLICY equals the simulator's, for each frame count of FRAMES.
refstr_sim_test() {
	local policy=$1 name=$2 frames=$3 string=$4 log=$LOGS/refstr-$1-$2.log status f got want
	local test=policy/refstr-$policy-$name
	boot "refstr-$policy-$name" "evict=$policy init=/bin/refstr -f $frames $string"
	status=$?
	for f in ${frames//,/ }; do
		got=$(tr -d '\r' < "$log" | sed -n "s/^result refstr .* frames=$f faults=\([0-9]*\)$/\1/p")
		want=$("$BUILD/tools/policysim" -p "$policy" -f "$f" "$string" | awk 'END { print $2 }')
		if [ "$got" = "$want" ]; then
			pass "$test/${f}_frames_${want}_faults_as_simulated"
		else
			fail "$test/${f}_frames_as_simulated" \
				"pagoda: ${got:-no count} faults (status $status), simulator: $want" "$log"
		fi
	done
	expect "$test/nothing_leaked" "$log" "$status" 0 "none leaked" "slots free after init: all free"
}

# Belady's anomaly on pagoda: more frames, more faults.
belady_test() {
	local log=$LOGS/refstr-belady.log status
	boot refstr-belady "evict=fifo init=/bin/refstr -v -f 3,4 $BELADY"
	status=$?
	expect policy/fifo_belady_anomaly "$log" $status 0 \
		"refstr: 12 references to 5 pages, 3 frames: 9 faults" \
		"refstr: 12 references to 5 pages, 4 frames: 10 faults" "none leaked"
}

policy_jobs() {
	local policy disk random
	random=$(random_string)
	job policy/policysim_textbook_answers -- policysim_test
	job policy/fifo_belady_anomaly -- belady_test
	for policy in fifo clock; do
		job "policy/refstr-$policy-silberschatz/" -- \
			refstr_sim_test "$policy" silberschatz 3,4 "$SILBERSCHATZ"
		job "policy/refstr-$policy-random/" -- refstr_sim_test "$policy" random 5,8 "$random"
	done
	job pagoda/t_policy/ pagoda/t_policy -- user_test t_policy
	job pagoda/t_rlimit/ pagoda/t_rlimit -- user_test t_rlimit
	# The default policy runs them in swap_jobs (tests/run).
	for policy in fifo clock scanmru; do
		for disk in ide virtio; do
			WORKLOAD_GROUP=policy-$policy workload_job "seqtouch-$disk" "$disk" 8M "seqtouch 12" "evict=$policy"
			WORKLOAD_GROUP=policy-$policy workload_job "rand-$disk" "$disk" 8M "rand 12" "evict=$policy"
			WORKLOAD_GROUP=policy-$policy workload_job "hotcold-$disk" "$disk" 8M "hotcold 12" "evict=$policy"
			WORKLOAD_GROUP=policy-$policy workload_job "forkswap-$disk" "$disk" 8M "forkswap 6 2" "evict=$policy"
		done
	done
}
