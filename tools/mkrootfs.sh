#!/usr/bin/env bash
# tools/mkrootfs.sh BINDIR OUT [EXTRA_BIN_DIR] - stages the root file
# system's tree: /bin (the user programs, bad/ with the malformed ELF
# files, busybox and its applets, and EXTRA_BIN's executables), /proc (a
# mount point), and /test with files for the file-system tests (sizes
# around block and page boundaries, one that needs double-indirect blocks,
# a small tree, a symbolic link to /tmp), and /etc/passwd and /etc/group
# naming root.
#
# BUSYBOX=FILE (Debian's busybox-static, tools/busybox.sh) becomes
# /bin/busybox, and each of its applets a hard link to it (one inode: the
# disk holds busybox once), except where a program of ours has the name:
# init, cat, free, ... stay ours. Our swap workload is seqtouch, not seq,
# so that /bin/seq is busybox's, as the shell's applet is. /bin/sh is
# busybox's ash (what `#!/bin/sh` scripts expect); pagoda's own small
# shell is /bin/tinysh.
set -euo pipefail
bindir=$1 out=$2 extra=${3:-}
rm -rf "$out"
mkdir -p "$out/bin" "$out/proc" "$out/test/dir/sub" "$out/tmp" "$out/dev" "$out/mnt"
cp -r "$bindir"/. "$out/bin/"
if [ -n "${BUSYBOX:-}" ]; then
	cp "$BUSYBOX" "$out/bin/busybox"
	# Busybox makes the links itself (link(2) to its own file, found by
	# /proc/self/exe), leaving the names that exist (EEXIST) as they are:
	# one process instead of an ln for each of its 260-odd applets.
	"$out/bin/busybox" --install "$out/bin"
fi
if [ -n "$extra" ]; then
	[ -d "$extra" ] || { echo "mkrootfs: EXTRA_BIN=$extra is not a directory" >&2; exit 1; }
	find "$extra" -maxdepth 1 -type f -perm -u+x -exec cp {} "$out/bin/" \;
fi
"$(dirname "$0")/mkscripts.sh" "$out/test/scripts" /bin /test/scripts
# Who root is, for getpwuid()/getgrgid() (busybox id, whoami, ls -l): the
# one user and group pagoda has (kernel/sys_cred.c), as Debian writes them.
mkdir -p "$out/etc"
echo 'root:x:0:0:root:/:/bin/sh' > "$out/etc/passwd"
echo 'root:x:0:' > "$out/etc/group"
# Deterministic contents: a byte pattern that differs at every offset.
pattern() { head -c "$1" < <(yes "pagoda $2 0123456789abcdefghijklmnopqrstuvwxyz" | tr -d '\n'); }
for size in 0 1 511 512 1023 1024 1025 4095 4096 4097 12288 13312 65536; do
	pattern "$size" "s$size" > "$out/test/size_$size"
done
pattern $((1024 * 1024)) big > "$out/test/size_1048576"          # double-indirect (1 KiB blocks)
pattern $((3 * 1024 * 1024 + 777)) huge > "$out/test/size_3146505"
echo "hello from ext2" > "$out/test/dir/hello.txt"
echo "deeper" > "$out/test/dir/sub/deep.txt"
for i in $(seq 1 40); do echo "entry $i" > "$out/test/dir/file_$i"; done
# A symbolic link on the root disk into tmpfs (mke2fs -d copies it): path
# lookup crosses from ext2 into /tmp through it (user/tests/t_links.c).
ln -s /tmp "$out/test/link-to-tmp"
