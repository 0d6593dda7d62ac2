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
	command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
		{ echo "linux-bench: apt-get and dpkg are needed to fetch Debian's kernel" >&2; exit 1; }
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
	for p in linux-image-amd64 "$pkg" busybox-static; do
		if ! ls "$debs/${p}_"*.deb >/dev/null 2>&1; then
			echo "linux-bench: apt-get download $p"
			# As root, apt downloads as user _apt, who may not be able to
			# write here (and apt warns): download as root instead.
			sandbox=()
			[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
			(cd "$debs" && apt-get download -q=2 "${sandbox[@]}" "$p") ||
				{ echo "linux-bench: apt-get download $p failed" >&2; exit 1; }
		fi
	done
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
