#!/usr/bin/env bash
# tools/mkdisk.sh ROOTDIR OUT SIZE_MIB - the root disk: an MBR with one
# Linux partition (from 1 MiB to the end) holding an ext2 file system made
# by mke2fs -d from ROOTDIR. Real tools, real formats (docs/storage.md).
#
# 1 KiB blocks on purpose: a 1 MiB file then needs double-indirect blocks,
# and a 4 KiB page holds four blocks - both worth seeing in GDB.
set -euo pipefail
root=$1 out=$2 size=$3
PATH=$PATH:/sbin:/usr/sbin
rm -f "$out.tmp"
truncate -s "${size}M" "$out.tmp"
echo 'start=2048, type=83' | sfdisk --quiet "$out.tmp" >/dev/null
# mke2fs writes the file system at the partition's byte offset.
mke2fs -q -F -t ext2 -b 1024 -L pagoda-root -d "$root" -E offset=$((2048 * 512)) \
	"$out.tmp" $(( (size - 1) * 1024 ))
mv "$out.tmp" "$out"
