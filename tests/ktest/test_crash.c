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
