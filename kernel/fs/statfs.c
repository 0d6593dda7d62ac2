/*
 * kernel/fs/statfs.c - statfs(2): what a file system says of itself (its
 * type's magic number, block size, how full it is, mount flags), for
 * df, stat -f, and programs that ask "is this /proc?".
 *
 * The numbers are Linux's for the same file systems: ext2's come from its
 * superblock (kernel/fs/ext2_statfs.c); /proc, cgroup2, pipes and the
 * initrd have no blocks to count, tmpfs counts pages against its size=.
 * f_flags carries ST_VALID and the mount's flags: the root is mounted
 * "rw,relatime" (ST_RDONLY after `mount -o remount,ro /`), /proc and cgroup2 "rw,nosuid,nodev,noexec,
 * relatime", as a Linux system mounts them. Which file system answers is
 * the mount table's say (kernel/fs/mount.c).
 */
#include "kernel/fs/statfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/tmpfs.h"
#include "kernel/string.h"
#include "kernel/uapi.h"

#define EXT2_SUPER_MAGIC   0xEF53
#define PROC_SUPER_MAGIC   0x9fa0
#define CGROUP2_SUPER_MAGIC 0x63677270
#define PIPEFS_MAGIC       0x50495045
#define RAMFS_MAGIC        0x858458f6
#define TMPFS_MAGIC        0x01021994
#define NAME_MAX           255

/* statfs f_flags (Linux's ST_*). */
#define ST_RDONLY   0x0001
#define ST_NOSUID   0x0002
#define ST_NODEV    0x0004
#define ST_NOEXEC   0x0008
#define ST_VALID    0x0020
#define ST_RELATIME 0x1000

/* A file system with nothing to count: /proc, cgroup2, pipefs. */
static void
fill_virtual(struct statfs *out, int64_t magic, int64_t flags)
{
	memset(out, 0, sizeof(*out));
	out->f_type = magic;
	out->f_bsize = out->f_frsize = PAGE_SIZE;
	out->f_namelen = NAME_MAX;
	out->f_flags = ST_VALID | flags;
}

/* The root: ext2 from its superblock, or the initrd (ramfs to Linux). 0 or -EIO. */
static int
fill_root(struct statfs *out)
{
	struct ext2_usage u;
	int err;

	if (!ext2fs_mounted()) {
		fill_virtual(out, RAMFS_MAGIC, ST_RDONLY | ST_RELATIME);
		return 0;
	}
	if ((err = ext2fs_statfs(&u)) != 0)
		return err;
	memset(out, 0, sizeof(*out));
	out->f_type = EXT2_SUPER_MAGIC;
	out->f_bsize = out->f_frsize = u.block_size;
	out->f_blocks = u.blocks;
	out->f_bfree = u.free_blocks;
	out->f_bavail = u.avail_blocks;
	out->f_files = u.inodes;
	out->f_ffree = u.free_inodes;
	out->f_fsid[0] = (int32_t)u.fsid[0];
	out->f_fsid[1] = (int32_t)u.fsid[1];
	out->f_namelen = NAME_MAX;
	out->f_flags = ST_VALID | ST_RELATIME;        /* ST_RDONLY: fill_fs(), from the mount */
	return 0;
}

/* tmpfs: blocks are pages, counted against its size= (kernel/fs/tmpfs.c). */
static void
fill_tmpfs(struct mount *m, struct statfs *out)
{
	uint64_t blocks, free_blocks;

	fill_virtual(out, TMPFS_MAGIC, ST_NOSUID | ST_NODEV | ST_RELATIME);
	tmpfs_statfs(m, &blocks, &free_blocks);
	out->f_blocks = blocks;
	out->f_bfree = out->f_bavail = free_blocks;
}

/* What the file system mounted as m says of itself. */
static int
fill_fs(struct mount *m, struct statfs *out)
{
	const char *name = m->fs->name;
	int err = 0;

	if (strcmp(name, "proc") == 0)
		fill_virtual(out, PROC_SUPER_MAGIC, ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME);
	else if (strcmp(name, "cgroup2") == 0)
		fill_virtual(out, CGROUP2_SUPER_MAGIC, ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME);
	else if (strcmp(name, "devtmpfs") == 0)
		fill_virtual(out, TMPFS_MAGIC, ST_NOSUID);         /* devtmpfs is tmpfs to statfs */
	else if (strcmp(name, "tmpfs") == 0)
		fill_tmpfs(m, out);
	else
		err = fill_root(out);
	if (!err && m->read_only)
		out->f_flags |= ST_RDONLY;
	return err;
}

static struct mount *
mount_of(const char *abs)
{
	const char *rel;

	return mount_find(abs, &rel);
}

/* statfs(2) of the absolute path abs: -ENOENT, -ENOTDIR if it does not resolve, -EIO. */
int
vfs_statfs(const char *abs, struct statfs *out)
{
	struct stat st;
	int err = vfs_stat(abs, &st);

	return err ? err : fill_fs(mount_of(abs), out);
}

/*
 * fstatfs(2) of an open file: a pipe is on pipefs, a device that is not
 * on the root (the console) on devtmpfs, which is tmpfs to statfs; the
 * rest by the path it was opened by.
 */
int
vfs_fstatfs(const struct file *f, struct statfs *out)
{
	if ((f->mode & S_IFMT) == S_IFIFO) {
		fill_virtual(out, PIPEFS_MAGIC, 0);
		return 0;
	}
	if (f->path[0] != '/') {
		fill_virtual(out, TMPFS_MAGIC, ST_NOSUID);
		return 0;
	}
	return fill_fs(mount_of(f->path), out);
}
