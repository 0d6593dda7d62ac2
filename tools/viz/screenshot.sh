#!/usr/bin/env bash
# tools/viz/screenshot.sh PAGE PNG [SNAPSHOT] - a picture of the memory page
# (tools/viz/memviz.py) at one snapshot (a number, or "last"; default: the
# middle one), taken by headless Chromium. `make viz-screenshot` makes
# docs/memory-viz.png with it.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tools/viz/chromium.sh
page=$1 png=$2 at=${3:-}
[ -f "$page" ] || { echo "screenshot: no $page (make viz)" >&2; exit 2; }
if [ -z "$at" ]; then
	lines=$(grep -c '^{' "$(dirname "$page")/snapshots.txt" 2>/dev/null || echo 1)
	at=$((lines / 2))
fi
rm -f "$png"
log=$(dirname "$page")/screenshot.log
chromium_run --window-size=1280,1000 --screenshot="$png" "$(page_url "$page" "$at")" 2> "$log"
[ -s "$png" ] || { echo "screenshot: chromium wrote no $png (see $log)" >&2; exit 1; }
echo "screenshot: $png (snapshot $at)"
