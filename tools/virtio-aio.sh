# tools/virtio-aio.sh - how QEMU does the host side of a virtio-blk disk's
# I/O. Sourced by tools/qemu.sh and tools/linux-bench/qemu.sh, so that
# pagoda and Linux get the same disks.
#
# QEMU's default, aio=threads, hands each request to a worker thread, and
# the worker's completion to the main loop: two thread wakeups per request,
# slow on this host (a virtual machine itself, whose idle cores take long
# to wake). A read of one swap page took 143 us on average from the worker
# being asked to the worker being done (QEMU's thread_pool trace events)
# for a preadv of a few microseconds. With aio=io_uring the request goes
# to the host kernel from the thread that handles the notify, and a read
# from the host's page cache completes at once. Measured with pagoda on
# virtio (docs/bench.md, "io_uring"): rand 0.94 -> 0.66 s, hotcold 1.15 ->
# 0.88 s, forkswap 3.25 -> 2.19 s, seqtouch 0.62 -> 0.58 s; Linux's
# forkswap 8.3 -> 6.9 s. Not for IDE: its emulation runs one command at a
# time, and there io_uring made forkswap slower (3.5 -> 3.9 s).
#
# Reads that fast turned up a kernel livelock, fixed since: t_memqos's qos
# scenario thrashed on its text pages instead of calling the OOM killer
# (mm/kswapd.c; docs/reclaim.md).
#
# VIRTIO_AIO chooses:
#   auto (or unset)      io_uring where the host allows it (the sysctl
#                        kernel.io_uring_disabled and seccomp filters in
#                        containers may not), else threads: QEMU is asked
#                        once, with an empty disk and no machine (70 ms),
#                        and the answer kept in the build directory for
#                        the host's kernel release
#   threads              QEMU's own default
#   io_uring, native     that

# Prints the -drive option for virtio disks: ",aio=..." or nothing.
virtio_aio() {
	local build=$1 release cache probe aio=${VIRTIO_AIO:-auto}
	if [ "$aio" = auto ]; then
		read -r release < /proc/sys/kernel/osrelease
		cache=$build/qemu-aio-$release
		if [ -f "$cache" ]; then
			read -r aio < "$cache"
		else
			aio=threads
			probe=$(mktemp "${TMPDIR:-/tmp}/pagoda-aio-probe.XXXXXX")
			echo quit | qemu-system-x86_64 -M none -display none -nodefaults -monitor stdio \
				-drive "file=$probe,format=raw,if=none,aio=io_uring" > /dev/null 2>&1 &&
				aio=io_uring
			rm -f "$probe"
			# Written whole, then renamed: boots started together may all ask.
			{ echo "$aio" > "$cache.$$" && mv -f "$cache.$$" "$cache"; } 2> /dev/null
		fi
	fi
	[ "$aio" = threads ] || printf ',aio=%s' "$aio"
}
