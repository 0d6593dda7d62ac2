# tests/labs/lab2.sh - lab 2's tests and points (docs/labs/lab2.md).
#
# With lab 2's functions stubbed the kernel cannot boot (it needs frames
# and page tables before anything else), so most points come from the host
# unit tests of the same code: tests/unit/test_buddy.c (mm/buddy.c) and
# tests/unit/test_vmm.c (mm/x86/vmm.c over a fake physical memory). The
# boots count once both work.
lab_title "frames and page tables"
lab_depends 1                # the boots go through lab 1's long-mode switch

lab_test 10 unit/buddy_split    -- unit buddy split_gives_lowest_half smallest_block_is_used_first
lab_test 10 unit/buddy_merge    -- unit buddy init_counts merges_with_buddy_only exhaustion_and_full_coalescing
lab_test  5 unit/buddy_bad_free -- unit buddy bad_frees_are_rejected
lab_test  5 unit/buddy_random   -- unit buddy random_against_model
lab_test 10 unit/vmm_walk       -- unit vmm walk_reaches_every_level tables_made_as_needed
lab_test 10 unit/vmm_map        -- unit vmm map_then_translate entry_bits no_nx_bit_without_nxe map_refuses_a_mapped_page
lab_test 10 unit/vmm_unmap      -- unit vmm unmap_flushes_and_frees_tables unmap_keeps_tables_in_use map_fails_cleanly_without_memory
lab_test 10 unit/vmm_translate  -- unit vmm translate_large_pages translate_misses_at_every_level
lab_test  5 unit/vmm_random     -- unit vmm random_against_model
lab_test  5 kernel/lab2_blocks_split_and_merge_back -- ktest lab2_blocks_split_and_merge_back
lab_test  5 kernel/pmm_alloc_every_frame_then_free_all -- ktest pmm_alloc_every_frame_then_free_all
lab_test  5 kernel/lab2_user_page_tables -- ktest lab2_user_page_tables
lab_test  5 kernel/vmm_map_translate_unmap -- ktest vmm_map_translate_unmap
lab_test  5 boot/hello          -- boot "init=/bin/hello" 0 "hello, world"
