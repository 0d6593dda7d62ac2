#!/usr/bin/env bash
# tools/viz/run.sh - `make viz`: boots a workload as init with memory
# snapshots on (memsnap=, mm/memsnapd.c) going to COM2, then turns them into
# one page, $BUILD/viz/index.html (tools/viz/memviz.py). docs/viz.md.
#
# From the environment (the Makefile passes them):
#   VIZ_WORKLOAD="seqtouch 38"  the program in /bin and its arguments
#   MEM=21M                     RAM: little, so that the workload swaps
#   VIZ_EVERY=50ms              memsnap=: a snapshot every N ms, or every N faults (500faults)
#   KARGS=                      more kernel arguments; BUILD, DISK, SNAPSHOT, TIMEOUT as tools/qemu.sh
#   VIZ_OUT=$BUILD/viz          where snapshots.txt, console.log and index.html go
# Exit status: init's (the page is written all the same), 1 without snapshots.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
out=${VIZ_OUT:-$BUILD/viz}
workload=${VIZ_WORKLOAD:-seqtouch 38}
every=${VIZ_EVERY:-50ms}
export MEM=${MEM:-21M}
[[ $workload == /* ]] || workload=/bin/$workload
mkdir -p "$out"
rm -f "$out/snapshots.txt"
echo "viz: init=$workload with MEM=$MEM, a snapshot every ${every}"
# init= takes the rest of the command line: it comes last.
MEMSNAP_OUT=$out/snapshots.txt KARGS="${KARGS:-} memsnap=$every init=$workload" INTERACTIVE=0 \
	TIMEOUT=${TIMEOUT:-300} tools/qemu.sh > "$out/console.log" 2>&1
status=$?
grep -a '^result \|^init exited\|^memsnap: ' "$out/console.log" | tr -d '\r' | sed 's/^/viz: /'
[ -s "$out/snapshots.txt" ] || { echo "viz: no snapshots (console: $out/console.log)" >&2; exit 1; }
tools/viz/memviz.py --title "pagoda: memory over time, init=$workload, MEM=$MEM" \
	"$out/snapshots.txt" "$out/index.html" || exit 1
exit $status
