/*
 * kernel/fs/procfs_smaps.h - /proc/PID/smaps and smaps_rollup.
 */
#ifndef KERNEL_FS_PROCFS_SMAPS_H
#define KERNEL_FS_PROCFS_SMAPS_H

#include "kernel/fs/file.h"

struct task;

/* Never sleeps. */
int procfs_smaps_open(struct task *t, const char *name, int flags, struct file **out);

#endif
