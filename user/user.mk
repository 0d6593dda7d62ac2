# user/user.mk - builds the user programs: static Linux x86-64 executables
# (musl-gcc -static, non-PIE, ELF type EXEC) that run on pagoda and on the
# host alike, plus the malformed ELF files for the exec test.
#
# Included by the top-level Makefile, or standalone:
#     make -f user/user.mk BUILD=build user
#
#   user/NAME.c        programs        -> $(BUILD)/user/bin/NAME
#   user/tests/NAME.c  test programs   -> $(BUILD)/user/bin/NAME
#   user/lib/*.h       shared header-only helpers (every binary depends on them)
#   user/tools/gen_bad_elf.c (host cc) -> $(BUILD)/user/bin/bad/NAME
#
# Variables for the includer: USER_BINS (every program), USER_BAD_ELFS
# (the malformed files, plus "control", their valid base), target "user".

USER_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
USER_SAVED_GOAL := $(.DEFAULT_GOAL)

BUILD ?= build
MUSL_CC ?= musl-gcc
USER_HOST_CC ?= cc
USER_CFLAGS := -static -no-pie -O2 -g -Wall -Wextra -Werror -std=gnu11 -I$(USER_DIR)/lib
USER_HOST_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11

USER_PROGS := init tinysh hello cat free vmstat memhog seqtouch rand hotcold forkswap refstr memsnap memctl swapctl
USER_TESTS := t_args t_fork t_cow t_cow_frames t_isolation t_exec_bad t_mem t_sched t_files t_pagecache t_read t_demand t_bigdata t_share t_oom t_exit t_swapslot t_swapreaderr t_rlimit t_policy t_syscall t_gdb t_cgroup t_memqos t_signal t_uvm t_timer t_jobs t_poll t_thread t_thread_proc t_tty t_script t_mount t_procstat t_shmem t_fsmeta t_tmpfs t_mremap t_mlock t_links t_writeback t_ext2w t_swapon t_readahead t_diskstats
USER_BIN_DIR := $(BUILD)/user/bin
USER_PROG_BINS := $(addprefix $(USER_BIN_DIR)/,$(USER_PROGS))
USER_TEST_BINS := $(addprefix $(USER_BIN_DIR)/,$(USER_TESTS))
USER_BINS := $(USER_PROG_BINS) $(USER_TEST_BINS)

USER_BAD_NAMES := bad_magic truncated kernel_segment huge_segment phdrs_out_of_file \
	zero_phnum not_exec control
USER_BAD_ELFS := $(addprefix $(USER_BIN_DIR)/bad/,$(USER_BAD_NAMES))
USER_GEN_BAD_ELF := $(BUILD)/user/tools/gen_bad_elf

USER_HEADERS := $(wildcard $(USER_DIR)/lib/*.h)

.PHONY: user
user: $(USER_BINS) $(USER_BAD_ELFS)

$(USER_PROG_BINS): $(USER_BIN_DIR)/%: $(USER_DIR)/%.c $(USER_HEADERS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MUSLCC  $<")
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -o $@ $<

$(USER_TEST_BINS): $(USER_BIN_DIR)/%: $(USER_DIR)/tests/%.c $(USER_HEADERS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MUSLCC  $<")
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -o $@ $<

$(USER_GEN_BAD_ELF): $(USER_DIR)/tools/gen_bad_elf.c
	@mkdir -p $(@D)
	$(Q)$(USER_HOST_CC) $(USER_HOST_CFLAGS) -o $@ $<

$(USER_BAD_ELFS): $(USER_BIN_DIR)/bad/%: $(USER_GEN_BAD_ELF)
	@mkdir -p $(@D)
	$(Q)$(USER_GEN_BAD_ELF) $* $@

# Included: leave the includer's default goal alone. Standalone: "user".
ifneq ($(words $(MAKEFILE_LIST)),1)
.DEFAULT_GOAL := $(USER_SAVED_GOAL)
endif
