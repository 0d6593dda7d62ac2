#!/usr/bin/env python3
"""tools/viz/memviz.py - turns a run's memory snapshots into one HTML page.

    tools/viz/memviz.py SNAPSHOTS OUT.html [--title TEXT]

SNAPSHOTS is what the kernel sent to COM2 with memsnap= (mm/memsnapd.c):
one JSON object per line, the format described at the top of
mm/memsnap.c. The page (tools/viz/page.html, viz.js, viz.css) is written
with everything inline - the script, the style and the snapshots - so it
opens from a file, with no network. docs/viz.md shows how to read it.

The functions below also serve tests/viz_check.py, which checks the
snapshots against the kernel's console and the page against the snapshots.
Python 3 standard library only.
"""
import argparse
import html
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_snapshots(path):
    """The snapshots in the file, in order. A last line cut short (QEMU
    killed while it was written) is left out, with a warning."""
    snaps = []
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            snaps.append(json.loads(line))
        except ValueError:
            if number >= len(lines) - 1:
                print(f"memviz: {path}: the last line is cut short; left out", file=sys.stderr)
                continue
            raise SystemExit(f"memviz: {path}:{number}: not a snapshot (JSON)")
    return snaps


def frame_runs(snap):
    """The runs of frames: dicts with count, state, flags, ref, map, owner, index."""
    runs = []
    for text in snap["frames"].split(";"):
        count, state, flags, ref, mapcount, owner, index = text.split(",")
        runs.append({"count": int(count), "state": state, "flags": int(flags, 16),
                     "ref": int(ref), "map": int(mapcount), "owner": owner,
                     "index": int(index)})
    return runs


def slot_runs(snap):
    """The runs of swap slots: dicts with count, state, users."""
    if not snap["swap"]:
        return []
    return [dict(zip(("count", "state", "users"), (int(c), s, int(u))))
            for c, s, u in (t.split(",") for t in snap["swap"].split(";"))]


def count_by(runs, key):
    """How many frames (or slots) have each value of key(run)."""
    counts = {}
    for r in runs:
        counts[key(r)] = counts.get(key(r), 0) + r["count"]
    return counts


def write_page(snaps, out, title, live=False):
    """Writes the page with snaps in it; live: it fetches more from its server (tools/viz/live.py)."""
    with open(os.path.join(HERE, "page.html"), encoding="utf-8") as f:
        page = f.read()
    with open(os.path.join(HERE, "viz.css"), encoding="utf-8") as f:
        style = f.read()
    with open(os.path.join(HERE, "viz.js"), encoding="utf-8") as f:
        script = f.read()
    # "</" inside a script element would end it early; JSON allows "<\/".
    data = json.dumps(snaps, separators=(",", ":")).replace("</", "<\\/")
    parts = {"TITLE": html.escape(title), "STYLE": style, "SNAPSHOTS": data, "SCRIPT": script,
             "LIVE": "1" if live else "0"}
    # One pass, so that a marker inside what is put in stays as it is.
    page = re.sub(r"@(TITLE|STYLE|SNAPSHOTS|SCRIPT|LIVE)@", lambda m: parts[m.group(1)], page)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(page)


def main():
    ap = argparse.ArgumentParser(description="memory snapshots -> one HTML page")
    ap.add_argument("snapshots")
    ap.add_argument("out")
    ap.add_argument("--title", default="pagoda: memory over time")
    args = ap.parse_args()
    snaps = read_snapshots(args.snapshots)
    if not snaps:
        raise SystemExit(f"memviz: {args.snapshots}: no snapshots (was memsnap= given, "
                         "and MEMSNAP_OUT= set?)")
    write_page(snaps, args.out, args.title)
    size = os.path.getsize(args.out)
    print(f"memviz: {len(snaps)} snapshots, {size // 1024} KiB: {args.out}")


if __name__ == "__main__":
    main()
