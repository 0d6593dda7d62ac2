# tests/busybox.sh - Debian's busybox on pagoda (sourced by tests/run): a
# session of its ash typed at the console, as a user would type it, with
# Ctrl-C for a sleep; then the commands whose output depends only on the
# files are run again by the same busybox on the host, over the tree the
# root disk was made from, and must print the same.
#
# Each command is typed as `echo "==" NAME; COMMAND`, so its output is the
# lines after "== NAME" up to the next prompt ("~ # ") in the console log.

# NAME COMMAND pairs whose output must equal the host's. $T is the test
# tree: /test on pagoda, build/rootfs/test on the host.
BUSYBOX_SAME=(
	list      'ls $T/dir | sort'
	find      'find $T -maxdepth 1 | sed "s|^$T|T|" | sort'
	md5       'md5sum $T/size_65536 $T/size_1048576 | sed "s|$T|T|"'
	uniq      'cat $T/dir/file_1 $T/dir/file_1 $T/dir/file_2 | sort | uniq -c'
	sed       'sed "s/entry/item/" $T/dir/file_12'
	awk       'cat $T/dir/file_* | awk "{ s += \$2 } END { print s }"'
	wc        'wc -c $T/size_4097 $T/size_12288 | sed "s|$T|T|"'
	ddmd5     'dd if=/dev/zero of=/tmp/f bs=4k count=256 2>/dev/null; md5sum < /tmp/f; ls -l /tmp/f | awk "{ print \$5 }"'
	pipeline  'head -c 100000 $T/size_1048576 | tr a-z A-Z | grep -c PAGODA'
	hardlink  'echo d>/tmp/a1; ln -f /tmp/a1 /tmp/a2; ln -sf /tmp/a1 /tmp/a3; cat /tmp/a3; stat -c %h /tmp/a2; rm /tmp/a?'
)

BUSYBOX_KILL='sleep 100 & sleep 0.5; kill %1; wait %1; echo "status $?"'

# NAME COMMAND PATTERN: pagoda-only commands and a fixed string their output must hold.
# (The kill waits a moment: a background child ignores SIGTERM, as the
# interactive ash does, until it has set its own signals up after fork;
# Linux has the same window, which a second CPU usually hides.)
# /bin/seq is busybox's (our page-touching workload is seqtouch, issue 18),
# so a script that runs it by path gets numbers, as ash's applet gives.
BUSYBOX_HAS=(
	swaplines 'cat /proc/meminfo | grep -i swap | wc -l'       '3'
	links     'ls -li /bin/ls /bin/sh | awk "{ print \$1 }" | uniq | wc -l' '1'
	ps        'ps'                                              '/bin/init sh'
	top       'top -b -n 1 | head -4'                           'Load average:'
	free      'free'                                            'Swap:'
	uptime    'uptime'                                          'load average:'
	mounts    'mount | grep tmpfs'                              'tmpfs on /tmp type tmpfs'
	mountext2 'mount -t ext2 /dev/[hv]da1 /mnt; ls /mnt/bin/busybox; umount /mnt' '/mnt/bin/busybox'
	kill      "$BUSYBOX_KILL"                                   'status 143'
	redirect  'echo one > /tmp/r; echo two >> /tmp/r; cat /tmp/r | wc -l' '2'
	symlink   'ln -s /tmp/r /tmp/sl; ls -l /tmp/sl'                  '/tmp/sl -> /tmp/r'
	dmesg     'dmesg | grep -c "pagoda: x86-64"'                '1'
	findproc  'find /proc -maxdepth 1 | sort | grep -E "^/proc/(1|meminfo|self)$"' '/proc/meminfo'
	seqpath   '/bin/seq -s " " 3'                              '1 2 3'
	seqtouch  'seqtouch 4 | grep " errors=0$"'                 'result workload=seqtouch mib=4 '
	swapon    'swapon /swapfile && grep -c "^/swapfile  *file" /proc/swaps && swapoff /swapfile && echo swapped off' 'swapped off'
)

# The typed session, as type_when's PATTERN TEXT pairs: the file-only
# commands on one line (or more: see add_typed), the others on another,
# the kill on its own once the line before has ended (its last "== end"
# line), then a sleep that Ctrl-C ends, then the exit. (A line typed ahead
# while ash reports a finished job can be lost to its terminal handling.)
# A prompt waiting for input is the last line, ending in the cursor query
# "ESC [6n" ash sends.
busybox_session() {
	local i line="" last=""
	SESSION=()
	after="^Enter 'help'"
	for ((i = 0; i < ${#BUSYBOX_SAME[@]}; i += 2)); do
		add_typed "${BUSYBOX_SAME[i]}" "${BUSYBOX_SAME[i + 1]//\$T//test}"
	done
	SESSION+=("$after" "$line\n")
	after="^== end $last" line=""
	for ((i = 0; i < ${#BUSYBOX_HAS[@]}; i += 3)); do
		[ "${BUSYBOX_HAS[i]}" = kill ] && continue
		add_typed "${BUSYBOX_HAS[i]}" "${BUSYBOX_HAS[i + 1]}"
	done
	SESSION+=("$after" "$line\n")
	after="^== end $last"
	SESSION+=("$after" "$(typed kill "$BUSYBOX_KILL")\n" '^== end kill' 'echo "==" ctrlc; sleep 30\n'
		  '^== ctrlc' '\003' '# .\[6n$' 'echo "after ctrl-c $?"; exit 0\n')
}

# add_typed NAME COMMAND: adds COMMAND to busybox_session's line. A line
# that would pass 900 bytes is sent first (the console keeps 1024 bytes
# of a line: kernel/tty.c's TTY_BUF; the rest would be lost), and the
# next one waits for its last "== end".
add_typed() {
	local text
	text=$(typed "$1" "$2")
	if [ -n "$line" ] && ((${#line} + ${#text} > 900)); then
		SESSION+=("$after" "$line\n")
		after="^== end $last" line=""
	fi
	line+=$text last=$1
}

# typed NAME COMMAND: the text that runs COMMAND between NAME's markers (% doubled for printf).
typed() {
	local text="echo \"==\" $1; $2; echo \"==\" end $1; "
	printf '%s' "${text//%/%%}"
}

# The output of command NAME in a log: the lines after "== NAME" up to the next prompt.
busybox_block() {
	tr -d '\r' < "$2" | awk -v name="== $1" '
		$0 == name { on = 1; next }
		on && (/^[^ ]* # / || /^== /) { exit }
		on { print }'
}

# busybox_host_block NAME COMMAND: the same command by the host's busybox, over build/rootfs.
busybox_host_block() {
	local rootfs logs bb
	rootfs=$(cd "$BUILD/rootfs" && pwd) logs=$(cd "$LOGS" && pwd) bb=$(cd "$BUILD" && pwd)/busybox
	(cd "$logs" && T=$rootfs/test "$bb" sh -c "${2//\/tmp\//$logs/bb-host-}" 2>&1)
}

busybox_test() {
	local disk=$1 log=$LOGS/busybox-$1.log status i name want got
	busybox_session
	: > "$log"
	type_when "$log" "${SESSION[@]}" |
		DISK=$disk SNAPSHOT=1 INTERACTIVE=0 TIMEOUT=$BOOT_TIMEOUT INPUT=/dev/stdin \
		KARGS="init=/bin/init sh" tools/qemu.sh > "$log" 2>&1
	status=$?
	expect "$disk/busybox/ash_session" "$log" $status 0 "BusyBox v" "after ctrl-c 130" \
		"init exited with status 0" "none leaked" "all free"
	for ((i = 0; i < ${#BUSYBOX_SAME[@]}; i += 2)); do
		name=${BUSYBOX_SAME[i]}
		want=$(busybox_host_block "$name" "${BUSYBOX_SAME[i + 1]}")
		got=$(busybox_block "$name" "$log")
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			pass "$disk/busybox/same_as_host/$name"
		else
			fail "$disk/busybox/same_as_host/$name" "pagoda: $(echo "$got" | head -3 | tr '\n' '|') host: $(echo "$want" | head -3 | tr '\n' '|')" "$log"
		fi
	done
	for ((i = 0; i < ${#BUSYBOX_HAS[@]}; i += 3)); do
		name=${BUSYBOX_HAS[i]}
		got=$(busybox_block "$name" "$log")
		if [ -n "$got" ] && [[ $got == *"${BUSYBOX_HAS[i + 2]}"* ]]; then
			pass "$disk/busybox/$name"
		else
			fail "$disk/busybox/$name" "wanted '${BUSYBOX_HAS[i + 2]}' in: $(echo "$got" | head -3 | tr '\n' '|')" "$log"
		fi
	done
}
