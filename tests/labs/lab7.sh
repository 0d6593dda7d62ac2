# tests/labs/lab7.sh - lab 7's tests and points (docs/labs/lab7.md)
# The kernel tests swap a page of a test address space out (as
# madvise(MADV_PAGEOUT) does) and fault it back in with vm_fault()
# (tests/ktest/lab7.c); they need the swap disk tools/qemu.sh attaches.
# The workloads swap at MEM=8M with a 64 MiB swap disk and check every
# page, frame and slot; they run as programs (labs 3, 4) and fork (lab 5).
# Reclaim chooses their victims with lru2, whose lab 6 stub (every page
# evicted at its first look) still evicts correctly: no need of lab 6.
lab_title "swap: swap entries, swap-out, swap-in with the swap cache"
lab_depends 1 2 3 4 5

lab_test 5  unit/swap_entry -- unit swap_entry
lab_test 5  kernel/lab7_swap_entry_encoding          -- ktest lab7_swap_entry_encoding
lab_test 20 kernel/lab7_swap_out_installs_the_entry  -- ktest lab7_swap_out_installs_the_entry
lab_test 15 kernel/lab7_swap_in_by_a_read_keeps_the_slot  -- ktest lab7_swap_in_by_a_read_keeps_the_slot
lab_test 10 kernel/lab7_swap_in_by_a_write_frees_the_slot -- ktest lab7_swap_in_by_a_write_frees_the_slot
lab_test 15 kernel/lab7_second_sharer_hits_the_swap_cache -- ktest lab7_second_sharer_hits_the_swap_cache
lab_test 10 swap/seqtouch -- boot MEM=8M "init=/bin/seqtouch 12" 0 \
	" errors=0" "none leaked" "slots free after init: all free"
lab_test 10 swap/forkswap -- boot MEM=8M "init=/bin/forkswap 6 2" 0 \
	" errors=0" "none leaked" "slots free after init: all free"
lab_test 10 swap/rand -- boot MEM=8M "init=/bin/rand 12" 0 \
	" errors=0" "none leaked" "slots free after init: all free"
