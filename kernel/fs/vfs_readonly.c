/*
 * kernel/fs/vfs_readonly.c - the calls that change a file's name or
 * attributes (rename, link, symlink, mknod, chmod, chown, utimes,
 * truncate): done by a file system that can (ext2 and tmpfs: rename, link,
 * symlink, chmod, truncate), else answered with the error Linux gives,
 * in Linux's order, changing nothing:
 *
 *   a read-only mount (the initrd; ext2 with `ro`)     EROFS
 *   a writable mount without the operation (/proc,
 *   /sys/fs/cgroup, /dev; ext2, tmpfs for mknod)        EPERM
 *
 * Linux looks the names up before it asks whether the mount is writable,
 * so a missing directory on the way is ENOENT, a file used as a directory
 * ENOTDIR, and a name that would be created but exists EEXIST, even on a
 * read-only disk. Linux's order, for the two kinds of call:
 *
 *   create a name (link's new name, symlink, mknod; mkdir is vfs.c's):
 *       parent missing ENOENT / not a directory ENOTDIR -> name exists
 *       EEXIST -> read-only EROFS -> (link: two mounts EXDEV) -> no
 *       such operation EPERM (link: a directory EPERM too)
 *   change a name's file (chmod, chown, utimes, truncate):
 *       the name must exist (ENOENT, ENOTDIR) -> read-only EROFS
 *
 * Paths here are absolute, normalized and their links followed as the
 * call wants (the callers in kernel/sys_fsmeta.c resolve the working
 * directory, dirfd and links with vfs_resolve()): so a name is looked at
 * with vfs_lstat(), which follows nothing more - a link that is the name
 * (rename's, link's, symlink's) is the link itself, as in Linux. The
 * mount table (kernel/fs/mount.c) says which file system a path is on.
 */
#include "kernel/fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/string.h"
#include "kernel/uapi.h"

#define S_IFLNK  0120000
#define S_IFBLK  0060000
#define S_IFSOCK 0140000

/* The mount the absolute path abs is on, and the path inside it (*rel, if asked). */
static struct mount *
mount_of(const char *abs, const char **rel)
{
	const char *r;

	return mount_find(abs, rel ? rel : &r);
}

static bool
read_only(const struct mount *m)
{
	return m->read_only || m->fs->cannot_write;
}

/* May the name abs be created (Linux's filename_create)? 0, or -ENOENT, -ENOTDIR, -EEXIST, -EROFS. */
static int
create_check(const char *abs)
{
	struct stat st;
	int err = vfs_parent_is_dir(abs);

	if (err)
		return err;
	if (vfs_lstat(abs, &st) == 0)
		return -EEXIST;
	return read_only(mount_of(abs, NULL)) ? -EROFS : 0;
}

/* Creating abs where no file system can: create_check()'s answer, else -EPERM. */
static int
create_refused(const char *abs)
{
	int err = create_check(abs);

	return err ? err : -EPERM;
}

/*
 * rename(2) of old to new. Both parents are looked up first; then two
 * file systems is -EXDEV, the root directory or a mount point -EBUSY, a
 * read-only one -EROFS (before old itself is looked up: Linux asks for
 * write access first), -ENOENT for a missing old; then the file system
 * renames (ext2, tmpfs) or it cannot (-EPERM).
 */
int
vfs_rename(const char *old, const char *new)
{
	const char *old_rel, *new_rel;
	struct mount *m;
	struct stat st;
	int err;

	if ((err = vfs_parent_is_dir(old)) != 0 || (err = vfs_parent_is_dir(new)) != 0)
		return err;
	m = mount_of(old, &old_rel);
	if (m != mount_of(new, &new_rel))
		return -EXDEV;
	if (mount_is_top(old) || mount_is_top(new))
		return -EBUSY;
	if (read_only(m))
		return -EROFS;
	if (vfs_lstat(old, &st))
		return -ENOENT;
	return m->fs->rename ? m->fs->rename(m, old_rel, new_rel) : -EPERM;
}

/*
 * link(2): old must exist (-ENOENT, -ENOTDIR); new is created as above
 * (-EEXIST, -EROFS); a link between two mounts (two tmpfs instances too)
 * is -EXDEV; a directory, or a file system without links, -EPERM; then
 * the file system makes the second name (ext2, tmpfs).
 */
int
vfs_link(const char *old, const char *new)
{
	const char *old_rel, *new_rel;
	struct mount *m;
	struct stat st;
	int err;

	if ((err = vfs_lstat(old, &st)) != 0 || (err = create_check(new)) != 0)
		return err;
	m = mount_of(old, &old_rel);
	if (m != mount_of(new, &new_rel))
		return -EXDEV;
	if (!m->fs->link || (st.st_mode & S_IFMT) == S_IFDIR)
		return -EPERM;
	return m->fs->link(m, old_rel, new_rel);
}

/* symlink(2): the name abs is created as above, holding target (not looked at), or -EPERM. */
int
vfs_symlink(const char *target, const char *abs)
{
	const char *rel;
	struct mount *m;
	int err = create_check(abs);

	if (err)
		return err;
	m = mount_of(abs, &rel);
	return m->fs->symlink ? m->fs->symlink(m, target, rel) : -EPERM;
}

/* mknod(2) of a name: create_refused(). */
int
vfs_create_name(const char *abs)
{
	return create_refused(abs);
}

/* mknod(2)'s mode check, before any lookup: -EPERM for a directory (mkdir's job), -EINVAL for no type. */
int
vfs_mknod_mode_ok(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

/*
 * chmod (chmod_mode >= 0), chown or utimes (-1) of the existing abs:
 * -EROFS on a read-only mount; a file system that keeps modes (ext2, tmpfs)
 * sets it, and takes owners and times without keeping them (everyone is
 * root; tmpfs keeps no times, ext2 only those of its own changes); elsewhere -EPERM.
 */
static int
setattr_in(struct mount *m, const char *rel, int chmod_mode)
{
	if (read_only(m))
		return -EROFS;
	if (!m->fs->chmod)
		return -EPERM;
	return chmod_mode >= 0 ? m->fs->chmod(m, rel, (uint32_t)chmod_mode & 07777) : 0;
}

/* chmod, chown, utimes of a path: -ENOENT, -ENOTDIR, then as setattr_in(). */
int
vfs_setattr(const char *abs, int chmod_mode)
{
	const char *rel;
	struct stat st;
	struct mount *m;
	int err = vfs_lstat(abs, &st);

	if (err)
		return err;
	m = mount_of(abs, &rel);             /* sets rel: not in the same call's arguments */
	return setattr_in(m, rel, chmod_mode);
}

/* Is f a file whose contents are data (ext2, the initrd, tmpfs), rather than a pipe, the console or /proc? */
bool
vfs_file_holds_data(const struct file *f)
{
	return (f->mode & S_IFMT) != S_IFIFO && f->path[0] == '/' && mount_of(f->path, NULL)->fs->holds_data;
}

/*
 * The same for an open file (fchmod, fchown, futimens): as the path's, for
 * a file that holds data; -EPERM for the rest (pipes, the console, /proc:
 * pagoda keeps no attributes for them that could change; Linux would
 * change its in-memory inode).
 */
int
vfs_file_setattr(const struct file *f, int chmod_mode)
{
	const char *rel;
	struct mount *m;

	if (!vfs_file_holds_data(f))
		return -EPERM;
	m = mount_of(f->path, &rel);
	return setattr_in(m, rel, chmod_mode);
}

/*
 * truncate(2) of a path: -ENOENT, -ENOTDIR, -EISDIR for a directory,
 * -EINVAL for what is not a regular file, -EROFS on a read-only mount,
 * then the file's own truncate (ext2, tmpfs) or -EPERM.
 */
int
vfs_truncate(const char *abs, uint64_t length)
{
	struct stat st;
	struct file *f;
	int err = vfs_stat(abs, &st);

	if (err)
		return err;
	if ((st.st_mode & S_IFMT) == S_IFDIR)
		return -EISDIR;
	if ((st.st_mode & S_IFMT) != S_IFREG)
		return -EINVAL;
	if (read_only(mount_of(abs, NULL)))
		return -EROFS;
	if ((err = vfs_open(abs, O_WRONLY, &f)) != 0)
		return err;
	err = f->ops->truncate ? f->ops->truncate(f, length) : -EPERM;
	file_put(f);
	return err;
}

/*
 * access(2)'s W_OK: -EROFS for a regular file, directory or symbolic
 * link on a read-only mount (devices and FIFOs there stay writable, as
 * in Linux); 0 elsewhere (root may write anything /proc lets it open).
 */
int
vfs_write_access(const char *abs, uint32_t mode)
{
	uint32_t type = mode & S_IFMT;

	if (!read_only(mount_of(abs, NULL)))
		return 0;
	return type == S_IFREG || type == S_IFDIR || type == S_IFLNK ? -EROFS : 0;
}
