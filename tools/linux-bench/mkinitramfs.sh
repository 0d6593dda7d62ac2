#!/usr/bin/env bash
# tools/linux-bench/mkinitramfs.sh ROOT OUT BINDIR - the initramfs that the
# Linux side of `make bench` boots (a gzipped newc cpio archive).
#
# ROOT is the unpacked Debian packages (tools/linux-bench/fetch.sh): its
# busybox-static becomes /bin/busybox with every applet as a symlink, and
# the disk drivers come from its lib/modules/VERSION. BINDIR's executables
# (the workloads and benchrun) go to /bench; tools/linux-bench/init is /init.
#
# Debian builds the disk drivers as modules and its package ships no
# modules.dep, so the load order is computed here: each wanted module's
# `modinfo -F depends`, recursively, depth first, so that every module
# comes after what it needs. The order goes to /lib/modules/load-order
# for /init's insmod. Compressed modules (.ko.xz, .ko.zst, .ko.gz) are
# decompressed here, since busybox's insmod may not do it.
set -euo pipefail
root=$1 out=$2 bindir=$3
here=$(cd "$(dirname "$0")" && pwd)
PATH=$PATH:/sbin:/usr/sbin

# The drivers for QEMU's disks: virtio-blk on PCI, and IDE on the PIIX
# controller through libata and the SCSI disk driver.
WANTED="virtio_pci virtio_blk ata_piix sd_mod"

kver=$(ls "$root/lib/modules")
moddir=$root/lib/modules/$kver

# `modinfo -F depends` needs kmod; install it the way tools/deps.sh does
# (a host tool, like qemu). Without it, read the same field from the
# module's .modinfo section ourselves.
if ! command -v modinfo >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "linux-bench: installing kmod (for modinfo) with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kmod >/dev/null 2>&1 || true
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/linux-bench-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Module name -> file, for every module of the kernel (names treat - and _
# alike, as the kernel does).
declare -A file_of
while IFS= read -r f; do
	name=${f##*/}; name=${name%%.ko*}; name=${name//-/_}
	file_of[$name]=$f
done < <(cd "$moddir" && find kernel -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
builtin=$(sed 's|.*/||; s|\.ko$||; s|-|_|g' "$moddir/modules.builtin" 2>/dev/null || true)

# Copies module NAME, uncompressed, to $stage/lib/modules/NAME.ko.
unpack_module() {
	local src=$moddir/${file_of[$1]} dst=$stage/lib/modules/$1.ko
	case $src in
	*.xz)  xz -dc "$src" > "$dst" ;;
	*.zst) zstd -qdc "$src" > "$dst" ;;
	*.gz)  gzip -dc "$src" > "$dst" ;;
	*)     cp "$src" "$dst" ;;
	esac
}

depends() {
	if command -v modinfo >/dev/null 2>&1; then
		modinfo -F depends "$1"
	else
		tr '\0' '\n' < "$1" | sed -n 's/^depends=//p'
	fi
}

mkdir -p "$stage/lib/modules"
declare -A state          # "" unvisited, 1 being visited, 2 done
order=()
visit() {
	local name=${1//-/_} dep
	case ${state[$name]:-} in
	2) return 0 ;;
	1) echo "linux-bench: module dependency cycle at $name" >&2; exit 1 ;;
	esac
	if [ -z "${file_of[$name]:-}" ]; then
		grep -qx "$name" <<<"$builtin" && { state[$name]=2; return 0; }
		echo "linux-bench: module $name not found under $moddir/kernel" >&2
		exit 1
	fi
	state[$name]=1
	unpack_module "$name"
	for dep in $(depends "$stage/lib/modules/$name.ko" | tr ',' ' '); do
		visit "$dep"
	done
	state[$name]=2
	order+=("$name.ko")
}
for m in $WANTED; do
	visit "$m"
done
printf '%s\n' "${order[@]}" > "$stage/lib/modules/load-order"

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
	"$stage/proc" "$stage/sys" "$stage/dev" "$stage/bench" "$stage/tmp"
cp "$root/bin/busybox" "$stage/bin/busybox"
for applet in $("$root/bin/busybox" --list-full); do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
# The kernel opens /dev/console for init before /init mounts devtmpfs.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
cp "$here/init" "$stage/init"
chmod 755 "$stage/init"
find "$bindir" -maxdepth 1 -type f -perm -u+x -exec cp {} "$stage/bench/" \;

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "linux-bench: initramfs $out: kernel $kver, modules ${order[*]}"
