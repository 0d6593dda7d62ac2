/*
 * kernel/fs/vfs_readonly.c - the calls that would change a file's name or
 * attributes (rename, link, symlink, mknod, chmod, chown, utimes,
 * truncate) on file systems that take no such change, answered with the
 * error Linux gives, in Linux's order, changing nothing:
 *
 *   the root (ext2 or the initrd)    read-only: EROFS
 *   /proc, /sys/fs/cgroup            writable mounts whose directories have
 *                                    no rename/link/symlink/mknod: EPERM
 *
 * Linux looks the names up before it asks whether the mount is writable,
 * so a missing directory on the way is ENOENT, a file used as a directory
 * ENOTDIR, and a name that would be created but exists EEXIST, even on a
 * read-only disk. Linux's order, for the two kinds of call:
 *
 *   create a name (link's new name, symlink, mknod; mkdir is vfs.c's):
 *       parent missing ENOENT / not a directory ENOTDIR -> name exists
 *       EEXIST -> read-only EROFS -> no such operation EPERM
 *   change a name's file (chmod, chown, utimes, truncate):
 *       the name must exist (ENOENT, ENOTDIR) -> read-only EROFS
 *
 * Paths here are absolute and normalized (the callers in
 * kernel/sys_fsmeta.c resolve the working directory and dirfd). A
 * writable file system (tmpfs) is to answer these for itself before they
 * get here: vfs_fs_of() is where a path's file system is decided.
 */
#include "kernel/fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/uapi.h"

#define S_IFLNK  0120000
#define S_IFBLK  0060000
#define S_IFSOCK 0140000

/* Does abs name dir or something below it? */
static bool
path_within(const char *abs, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(abs, dir, n) == 0 && (abs[n] == '\0' || abs[n] == '/');
}

/* Which file system the absolute path abs is on. */
enum vfs_fs
vfs_fs_of(const char *abs)
{
	if (path_within(abs, "/proc"))
		return VFS_FS_PROC;
	if (path_within(abs, "/sys/fs/cgroup"))
		return VFS_FS_CGROUP;
	return VFS_FS_ROOT;
}

/* What a change to a file that exists on abs's file system gets: see the top. */
static int
change_refused(const char *abs)
{
	return vfs_fs_of(abs) == VFS_FS_ROOT ? -EROFS : -EPERM;
}

/* 0 if abs's parent directory exists (and "/" has none to lack), else -ENOENT or -ENOTDIR. */
static int
parent_ok(const char *abs)
{
	char parent[PATH_ABS];
	struct stat st;
	size_t cut = 0;
	int err;

	for (size_t i = 0; abs[i]; i++)      /* the parent: up to the last '/' */
		if (abs[i] == '/')
			cut = i;
	if (strcmp(abs, "/") == 0)
		return 0;
	memcpy(parent, abs, cut);
	parent[cut] = '\0';
	if ((err = vfs_stat(parent[0] ? parent : "/", &st)) != 0)
		return err;
	return (st.st_mode & S_IFMT) == S_IFDIR ? 0 : -ENOTDIR;
}

/* Creating the name abs (Linux's filename_create): -ENOENT, -ENOTDIR, -EEXIST, -EROFS or -EPERM. */
static int
create_refused(const char *abs)
{
	struct stat st;
	int err = parent_ok(abs);

	if (err)
		return err;
	if (vfs_stat(abs, &st) == 0)
		return -EEXIST;
	return change_refused(abs);
}

/*
 * rename(2) of old to new. Both parents are looked up first; then two
 * file systems is -EXDEV, the root directory -EBUSY, a read-only one
 * -EROFS (before old itself is looked up: Linux asks for write access
 * first), and elsewhere -ENOENT for a missing old or -EPERM.
 */
int
vfs_rename(const char *old, const char *new)
{
	struct stat st;
	int err;

	if ((err = parent_ok(old)) != 0 || (err = parent_ok(new)) != 0)
		return err;
	if (vfs_fs_of(old) != vfs_fs_of(new))
		return -EXDEV;
	if (strcmp(old, "/") == 0 || strcmp(new, "/") == 0)
		return -EBUSY;
	if (vfs_fs_of(old) == VFS_FS_ROOT)
		return -EROFS;
	return vfs_stat(old, &st) ? -ENOENT : -EPERM;
}

/*
 * link(2): old must exist (-ENOENT, -ENOTDIR); new is created as above
 * (-EEXIST, -EROFS); a link between file systems is -EXDEV, else -EPERM.
 */
int
vfs_link(const char *old, const char *new)
{
	struct stat st;
	int err;

	if ((err = vfs_stat(old, &st)) != 0)
		return err;
	err = create_refused(new);
	if (err != -EPERM)
		return err;
	return vfs_fs_of(old) != vfs_fs_of(new) ? -EXDEV : -EPERM;
}

/* symlink(2) and mknod(2) of a name: create_refused(). */
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

/* chmod, chown, utimes of a path: -ENOENT, -ENOTDIR, then -EROFS or -EPERM. */
int
vfs_setattr(const char *abs)
{
	struct stat st;
	int err = vfs_stat(abs, &st);

	return err ? err : change_refused(abs);
}

/* Is f a file of the root file system (ext2 or the initrd), rather than a pipe, the console or /proc? */
bool
vfs_file_on_root(const struct file *f)
{
	if (f->ino)
		return true;
	return (f->mode & S_IFMT) != S_IFIFO && f->path[0] == '/' && vfs_fs_of(f->path) == VFS_FS_ROOT;
}

/*
 * The same for an open file (fchmod, fchown, futimens): -EROFS for one on
 * the root; -EPERM for the rest (pipes, the console, /proc: pagoda keeps
 * no attributes for them that could change; Linux would change its
 * in-memory inode).
 */
int
vfs_file_setattr(const struct file *f)
{
	return vfs_file_on_root(f) ? -EROFS : -EPERM;
}

/*
 * truncate(2) of a path: -ENOENT, -ENOTDIR, -EISDIR for a directory,
 * -EINVAL for what is not a regular file, then -EROFS or -EPERM.
 */
int
vfs_truncate(const char *abs)
{
	struct stat st;
	int err = vfs_stat(abs, &st);

	if (err)
		return err;
	if ((st.st_mode & S_IFMT) == S_IFDIR)
		return -EISDIR;
	if ((st.st_mode & S_IFMT) != S_IFREG)
		return -EINVAL;
	return change_refused(abs);
}

/*
 * access(2)'s W_OK: -EROFS for a regular file, directory or symbolic
 * link on the read-only root (devices and FIFOs there stay writable, as
 * in Linux); 0 elsewhere (root may write anything /proc lets it open).
 */
int
vfs_write_access(const char *abs, uint32_t mode)
{
	uint32_t type = mode & S_IFMT;

	if (vfs_fs_of(abs) != VFS_FS_ROOT)
		return 0;
	return type == S_IFREG || type == S_IFDIR || type == S_IFLNK ? -EROFS : 0;
}
