"""
pagoda - GDB helpers for the pagoda kernel (docs/debugging.md).

tools/gdb/kmain.gdb imports this package; each module is one concept and
adds its commands when imported:

  walk      vm-walk ADDR [PID]    the 4-level walk of an address
  procs     ps, vmas [PID]        tasks; regions as /proc/PID/maps
  pages     page PFN|ADDR [PID]   a struct page decoded
  frames    free-frames           the buddy free lists per order
  swap      swap-slots [PID]      used/free/bad slots; a process's slots
  lru       lru [N]               the eviction policy's lists
  printers                        print *page, a pte_t, a swp_entry_t decoded
  user      user-symbols PROG     a user program's symbols
            user-break PROG LOC   ... and a breakpoint in it

Every helper that takes an address and a process takes them in that
order, ADDR then PID, and PID defaults to the current process.
"""
from pagoda import frames, lru, pages, printers, procs, swap, user, walk  # noqa: F401
