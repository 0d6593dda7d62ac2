/*
 * kernel/sysctl.h - the kernel's tunables under /proc/sys, as Linux names them.
 */
#ifndef KERNEL_SYSCTL_H
#define KERNEL_SYSCTL_H

#include "kernel/types.h"

struct file;

extern unsigned vm_overcommit_memory;    /* /proc/sys/vm/overcommit_memory */

/* Never sleep. */
void sysctl_init(void);
int sysctl_open(const char *path, int flags, struct file **out);

#endif
