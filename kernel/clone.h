/*
 * kernel/clone.h - fork, vfork and clone (kernel/clone.c).
 */
#ifndef KERNEL_CLONE_H
#define KERNEL_CLONE_H

#include "kernel/task.h"

/* May sleep (CLONE_VFORK; copying the address space may reclaim). */
long proc_clone(unsigned long flags, vaddr_t newsp, int *uparent_tid, int *uchild_tid, uint64_t tls);

/* Never sleeps. */
void vfork_release(struct task *child);

#endif
