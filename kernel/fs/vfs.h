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
int vfs_chdir(const char *path);
int vfs_mkdir(const char *path);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
int path_normalize(const char *cwd, const char *path, char *out, size_t size);

#define PATH_ABS 256                   /* an absolute path, normalized, with its '\0' */

/* kernel/fs/vfs_readonly.c: changes the file systems refuse (absolute paths). */
enum vfs_fs { VFS_FS_ROOT, VFS_FS_PROC, VFS_FS_CGROUP };
enum vfs_fs vfs_fs_of(const char *abs);
int vfs_rename(const char *old, const char *new);
int vfs_link(const char *old, const char *new);
int vfs_create_name(const char *abs);
int vfs_mknod_mode_ok(uint32_t mode);
int vfs_setattr(const char *abs);
bool vfs_file_on_root(const struct file *f);
int vfs_file_setattr(const struct file *f);
int vfs_truncate(const char *abs);
int vfs_write_access(const char *abs, uint32_t mode);

#endif
