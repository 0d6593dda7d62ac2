/*
 * kernel/fs/statfs.h - statfs(2)'s structure (x86-64 Linux's layout) and
 * the functions that fill it (kernel/fs/statfs.c).
 */
#ifndef KERNEL_FS_STATFS_H
#define KERNEL_FS_STATFS_H

#include "kernel/fs/file.h"

struct statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags;
	int64_t f_spare[4];
};

int vfs_statfs(const char *abs, struct statfs *out);
int vfs_fstatfs(const struct file *f, struct statfs *out);

#endif
