/*
 * kernel/percpu.c - where the syscall entry finds the kernel stack.
 *
 * `syscall` does not switch stacks (unlike an interrupt, which takes
 * RSP0 from the TSS), so kernel/syscall_entry.asm does it itself: swapgs
 * makes GS point at this area, which holds the running task's kernel
 * stack. In the kernel GS_BASE = &cpu0; in user mode the two GS base MSRs
 * are swapped, and KERNEL_GS_BASE holds &cpu0 (Intel SDM Vol. 2B, SWAPGS).
 * One CPU: one area.
 */
#include "kernel/percpu.h"
#include "kernel/gdt.h"
#include "kernel/x86.h"


static struct percpu cpu0;

void
percpu_init(void)
{
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/* Both the TSS (interrupts from ring 3) and the syscall entry use it. */
void
percpu_set_kernel_stack(vaddr_t top)
{
	cpu0.kernel_rsp = top;
	tss_set_kernel_stack(top);
}
