# tests/labs/lab5.sh - lab 5's tests and points (docs/labs/lab5.md)
# The kernel tests fork test address spaces with mm_fork() and fault with
# vm_fault() (tests/ktest/lab5.c); the user programs fork as init. (Not
# t_cow_frames: when fork fails, it waits for its child's answer forever.)
lab_title "copy-on-write fork"
lab_depends 1 2 3 4
lab_test 20 kernel/lab5_fork_shares_frames   -- ktest lab5_fork_shares_frames
lab_test 20 kernel/lab5_write_copies         -- ktest lab5_write_copies
lab_test 15 kernel/lab5_last_sharer_reuses   -- ktest lab5_last_sharer_reuses
lab_test 10 kernel/lab5_teardown_frees       -- ktest lab5_teardown_frees
lab_test 15 user/t_fork                      -- boot "init=/bin/t_fork" 0 "init exited with status 0" "none leaked"
lab_test 20 user/t_cow                       -- boot "init=/bin/t_cow" 0 "init exited with status 0" "none leaked"
