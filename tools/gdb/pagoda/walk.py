"""
pagoda/walk.py - the 4-level walk of one virtual address: `vm-walk ADDR [PID]`.

Does in Python what the MMU (and mm/x86/vmm.c's walk_to_level) does: from
the PML4, one table per level, index = 9 bits of the address, until a leaf
maps a frame or an entry is not present. Each step prints the table's
physical address, the index, the entry and its flags; the end says what
the address is: a frame (and its struct page), a swap entry (its slot),
or nothing, and then why (an untouched page of a region, a guard gap, no
region at all).
"""
import gdb

from pagoda import kernel, pages, procs, pte, swap

KSTACK_AREA_BASE = 0xffffc90000000000    # mm/kstack.h
KSTACK_SLOT_SIZE = 8 * kernel.PAGE_SIZE  # mm/kstack.h: 4 guard pages, then the stack
KSTACK_SIZE = 4 * kernel.PAGE_SIZE       # mm/kstack.h
KSTACK_SLOTS = 2048                      # mm/kstack.h
STACK_GUARD_GAP = 256 << 10              # mm/mm.h: kept free between the stack and the region below
USER_STACK_MAX = 8 << 20                 # mm/mm.h: the stack's largest size
USER_TOP = 0x0000800000000000            # mm/layout.h


def pml4_of(t):
    """The physical address of the PML4 a task runs on (the kernel's for kernel threads)."""
    table = t["mm"]["pml4"] if int(t["mm"]) else kernel.global_var("kernel_pml4")
    return int(table) - kernel.DIRECT_MAP_BASE


def walk(pml4_pa, va):
    """[(level, table, index, entry)], from the PML4 down to the leaf or the first not-present entry."""
    steps = []
    table = pml4_pa
    for level in (4, 3, 2, 1):
        i = pte.index(va, level)
        e = int.from_bytes(kernel.read_phys(table + 8 * i, 8), "little")
        steps.append((level, table, i, e))
        if not pte.present(e) or (level in (2, 3) and e & pte.PTE_PS):
            break
        table = pte.frame(e)
    return steps


def pages_into_large(va, level):
    """For a leaf at level 2 or 3 (2 MiB, 1 GiB): which 4 KiB page of it va is in."""
    if level == 1:
        return 0
    return (va & ((1 << (12 + 9 * (level - 1))) - 1)) >> kernel.PAGE_SHIFT


def why_not_mapped(va, t):
    """Why nothing is mapped at va, in words."""
    if KSTACK_AREA_BASE <= va < KSTACK_AREA_BASE + KSTACK_SLOTS * KSTACK_SLOT_SIZE:
        if (va - KSTACK_AREA_BASE) % KSTACK_SLOT_SIZE < KSTACK_SLOT_SIZE - KSTACK_SIZE:
            return "a guard page below a kernel stack (a fault here is a kernel stack overflow)"
        return "a kernel stack slot that is not in use"
    if va >= USER_TOP:
        return "a kernel address nothing maps"
    if int(t["mm"]) == 0:
        return "a user address, and pid %d is a kernel thread" % int(t["pid"])
    v = procs.vma_at(t["mm"], va)
    if v is not None:
        return ("not touched yet in region %s: the first access faults it in (demand paging)"
                % procs.maps_line(v).split()[0])
    below_stack = stack_growth(t["mm"], va)
    if below_stack:
        return below_stack
    return "in no region: a user access here is a segmentation fault"


def stack_growth(mm, va):
    """What a fault at va, below the stack, would do (mm/fault.c's grow_stack), or None."""
    below, stack = None, None
    for v in procs.vmas_of(mm):
        if int(v["start"]) > va:
            stack = v
            break
        below = v
    if stack is None or not int(stack["flags"]) & int(gdb.parse_and_eval("VMA_GROWSDOWN")):
        return None
    page = va & ~(kernel.PAGE_SIZE - 1)
    if int(stack["end"]) - page > USER_STACK_MAX:
        return None                     # too far below: the stack will not grow here
    if below is not None and page < int(below["end"]) + STACK_GUARD_GAP:
        return ("in the guard gap kept free between the stack and the region below it: "
                "a user access here is a segmentation fault")
    return "below the stack: the first access grows the stack down to here"


def print_end(va, t, level, e):
    if pte.present(e):
        size = 1 << (12 + 9 * (level - 1))
        phys = pte.frame(e) + (va & (size - 1))
        pfn = phys >> kernel.PAGE_SHIFT
        kind = {1: "4 KiB", 2: "2 MiB", 3: "1 GiB"}[level]
        print("=> %s page: physical %#x, pfn %#x" % (kind, phys, pfn))
        if pfn < kernel.max_pfn():
            print("   page: %s" % pages.summary(kernel.page_of_pfn(pfn)))
    elif pte.is_swap(e):
        val = pte.swap_entry(e)
        print("=> swapped out: %s (%s)" % (pte.describe_swap(val), swap.describe_slot(val)))
    else:
        print("=> not mapped: %s" % why_not_mapped(va, t))


class VmWalk(gdb.Command):
    """vm-walk ADDR [PID]: the 4-level page-table walk of virtual address ADDR
in process PID (default: the current one; a kernel thread walks the kernel's
tables). For each level: the table's physical address, the index, the entry
and its flags; then the frame, or where and why the walk stops."""

    def __init__(self):
        super().__init__("vm-walk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        va, pid = kernel.addr_and_pid(arg)
        if va is None:
            raise gdb.GdbError("usage: vm-walk ADDR [PID]")
        t = kernel.find_task(pid)
        print("vm-walk %#x in pid %d (%s)" % (va, int(t["pid"]), kernel.task_name(t)))
        steps = walk(pml4_of(t), va)
        for level, table, i, e in steps:
            print("  %-4s table %#010x [%3d] = %#018x  %s"
                  % (pte.LEVEL_NAMES[level], table, i, e, pte.describe(e)))
        level, _, _, e = steps[-1]
        print_end(va, t, level, e)


VmWalk()
