#!/usr/bin/env python3
"""tests/viz_check.py - the checks of tests/viz.sh on memory snapshots and
on the page made of them (tools/viz/). Each prints "ok" or the first thing
that is wrong and exits 1.

  viz_check.py snapshots SNAPSHOTS CONSOLE
      every snapshot adds up (its runs cover every frame and slot; the frames
      the map shows free, anonymous, in the swap cache, ... are as many as
      its counters say), and the last one (after init) has the free frames,
      free slots and swap traffic the console's leak check printed
  viz_check.py vmstat LOG
      the output of `memsnap -v`: the snapshot's counters equal /proc/vmstat's
  viz_check.py page DOM SNAPSHOTS INDEX [PNG]
      Chromium's DOM of the page at snapshot INDEX shows that snapshot's
      numbers and counts; with PNG (a screenshot of the same), every cell of
      the frame map has the colour of its frame's state
  viz_check.py differ PNG1 PNG2 DOM
      the frame map's pixels differ between two screenshots
Python 3 standard library only.
"""
import html.parser
import os
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "viz"))
import memviz  # noqa: E402

PG_ANON, PG_PGTABLE, PG_SWAPCACHE = 1 << 6, 1 << 4, 1 << 9
# The page's colours for frame states (tools/viz/viz.js, FRAME_STATES).
STATE_COLOURS = {"F": "e9e9e9", "R": "4d4d4d", "K": "9467bd", "P": "e6ac00", "C": "1f77b4",
                 "A": "d62728", "W": "2ca02c", "D": "ff7f0e", "L": "000000"}


def fail(why):
    print(why)
    sys.exit(1)


def frames_with(runs, flag):
    return sum(r["count"] for r in runs if r["state"] != "F" and r["flags"] & flag)


def check_snapshot(s):
    """The runs of one snapshot against its own counters."""
    runs, slots = memviz.frame_runs(s), memviz.slot_runs(s)
    by_state = memviz.count_by(runs, lambda r: r["state"])
    pagecache = sum(r["count"] for r in runs if r["owner"].startswith("f"))
    checks = [
        ("frames in runs", sum(r["count"] for r in runs), "pfns", s["pfns"]),
        ("free frames in the map", by_state.get("F", 0), "mem.free", s["mem"]["free"]),
        ("frames flagged PG_ANON", frames_with(runs, PG_ANON), "nr_anon_pages", s["mem"]["anon"]),
        ("frames flagged PG_SWAPCACHE", frames_with(runs, PG_SWAPCACHE), "mem.swapcache",
         s["mem"]["swapcache"]),
        ("frames owned by a file", pagecache, "mem.pagecache", s["mem"]["pagecache"]),
        ("slots in runs", sum(r["count"] for r in slots), "slots", s["slots"]),
        ("free slots in the map", memviz.count_by(slots, lambda r: r["state"]).get("F", 0),
         "mem.swap_free", s["mem"]["swap_free"]),
    ]
    for what, got, name, want in checks:
        if got != want:
            fail(f"snapshot {s['seq']}: {what}: {got}, but {name} is {want}")
    if s["mem"]["anon"] != s["vmstat"]["nr_anon_pages"]:
        fail(f"snapshot {s['seq']}: mem.anon and vmstat's nr_anon_pages differ")


def console_number(console, pattern):
    m = re.search(pattern, console)
    if not m:
        fail(f"no line matching '{pattern}' in the console")
    return [int(g) for g in m.groups()]


def cmd_snapshots(path, console_path):
    snaps = memviz.read_snapshots(path)
    if len(snaps) < 3:
        fail(f"only {len(snaps)} snapshots")
    for i, s in enumerate(snaps):
        if s["seq"] != i:
            fail(f"snapshot {i} has seq {s['seq']}")
        check_snapshot(s)
    if not any(s["vmstat"]["pswpout"] for s in snaps[:-1]):
        fail("no snapshot during the run shows a page swapped out")
    console = open(console_path, encoding="utf-8", errors="replace").read().replace("\r", "")
    last = snaps[-1]
    free, = console_number(console, r"mm: (\d+) frames free after init")
    slots_free, = console_number(console, r"swap: (\d+) of \d+ slots free after init")
    if last["why"] != "exit" or last["mem"]["free"] != free or last["mem"]["swap_free"] != slots_free:
        fail(f"last snapshot ({last['why']}): {last['mem']['free']} frames, "
             f"{last['mem']['swap_free']} slots free; the console: {free}, {slots_free}")
    written, read = console_number(console, r"swap: (\d+) pages written in \d+ requests .*, (\d+) pages read")
    if (last["vmstat"]["pswpout"], last["vmstat"]["pswpin"]) != (written, read):
        fail(f"last snapshot: pswpout {last['vmstat']['pswpout']}, pswpin {last['vmstat']['pswpin']};"
             f" the console: {written} written, {read} read")
    print(f"ok: {len(snaps)} snapshots, {os.path.getsize(path)} bytes")


def cmd_vmstat(log_path):
    text = open(log_path, encoding="utf-8", errors="replace").read().replace("\r", "")
    m = re.search(r"^vmstat:\n((?:\w+ \d+\n)+)", text, re.M)
    line = next((l for l in text.split("\n") if l.startswith('{"seq"')), None)
    if not m or not line:
        fail("no 'vmstat:' block or no snapshot line in the output")
    vmstat = {k: int(v) for k, v in (l.split() for l in m.group(1).strip().split("\n"))}
    snap = memviz.json.loads(line)
    if vmstat != snap["vmstat"]:
        diff = {k: (v, snap["vmstat"].get(k)) for k, v in vmstat.items() if snap["vmstat"].get(k) != v}
        fail(f"/proc/vmstat and the snapshot differ (vmstat, snapshot): {diff or 'in their names'}")
    check_snapshot(snap)
    print(f"ok: {len(vmstat)} counters equal")


class Dom(html.parser.HTMLParser):
    """Collects the text and attributes of the elements that have an id."""
    VOID = {"meta", "input", "br", "img", "hr", "link"}     # elements without an end tag

    def __init__(self):
        super().__init__()
        self.text, self.attrs, self.open = {}, {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.attrs["body"] = attrs
        if "id" in attrs:
            self.attrs[attrs["id"]] = attrs
            self.text[attrs["id"]] = ""
        if tag not in self.VOID:
            self.open.append(attrs.get("id"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        for i in self.open:
            if i:
                self.text[i] += data


def read_dom(path):
    dom = Dom()
    dom.feed(open(path, encoding="utf-8", errors="replace").read())
    return dom


def read_png(path):
    """A PNG (8-bit RGB or RGBA, not interlaced) as (width, height, rows of bytes, bytes per pixel)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if depth != 8 or colour not in (2, 6) or interlace:
        fail(f"{path}: a PNG this checker cannot read (depth {depth}, colour type {colour})")
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, rows, bpp


def grid_cells(dom, png, total):
    """The colour at the middle of each cell of the frame map, as hex, for the cells on screen."""
    left, top, cell, cols = (int(v) for v in dom.attrs["frames"]["data-grid"].split(","))
    width, height, rows, bpp = png
    colours = []
    for i in range(total):
        x, y = left + (i % cols) * cell + cell // 2, top + (i // cols) * cell + cell // 2
        if y >= height or x >= width:
            break
        colours.append(bytes(rows[y][x * bpp:x * bpp + 3]).hex())
    return colours


def cmd_page(dom_path, snap_path, index, png_path=None):
    snaps = memviz.read_snapshots(snap_path)
    i = len(snaps) - 1 if index == "last" else int(index)
    s, dom = snaps[i], read_dom(dom_path)
    if dom.attrs.get("body", {}).get("data-shown") != str(i):
        fail(f"the page shows snapshot {dom.attrs.get('body', {}).get('data-shown')}, not {i}")
    runs = memviz.frame_runs(s)
    want = {"num-free": s["mem"]["free"], "num-pagecache": s["mem"]["pagecache"],
            "num-anon": s["mem"]["anon"], "num-swapcache": s["mem"]["swapcache"],
            "num-swapused": s["mem"]["swap_total"] - s["mem"]["swap_free"],
            "num-pgmajfault": s["vmstat"]["pgmajfault"], "num-pswpin": s["vmstat"]["pswpin"],
            "num-pswpout": s["vmstat"]["pswpout"], "num-pgfault": s["vmstat"]["pgfault"]}
    for state, n in memviz.count_by(runs, lambda r: r["state"]).items():
        want["count-" + state] = n
    for state, n in memviz.count_by(memviz.slot_runs(s), lambda r: r["state"]).items():
        want["slots-" + state] = n
    for p in s["procs"]:
        want[f"proc-{p['pid']}-rss"] = p["rss"]
    for key, value in want.items():
        shown = dom.text.get(key, "").strip()
        if shown != str(value):
            fail(f"snapshot {i}: the page shows {key} = '{shown}', the snapshot {value}")
    if png_path:
        states = "".join(r["state"] * r["count"] for r in runs)
        cells = grid_cells(dom, read_png(png_path), s["pfns"])
        wrong = [n for n, c in enumerate(cells) if c != STATE_COLOURS[states[n]]]
        if not cells or wrong:
            fail(f"snapshot {i}: {len(wrong)} of {len(cells)} cells of the frame map have the wrong"
                 f" colour (first: frame {wrong[0] if wrong else '-'})")
    print(f"ok: snapshot {i}: {len(want)} numbers" + (f", {len(cells)} cells" if png_path else ""))


def cmd_differ(png1, png2, dom_path):
    dom = read_dom(dom_path)
    a, b = grid_cells(dom, read_png(png1), 1 << 30), grid_cells(dom, read_png(png2), 1 << 30)
    changed = sum(x != y for x, y in zip(a, b))
    if changed == 0:
        fail("the frame map looks the same in both screenshots")
    print(f"ok: {changed} of {len(a)} cells differ")


def main():
    commands = {"snapshots": cmd_snapshots, "vmstat": cmd_vmstat, "page": cmd_page, "differ": cmd_differ}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        fail(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()
