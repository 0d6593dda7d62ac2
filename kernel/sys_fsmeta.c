/*
 * kernel/sys_fsmeta.c - the system calls about names and attributes of
 * files rather than their data: rename, link, symlink, mknod, chmod,
 * chown, utimes, truncate, the syncs, statfs, fchdir.
 *
 * Each call here checks its arguments in Linux's order, resolves its
 * paths, and hands them to kernel/fs/vfs_readonly.c, which lets a file
 * system that can make the change (tmpfs) make it, and otherwise gives
 * Linux's answer (ENOENT, ENOTDIR, EEXIST, then EROFS or EPERM) without
 * changing anything. The syncs have nothing to write back.
 *
 * Paths: the *at() forms take a directory descriptor for a relative path
 * (AT_FDCWD: the working directory); paths are made absolute here, once,
 * with their symbolic links followed (kernel/fs/vfs_lookup.c) - the last
 * name's only where Linux follows it: chmod, chown, utimes, truncate,
 * statfs and link's AT_SYMLINK_FOLLOW do; rename, link, symlink, mknod,
 * lchown and AT_SYMLINK_NOFOLLOW do not.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/statfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "mm/heap.h"

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_SYMLINK_FOLLOW   0x400
#define AT_EMPTY_PATH       0x1000
#define RENAME_NOREPLACE    1
#define RENAME_EXCHANGE     2
#define RENAME_WHITEOUT     4
#define UTIME_NOW   ((1L << 30) - 1)
#define UTIME_OMIT  ((1L << 30) - 2)
#define USEC_PER_SEC 1000000L

/*
 * Makes path absolute in abs (PATH_ABS bytes), links followed (the last
 * name's as how says: LOOKUP_FOLLOW, ...): relative to the directory open as dirfd, or the
 * working directory for AT_FDCWD. -EBADF, -ENOTDIR (dirfd is not a
 * directory), -ENAMETOOLONG, -ELOOP.
 */
static long
resolve_at(int dirfd, const char *path, int how, char *abs)
{
	const char *base = current->fs->cwd;

	if (path[0] != '/' && dirfd != AT_FDCWD) {
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		if ((f->mode & S_IFMT) != S_IFDIR)
			return -ENOTDIR;
		base = f->path;
	}
	return vfs_resolve(base, path, how, abs);
}

/* Copies the user's path and resolves it: also -EFAULT, and -ENOENT for "". */
static long
user_path_at(int dirfd, const char *upath, int how, char *abs)
{
	char path[PATH_ABS];
	long err = strncpy_from_user(path, upath, sizeof(path));

	if (err < 0)
		return err;
	if (path[0] == '\0')
		return -ENOENT;
	return resolve_at(dirfd, path, how, abs);
}

/*
 * renameat2(2): flags first (-EINVAL for unknown ones and for
 * RENAME_EXCHANGE with the others), then the paths.
 */
long
sys_renameat2(int olddirfd, const char *uold, int newdirfd, const char *unew, unsigned flags)
{
	char old[PATH_ABS], new[PATH_ABS];
	long err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if ((err = user_path_at(olddirfd, uold, LOOKUP_NAME, old)) != 0 ||
	    (err = user_path_at(newdirfd, unew, LOOKUP_NAME, new)) != 0)
		return err;
	return vfs_rename(old, new);
}

long
sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew)
{
	return sys_renameat2(olddirfd, uold, newdirfd, unew, 0);
}

long
sys_rename(const char *uold, const char *unew)
{
	return sys_renameat2(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

/*
 * linkat(2): with AT_EMPTY_PATH and "", the file open as olddirfd is the
 * one to link; a link as old is linked itself unless AT_SYMLINK_FOLLOW.
 */
long
sys_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew, int flags)
{
	char old[PATH_ABS], new[PATH_ABS];
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = strncpy_from_user(old, uold, sizeof(old))) < 0)
		return err;
	if (old[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		struct file *f = fd_get(olddirfd);
		if (!f)
			return -EBADF;
		strlcpy(old, f->path, sizeof(old));
	} else if ((err = user_path_at(olddirfd, uold, flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : LOOKUP_NOFOLLOW, old)) != 0) {
		return err;
	}
	if ((err = user_path_at(newdirfd, unew, LOOKUP_NAME, new)) != 0)
		return err;
	return vfs_link(old, new);
}

long
sys_link(const char *uold, const char *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

/*
 * symlinkat(2): the target is not looked at, only copied (up to PATH_MAX
 * - 1 bytes, else -ENAMETOOLONG; "" is -ENOENT, as Linux); the new name
 * is created (a link already there is not followed: -EEXIST).
 */
long
sys_symlinkat(const char *utarget, int newdirfd, const char *ulinkpath)
{
	char abs[PATH_ABS];
	char *target = kmalloc(PATH_MAX);
	long err = target ? strncpy_from_user(target, utarget, PATH_MAX) : -ENOMEM;

	if (err >= 0 && target[0] == '\0')
		err = -ENOENT;
	if (err >= 0)
		err = user_path_at(newdirfd, ulinkpath, LOOKUP_NAME, abs);
	if (err >= 0)
		err = vfs_symlink(target, abs);
	kfree(target);
	return err;
}

long
sys_symlink(const char *utarget, const char *ulinkpath)
{
	return sys_symlinkat(utarget, AT_FDCWD, ulinkpath);
}

/* mknodat(2): the file type is checked before the path (-EPERM for S_IFDIR, -EINVAL for none). */
long
sys_mknodat(int dirfd, const char *upath, unsigned mode, unsigned dev)
{
	char abs[PATH_ABS];
	long err = vfs_mknod_mode_ok(mode);

	(void)dev;
	if (err || (err = user_path_at(dirfd, upath, LOOKUP_NAME, abs)) != 0)
		return err;
	return vfs_create_name(abs);
}

long
sys_mknod(const char *upath, unsigned mode, unsigned dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}

/*
 * fchmod (chmod_mode >= 0), fchown, futimens (-1) of the file open as fd:
 * -EBADF, or the file system's answer.
 */
static long
fd_setattr(int fd, int chmod_mode)
{
	struct file *f = fd_get(fd);

	return f ? vfs_file_setattr(f, chmod_mode) : -EBADF;
}

/*
 * chmod, chown, utimes of a path (flags: AT_EMPTY_PATH: "" is dirfd's own
 * file; AT_SYMLINK_NOFOLLOW: a link as the last name is changed itself).
 */
static long
path_setattr(int dirfd, const char *upath, int flags, int chmod_mode)
{
	char abs[PATH_ABS];
	long err = strncpy_from_user(abs, upath, sizeof(abs));

	if (err < 0)
		return err;
	if (abs[0] == '\0' && (flags & AT_EMPTY_PATH))
		return dirfd == AT_FDCWD ? vfs_setattr(current->fs->cwd, chmod_mode) :
					   fd_setattr(dirfd, chmod_mode);
	if ((err = user_path_at(dirfd, upath, flags & AT_SYMLINK_NOFOLLOW ? LOOKUP_NOFOLLOW : LOOKUP_FOLLOW, abs)) != 0)
		return err;
	return vfs_setattr(abs, chmod_mode);
}

long
sys_fchmodat(int dirfd, const char *upath, unsigned mode)
{
	return path_setattr(dirfd, upath, 0, (int)(mode & 07777));
}

long
sys_chmod(const char *upath, unsigned mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}

long
sys_fchmod(int fd, unsigned mode)
{
	return fd_setattr(fd, (int)(mode & 07777));
}

/* fchownat(2): -EINVAL for flags other than AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
long
sys_fchownat(int dirfd, const char *upath, uint32_t uid, uint32_t gid, int flags)
{
	(void)uid, (void)gid;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return path_setattr(dirfd, upath, flags, -1);
}

long
sys_chown(const char *upath, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long
sys_lchown(const char *upath, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long
sys_fchown(int fd, uint32_t uid, uint32_t gid)
{
	(void)uid, (void)gid;
	return fd_setattr(fd, -1);
}

static bool
nsec_valid(int64_t nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec < NSEC_PER_SEC);
}

/*
 * utimensat(2). Linux's order: -EFAULT reading times; both UTIME_OMIT is
 * 0 at once (the path is not even looked at); a NULL path means the file
 * open as dirfd (flags must be 0); then the flags (-EINVAL), the path,
 * the nanoseconds (-EINVAL), and the file system's answer.
 */
long
sys_utimensat(int dirfd, const char *upath, const struct timespec *utimes, int flags)
{
	struct timespec t[2];
	char abs[PATH_ABS];
	long err;

	if (utimes && copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	if (utimes && t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (!upath && dirfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		if (!fd_get(dirfd))
			return -EBADF;
		if (utimes && (!nsec_valid(t[0].tv_nsec) || !nsec_valid(t[1].tv_nsec)))
			return -EINVAL;
		return fd_setattr(dirfd, -1);
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = user_path_at(dirfd, upath, flags & AT_SYMLINK_NOFOLLOW ? LOOKUP_NOFOLLOW : LOOKUP_FOLLOW, abs)) != 0)
		return err;
	if (utimes && (!nsec_valid(t[0].tv_nsec) || !nsec_valid(t[1].tv_nsec)))
		return -EINVAL;
	return vfs_setattr(abs, -1);
}

/* utimes(2): microseconds out of 0..999999 are -EINVAL before the path is looked at. */
long
sys_utimes(const char *upath, const struct timeval *utimes)
{
	struct timeval t[2];
	char abs[PATH_ABS];
	long err;

	if (utimes && copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	if (utimes && (t[0].tv_usec < 0 || t[0].tv_usec >= USEC_PER_SEC ||
		       t[1].tv_usec < 0 || t[1].tv_usec >= USEC_PER_SEC))
		return -EINVAL;
	if ((err = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, abs)) != 0)
		return err;
	return vfs_setattr(abs, -1);
}

/* truncate(2): -EINVAL for a negative length, before the path. */
long
sys_truncate(const char *upath, int64_t length)
{
	char abs[PATH_ABS];
	long err;

	if (length < 0)
		return -EINVAL;
	if ((err = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, abs)) != 0)
		return err;
	return vfs_truncate(abs, (uint64_t)length);
}

/*
 * ftruncate(2): -EINVAL for a negative length, -EBADF, -EINVAL unless fd
 * is a regular file open for writing (none on the root can be); then the
 * file's own truncate (tmpfs), or -EPERM (a /proc file: no size to set).
 */
long
sys_ftruncate(int fd, int64_t length)
{
	struct file *f;

	if (length < 0)
		return -EINVAL;
	if ((f = fd_get(fd)) == NULL)
		return -EBADF;
	if ((f->mode & S_IFMT) != S_IFREG || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return f->ops->truncate ? f->ops->truncate(f, (uint64_t)length) : -EPERM;
}

/*
 * fsync(2), fdatasync(2): the file's dirty pages and metadata to the disk
 * (ext2: kernel/fs/ext2fs_writeback.c), -EIO once per open file
 * description after a writeback error; 0 for files with nothing to write
 * back (the initrd: ramfs to Linux, 0 too; tmpfs); -EINVAL for what has no
 * fsync in Linux either (pipes, terminals, /proc); -EBADF.
 */
static long
do_fsync(int fd, bool datasync)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!vfs_file_holds_data(f))
		return -EINVAL;
	return f->ops->fsync ? f->ops->fsync(f, datasync) : 0;
}

long
sys_fsync(int fd)
{
	return do_fsync(fd, false);
}

long
sys_fdatasync(int fd)
{
	return do_fsync(fd, true);
}

/* sync(2): every dirty page and all metadata written, the disk's cache flushed. Always 0. */
long
sys_sync(void)
{
	if (ext2fs_mounted())
		ext2fs_sync();
	return 0;
}

/*
 * syncfs(2): the file system of fd written back. Only the root (ext2)
 * holds dirty data; the others have nothing to write. 0, -EBADF, or the
 * metadata's -EIO (Linux reports data errors here once per description
 * since 5.8 through the superblock's errseq: not kept; fsync has them).
 */
long
sys_syncfs(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	return ext2fs_mounted() ? ext2fs_sync() : 0;
}

long
sys_statfs(const char *upath, struct statfs *ubuf)
{
	char abs[PATH_ABS];
	struct statfs buf;
	long err;

	if ((err = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, abs)) != 0 || (err = vfs_statfs(abs, &buf)) != 0)
		return err;
	return copy_to_user(ubuf, &buf, sizeof(buf)) ? -EFAULT : 0;
}

long
sys_fstatfs(int fd, struct statfs *ubuf)
{
	struct file *f = fd_get(fd);
	struct statfs buf;
	long err;

	if (!f)
		return -EBADF;
	if ((err = vfs_fstatfs(f, &buf)) != 0)
		return err;
	return copy_to_user(ubuf, &buf, sizeof(buf)) ? -EFAULT : 0;
}

/*
 * fchdir(2): the directory open as fd becomes the working directory, found
 * again by the path it was opened by. -EBADF, -ENOTDIR, and -ENAMETOOLONG
 * where that path did not fit in struct file (Linux has no such limit).
 */
long
sys_fchdir(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if ((f->mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	if (f->path[0] != '/' || strlen(f->path) + 1 >= sizeof(f->path))
		return -ENAMETOOLONG;
	return vfs_chdir(f->path);
}
