/*
 * kernel/fs/cgroupfs.h - /sys/fs/cgroup: the cgroup v2 tree as files.
 */
#ifndef KERNEL_FS_CGROUPFS_H
#define KERNEL_FS_CGROUPFS_H

#include "kernel/fs/file.h"

int cgroupfs_open(const char *path, int flags, struct file **out);

#endif
