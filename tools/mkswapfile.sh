#!/usr/bin/env bash
# tools/mkswapfile.sh ROOTDIR SIZE_MIB - adds swap files to the staged
# root tree (tools/mkdisk.sh then makes the ext2 image from it; the
# initrd is staged elsewhere and does not get them):
#
#   /swapfile        SIZE_MIB, made by mkswap, mode 0600: `swapon /swapfile`
#   /swapfile.holes  1 MiB, made by mkswap but sparse: swapon refuses it
#                    (EINVAL, "swapfile has holes"), as Linux does
#
# mke2fs -d leaves out every block that is all zeros (it makes holes of
# them, to save room), and a fresh swap area is nearly all zeros: so the
# file is filled with a pattern first, and the two 1 KiB pieces of the
# header page that mkswap leaves zero (the boot-code room in front, and
# the unused end of the bad-page list) get the pattern again after it.
# None of it is ever read as data: swap writes a slot before reading it.
set -euo pipefail
root=$1 mib=$2
PATH=$PATH:/sbin:/usr/sbin
[ "$mib" -gt 0 ] || exit 0
f=$root/swapfile
head -c "${mib}M" /dev/zero | tr '\0' 'U' > "$f"
chmod 0600 "$f"
mkswap -L pagoda-swapfile "$f" > /dev/null
head -c 1024 /dev/zero | tr '\0' 'U' | dd of="$f" bs=1024 seek=0 conv=notrunc status=none
head -c 1024 /dev/zero | tr '\0' 'U' | dd of="$f" bs=1024 seek=2 conv=notrunc status=none

h=$root/swapfile.holes
rm -f "$h"
truncate -s 1M "$h"
chmod 0600 "$h"
# mkswap warns that the file has holes: that is the point of this one.
mkswap -L pagoda-holes "$h" > /dev/null 2>&1
