/*
 * kernel/vfs.h - from a path name to an open file.
 */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include "kernel/file.h"

int vfs_open(const char *path, int flags, struct file **out);
void initrd_init(void);

#endif
