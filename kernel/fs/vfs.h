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
int vfs_chdir(const char *path);
int vfs_mkdir(const char *path);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
int vfs_mount(const char *source, const char *target, const char *type, bool read_only,
	      const char *options);
int vfs_umount(const char *target);
int vfs_remount(const char *target, bool read_only);
int path_normalize(const char *cwd, const char *path, char *out, size_t size);

#define PATH_ABS 256                   /* an absolute path, normalized, with its '\0' */
#define PATH_MAX 4096                  /* Linux's: a path or link target given, with its '\0' */

/*
 * kernel/fs/vfs_lookup.c: a path to an absolute one, symbolic links
 * followed; how the last name is taken (every other one is followed):
 */
#define LOOKUP_NOFOLLOW 0      /* a link is itself (lstat), unless a '/' follows it */
#define LOOKUP_FOLLOW   1      /* a link is followed (stat, open) */
#define LOOKUP_NAME     2      /* the name itself, '/' or not (mkdir, unlink, rename...) */
int vfs_resolve(const char *base, const char *path, int how, char *abs);
bool vfs_wants_dir(const char *path);

/* kernel/fs/vfs.c: does the directory a new name abs goes in exist? 0, -ENOENT, -ENOTDIR. */
int vfs_parent_is_dir(const char *abs);

/* kernel/fs/vfs_readonly.c: changes the file systems refuse (absolute paths). */
int vfs_rename(const char *old, const char *new);
int vfs_link(const char *old, const char *new);
int vfs_symlink(const char *target, const char *abs);
int vfs_create_name(const char *abs);
int vfs_mknod_mode_ok(uint32_t mode);
int vfs_setattr(const char *abs, int chmod_mode);
bool vfs_file_holds_data(const struct file *f);
int vfs_file_setattr(const struct file *f, int chmod_mode);
int vfs_truncate(const char *abs, uint64_t length);
int vfs_write_access(const char *abs, uint32_t mode);

#endif
