/*
 * tests/ktest/test_boot.c - the boot foundation: command line, memory map,
 * symbols and backtraces, and traps that return to the interrupted code.
 */
#include "drivers/fw_cfg.h"
#include "kernel/backtrace.h"
#include "kernel/cmdline.h"
#include "kernel/ksyms.h"
#include "kernel/ktest.h"
#include "kernel/multiboot.h"
#include "kernel/string.h"
#include "kernel/trap.h"
#include "kernel/vsprintf.h"
#include "mm/layout.h"

KTEST(cmdline_from_multiboot)
{
	KT_ASSERT(karg_get("test") != NULL);
	KT_ASSERT(strncmp(boot_info.cmdline, "", 1) != 0);
	KT_ASSERT(strcmp(boot_info.loader, "") != 0);
}

/* tools/qemu.sh hands the arguments over by fw_cfg: the file reads back as they were. */
KTEST(cmdline_from_qemu_fw_cfg)
{
	char buf[sizeof(boot_info.cmdline)];
	long n = fw_cfg_read_file(QEMU_CMDLINE_FILE, buf, sizeof(buf) - 1);

	KT_ASSERT(n > 0 && n < (long)sizeof(buf));
	buf[n] = '\0';
	KT_ASSERT(strncmp(buf, "test=", 5) == 0);           /* tests/run puts it first */
	KT_ASSERT(strcmp(buf, boot_info.qemu_cmdline) == 0);
	KT_ASSERT(strlen(boot_info.cmdline) >= (size_t)n);  /* GRUB's, then QEMU's */
	KT_ASSERT(strcmp(boot_info.cmdline + strlen(boot_info.cmdline) - n, buf) == 0);
	KT_ASSERT_EQ(fw_cfg_read_file("opt/org.pagoda/no-such-file", buf, sizeof(buf)), -1);
	KT_ASSERT_EQ(fw_cfg_read_file(QEMU_CMDLINE_FILE, buf, 4), n);   /* a short read: the size */
}

/* The kernel was loaded at 1 MiB, so some usable entry must hold it. */
KTEST(memory_map_holds_kernel)
{
	paddr_t start = virt_to_phys(__kernel_start), end = virt_to_phys(__kernel_end);
	uint64_t usable = 0;
	bool holds = false;

	KT_ASSERT(boot_info.nmmap > 0);
	for (int i = 0; i < boot_info.nmmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		if (e->type != MMAP_USABLE)
			continue;
		usable += e->len;
		if (e->base <= start && end <= e->base + e->len)
			holds = true;
	}
	KT_ASSERT(holds);
	KT_ASSERT(usable >= 4UL << 20);
}

KTEST(ksyms_lookup)
{
	vaddr_t kmain_addr = ksym_address("kmain");
	unsigned long off, size;
	const char *name;

	KT_ASSERT(kmain_addr != 0);
	name = ksym_lookup(kmain_addr + 3, &off, &size);
	KT_ASSERT(name != NULL);
	KT_ASSERT(strcmp(name, "kmain") == 0);
	KT_ASSERT_EQ(off, 3);
	KT_ASSERT(size > 3);
	KT_ASSERT(ksym_lookup(0x1000, &off, &size) == NULL);
}

static vaddr_t bt_pcs[BACKTRACE_MAX];
static int bt_count;

__attribute__((noinline)) static void
bt_level2(void)
{
	bt_count = backtrace_collect((vaddr_t)__builtin_frame_address(0), bt_pcs, BACKTRACE_MAX);
	__asm__ volatile("" ::: "memory");   /* keep this frame: no tail call */
}

__attribute__((noinline)) static void
bt_level1(void)
{
	bt_level2();
	__asm__ volatile("" ::: "memory");
}

static bool
bt_frame_is(int i, const char *want)
{
	unsigned long off, size;
	const char *name = i < bt_count ? ksym_lookup(bt_pcs[i] - 1, &off, &size) : NULL;

	return name && strcmp(name, want) == 0;
}

KTEST(backtrace_names_callers)
{
	bt_level1();
	KT_ASSERT(bt_count >= 3);
	KT_ASSERT(bt_frame_is(0, "bt_level1"));
	KT_ASSERT(bt_frame_is(1, "ktest_backtrace_names_callers"));
	/* boot/entry.asm enters kmain with a zero return address and rbp. */
	KT_ASSERT(bt_frame_is(bt_count - 1, "kmain"));
}

#define TEST_VECTOR 0x81

static void
add_one_to_rax(struct trap_frame *tf)
{
	tf->rax++;
}

/* A software interrupt goes through the whole entry path and comes back. */
KTEST(trap_returns_with_frame_changes)
{
	uint64_t rax = 41, rbx = 0x1234567890abcdefUL, r12 = 7;

	trap_set_handler(TEST_VECTOR, add_one_to_rax);
	__asm__ volatile("int %3"
			 : "+a"(rax), "+b"(rbx), "+r"(r12)
			 : "i"(TEST_VECTOR)
			 : "memory");
	trap_set_handler(TEST_VECTOR, NULL);
	KT_ASSERT_EQ(rax, 42);
	KT_ASSERT_EQ(rbx, 0x1234567890abcdefUL);
	KT_ASSERT_EQ(r12, 7);
}

static vaddr_t breakpoint_rip;

static void
note_breakpoint(struct trap_frame *tf)
{
	breakpoint_rip = tf->rip;
}

/* int3 is a trap: the saved RIP is the instruction after it. */
KTEST(breakpoint_resumes_after_int3)
{
	vaddr_t after;

	trap_set_handler(T_BREAKPOINT, note_breakpoint);
	__asm__ volatile("int3\n\t"
			 "1: leaq 1b(%%rip), %0"
			 : "=r"(after) : : "memory");
	trap_set_handler(T_BREAKPOINT, NULL);
	KT_ASSERT_EQ(breakpoint_rip, after);
}

KTEST(snprintf_formats)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%#018lx|%-4d|%5s|%c", 0x100000UL, 42, "ab", 'z');
	KT_ASSERT(strcmp(buf, "0x0000000000100000|42  |   ab|z") == 0);
}
