"""
pagoda/kernel.py - what every helper needs to read the kernel from GDB.

The helpers read kernel structures by their C types and symbols, from the
debug information of build/kernel.elf (gdb.lookup_type, gdb.parse_and_eval):
no struct offset is written here. Only the few facts that are #defines in C
(and so are not in the debug information) are repeated, each under the name
and header it has in C.

Physical memory is read through the direct map (mm/layout.h): it is in the
kernel half of every address space, so it reads the same whichever process
the CPU is running when GDB stopped it.
"""
import struct

import gdb

DIRECT_MAP_BASE = 0xffff800000000000     # mm/layout.h
KERNEL_VMA = 0xffffffff80000000          # mm/layout.h
PAGE_SHIFT = 12                          # kernel/types.h
PAGE_SIZE = 1 << PAGE_SHIFT


def global_var(name):
    """The kernel's global variable name, whichever frame is selected (a local
    or a parameter of that name, as swap_out's pages, would hide it in an expression)."""
    sym = gdb.lookup_global_symbol(name)
    if sym is None:
        raise gdb.GdbError("no global variable %s in the kernel" % name)
    return sym.value()


def static(path, name):
    """The file-static variable name of the C file path (e.g. mm/pmm.c's buddy),
    whichever frame is selected (an expression would see a local of that name first)."""
    for sym in gdb.lookup_static_symbols(name):
        if sym.symtab.filename.endswith(path):
            return sym.value()
    raise gdb.GdbError("no static variable %s in %s" % (name, path))


def ptr_type(name):
    return gdb.lookup_type(name).pointer()


def number(arg):
    """An argument the user typed (a number, a symbol, any C expression) as an
    integer; a function or an array stands for its address, as in C."""
    v = gdb.parse_and_eval(arg)
    if v.type.strip_typedefs().code in (gdb.TYPE_CODE_FUNC, gdb.TYPE_CODE_ARRAY):
        v = v.address
    return int(v) & 0xffffffffffffffff


def addr_and_pid(arg):
    """ADDR [PID], where ADDR may be an expression with spaces: the whole
    argument if it is one expression, else the last word is the pid."""
    arg = arg.strip()
    if not arg:
        return None, None
    try:
        return number(arg), None
    except gdb.error:
        if " " not in arg:
            raise
    addr, pid = arg.rsplit(None, 1)
    return number(addr), number(pid)


def read_phys(pa, size):
    """size bytes of physical memory at pa, through the direct map."""
    return bytes(gdb.selected_inferior().read_memory(DIRECT_MAP_BASE + pa, size))


def read_table(pa):
    """The 512 entries of the page-table page at physical address pa."""
    return struct.unpack("<512Q", read_phys(pa, PAGE_SIZE))


def container_of(ptr, typename, member):
    """The struct typename that holds the field member at ptr (kernel/list.h's list_entry)."""
    t = gdb.lookup_type(typename)
    offset = next(f.bitpos // 8 for f in t.fields() if f.name == member)
    return gdb.Value(int(ptr) - offset).cast(t.pointer())


def list_nodes(head, limit=1 << 20):
    """The addresses of the nodes of the struct list_head head, first to last."""
    head_addr = int(head.address)
    node = head["next"]
    while int(node) != head_addr and limit > 0:
        yield int(node)
        node = node["next"]
        limit -= 1


def list_entries(head, typename, member):
    """The entries of a kernel list, as (typename *) values."""
    for node in list_nodes(head):
        yield container_of(node, typename, member)


def tasks():
    """Every task, in kernel/sched.c's all_tasks order (the idle task first)."""
    return list_entries(static("kernel/sched.c", "all_tasks"), "struct task", "all_link")


def current():
    return global_var("current")


def find_task(pid=None):
    """The task with that pid, or the current one; raises gdb.GdbError if none."""
    if pid is None:
        t = current()
        if int(t) == 0:
            raise gdb.GdbError("no current task yet (the scheduler has not started)")
        return t
    for t in tasks():
        if int(t["pid"]) == pid:
            return t
    raise gdb.GdbError("no task with pid %d" % pid)


def task_name(t):
    return t["name"].string()


def mm_owner(mm):
    """The task whose address space mm is, or None."""
    for t in tasks():
        if int(t["mm"]) == int(mm):
            return t
    return None


def enum_names(typename):
    """The constants of a C enum, as [(name, value)], in declaration order."""
    return [(f.name, int(f.enumval)) for f in gdb.lookup_type(typename).fields()]


def flag_string(flags, names):
    """flags as "A|B" from an enum of single bits; bits no name covers as a hex rest."""
    words = [name for name, bit in names if flags & bit]
    rest = flags & ~sum(bit for _, bit in names)
    if rest:
        words.append("%#x" % rest)
    return "|".join(words) if words else "0"


def max_pfn():
    return int(global_var("max_pfn"))


def page_of_pfn(pfn):
    return global_var("pages") + pfn


def pfn_of_page(page):
    return (int(page) - int(global_var("pages"))) // gdb.lookup_type("struct page").sizeof


def orders(buddy):
    """The orders of the buddy allocator's free lists: 0 .. MAX_ORDER (mm/page.h)."""
    low, high = buddy["free"].type.range()
    return range(low, high + 1)


def split_args(arg, most):
    argv = gdb.string_to_argv(arg)
    if len(argv) > most:
        raise gdb.GdbError("too many arguments: %s" % arg)
    return argv
