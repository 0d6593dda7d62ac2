# Makefile - builds the kernel and its boot ISO, runs and tests it.
#
#   make                 build/kernel.elf, build/os.iso, build/disk.img, build/swap.img
#   make run             boot in QEMU (MEM= CPUS= KARGS= DISK= SWAP= EXTRA_BIN=;
#                        VIZ=live: the memory picture on http://127.0.0.1:8471/)
#   make debug           QEMU paused + GDB stopped at kmain
#   make test            every test; the last line is "N passed, N failed"
#                        (JOBS=n boots at once, default nproc; T=pattern: README)
#   make bench           swap workloads, pagoda and Debian's Linux side by side
#   make policy-lab      replacement policies vs the simulator and Belady's OPT
#   make viz             a picture of memory over time: build/viz/index.html
#                        (VIZ_WORKLOAD="seqtouch 38", MEM, VIZ_EVERY=50ms); docs/viz.md
#   make lab N=5         lab 5's student tree (OUT=dir, default build/lab5; GIT=0:
#                        no git repository): docs/labs/README.md
#   make grade N=5       lab 5's tests and points: "score: N/100", results.json
#   make handin          in a lab's tree: labN-handin.patch, the changes to hand in
#   make autograder N=5  build/autograder-lab5.zip for Gradescope
#   make CC=clang        build with clang; CROSS_COMPILE=x86_64-elf- for a cross gcc
#   make BUILD=dir       build somewhere else (the clang test uses build/clang)
#   make debug OPT=-Og   the kernel optimized for debugging: GDB shows the variables
#                        that -O2 leaves <optimized out> (docs/debugging.md)

BUILD         ?= build
CROSS_COMPILE ?=
ifeq ($(origin CC),default)
CC            := $(CROSS_COMPILE)gcc
endif
LD            := $(CROSS_COMPILE)ld
NM            := $(CROSS_COMPILE)nm
STRIP         := $(CROSS_COMPILE)strip
NASM          ?= nasm
HOSTCC        ?= cc

# Quiet by default; `make V=1` shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif

MEM           ?= 128M
CPUS          ?= 1
KARGS         ?=
DISK          ?= ide
SWAP          ?= 64M
EXTRA_BIN     ?=
export MEM CPUS KARGS DISK SWAP EXTRA_BIN BUILD

# OPT: the kernel's optimization. -Og keeps variables for GDB; a change of
# compiler or flags rebuilds every object (cflags.stamp below).
OPT           ?= -O2
CFLAGS := -std=gnu11 $(OPT) -g -ffreestanding -fno-pie -fno-pic -fno-stack-protector \
          -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
          -fno-optimize-sibling-calls -fno-common -Wall -Wextra -Werror \
          -Wno-unused-parameter -I.
ASFLAGS := -f elf64 -g -F dwarf -I.
LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T linker.ld

C_SRCS   := $(wildcard kernel/*.c kernel/fs/*.c mm/*.c mm/x86/*.c drivers/*.c tests/ktest/*.c)
ASM_SRCS := $(wildcard boot/*.asm kernel/*.asm mm/x86/*.asm)
OBJS     := $(C_SRCS:%.c=$(BUILD)/obj/%.o) $(ASM_SRCS:%.asm=$(BUILD)/obj/%.o)

.PHONY: all run debug test unit-tests bench policy-lab viz viz-screenshot lab grade handin autograder clean deps
all: deps $(BUILD)/kernel.elf $(BUILD)/os.iso $(BUILD)/disk.img $(BUILD)/swap.img \
     $(BUILD)/tools/policysim

include user/user.mk

deps:
	@tools/deps.sh build

# Every object depends on the Makefile and on the compiler and flags it was
# built with (cflags.stamp), so a change of either rebuilds all: objects of
# make OPT=-Og never mix with -O2 ones.
$(BUILD)/obj/%.o: %.c Makefile $(BUILD)/cflags.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.asm $(wildcard boot/*.inc kernel/*.inc) Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) $(ASFLAGS) $< -o $@

# The kernel is linked twice: the first link has an empty symbol table,
# whose `nm` becomes the real table of the second (see kernel/ksyms.c).
# The check makes sure no function moved between the two links.
$(BUILD)/ksyms-empty.c: tools/gensyms.sh
	@mkdir -p $(BUILD)
	$(Q)tools/gensyms.sh - > $@

$(BUILD)/kernel.stage1.elf: $(OBJS) $(BUILD)/obj/ksyms-empty.o linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/obj/ksyms-empty.o

$(BUILD)/ksyms.c: $(BUILD)/kernel.stage1.elf tools/gensyms.sh
	$(Q)tools/gensyms.sh $< $(NM) > $@

$(BUILD)/obj/ksyms-empty.o $(BUILD)/obj/ksyms.o: $(BUILD)/obj/%.o: $(BUILD)/%.c
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(OBJS) $(BUILD)/obj/ksyms.o linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/obj/ksyms.o
	@$(NM) -n $(BUILD)/kernel.stage1.elf | grep ' [tT] ' > $(BUILD)/syms.stage1
	@$(NM) -n $@ | grep ' [tT] ' > $(BUILD)/syms.final
	@cmp -s $(BUILD)/syms.stage1 $(BUILD)/syms.final || \
		{ echo "ksyms: functions moved between the two link passes" >&2; rm -f $@; exit 1; }

# Stamps that change only when what they describe does (written through a
# file of the shell's own, so makes running at once do not trip on each
# other's), so that a make with nothing new to do is quick: what EXTRA_BIN names and holds (names,
# sizes, times), and the size of the swap area. `make run` without
# EXTRA_BIN after one with it rebuilds the images without those programs.
define update_stamp
	@mkdir -p $(@D)
	@t=$@.tmp.$$$$; { $(1); } > $$t 2>/dev/null; cmp -s $$t $@ && rm -f $$t || mv -f $$t $@
endef
$(BUILD)/extra-bin.stamp: FORCE
	$(call update_stamp,echo "EXTRA_BIN=$(EXTRA_BIN)"; [ -z "$(EXTRA_BIN)" ] || \
		find "$(EXTRA_BIN)" -maxdepth 1 -type f -printf '%f %s %T@\n' | LC_ALL=C sort)
$(BUILD)/swap.stamp: FORCE
	$(call update_stamp,echo "SWAP=$(SWAP)")
$(BUILD)/cflags.stamp: FORCE
	$(call update_stamp,echo "$(CC) $(CFLAGS)")

# The user programs' names. The images copy build/user/bin whole, so a
# program renamed or removed (seq became seqtouch) would stay in /bin,
# there hiding busybox's applet of that name: its old binary is deleted and
# the images are made again.
$(BUILD)/user-bins.stamp: FORCE
	@rm -f $(filter-out $(USER_BINS) $(USER_BIN_DIR)/bad,$(wildcard $(USER_BIN_DIR)/*))
	$(call update_stamp,echo "$(notdir $(USER_BINS))")

# The initial RAM disk: the root disk's tree without /test.
$(BUILD)/initrd.cpio: $(USER_BINS) $(USER_BAD_ELFS) tools/mkinitrd.sh tools/mkrootfs.sh \
		      $(BUILD)/extra-bin.stamp $(BUILD)/busybox $(BUILD)/user-bins.stamp
	@$(if $(Q),echo "  INITRD  $@")
	$(Q)STRIP=$(STRIP) BUSYBOX=$(BUILD)/busybox tools/mkinitrd.sh $(BUILD)/user/bin $@ $(EXTRA_BIN)

# One ISO for every boot: tools/qemu.sh passes KARGS through QEMU's fw_cfg.
$(BUILD)/os.iso: $(BUILD)/kernel.elf $(BUILD)/initrd.cpio iso/grub.cfg tools/mkiso.sh
	@$(if $(Q),echo "  ISO     $@")
	$(Q)STRIP=$(STRIP) tools/mkiso.sh $(BUILD)/kernel.elf $@ $(BUILD)/initrd.cpio

# Debian's busybox-static, the root disk's userland: downloaded once into
# DEB_DIR (apt-get download; nothing installed on the host).
DEB_DIR ?= build/debs
$(BUILD)/busybox: tools/busybox.sh tools/debfetch.sh
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FETCH   $@")
	$(Q)tools/busybox.sh $(DEB_DIR) $@

# The root disk (MBR + ext2 by mke2fs -d) and the swap area (mkswap).
# 256 MiB (sparse on the host: only what mke2fs writes takes room) hold
# /swapfile (SWAPFILE_MB, for swapon: tools/mkswapfile.sh) beside a file
# of twice the RAM at MEM=32M.
DISK_MB ?= 256
SWAPFILE_MB ?= 64
$(BUILD)/disk.img: $(USER_BINS) $(USER_BAD_ELFS) tools/mkrootfs.sh tools/mkdisk.sh \
		   tools/mkswapfile.sh $(BUILD)/extra-bin.stamp $(BUILD)/user-bins.stamp $(BUILD)/busybox
	@$(if $(Q),echo "  EXT2    $@")
	$(Q)BUSYBOX=$(BUILD)/busybox tools/mkrootfs.sh $(BUILD)/user/bin $(BUILD)/rootfs $(EXTRA_BIN)
	$(Q)tools/mkswapfile.sh $(BUILD)/rootfs $(SWAPFILE_MB)
	$(Q)tools/mkdisk.sh $(BUILD)/rootfs $@ $(DISK_MB)

# The replacement-policy simulator runs on the host (docs/policies.md).
$(BUILD)/tools/policysim: tools/policysim.c user/lib/refstring.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/swap.img: tools/mkswapimg.sh $(BUILD)/swap.stamp
	$(Q)tools/mkswapimg.sh $@ $(SWAP)

.PHONY: FORCE
FORCE:

run: all
	@$(if $(filter live,$(VIZ)),tools/viz/live.sh,tools/qemu.sh)

debug: all
	@tools/debug.sh

# The tools first, then the build on every CPU (a fresh clone builds in
# half the time), then the suite.
test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory -j$$(nproc) all
	@tests/run

bench: all
	@MAKE="$(MAKE)" tools/bench.sh

policy-lab: all
	@tools/policy-lab.sh

# A picture of memory over time (docs/viz.md): a workload as init with
# memory snapshots on, turned into build/viz/index.html. The RAM is 21M,
# so that the default workload swaps, unless MEM= is on make's command
# line (a MEM in the environment, such as make test's, does not count).
VIZ_WORKLOAD ?= seqtouch 38
VIZ_EVERY    ?= 50ms
viz: all
	@MEM=$(if $(filter command line,$(origin MEM)),$(MEM),21M) VIZ_WORKLOAD="$(VIZ_WORKLOAD)" \
		VIZ_EVERY="$(VIZ_EVERY)" tools/viz/run.sh

# README's picture, docs/memory-viz.png, from that page (not made by make test).
viz-screenshot: viz
	@tools/viz/screenshot.sh $(BUILD)/viz/index.html docs/memory-viz.png

# The labs (docs/labs/README.md).
lab:
	@tools/lab/mklab.sh "$(N)" "$(or $(OUT),$(BUILD)/lab$(N))"

grade: all
	@tools/lab/grade.sh "$(N)"

handin:
	@tools/lab/handin.sh

autograder:
	@tools/lab/autograder.sh "$(N)" "$(or $(OUT),$(BUILD)/autograder-lab$(N).zip)"

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d)
