#!/usr/bin/env bash
# tools/mkswapimg.sh OUT SIZE - a swap area made by mkswap (the SWAPSPACE2
# format Linux uses), remade only when SIZE changes.
set -euo pipefail
out=$1 size=$2
PATH=$PATH:/sbin:/usr/sbin
bytes=$(numfmt --from=iec "${size%B}")
if [ -f "$out" ] && [ "$(stat -c %s "$out")" = "$bytes" ]; then
	exit 0
fi
rm -f "$out.tmp"
# No holes and mode 0600, so that mkswap (and a Linux swapon) are content.
fallocate -l "$bytes" "$out.tmp" 2>/dev/null || head -c "$bytes" /dev/zero > "$out.tmp"
chmod 0600 "$out.tmp"
mkswap -L pagoda-swap "$out.tmp" >/dev/null
mv "$out.tmp" "$out"
