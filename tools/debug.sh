#!/usr/bin/env bash
# tools/debug.sh - `make debug`: QEMU paused with its gdbstub, GDB attached.
#
# QEMU runs in the background with the serial console in
# $BUILD/serial.log (watch it with `tail -f build/serial.log` in another
# terminal); GDB gets this terminal, stopped at kmain with symbols.
# panic=halt keeps a crashed kernel on screen instead of powering off.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-build}
export GDB_PORT=${GDB_PORT:-1234}
export KARGS="${KARGS:+$KARGS }panic=halt"
export INTERACTIVE=0

echo "debug: QEMU paused, gdbstub on 127.0.0.1:$GDB_PORT, serial log in $BUILD/serial.log"
GDB_PORT=$GDB_PORT "$here/tools/qemu.sh" > "$BUILD/serial.log" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null; wait $qemu 2>/dev/null' EXIT
for _ in $(seq 50); do        # wait until the gdbstub listens
	(exec 3<>/dev/tcp/127.0.0.1/"$GDB_PORT") 2>/dev/null && break
	sleep 0.1
done
gdb -q -x "$here/tools/gdb/kmain.gdb" "$@"
