# tests/labs/lab4.sh - lab 4's tests and points (docs/labs/lab4.md)
# The kernel tests call vm_fault() on test address spaces (tests/ktest/lab4.c);
# t_demand runs as init, so it also goes through fork and copy-on-write (lab 5).
lab_title "demand paging"
lab_depends 1 2 3 5
lab_test 15 kernel/lab4_anon_zero_fill       -- ktest lab4_anon_zero_fill
lab_test 10 kernel/lab4_anon_region_rights   -- ktest lab4_anon_region_rights
lab_test 10 kernel/lab4_anon_many_pages      -- ktest lab4_anon_many_pages
lab_test 15 kernel/lab4_file_maps_page_cache -- ktest lab4_file_maps_page_cache
lab_test 15 kernel/lab4_file_private_copy    -- ktest lab4_file_private_copy
lab_test 10 kernel/lab4_stack_grows          -- ktest lab4_stack_grows
lab_test 10 kernel/lab4_stack_limits         -- ktest lab4_stack_limits
lab_test 15 user/t_demand                    -- boot "init=/bin/t_demand" 0 "init exited with status 0" "none leaked"
