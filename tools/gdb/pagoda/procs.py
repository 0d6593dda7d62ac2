"""
pagoda/procs.py - processes and their regions: `ps` and `vmas [PID]`.

`ps` prints what /proc/PID/status says of each task (kernel/fs/procfs_pid.c's
gen_status): pid, state, name, resident and swapped-out memory in kB.
`vmas` prints a process's regions exactly as /proc/PID/maps does
(gen_maps), so that the two can be compared line by line.
"""
import gdb

from pagoda import kernel

STATES = {"TASK_RUNNABLE": "R", "TASK_SLEEPING": "S", "TASK_ZOMBIE": "Z"}


def state_letter(t):
    return STATES.get(str(t["state"]), "?")


def rss_swap_kb(t):
    mm = t["mm"]
    if int(mm) == 0:
        return 0, 0
    return int(mm["rss"]) * 4, int(mm["swap_ents"]) * 4


def vmas_of(mm):
    """The regions of an address space (struct vma *), lowest first."""
    return kernel.list_entries(mm["vmas"], "struct vma", "link")


def vma_at(mm, va):
    """The region holding va, or None."""
    for v in vmas_of(mm):
        if int(v["start"]) <= va < int(v["end"]):
            return v
    return None


def maps_line(v):
    """One line of /proc/PID/maps for region v, as gen_maps() prints it."""
    prot = int(v["prot"])
    f = v["file"]
    start, end = int(v["start"]), int(v["end"])
    flags = int(v["flags"])
    if int(f):
        name = f["path"].string()
    elif flags & int(gdb.parse_and_eval("VMA_HEAP")):
        name = "[heap]"
    elif flags & int(gdb.parse_and_eval("VMA_GROWSDOWN")):
        name = "[stack]"
    else:
        name = ""
    line = "%08x-%08x %s%s%sp %08x %s %d" % (
        start, end, "r" if prot & 1 else "-", "w" if prot & 2 else "-", "x" if prot & 4 else "-",
        int(v["pgoff"]) * kernel.PAGE_SIZE if int(f) else 0, "08:01" if int(f) else "00:00",
        int(f["ino"]) if int(f) else 0)
    if name:
        line += " " * max(1, 73 - len(line)) + name
    return line


class Ps(gdb.Command):
    """ps: every task: pid, state (R runnable, S sleeping, Z zombie; * the
current one), name, and its resident (RSS) and swapped-out (SWAP) memory
in kB, as VmRSS and VmSwap in /proc/PID/status."""

    def __init__(self):
        super().__init__("ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        kernel.split_args(arg, 0)
        cur = int(kernel.current())
        print("  PID S  NAME              RSS(kB)  SWAP(kB)")
        for t in kernel.tasks():
            rss, swap = rss_swap_kb(t)
            mark = "*" if int(t) == cur else " "
            kind = " [kernel]" if bool(t["is_kernel_thread"]) else ""
            print("%5d %s%s %-16s %8d  %8d%s" % (int(t["pid"]), state_letter(t), mark,
                                                kernel.task_name(t), rss, swap, kind))


class Vmas(gdb.Command):
    """vmas [PID]: the regions of process PID (default: the current one),
as /proc/PID/maps prints them: start-end, rights, file offset, device,
inode, and the file or [heap] / [stack]."""

    def __init__(self):
        super().__init__("vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = kernel.split_args(arg, 1)
        t = kernel.find_task(kernel.number(argv[0]) if argv else None)
        if int(t["mm"]) == 0:
            raise gdb.GdbError("pid %d (%s) is a kernel thread: no user regions"
                               % (int(t["pid"]), kernel.task_name(t)))
        for v in vmas_of(t["mm"]):
            print(maps_line(v))


Ps()
Vmas()
