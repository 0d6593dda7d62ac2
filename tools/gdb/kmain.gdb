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
# Used by `make debug` (tools/debug.sh) and by the GDB test in tests/run.
# The environment gives BUILD (default build) and GDB_PORT (default 1234).
set pagination off
set confirm off
set architecture i386:x86-64
python
import os
gdb.execute("file " + os.environ.get("BUILD", "build") + "/kernel.elf")
gdb.execute("target remote 127.0.0.1:" + os.environ.get("GDB_PORT", "1234"))
end
hbreak kmain
continue
delete
