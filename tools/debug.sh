#!/usr/bin/env bash
# tools/debug.sh - `make debug`: QEMU paused with its gdbstub, GDB attached.
#
# QEMU runs in the background with the serial console in
# $BUILD/serial.log (watch it with `tail -f build/serial.log` in another
# terminal); GDB gets this terminal, stopped at kmain, with symbols and
# the project's helpers (tools/gdb/). panic=halt keeps a crashed kernel on
# screen instead of powering off. Arguments go to GDB: tools/debug.sh
# -batch -x FILE runs a GDB script and ends (the tests and the docs do).
#
# Students run this again and again, so it cleans up after itself:
#   - QEMU ends when GDB ends (quit, Ctrl-D, GDB killed, this script
#     killed by a signal): its pid comes from QEMU's -pidfile, and the trap
#     below ends it. A QEMU left by a session that could not clean up (kill
#     -9 of this script) is found by that same pid file and ended first, so
#     it cannot hold the disk images' locks or the port; while the session
#     that started it still runs, we stop instead of ending its QEMU.
#   - The port is this user's own (GDB_PORT, default 20000 + uid % 10000,
#     so two users of one machine do not meet), or the next free one after
#     it; GDB is never pointed at a port some other QEMU listens on.
#   - If QEMU stops before its gdbstub listens (a locked image, a bad
#     argument), its messages are printed here and we exit 1 without GDB.
#
# DEBUG_DIR (default $BUILD) holds the console log serial.log and this
# session's files: debug-qemu.pid, debug-qemu.err (QEMU's own messages),
# debug.owner (the pid of this script).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-build}
export KARGS="panic=halt${KARGS:+ $KARGS}"      # first: init= takes the rest of the line
export INTERACTIVE=0
export PAGODA_GDB_DIR=$here/tools/gdb
dir=${DEBUG_DIR:-$BUILD}
pidfile=$dir/debug-qemu.pid
errlog=$dir/debug-qemu.err
owner=$dir/debug.owner
serial=$dir/serial.log

# Whether something listens on TCP port $1 of this machine.
port_busy() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# Ends the QEMU named by the pid file, if it is still a QEMU.
stop_qemu() {
	local pid
	pid=$(cat "$pidfile" 2>/dev/null) || return 0
	if [ -n "$pid" ] && ps -p "$pid" -o comm= 2>/dev/null | grep -q '^qemu-system'; then
		kill "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
	fi
	rm -f "$pidfile"
}

# Prints why QEMU stopped: its own messages, then the console's last lines.
qemu_failed() {
	echo "debug: QEMU stopped before its gdbstub listened:" >&2
	sed 's/^/debug:   /' "$errlog" >&2
	tail -n 5 "$serial" | sed 's/^/debug:   console: /' >&2
	exit 1
}

mkdir -p "$dir"
other=$(cat "$owner" 2>/dev/null)
if [ -n "$other" ] && [ "$other" != $$ ] && ps -p "$other" -o args= 2>/dev/null | grep -q debug.sh; then
	echo "debug: another make debug (pid $other) runs on $dir: quit its GDB first" >&2
	exit 1
fi
echo $$ > "$owner"
if [ -f "$pidfile" ]; then
	echo "debug: ending the QEMU an earlier make debug left running (pid $(cat "$pidfile"))"
	stop_qemu
fi
port=${GDB_PORT:-$((20000 + $(id -u) % 10000))}
if [ -z "${GDB_PORT:-}" ]; then
	for _ in $(seq 20); do port_busy "$port" || break; port=$((port + 1)); done
fi
if port_busy "$port"; then
	echo "debug: port $port is in use (another QEMU or program listens there); choose one with GDB_PORT=" >&2
	exit 1
fi
export GDB_PORT=$port

echo "debug: QEMU paused, gdbstub on 127.0.0.1:$GDB_PORT, serial log in $serial"
: > "$errlog"
QEMU_EXTRA="${QEMU_EXTRA:-} -pidfile $pidfile" "$here/tools/qemu.sh" \
	> "$serial" 2> "$errlog" &
wrapper=$!
trap 'stop_qemu; wait $wrapper 2>/dev/null; rm -f "$owner"' EXIT
trap 'exit 130' INT TERM HUP
for ((tries = 0; tries < 300; tries++)); do     # until the gdbstub listens (30 s at most)
	kill -0 $wrapper 2>/dev/null || qemu_failed
	port_busy "$GDB_PORT" && break
	sleep 0.1
done
# Ctrl-C in GDB interrupts the kernel: it must not end this script (and QEMU).
trap : INT
gdb -q -x "$here/tools/gdb/kmain.gdb" "$@"
status=$?
trap - INT
# QEMU's own messages (an error, an abort) if it ended with GDB or before,
# but not its note that GDB's kill ended it.
for _ in 1 2 3 4 5; do kill -0 $wrapper 2>/dev/null && sleep 0.1; done
kill -0 $wrapper 2>/dev/null ||
	grep '^qemu-system' "$errlog" | grep -v 'Terminated via GDBstub' | sed 's/^/debug: /' >&2
exit $status
