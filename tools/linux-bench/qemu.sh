#!/usr/bin/env bash
# tools/linux-bench/qemu.sh - boot Debian's kernel with the benchmark
# initramfs in the same QEMU, with the same settings and disks as
# tools/qemu.sh boots pagoda; the serial console goes to stdout.
#
# Settings from the environment:
#   KERNEL=build/linux/root/boot/vmlinuz-*   INITRD=build/bench/linux-initramfs.cpio.gz
#   BENCH=seqtouch:38   the workload and its arguments (init's bench=PROG:MIB[:ARG])
#   MEM=96M             RAM (Linux 6.1 does not boot below about 88M)
#   DISK=ide|virtio     interface of both disks
#   ATA=dma|pio         IDE transfers: dma is libata's default (bus-master DMA,
#                       like pagoda's default), pio adds libata.dma=0 (like
#                       pagoda's ata=pio) [dma]
#   DISK_IMG= SWAP_IMG= the first disk (pagoda's root; unused by Linux) and
#                       the swap area (the second disk: sdb or vdb)
#   TIMEOUT=0           seconds before QEMU is killed (0: never); status 124
#   LINUX_KARGS=        more kernel arguments
#   VIRTIO_AIO=         QEMU's aio= for virtio disks, as for tools/qemu.sh
#
# Exit status: the workload's (from init's "linux-bench: exit status N"),
# 124 on a timeout, 126 when there is no such line.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$(ls "$BUILD"/linux/root/boot/vmlinuz-* 2>/dev/null | head -n 1)}
INITRD=${INITRD:-$BUILD/bench/linux-initramfs.cpio.gz}
BENCH=${BENCH:-seqtouch:38}
MEM=${MEM:-96M}
DISK=${DISK:-ide}
ATA=${ATA:-dma}
TIMEOUT=${TIMEOUT:-0}
DISK_IMG=${DISK_IMG:-$BUILD/disk.img}
SWAP_IMG=${SWAP_IMG:-$BUILD/swap.img}

[[ $ATA == dma || $ATA == pio ]] || { echo "linux-bench: ATA must be dma or pio, not '$ATA'" >&2; exit 2; }
[ -f "$KERNEL" ] || { echo "linux-bench: no kernel (run tools/linux-bench/fetch.sh)" >&2; exit 2; }
[ -f "$INITRD" ] || { echo "linux-bench: no initramfs $INITRD (tools/bench.sh builds it)" >&2; exit 2; }

# quiet: the serial console is slow under TCG, and only init's lines matter.
kargs="console=ttyS0 quiet panic=-1 bench=$BENCH"
# maxcpus=2: the guest's memory barriers kept, as for pagoda (tools/qemu.sh).
args=(-accel tcg -cpu max -m "$MEM" -smp 1,maxcpus=2 -no-reboot
      -kernel "$KERNEL" -initrd "$INITRD"
      -display none -nic none -serial stdio -monitor none)
case $DISK in
ide)
	[ "$ATA" = pio ] && kargs+=" libata.dma=0"
	args+=(-drive "file=$DISK_IMG,format=raw,if=ide,index=0"
	       -drive "file=$SWAP_IMG,format=raw,if=ide,index=1") ;;
virtio)
	# ioeventfd=off: the notify handled inside the write, and VIRTIO_AIO, as
	# for pagoda (tools/qemu.sh, tools/virtio-aio.sh).
	# shellcheck source=tools/virtio-aio.sh
	. "$here/tools/virtio-aio.sh"
	aio=$(virtio_aio "$BUILD")
	args+=(-global virtio-blk-pci.ioeventfd=off
	       -drive "file=$DISK_IMG,format=raw,if=virtio$aio"
	       -drive "file=$SWAP_IMG,format=raw,if=virtio$aio") ;;
*) echo "linux-bench: DISK must be ide or virtio, not '$DISK'" >&2; exit 2 ;;
esac
args+=(-append "$kargs${LINUX_KARGS:+ $LINUX_KARGS}")

log=$(mktemp "${TMPDIR:-/tmp}/linux-bench-console.XXXXXX")
trap 'rm -f "$log"' EXIT
if [ "$TIMEOUT" != 0 ]; then
	timeout -k 5 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" < /dev/null | tee "$log"
else
	qemu-system-x86_64 "${args[@]}" < /dev/null | tee "$log"
fi
status=${PIPESTATUS[0]}
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
	echo "linux-bench: killed after ${TIMEOUT}s (timeout)" >&2
	exit 124
fi
line=$(grep -a 'linux-bench: exit status [0-9]*' "$log" | tail -n 1 | tr -dc '0-9')
[ -n "$line" ] && exit "$line"
echo "linux-bench: QEMU exited ($status) without init's exit status" >&2
exit 126
