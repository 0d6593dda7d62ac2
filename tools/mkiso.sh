#!/usr/bin/env bash
# tools/mkiso.sh KERNEL.ELF OUT.ISO "KARGS" [MODULE...]
#
# Builds a GRUB (BIOS) boot ISO whose menu boots KERNEL.ELF with KARGS as
# its multiboot2 command line; each MODULE is loaded as a multiboot2
# module named after its file. A boot takes the command line from the
# ISO, so tools/qemu.sh makes a new ISO (half a second) for other KARGS.
set -euo pipefail
kernel=$1 out=$2 kargs=$3
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/pagoda-iso.XXXXXX")
log=$(mktemp "${TMPDIR:-/tmp}/pagoda-iso-log.XXXXXX")
trap 'rm -rf "$stage" "$log"' EXIT

mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/kernel.elf"
modules=""
for m in "$@"; do
	name=$(basename "$m")
	cp "$m" "$stage/boot/$name"
	modules+="    module2 /boot/$name $name"$'\n'
done
# GRUB expands $ in its config; kernel arguments never need it.
kargs=${kargs//\$/}
awk -v kargs="$kargs" -v modules="$modules" '
	{ gsub(/@KARGS@/, kargs); if ($0 ~ /@MODULES@/) { printf "%s", modules; next } print }
' "$here/iso/grub.cfg.in" > "$stage/boot/grub/grub.cfg"
grub-mkrescue -o "$out.tmp" "$stage" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
mv "$out.tmp" "$out"
