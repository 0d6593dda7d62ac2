#!/usr/bin/env bash
# tools/deps.sh [build|run|test|lab] - make sure the host tools are installed
# (lab: what make autograder needs; test: everything, Chromium too for
# the memory picture's test, tests/viz.sh).
#
# Each tool is checked by a file it installs. What is missing is installed
# with apt-get when we are root (or have password-less sudo) on Debian or
# Ubuntu, saying so; anywhere else we print exactly what to install.
set -uo pipefail
need=${1:-build}

# command-or-path  Debian package
tools=(
	"nasm nasm"
	"grub-mkrescue grub-common"
	"/usr/lib/grub/i386-pc/multiboot2.mod grub-pc-bin"
	"xorriso xorriso"
	"mformat mtools"
	"qemu-system-x86_64 qemu-system-x86"
	"mke2fs e2fsprogs"
	"mkswap util-linux"
	"sfdisk fdisk"
	"musl-gcc musl-tools"
	"cpio cpio"
	"timeout coreutils"
)
[ "$need" = test ] && tools+=("gdb gdb" "clang clang" "cc gcc" "chromium chromium" "python3 python3")
[ "$need" = test ] || [ "$need" = lab ] && tools+=("zip zip" "unzip unzip")

missing=()
for t in "${tools[@]}"; do
	set -- $t
	if [[ $1 == /* ]]; then
		[ -e "$1" ] && continue
	else
		command -v "$1" >/dev/null 2>&1 && continue
		[ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] && continue
	fi
	[[ " ${missing[*]-} " == *" $2 "* ]] || missing+=("$2")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" = 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; }
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
	echo "deps: installing missing packages with apt-get: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >/dev/null &&
	$sudo apt-get install -y -qq "${missing[@]}" >/dev/null &&
	{ echo "deps: installed ${missing[*]}"; exit 0; }
	echo "deps: apt-get failed; please install: ${missing[*]}" >&2
	exit 1
fi
echo "deps: missing tools. Please install these packages (Debian/Ubuntu names):" >&2
echo "    apt-get install ${missing[*]}" >&2
exit 1
