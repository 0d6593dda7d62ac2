#!/usr/bin/env bash
# tools/viz/live.sh - `make run VIZ=live`: boots as `make run` does, with
# memory snapshots on (memsnap=, VIZ_EVERY, default 250ms) going to
# $BUILD/viz/live.txt, and serves the memory picture, following them, on
# http://127.0.0.1:$VIZ_PORT/ (default 8471) until the machine stops
# (tools/viz/live.py). Exits with tools/qemu.sh's status.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
port=${VIZ_PORT:-8471}
snapshots=$BUILD/viz/live.txt
mkdir -p "$BUILD/viz"
: > "$snapshots"
tools/viz/live.py "$snapshots" "$port" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
echo "viz: the picture of memory, live: http://127.0.0.1:$port/"
# init= takes the rest of the command line: memsnap= goes first.
MEMSNAP_OUT=$snapshots KARGS="memsnap=${VIZ_EVERY:-250ms} ${KARGS:-}" tools/qemu.sh
