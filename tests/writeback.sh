# tests/writeback.sh - dirty pages and writeback on a root disk that keeps
# its writes (sourced by tests/run). Each job boots on its own copy of
# build/disk.img (and swap.img: SNAPSHOT=0 writes and locks both), so jobs
# stay independent, and judges the copy on the host with e2fsprogs.
#
#   writeback_test DISK   t_writeback at MEM=32M (a file of twice the RAM,
#                         or what the disk holds; Dirty sampled; MAP_SHARED;
#                         injected write errors); after the clean power-off
#                         e2fsck -fn is silent; a second boot on the same
#                         copy finds what the shared mapping wrote.
#   crash_test DISK       t_writeback --crash fsyncs files and says so; QEMU
#                         is killed (kill -9) while it writes on; e2fsck -fy
#                         repairs the copy (exit 0 or 1), e2fsck -fn is then
#                         silent, and every fsynced file (debugfs rdump) is
#                         intact (t_writeback --crash-check on the host).

WB_E2FS_PATH=$PATH:/sbin:/usr/sbin

# The root partition of image $1 into file $2 (it starts at 1 MiB: tools/mkdisk.sh).
wb_partition() {
	dd if="$1" of="$2" bs=1M skip=1 status=none
}

# wb_fsck_clean NAME PART LOG: e2fsck -fn must find nothing.
wb_fsck_clean() {
	if PATH=$WB_E2FS_PATH e2fsck -fn "$2" > "$3" 2>&1; then
		pass "$1"
	else
		fail "$1" "e2fsck -fn found errors" "$3"
		return 1
	fi
}

writeback_test() {
	local disk=$1 img=$LOGS/wb-$1.img part=$LOGS/wb-$1.part status ok=1
	cp --sparse=always "$BUILD/disk.img" "$img"
	cp --sparse=always "$BUILD/swap.img" "$img.swap"
	BOOT_TIMEOUT=300 SNAPSHOT=0 DISK_IMG=$img SWAP_IMG=$img.swap DISK=$disk MEM=32M \
		boot "wb-$disk" "init=/bin/t_writeback /wb"
	status=$?
	collect_results "$disk/t_writeback/" "$LOGS/wb-$disk.log"
	expect "$disk/t_writeback" "$LOGS/wb-$disk.log" $status 0 "init exited with status 0" \
		"none leaked" "all free" "clean, read-only"
	wb_partition "$img" "$part"
	wb_fsck_clean "$disk/writeback_image_fsck_clean" "$part" "$LOGS/wb-$disk.fsck" || ok=0
	# The second boot, on the same copy: the shared mapping's bytes are on the disk.
	BOOT_TIMEOUT=120 SNAPSHOT=0 DISK_IMG=$img SWAP_IMG=$img.swap DISK=$disk \
		boot "wb-$disk-reboot" "init=/bin/t_writeback /wb --mapped"
	status=$?
	collect_results "$disk/t_writeback/" "$LOGS/wb-$disk-reboot.log"
	expect "$disk/t_writeback_reboot" "$LOGS/wb-$disk-reboot.log" $status 0 \
		"init exited with status 0" "none leaked"
	rm -f "$img.swap"
	[ $ok = 1 ] && rm -f "$img" "$part"
	return 0
}

# Kills (SIGKILL) the processes below $1 that have none below them: QEMU,
# under timeout under qemu.sh, which then end by themselves.
wb_kill_below() {
	local child children
	children=$(pgrep -P "$1")
	for child in $children; do
		if [ -n "$(pgrep -P "$child")" ]; then
			wb_kill_below "$child"
		else
			kill -9 "$child" 2> /dev/null
		fi
	done
}

crash_test() {
	local disk=$1 img=$LOGS/crash-$1.img part=$LOGS/crash-$1.part out=$LOGS/crash-$1.rdump
	local log=$LOGS/crash-$1.log pid waited=0 fsck_status ok=1
	cp --sparse=always "$BUILD/disk.img" "$img"
	cp --sparse=always "$BUILD/swap.img" "$img.swap"
	: > "$log"                   # not the last run's lines
	SNAPSHOT=0 DISK_IMG=$img SWAP_IMG=$img.swap DISK=$disk \
		boot "crash-$1" "init=/bin/t_writeback /wb --crash" &
	pid=$!
	# The last fsynced file is announced; the writer goes on, and is cut off a moment later.
	while ! grep -qF "fsynced /wb/crash-14" "$log" 2> /dev/null && ((waited < BOOT_TIMEOUT * 10)); do
		sleep 0.1
		waited=$((waited + 1))
	done
	sleep 0.5
	wb_kill_below "$pid"
	wait "$pid" 2> /dev/null
	if ! grep -qF "fsynced /wb/crash-14" "$log"; then
		fail "$disk/crash_fsynced_files_announced" "no 'fsynced /wb/crash-14' line" "$log"
		rm -f "$img" "$img.swap"
		return 0
	fi
	pass "$disk/crash_fsynced_files_announced"
	if grep -qF "power: off" "$log"; then
		fail "$disk/crash_killed_mid_write" "the machine powered off by itself" "$log"
	else
		pass "$disk/crash_killed_mid_write"
	fi
	wb_partition "$img" "$part"
	PATH=$WB_E2FS_PATH e2fsck -fy "$part" > "$LOGS/crash-$disk.fsck-y" 2>&1
	fsck_status=$?
	if [ $fsck_status -le 1 ]; then
		pass "$disk/crash_e2fsck_repairs"
	else
		fail "$disk/crash_e2fsck_repairs" "e2fsck -fy exited with $fsck_status" "$LOGS/crash-$disk.fsck-y"
		ok=0
	fi
	wb_fsck_clean "$disk/crash_e2fsck_clean_after_repair" "$part" "$LOGS/crash-$disk.fsck-n" || ok=0
	rm -rf "$out" && mkdir -p "$out"
	PATH=$WB_E2FS_PATH debugfs -R "rdump /wb $out" "$part" > "$LOGS/crash-$disk.debugfs" 2>&1
	"$BUILD/user/bin/t_writeback" "$out/wb" --crash-check > "$LOGS/crash-$disk-check.log" 2>&1
	collect_results "$disk/crash/" "$LOGS/crash-$disk-check.log"
	if grep -q '^not ok' "$LOGS/crash-$disk-check.log" || ! grep -q '^ok' "$LOGS/crash-$disk-check.log"; then
		fail "$disk/crash_fsynced_files_intact" "an fsynced file differs" "$LOGS/crash-$disk-check.log"
		ok=0
	else
		pass "$disk/crash_fsynced_files_intact"
	fi
	rm -f "$img.swap"
	[ $ok = 1 ] && rm -rf "$img" "$part" "$out"
	return 0
}
