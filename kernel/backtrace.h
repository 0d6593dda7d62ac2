/*
 * kernel/backtrace.h - walking the frame-pointer chain.
 */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include "kernel/types.h"

#define BACKTRACE_MAX 32

int backtrace_collect(vaddr_t rbp, vaddr_t *pcs, int max);
void backtrace_print(vaddr_t rip, vaddr_t rbp);

#endif
