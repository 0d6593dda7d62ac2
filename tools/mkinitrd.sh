#!/usr/bin/env bash
# tools/mkinitrd.sh BINDIR OUT [EXTRA_BIN_DIR] - the initial RAM disk.
#
# A cpio archive in the "newc" format (the host's cpio writes it; the
# kernel reads it in kernel/fs/cpio.c) holding /bin/* from BINDIR (the user
# programs, and bad/ with the malformed ELF files) plus the static
# executables in EXTRA_BIN_DIR, if given. GRUB loads it as a multiboot2
# module; it is read-only, and / only when no root disk is found.
set -euo pipefail
bindir=$1 out=$2 extra=${3:-}
stage=$(mktemp -d "${TMPDIR:-/tmp}/pagoda-initrd.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/proc"
cp -r "$bindir"/. "$stage/bin/"
# The initrd is the fallback root when there is no disk, and it costs RAM
# from boot on (MEM=16M must still boot): programs over 1 MiB stay out.
find "$stage/bin" -type f -size +1M -delete
if [ -n "$extra" ]; then
	[ -d "$extra" ] || { echo "mkinitrd: EXTRA_BIN=$extra is not a directory" >&2; exit 1; }
	find "$extra" -maxdepth 1 -type f -perm -u+x -exec cp {} "$stage/bin/" \;
fi
# GRUB loads the initrd through the BIOS, about 0.1 s per MiB under TCG:
# the programs go without their symbols and debug information (the copies in
# build/user/bin keep it; bad/'s malformed files are left as they are).
find "$stage/bin" -maxdepth 1 -type f -exec "${STRIP:-strip}" {} + 2>/dev/null || true
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
