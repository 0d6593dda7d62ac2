# tests/labs/lab1.sh - lab 1's tests and points (docs/labs/lab1.md).
# The skeleton halts in boot/entry.asm before kmain, so every boot of it
# fails; only the CPU check, which comes before the student's code, passes.
lab_title "boot to long mode"
lab_depends 2 3 4            # the boots build page tables, run /bin/hello, fault its pages in
lab_test 10 kernel/lab1_boot_identity_map     -- ktest lab1_boot_identity_map
lab_test 15 kernel/lab1_boot_direct_map       -- ktest lab1_boot_direct_map
lab_test 15 kernel/lab1_boot_kernel_map       -- ktest lab1_boot_kernel_map
lab_test 15 kernel/lab1_paging_control_bits   -- ktest lab1_paging_control_bits
lab_test 10 kernel/lab1_efer_long_mode_and_nx -- ktest lab1_efer_long_mode_and_nx
lab_test 10 kernel/kernel_image_permissions   -- ktest kernel_image_permissions
lab_test 5  crash/write_rodata                -- boot "test=crash_write_rodata" 125 \
	"trap: write to a read-only page (write-protect); the address is in kernel rodata"
lab_test 15 user/hello                        -- boot "init=/bin/hello" 0 "hello, world" \
	"init exited with status 0"
lab_test 5  boot/no_long_mode_message         -- boot QEMU_CPU=qemu32 "" 125 \
	"boot: this CPU has no long mode (x86-64); cannot run a 64-bit kernel; halting"
