#!/usr/bin/env bash
# tools/linux-bench/fetch.sh DIR - Debian's stock kernel and a static
# busybox, downloaded with `apt-get download` into DIR/debs and unpacked
# with `dpkg -x` into DIR/root. Nothing is installed on the host: the
# packages are only unpacked, for QEMU's -kernel and the initramfs.
#
# linux-image-amd64 is a metapackage; the kernel is the versioned package
# it depends on (linux-image-6.1.0-N-amd64 on bookworm), which is fetched
# too. Cached: once DIR/root/.unpacked exists nothing is downloaded again
# (delete DIR to pick up a newer kernel).
#
# Prints the kernel's version (the name of DIR/root/lib/modules/*).
set -euo pipefail
dir=$1
debs=$dir/debs root=$dir/root
PATH=$PATH:/sbin:/usr/sbin

if [ ! -e "$root/.unpacked" ]; then
	mkdir -p "$debs"
	# The versioned kernel package the metapackage points at. apt-cache
	# knows nothing before the first `apt-get update`.
	image_pkg() {
		apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
	}
	pkg=$(image_pkg)
	if [ -z "$pkg" ]; then
		echo "linux-bench: apt-get update (to find linux-image-amd64)"
		apt-get update -qq >/dev/null || true
		pkg=$(image_pkg)
	fi
	[ -n "$pkg" ] || { echo "linux-bench: cannot resolve linux-image-amd64 to a kernel package" >&2; exit 1; }
	"$(dirname "$0")/../debfetch.sh" "$debs" linux-image-amd64 "$pkg" busybox-static > /dev/null
	rm -rf "$root"
	mkdir -p "$root"
	for deb in "$debs/${pkg}_"*.deb "$debs/busybox-static_"*.deb; do
		dpkg -x "$deb" "$root"
	done
	touch "$root/.unpacked"
fi

versions=$(ls "$root/lib/modules" 2>/dev/null || true)
[ "$(echo "$versions" | wc -w)" = 1 ] ||
	{ echo "linux-bench: expected one kernel in $root/lib/modules, found: ${versions:-none}" >&2; exit 1; }
[ -f "$root/boot/vmlinuz-$versions" ] ||
	{ echo "linux-bench: $root/boot/vmlinuz-$versions is missing" >&2; exit 1; }
[ -x "$root/bin/busybox" ] ||
	{ echo "linux-bench: $root/bin/busybox is missing (busybox-static)" >&2; exit 1; }
echo "$versions"
