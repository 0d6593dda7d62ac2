#!/usr/bin/env bash
# tools/boottime.sh [RUNS] - where the time of `make run KARGS="init=/bin/hello"`
# goes, from the command to QEMU's exit: make with nothing to do, then
# each stage of the boot, as medians of RUNS boots (default 5). Prints a
# table (docs/bench.md has one, measured):
#
#   make                 `make` with everything up to date
#   qemu start           tools/qemu.sh starting QEMU, QEMU setting up the machine,
#                        until SeaBIOS's first line
#   SeaBIOS              the firmware: PCI, VGA BIOS, disks, until it boots the CD
#   GRUB                 GRUB from the CD: its modules and menu, then the kernel and
#                        the initrd, read through the BIOS
#   kernel to init       kmain's first line to init's exit (hello)
#   power-off            the kernel's last checks and QEMU's exit
#
# EXTRA_BIN=DIR tools/boottime.sh measures `make run EXTRA_BIN=DIR ...`
# (make then checks DIR's files against its stamp; the images are made
# again only when they change, so only the first, untimed make builds).
#
# SeaBIOS writes its log to the debug console (I/O port 0x402): it goes to
# a FIFO here, and every line of both streams is stamped as it arrives.
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
BUILD=${BUILD:-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/pagoda-boottime.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LC_ALL=C

# stamp FILE: each line of stdin, prefixed with the time it arrived.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done > "$1"; }

# first FILE PATTERN: the time of the first line matching PATTERN.
first() { grep -a -m 1 -E "^[0-9.]+ .*$2" "$1" | cut -d' ' -f1; }

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2];
		else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m }'
}

declare -A col
stages=(make "qemu start" SeaBIOS GRUB "kernel to init" power-off total)
make -s > /dev/null || exit 1
for ((i = 1; i <= RUNS; i++)); do
	t0=$EPOCHREALTIME
	make -s > /dev/null
	t_make=$EPOCHREALTIME
	mkfifo "$work/bios.fifo"
	stamp "$work/bios.txt" < "$work/bios.fifo" &
	reader=$!
	KARGS="init=/bin/hello" INTERACTIVE=0 TIMEOUT=60 \
		QEMU_EXTRA="-debugcon file:$work/bios.fifo -global isa-debugcon.iobase=0x402" \
		tools/qemu.sh 2>&1 | stamp "$work/serial.txt"
	t_end=$EPOCHREALTIME
	wait $reader
	rm -f "$work/bios.fifo"
	t_bios=$(first "$work/bios.txt" "SeaBIOS \\(version")
	t_boot=$(first "$work/bios.txt" "Booting from")
	t_kernel=$(first "$work/serial.txt" "pagoda: x86-64")
	t_init=$(first "$work/serial.txt" "init exited with status")
	if [ -z "$t_bios" ] || [ -z "$t_boot" ] || [ -z "$t_kernel" ] || [ -z "$t_init" ]; then
		echo "boottime: run $i did not show every stage (see $work)" >&2
		trap - EXIT
		exit 1
	fi
	vals=("$t_make - $t0" "$t_bios - $t_make" "$t_boot - $t_bios" "$t_kernel - $t_boot"
	      "$t_init - $t_kernel" "$t_end - $t_init" "$t_end - $t0")
	for j in "${!stages[@]}"; do
		col[$j]+="$(awk "BEGIN { printf \"%.3f\", ${vals[$j]} }") "
	done
done
echo "boot time of make run KARGS=\"init=/bin/hello\"${EXTRA_BIN:+ EXTRA_BIN=$EXTRA_BIN}, medians of $RUNS runs (seconds)"
for j in "${!stages[@]}"; do
	printf '%-16s %s\n' "${stages[$j]}" "$(tr ' ' '\n' <<<"${col[$j]}" | grep . | median)"
done
