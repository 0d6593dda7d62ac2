#!/usr/bin/env bash
# tools/bench.sh - `make bench`: the swap workloads on pagoda and on
# Debian's stock Linux kernel, in the same QEMU (TCG, -cpu max, 1 vCPU)
# with the same swap image, on IDE and on virtio-blk, and a table of the
# results with the ratio pagoda/Linux. See docs/bench.md.
#
# Settings from the environment (defaults in brackets):
#   BENCH_RUNS        runs of each case; the table shows medians and the
#                     spread of the seconds (BENCH_RUNS=1: a quick look) [3]
#   BENCH_WORKLOADS   [seqtouch rand hotcold forkswap]
#   BENCH_DISKS       [virtio ide]
#   BENCH_ATA         how IDE moves data on both kernels [dma]: dma is
#                     each one's default (bus-master DMA); pio is pagoda
#                     with ata=pio and Linux with libata.dma=0
#   BENCH_KERNELS     [pagoda linux]
#   BENCH_MIB         the working set in MiB, or "auto": twice MemAvailable
#                     as each system finds it when the workload starts [38]
#   BENCH_PAGODA_MEM  pagoda's RAM [21M]   } chosen so that both have about
#   BENCH_LINUX_MEM   Linux's RAM  [96M]   } 19 MiB available (docs/bench.md)
#   BENCH_SWAP        size of the swap area both kernels use [128M]
#   BENCH_TIMEOUT     seconds for one boot, then it counts as failed [300]
#   VIRTIO_AIO        QEMU's aio= for both kernels' virtio disks
#                     (tools/virtio-aio.sh) [auto: io_uring where it can]
#   BENCH_BIN_DIR     take the workloads from this directory instead of
#                     building them (to try the harness with stand-ins)
#   BUILD             [build]; logs and results go to $BUILD/bench/
#
# Each run boots once: pagoda with KARGS="init=/bin/benchrun /bin/PROG MIB",
# Linux with bench=PROG:MIB for the initramfs's /init. benchrun prints the
# memory the workload starts with and becomes the workload, which ends with
#   result workload=NAME mib=N seconds=S pswpin=A pswpout=B pgmajfault=C errors=E
# A run without that line (a crash, an OOM kill, a timeout) is FAILED.
#
# Exit status: 0 when every run finished with status 0 and errors=0;
# 1 when some did not (the whole table is printed all the same); 2 when
# the harness could not start (no workload programs, no Debian kernel).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
RUNS=${BENCH_RUNS:-3}
WORKLOADS=${BENCH_WORKLOADS:-seqtouch rand hotcold forkswap}
DISKS=${BENCH_DISKS:-virtio ide}
ATA=${BENCH_ATA:-dma}
KERNELS=${BENCH_KERNELS:-pagoda linux}
MIB=${BENCH_MIB:-38}
PAGODA_MEM=${BENCH_PAGODA_MEM:-21M}
LINUX_MEM=${BENCH_LINUX_MEM:-96M}
SWAP_SIZE=${BENCH_SWAP:-128M}
TIMEOUT=${BENCH_TIMEOUT:-300}
out=$BUILD/bench
export LC_ALL=C

die() { echo "bench: $*" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number, not '$RUNS'"
[[ $MIB =~ ^([1-9][0-9]*|auto)$ ]] || die "BENCH_MIB must be a number of MiB or auto, not '$MIB'"
[[ $ATA == dma || $ATA == pio ]] || die "BENCH_ATA must be dma or pio, not '$ATA'"
for d in $DISKS; do [[ $d == ide || $d == virtio ]] || die "BENCH_DISKS: '$d' is not ide or virtio"; done
for k in $KERNELS; do [[ $k == pagoda || $k == linux ]] || die "BENCH_KERNELS: '$k' is not pagoda or linux"; done

mkdir -p "$out"
rm -rf "$out/bin" "$out"/*.log "$out/results.txt"
mkdir -p "$out/bin"

# --- The programs: the workloads (built by the Makefile, from user/) and
# benchrun, which prints the starting memory and then becomes the workload.
if [ -n "${BENCH_BIN_DIR:-}" ]; then
	bindir=$BENCH_BIN_DIR
	echo "bench: workloads from $bindir (BENCH_BIN_DIR)"
else
	bindir=$BUILD/user/bin
	targets=()
	for w in $WORKLOADS; do targets+=("$bindir/$w"); done
	if ! $MAKE -s "${targets[@]}" >"$out/make.log" 2>&1; then
		cat "$out/make.log" >&2
		die "cannot build the workload programs ($WORKLOADS): are user/<name>.c in user/user.mk's USER_PROGS?"
	fi
fi
for w in $WORKLOADS; do
	[ -x "$bindir/$w" ] || die "workload program $bindir/$w is missing"
	cp "$bindir/$w" "$out/bin/$w"
done
${MUSL_CC:-musl-gcc} -static -no-pie -O2 -Wall -Wextra -Werror \
	-o "$out/bin/benchrun" tools/linux-bench/benchrun.c || die "cannot build benchrun"

# --- pagoda's images: the kernel `make` built, and a root disk and initrd
# that also hold the programs above in /bin (our own copies under
# $out/pagoda, so that a `make test` running meanwhile keeps its disks).
prepare_pagoda() {
	local p=$out/pagoda
	[ -f "$BUILD/kernel.elf" ] || { echo "bench: no $BUILD/kernel.elf (run make)" >&2; return 1; }
	rm -rf "$p"; mkdir -p "$p"
	cp "$BUILD/kernel.elf" "$p/kernel.elf"
	tools/mkinitrd.sh "$BUILD/user/bin" "$p/initrd.cpio" "$out/bin" &&
	tools/mkrootfs.sh "$BUILD/user/bin" "$p/rootfs" "$out/bin" &&
	tools/mkdisk.sh "$p/rootfs" "$p/disk.img" "${DISK_MB:-64}" || return 1
	STRIP=${CROSS_COMPILE:-}strip tools/mkiso.sh "$p/kernel.elf" "$p/os.iso" "$p/initrd.cpio"
}

# --- Linux: Debian's kernel and busybox, fetched once, and an initramfs
# with the programs above.
prepare_linux() {
	local kver
	kver=$(tools/linux-bench/fetch.sh "$BUILD/linux" | tail -n 1) || return 1
	linux_kernel=$BUILD/linux/root/boot/vmlinuz-$kver
	tools/linux-bench/mkinitramfs.sh "$BUILD/linux/root" "$out/linux-initramfs.cpio.gz" "$out/bin" || return 1
	[ -f "$BUILD/disk.img" ] || { echo "bench: no $BUILD/disk.img (run make)" >&2; return 1; }
}

# A side that cannot be prepared (no network for Debian's packages, a
# broken build) still gets its rows: FAILED, with the reason.
declare -A unprepared
for k in $KERNELS; do
	"prepare_$k" > "$out/prepare-$k.log" 2>&1 || unprepared[$k]=1
	cat "$out/prepare-$k.log" >&2
done
# The swap area: made by mkswap like $BUILD/swap.img (by the same script),
# but 128 MiB by default: forkswap's parent and two children write about
# 2.25 times the working set (86 MiB for 38), more than 19 MiB of RAM and
# the 64 MiB of `make`'s swap.img hold, so Linux would OOM-kill it.
tools/mkswapimg.sh "$out/swap.img" "$SWAP_SIZE" || die "cannot make the swap area"

# --- One run: boots KERNEL with DISK, runs WORKLOAD, leaves the console in
# LOG. Sets r_status and the r_* fields of its result line (empty if none).
run_one() {
	local kernel=$1 disk=$2 w=$3 log=$4 swap=$out/swap-run.img line
	local kargs="init=/bin/benchrun /bin/$w $MIB"
	# Before init=, which takes the rest of the line (kernel/cmdline.c).
	[ "$disk" = ide ] && [ "$ATA" = pio ] && kargs="ata=pio $kargs"
	# A fresh copy of the same swap area for every run of both kernels.
	cp "$out/swap.img" "$swap"
	local t0 t1
	t0=$(date +%s.%N)
	if [ -n "${unprepared[$kernel]:-}" ]; then
		echo "bench: the $kernel side could not be prepared (see $out/prepare-$kernel.log)" > "$log"
		false
	elif [ "$kernel" = pagoda ]; then
		BUILD=$out/pagoda MEM=$PAGODA_MEM CPUS=1 DISK=$disk TIMEOUT=$TIMEOUT INTERACTIVE=0 \
		KARGS=$kargs \
		DISK_IMG=$out/pagoda/disk.img SWAP_IMG=$swap \
			tools/qemu.sh > "$log" 2>&1
	else
		KERNEL=$linux_kernel INITRD=$out/linux-initramfs.cpio.gz BUILD=$BUILD \
		MEM=$LINUX_MEM DISK=$disk ATA=$ATA TIMEOUT=$TIMEOUT BENCH="$w:$MIB" \
		DISK_IMG=$out/pagoda-disk-for-linux.img SWAP_IMG=$swap \
			tools/linux-bench/qemu.sh > "$log" 2>&1
	fi
	r_status=$?
	t1=$(date +%s.%N)
	r_host=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	rm -f "$swap"
	line=$(grep -a "^result workload=$w " "$log" | tail -n 1 | tr -d '\r')
	r_seconds=$(field seconds "$line") r_pswpin=$(field pswpin "$line")
	r_pswpout=$(field pswpout "$line") r_pgmajfault=$(field pgmajfault "$line")
	r_errors=$(field errors "$line") r_mib=$(field mib "$line")
	r_avail=$(grep -a '^bench: MemTotal=' "$log" | tail -n 1 | sed -n 's/.*MemAvailable=\([0-9-]*\).*/\1/p')
}
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<" $2"; }

# Why a run has no result line, in a line of its log: a panic, an OOM
# kill, a signal, our init's complaint, or else the last line.
why() {
	{ grep -a -m 1 -E 'Kernel panic|panic:|Out of memory|oom:|Killed|killed|linux-bench: [^ek]|bench: the' "$1" ||
	  grep -a -v '^[[:space:]]*$' "$1" | tail -n 1; } | tr -d '\r' | cut -c1-110
}

# How IDE moved data in LOG, as the kernel reported it for the swap disk:
# pagoda's probe line for hdb ("DMA (bus master at 0xc000)", "PIO, 16
# sectors per interrupt"), Linux's init line (XFER_MW_DMA_2, XFER_PIO_4).
ide_mode() {
	grep -a -m 1 -o -E '^ata: hdb: .*LBA(28|48), .*|ATA transfer modes:[^,]*' "$1" | tr -d '\r' |
		sed -E 's/^ata: hdb: .*LBA(28|48), /hdb /; s/ATA transfer modes: *//'
}

# The root disk is attached to Linux too (unused), so that the swap disk
# is the second disk on both.
cp --sparse=always "$BUILD/disk.img" "$out/pagoda-disk-for-linux.img" 2>/dev/null

# Median of the numbers on stdin (the mean of the middle two for even N).
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit
		if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.10g", m }'
}

# The spread of the numbers on stdin, as a percentage of their median:
# (largest - smallest) / median; "-" for a single number.
spread() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR < 2) { print "-"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d%%", (m > 0 ? (v[NR] - v[1]) * 100 / m + 0.5 : 0) }'
}

declare -A med failed_runs ide_modes secs
notes=()
bad=0
total=$(( $(wc -w <<<"$WORKLOADS") * $(wc -w <<<"$DISKS") * $(wc -w <<<"$KERNELS") * RUNS ))
n=0
start=$SECONDS
for w in $WORKLOADS; do
	declare -A vals=()
	# Kernels and disks alternate run by run, so that a slow spell of the
	# host does not land on one of them only: run 1 of each pair, then
	# run 2 of each.
	for ((run = 1; run <= RUNS; run++)); do
		for disk in $DISKS; do
			for kernel in $KERNELS; do
				n=$((n + 1))
				log=$out/$kernel-$disk-$w-$run.log
				printf 'bench: [%d/%d] %-6s %-6s %-8s run %d ... ' "$n" "$total" "$kernel" "$disk" "$w" "$run" >&2
				run_one "$kernel" "$disk" "$w" "$log"
				key=$kernel/$disk/$w
				if [ -z "$r_seconds" ]; then
					case $r_status in
					124) why="timeout after ${TIMEOUT}s" ;;
					*)   why="no result line, exit status $r_status: $(why "$log")" ;;
					esac
					echo "FAILED ($why)" >&2
					failed_runs[$key]=$(( ${failed_runs[$key]:-0} + 1 ))
					notes+=("$kernel $disk $w run $run: FAILED, $why (log $log)")
					bad=1
					continue
				fi
				echo "${r_seconds}s, errors=$r_errors, status $r_status (${r_host}s boot to power-off)" >&2
				if [ "$r_status" != 0 ] || [ "${r_errors:-1}" != 0 ]; then
					notes+=("$kernel $disk $w run $run: exit status $r_status, errors=$r_errors (log $log)")
					bad=1
				fi
				vals[$key/seconds]+="$r_seconds "
				secs[$key/$run]=$r_seconds
				vals[$key/pswpin]+="$r_pswpin "
				vals[$key/pswpout]+="$r_pswpout "
				vals[$key/pgmajfault]+="$r_pgmajfault "
				vals[$key/errors]+="$r_errors "
				vals[$key/mib]+="$r_mib "
				vals[$key/host]+="$r_host "
				vals[$key/avail]+="$(awk -v k="${r_avail:-0}" 'BEGIN { printf "%.1f", k / 1024 }') "
				if [ "$disk" = ide ] && [ -z "${ide_modes[$kernel]:-}" ]; then
					ide_modes[$kernel]=$(ide_mode "$log")
				fi
			done
		done
	done
	for disk in $DISKS; do
		for kernel in $KERNELS; do
			key=$kernel/$disk/$w
			for f in seconds pswpin pswpout pgmajfault mib avail host; do
				med[$key/$f]=$(tr ' ' '\n' <<<"${vals[$key/$f]:-}" | grep . | median)
			done
			med[$key/spread]=$(tr ' ' '\n' <<<"${vals[$key/seconds]:-}" | grep . | spread)
			# Data errors: the worst run, not the median.
			med[$key/errors]=$(tr ' ' '\n' <<<"${vals[$key/errors]:-}" | grep . | sort -g | tail -n 1)
		done
	done
	unset vals
done

# One line: pagoda's virtio time over its IDE time, per workload (when both ran).
virtio_vs_ide() {
	local w line=""
	[[ " $DISKS " == *" virtio "* && " $DISKS " == *" ide "* && " $KERNELS " == *" pagoda "* ]] || return 0
	for w in $WORKLOADS; do
		[ -n "${med[pagoda/virtio/$w/seconds]:-}" ] && [ -n "${med[pagoda/ide/$w/seconds]:-}" ] || continue
		line+=" $w $(awk -v a="${med[pagoda/virtio/$w/seconds]}" -v b="${med[pagoda/ide/$w/seconds]}" \
			'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
	done
	[ -n "$line" ] && printf '\npagoda, virtio seconds / IDE seconds:%s\n' "$line"
}

# paired A B: the median, over the rounds where both ran, of A's seconds
# over B's in the same round (A and B: KERNEL/DISK/WORKLOAD). Runs of one
# round ran minutes apart at most, so a slow spell of the host that
# lasts longer weighs on both sides of each ratio alike.
paired() {
	local run
	for ((run = 1; run <= RUNS; run++)); do
		[ -n "${secs[$1/$run]:-}" ] && [ -n "${secs[$2/$run]:-}" ] &&
			echo "${secs[$1/$run]} ${secs[$2/$run]}"
	done | awk '$2 > 0 { print $1 / $2 }' | median
}

# target NAME LIMIT PAIRS...: each pair (A:B, with a label) judged by
# paired(); one line, and what is over LIMIT.
target() {
	local name=$1 limit=$2 line="" over="" pair label r
	shift 2
	for pair in "$@"; do
		label=${pair%%=*}; pair=${pair#*=}
		r=$(paired "${pair%:*}" "${pair#*:}")
		[ -n "$r" ] || continue
		r=$(printf '%.2f' "$r")
		line+=" $label $r"
		awk -v r="$r" -v l="$limit" 'BEGIN { exit !(r > l) }' && over+=" $label"
	done
	[ -n "$line" ] || return 0
	printf '%s (at most %s):%s\n    %s\n' "$name" "$limit" "$line" \
		"$( [ -n "$over" ] && echo "over:$over" || echo "met")"
}

# The targets of docs/bench.md, from the runs paired round by round.
targets() {
	local w d pairs=()
	[ "$RUNS" -gt 1 ] || return 0
	[[ " $KERNELS " == *" pagoda "* ]] || return 0
	echo
	echo "targets, from the runs paired round by round (the median of each round's ratio):"
	for w in $WORKLOADS; do
		for d in $DISKS; do pairs+=("$w/$d=pagoda/$d/$w:linux/$d/$w"); done
	done
	[[ " $KERNELS " == *" linux "* ]] && target "pagoda/Linux" 0.35 "${pairs[@]}"
	pairs=()
	for w in $WORKLOADS; do pairs+=("$w=pagoda/virtio/$w:pagoda/ide/$w"); done
	[[ " $DISKS " == *" virtio "* && " $DISKS " == *" ide "* ]] &&
		target "pagoda virtio/IDE" 1.00 "${pairs[@]}"
	return 0
}

# --- The table.
{
	echo "pagoda vs Linux${linux_kernel:+ ${linux_kernel##*vmlinuz-}}: swap benchmarks," \
	     "QEMU $(qemu-system-x86_64 --version | head -n 1 | awk '{ print $4 }') TCG -cpu max, 1 vCPU;" \
	     "pagoda -m $PAGODA_MEM, Linux -m $LINUX_MEM;" \
	     "$( [ "$RUNS" = 1 ] && echo "1 run each" || echo "medians of $RUNS runs")"
	echo "seconds: the workload's own clock; spread: (slowest - fastest run) / median;" \
	     "avail: MemAvailable (MiB) when it started; ratio: pagoda/Linux seconds;" \
	     "host_s: boot to power-off, host clock"
	if [[ " $DISKS " == *" virtio "* ]]; then
		# shellcheck source=tools/virtio-aio.sh
		. tools/virtio-aio.sh
		aio=$(virtio_aio "$out/pagoda")
		aio=${aio#,aio=}
		echo "virtio: QEMU aio=${aio:-threads} on the host, for both kernels" \
		     "(VIRTIO_AIO=${VIRTIO_AIO:-auto})"
	fi
	if [[ " $DISKS " == *" ide "* ]]; then
		echo "IDE: BENCH_ATA=$ATA ($( [ "$ATA" = dma ] && echo "bus-master DMA, both kernels' default" ||
		     echo "PIO: pagoda ata=pio, Linux libata.dma=0"));" \
		     "as the kernels reported it: pagoda ${ide_modes[pagoda]:-?}; Linux ${ide_modes[linux]:-?}"
	fi
	echo
	printf '%-9s %-6s %-6s %5s %5s %9s %6s %8s %8s %10s %6s %6s %7s\n' \
		workload disk kernel mib avail seconds spread pswpin pswpout pgmajfault errors ratio host_s
	for w in $WORKLOADS; do
		for disk in $DISKS; do
			for kernel in $KERNELS; do
				key=$kernel/$disk/$w
				ratio=-
				if [ "$kernel" = pagoda ] && [ -n "${med[linux/$disk/$w/seconds]:-}" ] &&
				   [ -n "${med[$key/seconds]:-}" ] && [ -z "${failed_runs[$key]:-}" ]; then
					ratio=$(awk -v a="${med[$key/seconds]}" -v b="${med[linux/$disk/$w/seconds]}" \
						'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
				fi
				if [ -n "${failed_runs[$key]:-}" ]; then
					printf '%-9s %-6s %-6s %5s %5s %9s   (%s of %s runs failed)\n' "$w" "$disk" "$kernel" \
						"${med[$key/mib]:--}" "${med[$key/avail]:--}" FAILED "${failed_runs[$key]}" "$RUNS"
				else
					printf '%-9s %-6s %-6s %5s %5s %9s %6s %8s %8s %10s %6s %6s %7s\n' "$w" "$disk" "$kernel" \
						"${med[$key/mib]}" "${med[$key/avail]}" "${med[$key/seconds]}" "${med[$key/spread]}" \
						"${med[$key/pswpin]}" "${med[$key/pswpout]}" "${med[$key/pgmajfault]}" \
						"${med[$key/errors]}" "$ratio" "${med[$key/host]}"
				fi
			done
		done
	done
	virtio_vs_ide
	targets
	if [ ${#notes[@]} -gt 0 ]; then
		echo
		printf '%s\n' "${notes[@]}"
	fi
	echo
	echo "raw console logs: $out/KERNEL-DISK-WORKLOAD-RUN.log; $total runs took $((SECONDS - start)) s"
} | tee "$out/results.txt"
exit $bad
