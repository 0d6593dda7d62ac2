# tests/labs/lab3.sh - lab 3's tests and points (docs/labs/lab3.md).
# The in-kernel tests run before init, on address spaces of their own; the
# boots run user programs, whose first system call ends the skeleton.
lab_title "user mode and system calls"
lab_depends 1 2 4            # boots, page tables, and the faults that bring user pages in
lab_test 10 kernel/lab3_access_ok_ranges            -- ktest lab3_access_ok_ranges
lab_test 15 kernel/lab3_copy_roundtrip              -- ktest lab3_copy_roundtrip
lab_test 10 kernel/lab3_copy_faults_in_pages        -- ktest lab3_copy_faults_in_pages
lab_test 15 kernel/lab3_bad_pointers_efault         -- ktest lab3_bad_pointers_efault
lab_test 10 kernel/lab3_unmapped_and_readonly_efault -- ktest lab3_unmapped_and_readonly_efault
lab_test 10 kernel/lab3_dispatch_unknown_is_enosys  -- ktest lab3_dispatch_unknown_is_enosys
lab_test 10 kernel/lab3_dispatch_passes_arguments   -- ktest lab3_dispatch_passes_arguments
lab_test 5  user/hello                              -- boot "init=/bin/hello" 0 "hello, world"
lab_test 15 user/t_syscall                          -- boot "init=/bin/t_syscall" 0 \
	"ok registers_preserved" "ok pread64_offset_in_r10" "init exited with status 0" "none leaked"
