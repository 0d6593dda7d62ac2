# tools/gdb/kmain.gdb - attach to QEMU's gdbstub and stop at kmain in 64-bit mode.
#
# QEMU starts the CPU in 16-bit real mode; our boot code then goes to
# 32-bit and finally to 64-bit mode. GDB settles the register layout when
# it connects, so we tell it up front that the target is x86-64 (QEMU's
# x86_64 gdbstub always sends 64-bit registers); otherwise GDB stops later
# with "Remote 'g' packet reply is too long". And a software breakpoint
# would be written at a virtual address that is not even mapped when we
# attach, so we use a hardware breakpoint: the CPU compares it with the
# linear address once paging makes that address real.
#
# It also loads the project's helpers (vm-walk, ps, vmas, page, free-frames,
# swap-slots, lru, user-symbols and the pretty-printers: tools/gdb/pagoda/,
# docs/debugging.md).
#
# Used by `make debug` (tools/debug.sh) and by the GDB tests (tests/gdb.sh).
# The environment gives BUILD (default build), GDB_PORT (default 1234) and
# PAGODA_GDB_DIR (where the helpers are; default tools/gdb).
set pagination off
set confirm off
set architecture i386:x86-64
python
import os
import sys
sys.path.insert(0, os.environ.get("PAGODA_GDB_DIR", "tools/gdb"))
gdb.execute("file " + os.environ.get("BUILD", "build") + "/kernel.elf")
try:
    import pagoda
except Exception as e:      # a broken helper must not keep GDB from the kernel
    print("kmain.gdb: the pagoda helpers did not load: %s" % e)
gdb.execute("target remote 127.0.0.1:" + os.environ.get("GDB_PORT", "1234"))
end
hbreak kmain
continue
delete
