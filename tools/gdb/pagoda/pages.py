"""
pagoda/pages.py - one frame's struct page, decoded: `page PFN|ADDR [PID]`.

struct page (mm/page.h) answers what a frame is: its flags (by the names
of enum page_flags, read from the debug information), who holds it
(refcount) and maps it (mapcount), which list it is on (a buddy free
list, or one of the eviction policy's lists), whom it belongs to (the
anon_root of a fork family, or a file's address_space) and, in the swap
cache, its slot.
"""
import gdb

from pagoda import kernel, pte, swap

LIST_WALK_MAX = 1 << 20     # nodes followed to find a list's head


def flag_names(flags):
    return kernel.flag_string(flags, kernel.enum_names("enum page_flags"))


def flag_value(name):
    return dict(kernel.enum_names("enum page_flags"))[name]


def known_list_heads():
    """{address of a list head: its name}: the buddy free lists and the eviction lists."""
    heads = {}
    buddy = kernel.static("mm/pmm.c", "buddy")
    for order in kernel.orders(buddy):
        heads[int(buddy["free"][order].address)] = "buddy free list of order %d" % order
    for lists in evict_lists_all():
        for i in range(int(lists["nlists"])):
            entry = lists["list"][i]
            heads[int(entry["pages"].address)] = "%s (policy %s%s)" % (
                entry["name"].string(), lists["ops"]["name"].string(), lists_owner(lists))
    return heads


def evict_lists_all():
    """Every struct evict_lists: the machine's first, then each memory group's."""
    return kernel.list_entries(kernel.static("mm/evict.c", "all_lists"),
                               "struct evict_lists", "link")


def lists_owner(lists):
    if int(lists) == int(kernel.static("mm/evict.c", "machine").address):
        return ""
    return ", memory group %#x" % int(lists.address)


def list_of(page):
    """The name of the list page->lru is on, or None."""
    node = page["lru"]
    if int(node["next"]) == 0 or int(node["next"]) == int(node.address):
        return None
    heads = known_list_heads()
    for addr in kernel.list_nodes(node, LIST_WALK_MAX):
        if addr in heads:
            return heads[addr]
    return "a list of another kind (slab or kernel)"


KERNEL_KINDS = ("PG_RESERVED", "PG_BUDDY", "PG_SLAB", "PG_KMALLOC", "PG_PGTABLE", "PG_KSTACK")


def owner_kind(page):
    """What page->owner points to: "anon" (struct anon_root), "file" (struct
    address_space), or None (no owner, or a kernel frame whose field means nothing)."""
    flags = int(page["flags"])
    if int(page["owner"]) == 0 or any(flags & flag_value(k) for k in KERNEL_KINDS):
        return None
    return "anon" if flags & flag_value("PG_ANON") else "file"


def owner_text(page):
    """Whom the page belongs to, in words."""
    owner = page["owner"]
    index = int(page["index"])
    kind = owner_kind(page)
    if kind is None:
        return "none"
    if kind == "anon":
        root = owner.cast(kernel.ptr_type("struct anon_root"))
        mms = kernel.list_entries(root["mms"], "struct mm", "anon_link")
        who = []
        for mm in mms:
            t = kernel.mm_owner(mm)
            who.append("pid %d (%s)" % (int(t["pid"]), kernel.task_name(t)) if t else "mm %#x" % int(mm))
        return "(struct anon_root *) %#x of %s; virtual page %#x (address %#x)" % (
            int(root), ", ".join(who) or "no process", index, index << kernel.PAGE_SHIFT)
    mapping = owner.cast(kernel.ptr_type("struct address_space"))
    users = kernel.list_entries(mapping["i_mmap"], "struct vma", "mapping_link")
    names = sorted({v["file"]["path"].string() for v in users if int(v["file"])})
    return "(struct address_space *) %#x, a file's page %d%s" % (
        int(mapping), index, " (mapped from %s)" % ", ".join(names) if names else "")


def summary(page):
    """One line: flags, refcount and mapcount."""
    return "%s, refcount %d, mapcount %d" % (flag_names(int(page["flags"])),
                                            int(page["refcount"]), int(page["mapcount"]))


def print_page(pfn):
    page = kernel.page_of_pfn(pfn)
    flags = int(page["flags"])
    print("pfn %#x (physical %#x): (struct page *) %#x" % (pfn, pfn << kernel.PAGE_SHIFT, int(page)))
    print("  flags     %#x %s" % (flags, flag_names(flags)))
    print("  refcount  %d, mapcount %d" % (int(page["refcount"]), int(page["mapcount"])))
    print("  lru       %s" % (list_of(page) or "on no list"))
    print("  owner     %s" % owner_text(page))
    if flags & (flag_value("PG_BUDDY") | flag_value("PG_KMALLOC")):
        print("  order     %d (%d frames)" % (int(page["order"]), 1 << int(page["order"])))
    if flags & flag_value("PG_SWAPCACHE"):
        val = int(page["swap"]["val"])
        print("  swap      %s (%s)" % (pte.describe_swap(val), swap.describe_slot(val)))
    memcg = int(page["memcg"])
    print("  memcg     %s" % ("%#x" % memcg if memcg else "none"))


def pfn_of(addr, task_pid):
    """The frame an argument names: a pfn, a struct page *, a kernel or a user address."""
    pages = int(kernel.global_var("pages"))
    size = gdb.lookup_type("struct page").sizeof
    if addr < kernel.max_pfn():
        return addr
    if pages <= addr < pages + kernel.max_pfn() * size:
        return (addr - pages) // size
    if addr >= kernel.KERNEL_VMA:
        return (addr - kernel.KERNEL_VMA) >> kernel.PAGE_SHIFT
    if addr >= kernel.DIRECT_MAP_BASE:
        return (addr - kernel.DIRECT_MAP_BASE) >> kernel.PAGE_SHIFT
    from pagoda import walk
    t = kernel.find_task(task_pid)
    level, _, _, e = walk.walk(walk.pml4_of(t), addr)[-1]
    if not pte.present(e):
        raise gdb.GdbError("%#x has no frame in pid %d's page tables: %s"
                           % (addr, int(t["pid"]), pte.describe(e)))
    return (pte.frame(e) >> kernel.PAGE_SHIFT) + walk.pages_into_large(addr, level)


class Page(gdb.Command):
    """page PFN|ADDR [PID]: the struct page of a frame, decoded. The frame is
a frame number (below max_pfn), a struct page pointer, a kernel address
(direct map or kernel image), or a user address of process PID (default:
the current one), translated through its page tables."""

    def __init__(self):
        super().__init__("page", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        addr, pid = kernel.addr_and_pid(arg)
        if addr is None:
            raise gdb.GdbError("usage: page PFN|ADDR [PID]")
        pfn = pfn_of(addr, pid)
        if pfn >= kernel.max_pfn():
            raise gdb.GdbError("pfn %#x: no such frame (max_pfn is %#x)" % (pfn, kernel.max_pfn()))
        print_page(pfn)


Page()
