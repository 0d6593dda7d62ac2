/*
 * kernel/fs/procfs.h - /proc: the kernel's figures as text files.
 */
#ifndef KERNEL_FS_PROCFS_H
#define KERNEL_FS_PROCFS_H

#include "kernel/fs/file.h"

int procfs_open(const char *name, int flags, struct file **out);
int procfs_readlink(const char *name, char *buf, size_t size);

#endif
