"""
pagoda/printers.py - GDB pretty-printers for memory-management values.

`print *page` shows its flags by name (PG_ANON|PG_DIRTY), its owner as
what it is (a struct anon_root * for anonymous memory, a struct
address_space * for a file's page) and its swap entry decoded; a pte_t
prints decoded (flags and frame, or the swap entry it holds); a
swp_entry_t prints as its area and slot. `print/r` shows the raw value.
"""
import gdb

from pagoda import kernel, pages, pte


class PagePrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        return "struct page (pfn %#x)" % kernel.pfn_of_page(self.val.address) if self.val.address else None

    def children(self):
        v = self.val
        flags = int(v["flags"])
        yield "flags", pages.flag_names(flags)
        if flags & pages.flag_value("PG_SWAPCACHE"):
            yield "swap", v["swap"]
        else:
            yield "order", v["order"]
        yield "refcount", v["refcount"]
        yield "mapcount", v["mapcount"]
        yield "lru", v["lru"]
        kind = pages.owner_kind(v)
        if kind == "anon":
            yield "owner", "(struct anon_root *) %#x" % int(v["owner"])
        elif kind == "file":
            yield "owner", "(struct address_space *) %#x" % int(v["owner"])
        else:
            yield "owner", v["owner"]
        yield "index", v["index"]
        yield "memcg", v["memcg"]


class PtePrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        e = int(self.val) & 0xffffffffffffffff
        return "%#x [%s]" % (e, pte.describe(e))


class SwapEntryPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        val = int(self.val["val"])
        return "swp_entry_t %#x (%s)" % (val, pte.describe_swap(val)) if val else "swp_entry_t 0 (none)"


def lookup(val):
    name = val.type.name
    if name == "pte_t":
        return PtePrinter(val)
    if name == "swp_entry_t":
        return SwapEntryPrinter(val)
    t = val.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_STRUCT and t.tag == "page":
        return PagePrinter(val)
    return None


gdb.pretty_printers.append(lookup)
