"""
pagoda/lru.py - the eviction policy's lists: `lru [N]`.

Whichever policy runs (mm/evict.c: lru2, fifo, clock, scanmru), its lists
are struct evict_list entries of a struct evict_lists, named by the policy
itself (mm/evict.h), so one helper shows them all: for the machine's lists
and each memory group's, the policy, each list's name, its length (walked)
beside the policy's own counter, and its first N pages (newest first).
Last, the pages whose PG_LRU flag says they are on some list: their number
must be the sum of the lists' lengths.
"""
import struct

import gdb

from pagoda import kernel, pages

FIRST_SHOWN = 4


def lru_flagged():
    """How many frames have PG_LRU set, from one read of the whole pages[] array."""
    size = gdb.lookup_type("struct page").sizeof
    offset = next(f.bitpos // 8 for f in gdb.lookup_type("struct page").fields() if f.name == "flags")
    n = kernel.max_pfn()
    raw = bytes(gdb.selected_inferior().read_memory(int(kernel.global_var("pages")), n * size))
    bit = pages.flag_value("PG_LRU")
    return sum(1 for pfn in range(n) if struct.unpack_from("<I", raw, pfn * size + offset)[0] & bit)


def print_list(entry, shown):
    nodes = list(kernel.list_nodes(entry["pages"]))
    first = []
    for node in nodes[:shown]:
        page = kernel.container_of(node, "struct page", "lru")
        first.append("%#x" % kernel.pfn_of_page(page))
    print("  %-16s %6d pages (the policy counts %d)%s" % (
        entry["name"].string(), len(nodes), int(entry["nr"]),
        ("; first pfns " + " ".join(first)) if first else ""))
    return len(nodes)


class Lru(gdb.Command):
    """lru [N]: the replacement policy's lists (the machine's, then each memory
group's): each list's length, walked, beside the policy's own counter, and
its first N pages (default 4), newest first; then how many frames have
PG_LRU set, which must be the sum of the lengths."""

    def __init__(self):
        super().__init__("lru", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = kernel.split_args(arg, 1)
        shown = kernel.number(argv[0]) if argv else FIRST_SHOWN
        total = 0
        for lists in pages.evict_lists_all():
            print("policy %s, lists of %s:" % (lists["ops"]["name"].string(),
                                               pages.lists_owner(lists)[2:] or "the machine"))
            for i in range(int(lists["nlists"])):
                total += print_list(lists["list"][i], shown)
        print("on the lists: %d pages; frames with PG_LRU set: %d" % (total, lru_flagged()))


Lru()
