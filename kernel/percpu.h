/*
 * kernel/percpu.h - the data the CPU itself must find: the per-CPU area
 * that GS points to while in the kernel.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/types.h"

/* Offsets are used by kernel/syscall_entry.asm: keep them in sync. */
struct percpu {
	vaddr_t kernel_rsp;   /* 0: top of the running task's kernel stack */
	vaddr_t user_rsp;     /* 8: the user RSP, saved by the syscall entry */
};

void percpu_init(void);
void percpu_set_kernel_stack(vaddr_t top);

#endif
