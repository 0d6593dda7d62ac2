"""
pagoda/frames.py - the free frames, per buddy order: `free-frames`.

The buddy allocator (mm/buddy.c, its one instance in mm/pmm.c) keeps a
free list per order: blocks of 2^order frames. This helper walks each list
and counts its blocks, beside the allocator's own counters
(nr_free_blocks[order], nr_free); the two must agree, and the total is
what /proc/meminfo's MemFree says in kB / 4.
"""
import gdb

from pagoda import kernel


class FreeFrames(gdb.Command):
    """free-frames: the buddy allocator's free lists: for each order, the blocks
on its list (walked) and the allocator's count of them, and the frames they
hold; then the total, beside the allocator's nr_free (MemFree = total * 4 kB)."""

    def __init__(self):
        super().__init__("free-frames", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        kernel.split_args(arg, 0)
        buddy = kernel.static("mm/pmm.c", "buddy")
        total = 0
        print("order  blocks  (counted by the kernel)  frames")
        for order in kernel.orders(buddy):
            blocks = sum(1 for _ in kernel.list_nodes(buddy["free"][order]))
            frames = blocks << order
            total += frames
            print("%5d  %6d  (%6d)                 %6d" % (order, blocks,
                                                          int(buddy["nr_free_blocks"][order]), frames))
        print("total: %d free frames (%d kB); the kernel counts %d (buddy.nr_free)"
              % (total, total * 4, int(buddy["nr_free"])))


FreeFrames()
