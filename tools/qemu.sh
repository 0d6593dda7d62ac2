#!/usr/bin/env bash
# tools/qemu.sh - boot the kernel in QEMU (TCG) the way `make run` does.
#
# Settings come from the environment (the Makefile passes its variables):
#   MEM=128M CPUS=1 KARGS="..."  RAM, processors, kernel command line
#   DISK=ide|virtio              interface of the root disk and swap disk
#   EXTRA_DISKS="a.img b.img"    more raw disks after those two (tests)
#   DISK_IMG= SWAP_IMG=          other images for those two (tests: damaged disks)
#   SNAPSHOT=1                   the disks' writes go to throw-away overlays (QEMU's
#                                snapshot=on): the images stay as they are, and boots
#                                running at once may share them (tests/run does this)
#   BUILD=build                  where kernel.elf and os.iso are
#   TIMEOUT=0                    seconds before QEMU is killed (0: never); status 124
#   GDB_PORT=                    start paused with QEMU's gdbstub on this TCP port
#   QEMU_CPU=max                 CPU model (tests use one without long mode)
#   INTERACTIVE=1                serial and monitor (Ctrl-A c) on the terminal;
#                                with 0 the serial goes to stdout, no monitor
#   INPUT=file                   what is typed on the console (default: the terminal,
#                                or nothing when INTERACTIVE=0)
#   QEMU_EXTRA="..."             more QEMU arguments
#   VIRTIO_AIO=auto              QEMU's aio= for virtio disks: auto (io_uring where
#                                the host allows it), threads, io_uring, native
#   MEMSNAP_OUT=file             a second serial port (COM2) written to file: the
#                                memory snapshots of memsnap= (docs/viz.md)
#
# Exit status: the kernel powers off through the isa-debug-exit device,
# which makes QEMU exit with (S << 1) | 1; we turn that back into S, so
# init's exit status is ours (docs/design.md section 6). The device keeps only
# 7 bits, so for init's status the line "init exited with status S" in
# the console log is used (all of 0..255). QEMU exiting with 0
# means the machine stopped without the kernel powering it off (a triple
# fault with -no-reboot, or quitting from the monitor): that is status 126.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
MEM=${MEM:-128M}
CPUS=${CPUS:-1}
KARGS=${KARGS:-}
TIMEOUT=${TIMEOUT:-0}
QEMU_CPU=${QEMU_CPU:-max}
INTERACTIVE=${INTERACTIVE:-1}
iso=$BUILD/os.iso
[ -f "$iso" ] || { echo "qemu: no $iso (run make)" >&2; exit 2; }

# The console also goes to a log file: the exit status is read from it.
# The kernel arguments go to the kernel through QEMU's fw_cfg device, as
# the file opt/org.pagoda/cmdline (drivers/fw_cfg.c): the ISO stays the
# same whatever KARGS are.
log=$(mktemp "${TMPDIR:-/tmp}/pagoda-console.XXXXXX")
kargs_file=$(mktemp "${TMPDIR:-/tmp}/pagoda-kargs.XXXXXX")
trap 'rm -f "$log" "$kargs_file"' EXIT
printf '%s' "$KARGS" > "$kargs_file"
# Room for two processors even when one is used: QEMU before 8.1 leaves
# out the guest's memory barriers (mfence, lock-prefixed instructions)
# when the machine can only ever have one processor (QEMU commit c914d46d
# put them back), yet its I/O thread reads and writes the virtio rings at
# the same time. Without the barrier, the virtqueue's event index now and
# then lost an interrupt, and a swap read waited forever
# (docs/storage.md, "A lost interrupt").
smp=$CPUS
[[ $CPUS =~ ^[0-9]+$ ]] && smp="$CPUS,maxcpus=$(( CPUS > 2 ? CPUS : 2 ))"
args=(-accel tcg -cpu "$QEMU_CPU" -m "$MEM" -smp "$smp" -no-reboot
      -boot d -cdrom "$iso" -display none -nic none
      -fw_cfg "name=opt/org.pagoda/cmdline,file=$kargs_file"
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
# The root disk and the swap area, on the chosen interface: IDE puts them
# on the primary channel (hda, hdb; the CD-ROM is the secondary master),
# virtio-blk makes them vda and vdb. NODISKS=1 leaves them out.
# Without SNAPSHOT, QEMU locks each image for writing, so a second QEMU on
# the same image stops with 'Failed to get "write" lock'. With SNAPSHOT=1
# each image is opened read-only (a shared lock) under a temporary overlay
# that takes the writes: a file in $TMPDIR or /var/tmp, unlinked as soon
# as it is open, so nothing is left behind even if QEMU is killed. Reads
# of unwritten sectors still reach the image, through blkdebug too, so
# injected read errors still happen; injected write errors do not, since
# writes stop at the overlay.
DISK=${DISK:-ide}
case $DISK in
ide|virtio) ;;
*) echo "qemu: DISK must be ide or virtio, not '$DISK'" >&2; exit 2 ;;
esac
# virtio-blk with ioeventfd=off: under TCG, QEMU otherwise turns the
# driver's notify write into an eventfd that its main loop must wake up
# for before it even looks at the queue; off, it takes the requests off
# the ring inside the write itself. Measured (docs/bench.md, "The
# notify"): hotcold 1.50 -> 1.29 s; Linux, booted with the same
# setting (tools/linux-bench/qemu.sh), does not change.
[ "$DISK" = virtio ] && args+=(-global virtio-blk-pci.ioeventfd=off)
# QEMU's aio= for their I/O on the host: VIRTIO_AIO (tools/virtio-aio.sh).
# shellcheck source=tools/virtio-aio.sh
. "$here/tools/virtio-aio.sh"
aio=
[ "$DISK" = virtio ] && aio=$(virtio_aio "$BUILD")
snapshot=
[ "${SNAPSHOT:-0}" = 1 ] && snapshot=,snapshot=on
if [ "${NODISKS:-0}" != 1 ]; then
	for img in "${DISK_IMG:-$BUILD/disk.img}" "${SWAP_IMG:-$BUILD/swap.img}" ${EXTRA_DISKS:-}; do
		if [ "$DISK" = ide ]; then
			idx=$(( ${idx:--1} + 1 ))
			[ $idx = 2 ] && idx=3           # index 2 is the CD-ROM
			args+=(-drive "file=$img,format=raw,if=ide,index=$idx$snapshot")
		else
			args+=(-drive "file=$img,format=raw,if=virtio$snapshot$aio")
		fi
	done
fi
if [ "$INTERACTIVE" = 1 ]; then
	# signal=off: Ctrl-C goes to the guest's terminal (its foreground program),
	# not to QEMU; QEMU keeps the host terminal raw while it runs and puts it
	# back after. Ctrl-A X still quits, Ctrl-A c is the monitor.
	args+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$log" -serial chardev:con -mon chardev=con)
else
	args+=(-chardev "stdio,id=con,logfile=$log" -serial chardev:con -monitor none)
fi
if [ -n "${MEMSNAP_OUT:-}" ]; then
	args+=(-serial "file:$MEMSNAP_OUT")
fi
if [ -n "${GDB_PORT:-}" ]; then
	args+=(-S -gdb "tcp:127.0.0.1:$GDB_PORT")
fi
# shellcheck disable=SC2206
args+=(${QEMU_EXTRA:-})

# INPUT=file feeds the console (typed input for the shell); otherwise a
# non-interactive run reads nothing.
input=${INPUT:-/dev/null}
if [ "$INTERACTIVE" = 1 ] && [ -z "${INPUT:-}" ]; then
	input=/dev/stdin
fi
if [ "$TIMEOUT" != 0 ]; then
	timeout -k 5 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" < "$input"
else
	qemu-system-x86_64 "${args[@]}" < "$input"
fi
status=$?
case $status in
0)   echo "qemu: the machine stopped without the kernel powering it off" >&2; exit 126 ;;
124) echo "qemu: killed after ${TIMEOUT}s (timeout)" >&2; exit 124 ;;
esac
if (( status == 1 )) && ! grep -aq '^power: off' "$log"; then
	# QEMU's own errors exit 1, as a 0 written to isa-debug-exit does;
	# but then the kernel did not say it powers off (kernel/power.c).
	echo "qemu: QEMU exited with status $status before the kernel powered the machine off (its message is above)" >&2
	exit 126
fi
if (( status & 1 )); then
	# isa-debug-exit keeps 7 bits; the console line has the whole status.
	line=$(grep -a 'init exited with status [0-9]*' "$log" | tail -n 1 | tr -dc '0-9')
	[ -n "$line" ] && exit "$line"
	exit $((status >> 1))
fi
echo "qemu: exited with status $status" >&2
exit "$status"
