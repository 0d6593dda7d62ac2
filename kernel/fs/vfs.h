/*
 * kernel/fs/vfs.h - from a path name to an open file.
 */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H

#include "kernel/fs/file.h"

struct stat;

void vfs_init(void);
int vfs_open(const char *path, int flags, struct file **out);
int vfs_stat(const char *path, struct stat *st);
int vfs_lstat(const char *path, struct stat *st);
int vfs_readlink(const char *path, char *buf, size_t size);
int vfs_lstat(const char *path, struct stat *st);
int vfs_readlink(const char *path, char *buf, size_t size);
int vfs_chdir(const char *path);
int vfs_writable(const char *path);
int vfs_mkdir(const char *path);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
int vfs_mount(const char *source, const char *target, const char *type, bool read_only,
	      const char *options);
int vfs_umount(const char *target);
int vfs_remount(const char *target, bool read_only);
int path_normalize(const char *cwd, const char *path, char *out, size_t size);

#endif
