#!/usr/bin/env bash
# tools/mkinitrd.sh BINDIR OUT [EXTRA_BIN_DIR] - the initial RAM disk.
#
# A cpio archive in the "newc" format (the host's cpio writes it; the
# kernel reads it in kernel/fs/cpio.c): the root disk's tree as
# tools/mkrootfs.sh stages it (the user programs from BINDIR, bad/ with the
# malformed ELF files, busybox and its applets when BUSYBOX= names it,
# EXTRA_BIN_DIR's programs, /etc, the mount points), without /test. GRUB
# loads it as a multiboot2 module only when there is no root disk
# (iso/grub.cfg); it is read-only.
set -euo pipefail
bindir=$1 out=$2 extra=${3:-}
stage=$(mktemp -d "${TMPDIR:-/tmp}/pagoda-initrd.XXXXXX")
trap 'rm -rf "$stage"' EXIT
"$(dirname "$0")/mkrootfs.sh" "$bindir" "$stage/root" $extra > /dev/null
rm -rf "$stage/root/test"
# The initrd costs RAM from boot on (MEM=16M must still boot): programs
# over 1 MiB stay out, except busybox (one file, hard-linked by its applets).
find "$stage/root/bin" -type f -size +1M -links 1 -delete
# GRUB loads the initrd through the BIOS, about 0.1 s per MiB under TCG:
# the programs go without their symbols and debug information (the copies in
# build/user/bin keep it; bad/'s malformed files are left as they are;
# Debian's busybox comes stripped, and stripping a name would unlink it).
find "$stage/root/bin" -maxdepth 1 -type f -links 1 -exec "${STRIP:-strip}" {} + 2>/dev/null || true
(cd "$stage/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
