#!/usr/bin/env bash
# tools/mkiso.sh KERNEL.ELF OUT.ISO [INITRD]
#
# Builds a GRUB (BIOS) boot ISO that boots KERNEL.ELF by multiboot2, with
# INITRD as the multiboot2 module "initrd.cpio" when the first disk holds
# no ext2 (iso/grub.cfg says how). The kernel command line is not in the
# ISO: tools/qemu.sh hands KARGS over through QEMU's fw_cfg device, so
# one ISO serves every boot.
#
# What grub-mkrescue does, by hand, to leave out what a boot under TCG
# pays for: GRUB's core image (grub-mkimage, El Torito flavour) holds
# iso/grub.cfg and only the two modules that read the CD; the modules
# grub.cfg loads (insmod) and the ones they need, and nothing else, are
# files on the CD. GRUB reads no menu, font or translation. xorriso then
# makes the ISO (bootable as a CD, and as a disk through GRUB's hybrid
# MBR). Why so small a core: on a BIOS PC the core is always LZMA, and
# unpacking it under TCG took longer than reading the same modules
# uncompressed. GRUB reads what it loads through the BIOS, which under
# TCG costs about 0.1 s per MiB: the ISO gets a copy of the kernel
# without symbols and debug information (STRIP, default strip).
# build/kernel.elf keeps them, for GDB. docs/bench.md (Boot time) has the
# measurements.
set -euo pipefail
kernel=$1 out=$2 initrd=${3:-}
here=$(cd "$(dirname "$0")/.." && pwd)
grub=/usr/lib/grub/i386-pc
stage=$(mktemp -d "${TMPDIR:-/tmp}/pagoda-iso.XXXXXX")
log=$(mktemp "${TMPDIR:-/tmp}/pagoda-iso-log.XXXXXX")
cfg=$(mktemp "${TMPDIR:-/tmp}/pagoda-iso-cfg.XXXXXX")
trap 'rm -rf "$stage" "$log" "$cfg"' EXIT

mkdir -p "$stage/boot/grub/i386-pc"
${STRIP:-strip} -o "$stage/boot/kernel.elf" "$kernel"
[ -z "$initrd" ] || cp "$initrd" "$stage/boot/initrd.cpio"
# The rescue parser takes no comments: the core image gets the commands only.
grep -v '^#' "$here/iso/grub.cfg" > "$cfg"
core=(biosdisk iso9660)
grub-mkimage -O i386-pc-eltorito -p /boot/grub -c "$cfg" \
	-o "$stage/boot/grub/i386-pc/eltorito.img" "${core[@]}" 2>"$log" ||
	{ cat "$log" >&2; exit 1; }

# needs MODULE...: the modules and, from GRUB's moddep.lst, all they need.
declare -A seen=()
needs() {
	local m
	for m in "$@"; do
		[ -n "${seen[$m]:-}" ] && continue
		seen[$m]=1
		# shellcheck disable=SC2046   # the list is words
		needs $(sed -n "s/^$m://p" "$grub/moddep.lst")
	done
}
needs $(sed -n 's/^insmod //p' "$cfg")
for m in "${!seen[@]}"; do
	cp "$grub/$m.mod" "$stage/boot/grub/i386-pc/" || exit 1
done
xorriso -as mkisofs -quiet -r -b boot/grub/i386-pc/eltorito.img -no-emul-boot \
	-boot-load-size 4 -boot-info-table --grub2-boot-info --grub2-mbr "$grub/boot_hybrid.img" \
	--protective-msdos-label -o "$out.tmp" "$stage" >/dev/null 2>"$log" ||
	{ cat "$log" >&2; exit 1; }
mv "$out.tmp" "$out"
