"""
pagoda/pte.py - an x86-64 page-table entry and a swap entry, decoded.

In C only mm/x86/ knows these bits; their names are #defines there, which
are not in the debug information, so this one table repeats them. Keep it
in step with mm/x86/pte.h (the PTE bits and PTE_SWAP_MARK) and
mm/swap_entry.h (SWP_SLOT_BITS): Intel SDM Vol. 3A 4.5, tables 4-14 to 4-20.
"""
PTE_BITS = [                 # mm/x86/pte.h, in bit order
    ("P", 1 << 0), ("W", 1 << 1), ("U", 1 << 2), ("PWT", 1 << 3), ("PCD", 1 << 4),
    ("A", 1 << 5), ("D", 1 << 6), ("PS", 1 << 7), ("G", 1 << 8), ("NX", 1 << 63),
]
PTE_P = 1 << 0
PTE_PS = 1 << 7
PTE_ADDR = 0x000ffffffffff000        # mm/x86/pte.h
PTE_SWAP_MARK = 1 << 1               # mm/x86/pte.h: bit 1 of a not-present entry
SWP_SLOT_BITS = 27                   # mm/swap_entry.h

LEVEL_NAMES = {4: "PML4", 3: "PDPT", 2: "PD", 1: "PT"}


def present(e):
    return bool(e & PTE_P)


def is_swap(e):
    return not present(e) and bool(e & PTE_SWAP_MARK)


def frame(e):
    return e & PTE_ADDR


def swap_entry(e):
    """The swap entry (mm/swap_entry.h's val) that a swap PTE holds."""
    return (e >> 12) & 0xffffffff


def swap_area(val):
    return val >> SWP_SLOT_BITS


def swap_slot(val):
    return val & ((1 << SWP_SLOT_BITS) - 1)


def describe_swap(val):
    return "area %d slot %d" % (swap_area(val), swap_slot(val))


def describe(e):
    """One entry in words: its flags when present, else what it holds."""
    if present(e):
        flags = " ".join(name for name, bit in PTE_BITS if e & bit)
        return "%s -> %#x" % (flags, frame(e))
    if is_swap(e):
        return "not present: swap entry %#x (%s)" % (swap_entry(e), describe_swap(swap_entry(e)))
    if e == 0:
        return "not present: empty"
    return "not present: %#x" % e


def index(va, level):
    """The index of va in a table of that level (4 = PML4 .. 1 = PT)."""
    return (va >> (12 + 9 * (level - 1))) & 511
