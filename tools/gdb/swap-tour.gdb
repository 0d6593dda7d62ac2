# tools/gdb/swap-tour.gdb - the guided session of docs/debugging.md: one
# page's trip to swap and back, seen with the project's GDB helpers.
#
# Run it with the t_gdb workload, which writes 12 MiB at 0x10000000 on an
# 8 MiB machine, prints /proc files, then reads its first page back:
#
#     MEM=8M KARGS="init=/bin/t_gdb" tools/debug.sh -batch -x tools/gdb/swap-tour.gdb
#
# or type the same commands at the prompt of `make debug MEM=8M
# KARGS="init=/bin/t_gdb"`. tests/gdb.sh runs it and checks what the
# helpers print against what the kernel itself prints (/proc).
#
# The page is anonymous memory: struct page's index is its virtual page
# number, 0x10000000 >> 12 = 0x10000.

set trace-commands on

# 1. The swap-out: reclaim unmaps the page from every page table that maps it.
#    kswapd does it, so vm-walk gets t_gdb's pid (1) after the address.
hbreak try_to_unmap if p->index == 0x10000 && (p->flags & PG_ANON)
continue
bt 4
page p
print *p
vm-walk 0x10000000 1
delete
finish
vm-walk 0x10000000 1

# 2. The process, as /proc sees it: stop where the kernel writes each file.
thbreak gen_maps
continue
vmas
thbreak gen_status
continue
ps
thbreak gen_meminfo
continue
free-frames
swap-slots
lru

# 3. The swap-in: the page fault of the read of 0x10000000. With t_gdb's
#    symbols, the user instruction that faulted (tf->rip, in frame #1) has
#    its line; QEMU's monitor shows the CPU's view of the current tables.
hbreak vm_fault if f->addr == 0x10000000
continue
bt 3
print *f
vm-walk 0x10000000
print kernel_pml4[511]
user-symbols t_gdb
frame 1
info line *tf->rip
monitor info mem
delete

# 4. Back in memory, and still in the swap cache: a read keeps the slot.
#    QEMU's own translation (gva2gpa) must agree with vm-walk's.
thbreak gen_status
continue
vm-walk 0x10000000
monitor gva2gpa 0x10000000
page 0x10000000

# The end. `continue` would run t_gdb to its end and the kernel would power
# off (GDB: "Remote connection closed"); kill ends QEMU here instead.
kill
