#!/usr/bin/env bash
# tests/unit/build.sh OUTDIR [NAME...] - build every host unit test (or
# the ones named: buddy for test_buddy.c) with sanitizers.
#
# Each tests/unit/test_X.c is linked with the kernel sources the table
# below gives it, the harness's state (unit.c) and, for a test too long
# for one file, the rest of its files (the second table); all of them
# make the one binary test_X, whose cases are named unit/X/NAME by
# tests/run. Kernel functions that share a name with libc are
# renamed to kern_*. The test files themselves may use odd printf formats
# on purpose (they compare edge cases with libc), hence -Wno-format there.
set -euo pipefail
out=$1
mkdir -p "$out"
cc=${HOSTCC:-cc}
flags=(-std=gnu11 -g -O1 -I. -Wall -Wextra -Werror -Wno-unused-parameter
       -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

# test name -> kernel sources it tests
declare -A sources=(
	[vma]="mm/vma.c"
	[vsprintf]="kernel/vsprintf.c"
	[cmdline]="kernel/cmdline.c"
	[buddy]="mm/buddy.c"
	[cpio]="kernel/fs/cpio.c"
	[elf]="kernel/elf.c"
	[ext2]="kernel/fs/ext2.c kernel/fs/ext2_dir.c"
	[ext2_write]="kernel/fs/ext2.c kernel/fs/ext2_dir.c kernel/fs/ext2_statfs.c kernel/fs/ext2_super.c kernel/fs/ext2_alloc.c kernel/fs/ext2_inode_write.c kernel/fs/ext2_blockmap.c kernel/fs/ext2_dir_write.c kernel/fs/ext2_namei_write.c"
	[evict_lru]="mm/evict_lru.c"
	[evict_policies]="mm/evict_lru.c mm/evict_fifo.c mm/evict_clock.c mm/evict_scanmru.c"
	[swap_entry]="mm/swap_entry.c"
	[writeback]=""                           # mm/dirty_limits.h and mm/errseq.h, inline
	[fault_attr]="kernel/fault_attr.c"
	[oom_badness]="mm/oom_badness.c"
	[psi_avg]="kernel/psi_avg.c"
	[haltpoll]="kernel/haltpoll.c"
	[swap_map]="mm/swap_map.c"
	[swap_readahead]="mm/swap_readahead.c"
	[swap_extent]="mm/swap_extent.c"
	[swap_area]="mm/swap_area.c mm/swap_map.c mm/swap_entry.c"
	[fault_trace]="mm/fault_trace.c kernel/cmdline.c kernel/vsprintf.c"
	[vmm]="mm/swap_entry.c"                  # and mm/x86/vmm.c, #included by the test (its own physical memory)
	[virtq]=""                               # virtq_need_event(), inline in drivers/virtq.h
	[k8s_qos]=""                             # the kubelet's rules, inline in user/lib/k8s_qos.h
)
# test name -> its other files (beside tests/unit/test_X.c, which has main)
declare -A parts=(
	[ext2]="tests/unit/ext2_image.c tests/unit/test_ext2_damaged.c"
	[ext2_write]="tests/unit/ext2_mirror.c"
)
rename=(-Dsnprintf=kern_snprintf -Dvsnprintf=kern_vsnprintf)

# Objects and test binaries newer than everything they could be made of -
# the kernel's and the tests' sources and headers, this script - built by
# the same compiler and flags (the stamp), are not built again: the lab
# pages, make grade and the unit job all build into build/unit, and each
# kernel source is compiled once for every test that links it. Builders
# of one directory take turns (flock): make test runs them side by side.
# Objects go to OUTDIR/obj, out of tests/run's way (it runs OUTDIR/test_*);
# each file is written under a temporary name and then renamed, so a test
# running meanwhile never sees half a binary.
mkdir -p "$out/obj"
exec 9> "$out/obj/lock"
flock 9
stamp=$out/build.stamp
printf '%s\n' "$cc ${flags[*]}" > "$stamp.new"
if cmp -s "$stamp.new" "$stamp"; then
	rm -f "$stamp.new"
else
	rm -f "$out"/test_* "$out"/obj/*.o
	mv -f "$stamp.new" "$stamp"
fi
# The newest of those files, looked for once (after the lock: nothing
# changes them while we build); an object or a binary is up to date when
# it exists and that file is not newer.
newest=$(find kernel mm drivers tests/unit user/lib tests/unit/build.sh \
	\( -name '*.[ch]' -o -name build.sh \) -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
up_to_date() {
	[ -e "$1" ] && ! [ "$newest" -nt "$1" ]
}

# object SRC FLAGS...: compiles SRC into $out/obj unless up to date; prints the object's path.
object() {
	local src=$1 obj
	obj=$out/obj/$(basename "$src" .c).o
	shift
	if ! up_to_date "$obj"; then
		"$cc" "${flags[@]}" "$@" -c "$src" -o "$obj.tmp" && mv -f "$obj.tmp" "$obj" || return 1
	fi
	echo "$obj"
}

names=("${@:2}")
[ ${#names[@]} -gt 0 ] || names=("${!sources[@]}")
for t in "${names[@]}"; do
	[ -n "${sources[$t]+set}" ] || { echo "tests/unit/build.sh: no unit test '$t'" >&2; exit 2; }
	up_to_date "$out/test_$t" && continue
	objs=()
	for src in ${sources[$t]}; do
		objs+=("$(object "$src" "${rename[@]}")")
	done
	for src in tests/unit/unit.c ${parts[$t]:-}; do
		objs+=("$(object "$src" -Wno-format)")
	done
	"$cc" "${flags[@]}" -Wno-format "tests/unit/test_$t.c" "${objs[@]}" -o "$out/test_$t.tmp"
	mv -f "$out/test_$t.tmp" "$out/test_$t"
done
