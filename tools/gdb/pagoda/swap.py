"""
pagoda/swap.py - the swap areas' slots: `swap-slots [PID]`.

The slot map (mm/swap_map.h) has one 16-bit entry per slot: 0 free, the
BAD bit for a slot never to use, the CACHED bit while the slot's page is
in the swap cache, and below them how many page tables hold the slot. The
map is read in one piece and counted here; the kernel's own count of free
slots (swap_map.free) is printed beside it, and the two must agree. Each
area in use (mm/swap_area.c's swap_areas[]) has its own map and lines.
With a PID, the process's page tables are walked for the swap entries they
hold: their number is the kernel's mm->swap_ents (VmSwap).
"""
import struct

import gdb

from pagoda import kernel, pte

SWAP_MAP_BAD = 0x8000      # mm/swap_map.h
SWAP_MAP_CACHED = 0x4000   # mm/swap_map.h
SWAP_MAP_COUNT = 0x3fff    # mm/swap_map.h: SWAP_MAP_MAX, the count's bits
FIRST_SHOWN = 8            # slots of a process listed by address


SWP_MAX_AREAS = 32         # mm/swap_entry.h


def areas():
    """The swap areas in use (mm/swap_area.c's table), in table order."""
    table = kernel.global_var("swap_areas")
    return [table[i] for i in range(SWP_MAX_AREAS) if int(table[i]["used"])]


def area_of(val):
    """The area a swap entry names."""
    return kernel.global_var("swap_areas")[pte.swap_area(val)]


def slot_map(a):
    """Area a's slot map entries, slot 0 (the header) included."""
    n = int(a["slots"]["nslots"])
    raw = gdb.selected_inferior().read_memory(int(a["slots"]["map"]), 2 * n)
    return struct.unpack("<%dH" % n, bytes(raw))


def describe_slot(val):
    """A swap entry's map entry in words: its count, and whether it is cached or bad."""
    a, slot = area_of(val), pte.swap_slot(val)
    e = int(a["slots"]["map"][slot])
    words = ["count %d" % (e & SWAP_MAP_COUNT)]
    if e & SWAP_MAP_CACHED:
        page = a["cache"][slot]
        words.append("in the swap cache: pfn %#x" % kernel.pfn_of_page(page))
    if e & SWAP_MAP_BAD:
        words.append("bad")
    return ", ".join(words)


def user_swap_entries(pml4_pa):
    """(virtual address, swap entry) of every swap PTE in the user half of a PML4."""
    found = []
    pml4 = kernel.read_table(pml4_pa)
    for i4 in range(256):                       # the user half: entries 0..255
        if pte.present(pml4[i4]):
            walk_level(pte.frame(pml4[i4]), 3, i4 << 39, found)
    return found


def walk_level(table_pa, level, base, found):
    """Collects the swap entries under one table (level 3..1) mapping from base."""
    entries = kernel.read_table(table_pa)
    for i, e in enumerate(entries):
        va = base | (i << (12 + 9 * (level - 1)))
        if level == 1:
            if pte.is_swap(e):
                found.append((va, pte.swap_entry(e)))
        elif pte.present(e) and not e & pte.PTE_PS:
            walk_level(pte.frame(e), level - 1, va, found)


def print_summary():
    found = areas()
    if not found:
        print("swap: off (no swap area)")
        return
    for a in found:
        m = slot_map(a)
        bad = sum(1 for e in m[1:] if e & SWAP_MAP_BAD)
        free = sum(1 for e in m[1:] if e == 0)
        cached = sum(1 for e in m[1:] if e & SWAP_MAP_CACHED)
        used = len(m) - 1 - bad - free
        print("swap: %d slots (slot 0 is the header): used %d, free %d, bad %d; in the swap cache %d"
              " (area %d, %s, priority %d)" % (len(m) - 1, used, free, bad, cached, int(a["id"]),
                                               a["name"].string(), int(a["prio"])))
        print("swap: the kernel counts free %d, bad %d (swap_map.free, swap_map.nbad)"
              % (int(a["slots"]["free"]), int(a["slots"]["nbad"])))


def print_process(t):
    mm = t["mm"]
    if int(mm) == 0:
        raise gdb.GdbError("pid %d is a kernel thread: no swap entries" % int(t["pid"]))
    found = user_swap_entries(int(mm["pml4"]) - kernel.DIRECT_MAP_BASE)
    print("pid %d (%s): %d page-table entries hold a swap slot (the kernel counts %d: mm->swap_ents)"
          % (int(t["pid"]), kernel.task_name(t), len(found), int(mm["swap_ents"])))
    for va, val in found[:FIRST_SHOWN]:
        print("  %#014x  %s  (%s)" % (va, pte.describe_swap(val), describe_slot(val)))
    if len(found) > FIRST_SHOWN:
        print("  ... %d more" % (len(found) - FIRST_SHOWN))


class SwapSlots(gdb.Command):
    """swap-slots [PID]: each swap area's slots, used, free and bad (counted
in its slot map, beside the kernel's own counts); then the slots that
process PID's page tables hold (default: the current process, unless it
is a kernel thread): how many, and the first ones by address."""

    def __init__(self):
        super().__init__("swap-slots", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = kernel.split_args(arg, 1)
        print_summary()
        t = kernel.find_task(kernel.number(argv[0])) if argv else kernel.current()
        if int(t) and int(t["mm"]):
            print_process(t)


SwapSlots()
