#!/usr/bin/env bash
# tools/mkiso.sh KERNEL.ELF OUT.ISO [MODULE...]
#
# Builds a GRUB (BIOS) boot ISO whose menu boots KERNEL.ELF by multiboot2;
# each MODULE is loaded as a multiboot2 module named after its file (only
# when the first disk holds no ext2: iso/grub.cfg.in). The
# kernel command line is not in the ISO: tools/qemu.sh hands KARGS over
# through QEMU's fw_cfg device, so one ISO serves every boot.
#
# GRUB reads what it loads through the BIOS, which under TCG costs about
# 0.1 s per MiB: the ISO gets a copy of the kernel without symbols and
# debug information (STRIP, default strip). build/kernel.elf keeps them,
# for GDB. GRUB gets only the modules iso/grub.cfg.in needs, built into
# its core image (its probe of the disk would otherwise read ext2's and
# the partition map's modules from the CD first), and no fonts, themes or
# translations (docs/bench.md, Boot time, has the measurements).
set -euo pipefail
kernel=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/pagoda-iso.XXXXXX")
log=$(mktemp "${TMPDIR:-/tmp}/pagoda-iso-log.XXXXXX")
trap 'rm -rf "$stage" "$log"' EXIT

mkdir -p "$stage/boot/grub"
${STRIP:-strip} -o "$stage/boot/kernel.elf" "$kernel"
modules=""
for m in "$@"; do
	name=$(basename "$m")
	cp "$m" "$stage/boot/$name"
	modules+="    module2 /boot/$name $name"$'\n'
done
awk -v modules="$modules" '
	{ if ($0 ~ /@MODULES@/) { printf "%s", modules; next } print }
' "$here/iso/grub.cfg.in" > "$stage/boot/grub/grub.cfg"
grub_modules="normal configfile biosdisk iso9660 part_msdos ext2 probe test echo multiboot2"
grub-mkrescue --install-modules="$grub_modules" --modules="$grub_modules" \
	--fonts= --locales= --themes= -o "$out.tmp" "$stage" >/dev/null 2>"$log" ||
	{ cat "$log" >&2; exit 1; }
mv "$out.tmp" "$out"
