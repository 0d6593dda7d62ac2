/*
 * kernel/fs/mount.h - the mount table: which file system answers for a path.
 */
#ifndef KERNEL_FS_MOUNT_H
#define KERNEL_FS_MOUNT_H

#include "kernel/fs/file.h"

struct stat;
struct mount;

/*
 * What a kind of file system does, given the mount and a path inside it:
 * "" is its top directory, "a/b" a path below it (never a leading '/',
 * never "." or "..": kernel/fs/vfs.c resolved those). A NULL operation
 * means the file system cannot do it: the answers are then those of a
 * read-only file system. Most file systems exist once and ignore the
 * mount; one that can be mounted many times (tmpfs) keeps each
 * instance's state in mount->sb, made by setup() from mount(2)'s options
 * and freed by teardown() at umount.
 */
struct fs_type {
	const char *name;        /* as `mount -t` and /proc/mounts say it: "ext2", "proc", ... */
	int (*open)(struct mount *m, const char *rel, int flags, struct file **out);
	int (*stat)(struct mount *m, const char *rel, struct stat *st);  /* NULL: open, then fstat */
	int (*mkdir)(struct mount *m, const char *rel);
	int (*rmdir)(struct mount *m, const char *rel);
	int (*unlink)(struct mount *m, const char *rel);
	int (*rename)(struct mount *m, const char *old_rel, const char *new_rel);
	int (*chmod)(struct mount *m, const char *rel, uint32_t mode);  /* NULL: no attributes change */
	int (*link)(struct mount *m, const char *old_rel, const char *new_rel);   /* a hard link */
	int (*symlink)(struct mount *m, const char *target, const char *rel);
	/* The target of the symbolic link rel (no NUL added) and its length; -EINVAL: not a link. */
	int (*readlink)(struct mount *m, const char *rel, char *buf, size_t size);
	/*
	 * Path lookup (kernel/fs/vfs_lookup.c): if a name on the way to rel
	 * is a symbolic link (the last name too if last), its target into
	 * buf (size bytes, NUL-terminated), *end = the length of rel up to
	 * the end of that name, and returns the target's length. 0: no link
	 * on the way (a missing name too: the operation itself says so).
	 * NULL: the file system has no links.
	 */
	int (*find_link)(struct mount *m, const char *rel, bool last, size_t *end, char *buf,
			 size_t size);
	int (*setup)(struct mount *m, const char *options);   /* NULL: no options, no state */
	int (*teardown)(struct mount *m);                      /* -EBUSY: files still open */
	void (*empty)(struct mount *m);        /* at power-off: every file goes (tmpfs), the disk is marked clean (ext2) */
	int (*remount)(struct mount *m, bool read_only);   /* NULL: nothing to do but the flag */
	bool cannot_write;       /* read-only whatever the mount says (the initrd) */
	bool holds_data;         /* its files are data (ext2, initrd, tmpfs), not views (/proc) */
	bool needs_device;       /* mounted from a block device (ext2; Linux's FS_REQUIRES_DEV) */
};

#define MOUNT_DIR_LEN 64

struct mount {
	char dir[MOUNT_DIR_LEN];     /* where: "/", "/proc", "/sys/fs/cgroup", ... */
	char source[32];             /* what: "/dev/vda1", "proc", ... */
	const struct fs_type *fs;
	bool read_only;
	void *sb;                    /* the instance's own state (tmpfs), or NULL */
};

int mount_add(const char *source, const char *dir, const struct fs_type *fs, bool read_only,
	      const char *options);
int mount_remove(const char *dir);
struct mount *mount_find(const char *abs, const char **rel);
int mount_set_read_only(const char *dir, bool read_only);
void mount_boot_done(void);
void mount_shutdown(void);
const struct fs_type *mount_fs_type(const char *name);
int mount_show(char *buf, size_t size);
int mount_show_types(char *buf, size_t size);
bool mount_is_top(const char *abs);

#endif
