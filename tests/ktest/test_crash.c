/*
 * tests/ktest/test_crash.c - deliberate fatal faults.
 *
 * Each of these ends the kernel. tests/run boots each one alone and checks
 * that the report names the vector, the error code, CR2 and the faulting
 * function in a symbolized backtrace.
 */
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/switch.h"
#include "mm/heap.h"
#include "mm/kstack.h"

/*
 * The trigger functions print a line first. That also makes them non-leaf
 * functions: gcc gives a leaf function no frame of its own even with
 * -fno-omit-frame-pointer, and a frame-pointer backtrace then skips the
 * leaf's caller (docs/debugging.md).
 */
__attribute__((noinline)) static void
trigger_page_fault(vaddr_t addr)
{
	printk("ktest: writing to %#lx, which is not mapped\n", addr);
	*(volatile uint64_t *)addr = 0x1234;
	__asm__ volatile("" ::: "memory");
}

KTEST_CRASH(crash_page_fault)
{
	trigger_page_fault(karg_get_u64("fault_addr", 0xdeadb000));
}

__attribute__((noinline)) static void
trigger_divide_error(void)
{
	uint64_t zero = 0;

	printk("ktest: dividing by zero\n");
	__asm__ volatile("xor %%edx, %%edx\n\t"
			 "mov $1, %%eax\n\t"
			 "divq %0"
			 : : "r"(zero) : "rax", "rdx");
}

KTEST_CRASH(crash_divide_error)
{
	trigger_divide_error();
}

KTEST_CRASH(crash_panic)
{
	panic("ktest: deliberate panic with value %d", 42);
}

static const uint64_t read_only_value = 7;

__attribute__((noinline)) static void
trigger_rodata_write(void)
{
	printk("ktest: writing to kernel rodata at %p\n", (void *)&read_only_value);
	*(volatile uint64_t *)&read_only_value = 8;
}

KTEST_CRASH(crash_write_rodata)
{
	trigger_rodata_write();
}

__attribute__((noinline)) static void
trigger_heap_execute(void)
{
	unsigned char *code = kmalloc(16);

	code[0] = 0xc3;                      /* ret */
	printk("ktest: calling code at %p on the heap\n", (void *)code);
	((void (*)(void))code)();
}

KTEST_CRASH(crash_exec_heap)
{
	trigger_heap_execute();
}

__attribute__((noinline)) static void
trigger_null_dereference(void)
{
	printk("ktest: reading through a NULL pointer\n");
	(void)*(volatile uint64_t *)0;
}

KTEST_CRASH(crash_null_dereference)
{
	trigger_null_dereference();
}

/* Far more than a 16 KiB stack holds; volatile, so the compiler cannot
 * prove the recursion endless (and refuse it) or flatten it. */
static volatile int recursion_limit = 1 << 30;

/* Each call takes a frame of about 256 bytes: 16 KiB lasts ~60 calls. */
__attribute__((noinline)) static int
recurse_forever(int depth)
{
	volatile char frame[240];

	if (depth >= recursion_limit)
		return 0;
	frame[0] = (char)depth;
	return recurse_forever(depth + 1) + frame[0];
}

static void
overflow_this_stack(void *unused)
{
	printk("ktest: recursing on a fresh kernel stack\n");
	recurse_forever(0);
}

KTEST_CRASH(crash_stack_overflow)
{
	vaddr_t top = kstack_alloc();

	call_on_stack(overflow_this_stack, NULL, top);
}
