/*
 * kernel/switch.h - switching stacks (kernel/switch.asm).
 */
#ifndef KERNEL_SWITCH_H
#define KERNEL_SWITCH_H

#include "kernel/types.h"

void context_switch(vaddr_t *save_rsp, vaddr_t next_rsp);
void call_on_stack(void (*fn)(void *), void *arg, vaddr_t stack_top);
extern char kthread_start[], user_start[];

/* What context_switch() pops, lowest address first. */
struct switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t ret;
};

#endif
