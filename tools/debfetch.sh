#!/usr/bin/env bash
# tools/debfetch.sh DIR PACKAGE... - Debian packages, downloaded with
# `apt-get download` into DIR (a cache: a package already there is not
# downloaded again). Nothing is installed on the host: callers unpack the
# .deb files with `dpkg -x` where they need them (the root disk's busybox,
# make bench's Linux kernel). Prints each package's .deb path.
set -euo pipefail
dir=$1
shift
PATH=$PATH:/sbin:/usr/sbin
command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
	{ echo "debfetch: apt-get and dpkg are needed to fetch Debian's packages" >&2; exit 1; }
mkdir -p "$dir"
for p in "$@"; do
	if ! ls "$dir/${p}_"*.deb >/dev/null 2>&1; then
		echo "debfetch: apt-get download $p" >&2
		# As root, apt downloads as user _apt, who may not be able to
		# write here (and apt warns): download as root instead.
		sandbox=()
		[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
		if ! (cd "$dir" && apt-get download -q=2 "${sandbox[@]}" "$p" >&2); then
			# A fresh machine's apt knows no packages before its first update.
			echo "debfetch: apt-get update (to find $p)" >&2
			apt-get update -qq >/dev/null 2>&1 || true
			(cd "$dir" && apt-get download -q=2 "${sandbox[@]}" "$p" >&2) ||
				{ echo "debfetch: apt-get download $p failed" >&2; exit 1; }
		fi
	fi
	ls "$dir/${p}_"*.deb | head -n 1
done
