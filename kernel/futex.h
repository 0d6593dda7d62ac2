/*
 * kernel/futex.h - futex(2) (kernel/futex.c).
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "kernel/types.h"

struct mm;

/* Never sleep. */
int futex_wake(struct mm *mm, vaddr_t uaddr, int n);
int futex_wake_bits(struct mm *mm, vaddr_t uaddr, int n, uint32_t bitset);

#endif
