#!/usr/bin/env bash
# tools/damage-disk.sh IN OUT KIND - a copy of the root disk IN with one
# thing broken in its ext2 file system, for tests/run's corrupt-image
# tests. The partition (at 1 MiB) is taken out, changed with debugfs from
# e2fsprogs (or a byte poke), and put back. KIND:
#   bad_magic       the superblock's magic number
#   bad_pointer     /test/size_4096's first block pointer points past the end
#   bad_dirent      /test/dir's first directory entry gets rec_len 0
#   huge_size       /test/size_1 claims to be 2 TiB long
# For blkdebug (a read error on one sector): KIND = sector_of:PATH prints
# the disk sector holding the first block of PATH instead.
set -euo pipefail
in=$1 out=$2 kind=$3
PATH=$PATH:/sbin:/usr/sbin
offset=$((2048 * 512))
part=$(mktemp "${TMPDIR:-/tmp}/pagoda-part.XXXXXX")
trap 'rm -f "$part"' EXIT
dd if="$in" of="$part" bs=1M skip=1 status=none

block_of() { debugfs -R "bmap $1 0" "$part" 2>/dev/null | tail -n 1; }

case $kind in
sector_of:*)
	echo $(( offset / 512 + $(block_of "${kind#sector_of:}") * 2 ))
	exit 0 ;;
bad_magic)
	printf '\x00\x00' | dd of="$part" bs=1 seek=$((1024 + 56)) conv=notrunc status=none ;;
bad_pointer)
	debugfs -w -R "sif /test/size_4096 block[0] 0x7ffffff0" "$part" >/dev/null 2>&1 ;;
bad_dirent)
	blk=$(block_of /test/dir)
	printf '\x00\x00' | dd of="$part" bs=1 seek=$((blk * 1024 + 4)) conv=notrunc status=none ;;
huge_size)
	debugfs -w -R "sif /test/size_1 size 0x20000000000" "$part" >/dev/null 2>&1 ;;
*)
	echo "damage-disk: unknown kind $kind" >&2; exit 2 ;;
esac
cp "$in" "$out"
dd if="$part" of="$out" bs=1M seek=1 conv=notrunc status=none
