#!/usr/bin/env bash
# tools/qemu.sh - boot the kernel in QEMU (TCG) the way `make run` does.
#
# Settings come from the environment (the Makefile passes its variables):
#   MEM=128M CPUS=1 KARGS="..."  RAM, processors, kernel command line
#   DISK=ide|virtio SWAP=64M     disk interface and swap size (used once disks exist)
#   BUILD=build                  where kernel.elf and os.iso are
#   TIMEOUT=0                    seconds before QEMU is killed (0: never); status 124
#   GDB_PORT=                    start paused with QEMU's gdbstub on this TCP port
#   QEMU_CPU=max                 CPU model (tests use one without long mode)
#   INTERACTIVE=1                serial and monitor on the terminal (-nographic);
#                                with 0 the serial goes to stdout, no monitor
#   QEMU_EXTRA="..."             more QEMU arguments
#
# Exit status: the kernel powers off through the isa-debug-exit device,
# which makes QEMU exit with (S << 1) | 1; we turn that back into S, so
# init's exit status is ours (DESIGN.md section 6). QEMU exiting with 0
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
DEFAULT_KARGS=$(cat "$BUILD/default-kargs" 2>/dev/null || true)

iso=$BUILD/os.iso
if [ "$KARGS" != "$DEFAULT_KARGS" ]; then
	iso=$(mktemp "${TMPDIR:-/tmp}/pagoda-run.XXXXXX.iso")
	trap 'rm -f "$iso"' EXIT
	"$here/tools/mkiso.sh" "$BUILD/kernel.elf" "$iso" "$KARGS" $(cat "$BUILD/modules" 2>/dev/null) || exit 1
fi

args=(-accel tcg -cpu "$QEMU_CPU" -m "$MEM" -smp "$CPUS" -no-reboot
      -boot d -cdrom "$iso"
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "$INTERACTIVE" = 1 ]; then
	args+=(-nographic)
else
	args+=(-display none -serial stdio -monitor none)
fi
if [ -n "${GDB_PORT:-}" ]; then
	args+=(-S -gdb "tcp:127.0.0.1:$GDB_PORT")
fi
# shellcheck disable=SC2206
args+=(${QEMU_EXTRA:-})

if [ "$TIMEOUT" != 0 ]; then
	timeout -k 5 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" </dev/null
else
	qemu-system-x86_64 "${args[@]}"
fi
status=$?
case $status in
0)   echo "qemu: the machine stopped without the kernel powering it off" >&2; exit 126 ;;
124) echo "qemu: killed after ${TIMEOUT}s (timeout)" >&2; exit 124 ;;
*)   if (( status & 1 )); then exit $((status >> 1)); fi
     echo "qemu: exited with status $status" >&2; exit "$status" ;;
esac
