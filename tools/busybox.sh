#!/usr/bin/env bash
# tools/busybox.sh DEBDIR OUT - Debian's busybox-static as the file OUT:
# the package is downloaded into DEBDIR (tools/debfetch.sh, a cache) and
# unpacked beside OUT; nothing is installed on the host. One static
# binary for Linux x86-64, with hundreds of applets: the root disk's
# userland (tools/mkrootfs.sh links the applets to it).
set -euo pipefail
debdir=$1 out=$2
deb=$("$(dirname "$0")/debfetch.sh" "$debdir" busybox-static)
unpacked=$out.unpacked
rm -rf "$unpacked"
dpkg -x "$deb" "$unpacked"
[ -x "$unpacked/bin/busybox" ] || { echo "busybox: $deb has no bin/busybox" >&2; exit 1; }
mv "$unpacked/bin/busybox" "$out"
touch "$out"                 # make: newer than this script (dpkg kept the package's date)
rm -rf "$unpacked"
