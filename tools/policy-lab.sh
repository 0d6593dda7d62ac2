#!/usr/bin/env bash
# tools/policy-lab.sh - `make policy-lab`: the replacement policies side by
# side with the simulator's FIFO, clock, LRU and Belady's OPT
# (docs/policies.md).
#
# For each workload (seqtouch, rand, hotcold) it runs the program on the host
# with WORKLOAD_TRACE to get its page-touch order, and tools/policysim
# counts what each textbook policy would fault on that trace with FRAMES
# frames. Then it boots pagoda once per policy and workload with
#   evict=POLICY upages=FRAMES sysctl.vm.page-cluster=0
# so that the working set (the workload's one mmap'd region) has exactly
# FRAMES frames, replacement is local and synchronous (one page evicted
# per fault beyond FRAMES) and every swap-in is one fault (readahead off).
# The machine has memory to spare (MEM=128M against an 8 MiB working set),
# so nothing else evicts. Pages brought in = the working set's pages (each
# is written first: a zero fill) + pswpin. Prints one table.
#
# Knobs (environment): POLICIES, WORKLOADS, MIB (working set, default 8),
# FRAMES (default: half the working set), JOBS (boots at once: nproc),
# DISK (ide or virtio).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
POLICIES=${POLICIES:-lru2 fifo clock scanmru}
WORKLOADS=${WORKLOADS:-seqtouch rand hotcold}
MIB=${MIB:-8}
PAGES=$((MIB * 256))
FRAMES=${FRAMES:-$((PAGES / 2))}
JOBS=${JOBS:-$(nproc)}
OUT=$BUILD/policy-lab
mkdir -p "$OUT"
export BUILD

# The host's traces and the simulator's counts: "frames fifo clock lru opt".
for w in $WORKLOADS; do
	WORKLOAD_TRACE=$OUT/$w.trace "$BUILD/user/bin/$w" "$MIB" > "$OUT/$w-host.log"
	"$BUILD/tools/policysim" -f "$FRAMES" -t "$OUT/$w.trace" | tail -n 1 > "$OUT/$w.sim"
done

boot_one() {
	local policy=$1 w=$2
	SNAPSHOT=1 INTERACTIVE=0 TIMEOUT=600 \
		KARGS="evict=$policy upages=$FRAMES sysctl.vm.page-cluster=0 init=/bin/$w $MIB" \
		tools/qemu.sh > "$OUT/$policy-$w.log" 2>&1 || true
}

for policy in $POLICIES; do
	for w in $WORKLOADS; do
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n
		done
		boot_one "$policy" "$w" &
	done
done
wait

# A field of the workload's result line: field LOG NAME.
field() { grep -a '^result ' "$1" | tail -n 1 | tr -d '\r' | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo "policy-lab: $MIB MiB working sets ($PAGES pages), $FRAMES frames, readahead off"
printf '%-8s %-8s %6s %7s %11s %7s %10s %8s\n' policy workload frames faults simulator opt faults/opt seconds
status=0
for w in $WORKLOADS; do
	read -r _ sim_fifo sim_clock sim_lru sim_opt < "$OUT/$w.sim"
	for policy in $POLICIES; do
		log=$OUT/$policy-$w.log
		pswpin=$(field "$log" pswpin)
		if [ -z "$pswpin" ] || [ "$(field "$log" errors)" != 0 ]; then
			echo "policy-lab: $policy on $w failed: see $log" >&2
			status=1
			continue
		fi
		case $policy in
		fifo)  sim="$sim_fifo fifo" ;;
		clock) sim="$sim_clock clock" ;;
		*)     sim="$sim_lru lru" ;;
		esac
		faults=$((PAGES + pswpin))
		printf '%-8s %-8s %6s %7s %11s %7s %10s %8s\n' "$policy" "$w" "$FRAMES" "$faults" \
			"$sim" "$sim_opt" "$(awk "BEGIN { printf \"%.2f\", $faults / $sim_opt }")" \
			"$(field "$log" seconds)"
	done
done
exit $status
