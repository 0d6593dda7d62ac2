/*
 * kernel/sys_file.c - system calls on file descriptors.
 *
 * Data moves between user memory and a file through a kernel bounce
 * buffer, one chunk at a time: the file kinds (console, pipe, initrd,
 * /proc) only ever see kernel memory, and every user pointer is checked
 * in one place (mm/uaccess.c).
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/pipe.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "mm/heap.h"

#define CHUNK 4096
#define SMALL_CHUNK 256

/*
 * The bounce buffer of one read or write: a page from the heap, or, when
 * the heap has none to give, a small one on the stack. read() and write()
 * never fail for want of a buffer (Linux's do not allocate at all); they
 * only move the data in smaller steps.
 */
struct bounce {
	char *buf;
	size_t size;
	char small[SMALL_CHUNK];
};

static void
bounce_get(struct bounce *b)
{
	b->buf = kmalloc(CHUNK);
	b->size = CHUNK;
	if (!b->buf) {
		b->buf = b->small;
		b->size = sizeof(b->small);
	}
}

static void
bounce_put(struct bounce *b)
{
	if (b->buf != b->small)
		kfree(b->buf);
}

long
sys_read(int fd, void *ubuf, size_t len)
{
	struct file *f = fd_get(fd);
	struct bounce b;
	long total = 0;

	if (!f || (f->flags & O_ACCMODE) == O_WRONLY || !f->ops->read)
		return -EBADF;
	if (!access_ok((vaddr_t)ubuf, len))
		return -EFAULT;
	bounce_get(&b);
	while ((size_t)total < len) {
		size_t want = MIN(b.size, len - (size_t)total);
		long n = f->ops->read(f, b.buf, want);
		if (n > 0 && copy_to_user((char *)ubuf + total, b.buf, (size_t)n))
			n = -EFAULT;
		if (n <= 0) {
			total = total ? total : n;
			break;
		}
		total += n;
		/* Pipes and the console return what they have: do not wait for more. */
		if (((f->mode & S_IFMT) != S_IFREG && (f->mode & S_IFMT) != S_IFBLK) || (size_t)n < want)
			break;
	}
	bounce_put(&b);
	return total;
}

long
sys_write(int fd, const void *ubuf, size_t len)
{
	struct file *f = fd_get(fd);
	struct bounce b;
	long total = 0;

	if (!f || (f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write)
		return -EBADF;
	if (!access_ok((vaddr_t)ubuf, len))
		return -EFAULT;
	bounce_get(&b);
	while ((size_t)total < len) {
		size_t chunk = MIN(b.size, len - (size_t)total);
		long n = copy_from_user(b.buf, (const char *)ubuf + total, chunk) ? -EFAULT :
			 f->ops->write(f, b.buf, chunk);
		if (n <= 0) {
			total = total ? total : n;
			break;
		}
		total += n;
	}
	bounce_put(&b);
	return total;
}

/* readv/writev: one read or write per buffer, stopping at a short one. */
static long
do_vector(int fd, const struct iovec *uiov, int iovcnt, bool writing)
{
	long total = 0;

	if (iovcnt < 0 || iovcnt > 1024)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		struct iovec iov;
		long n;
		if (copy_from_user(&iov, &uiov[i], sizeof(iov)))
			return total ? total : -EFAULT;
		if (iov.iov_len == 0)
			continue;
		n = writing ? sys_write(fd, (const void *)iov.iov_base, iov.iov_len) :
			      sys_read(fd, (void *)iov.iov_base, iov.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < iov.iov_len)
			break;
	}
	return total;
}

long
sys_readv(int fd, const struct iovec *uiov, int iovcnt)
{
	return do_vector(fd, uiov, iovcnt, false);
}

long
sys_writev(int fd, const struct iovec *uiov, int iovcnt)
{
	return do_vector(fd, uiov, iovcnt, true);
}

long
sys_openat(int dirfd, const char *upath, int flags, int mode)
{
	char path[256];
	struct file *f;
	long err = strncpy_from_user(path, upath, sizeof(path));
	int fd;

	if (err < 0)
		return err;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;                   /* only the working directory, / */
	err = vfs_open(path, flags, &f);
	if (err)
		return err;
	fd = fd_install_from(current, f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long
sys_open(const char *upath, int flags, int mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long
sys_close(int fd)
{
	return fd_close(fd);
}

long
sys_lseek(int fd, int64_t off, int whence)
{
	struct file *f = fd_get(fd);
	int64_t base;

	if (!f)
		return -EBADF;
	if (f->ops->stream)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->offset; break;
	case SEEK_END: base = (int64_t)f->size; break;
	default: return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->offset = (uint64_t)(base + off);
	return (long)f->offset;
}

long
sys_ioctl(int fd, unsigned long cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

long
sys_pipe2(int *ufds, int flags)
{
	struct file *r, *w;
	int fds[2], err;
	bool cloexec = flags & O_CLOEXEC;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if ((err = pipe_create(&r, &w)) != 0)
		return err;
	r->flags |= flags & O_NONBLOCK;
	w->flags |= flags & O_NONBLOCK;
	fds[0] = fd_install_from(current, r, 0, cloexec);
	fds[1] = fds[0] >= 0 ? fd_install_from(current, w, 0, cloexec) : -EMFILE;
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds))) {
		if (fds[0] >= 0)
			current->files->fd[fds[0]] = NULL;
		if (fds[1] >= 0)
			current->files->fd[fds[1]] = NULL;
		file_put(r);
		file_put(w);
		return fds[1] < 0 ? -EMFILE : -EFAULT;
	}
	return 0;
}

/*
 * F_GETFL: the file's status flags as Linux keeps them: what open() was
 * given less the flags that only act at open (O_CREAT, O_EXCL, O_NOCTTY,
 * O_TRUNC, O_CLOEXEC), with O_LARGEFILE for a file opened by name (64-bit
 * Linux adds it to every open()); a pipe has none of those.
 */
static int
getfl(const struct file *f)
{
	int flags = f->flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);

	return (f->mode & S_IFMT) == S_IFIFO ? flags : flags | O_LARGEFILE;
}

/*
 * fcntl: duplicate (F_DUPFD, F_DUPFD_CLOEXEC: the lowest free descriptor
 * from arg on), the descriptor's FD_CLOEXEC (F_GETFD, F_SETFD), the open
 * file's flags (F_GETFL; F_SETFL changes O_APPEND and O_NONBLOCK only),
 * record locks (kernel/sys_fd.c).
 */
long
sys_fcntl(int fd, int cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);
	int nfd;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= TASK_MAX_FILES)
			return -EINVAL;
		nfd = fd_install_from(current, f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		if (nfd >= 0)
			file_get(f);
		return nfd;
	case F_GETFD:
		return (current->files->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		current->files->cloexec = (arg & FD_CLOEXEC) ? current->files->cloexec | (1U << fd) :
							    current->files->cloexec & ~(1U << fd);
		return 0;
	case F_GETFL:
		return getfl(f);
	case F_SETFL:
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | ((int)arg & (O_APPEND | O_NONBLOCK));
		return 0;
	default:
		return fcntl_is_lock_cmd(cmd) ? fcntl_lock(f, cmd, (struct flock *)arg) : -EINVAL;
	}
}

long
sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}

long
sys_dup(int fd)
{
	return fd_dup(fd, 0, true);
}

long
sys_dup2(int oldfd, int newfd)
{
	return fd_dup(oldfd, newfd, false);
}

long
sys_fstat(int fd, void *ustat)
{
	struct file *f = fd_get(fd);
	struct stat st;

	if (!f)
		return -EBADF;
	if (f->ops->fstat) {
		f->ops->fstat(f, &st);
		return copy_to_user(ustat, &st, sizeof(st));
	}
	memset(&st, 0, sizeof(st));
	st.st_mode = f->mode;
	st.st_size = (int64_t)f->size;
	st.st_nlink = 1;
	st.st_blksize = PAGE_SIZE;
	st.st_blocks = (int64_t)ALIGN_UP(f->size, 512) / 512;
	return copy_to_user(ustat, &st, sizeof(st));
}

/*
 * access(): Linux's order: -EINVAL for a bad mode, the lookup (links
 * followed, the last too unless AT_SYMLINK_NOFOLLOW), -EROFS for W_OK on
 * the read-only root (kernel/fs/vfs_readonly.c), then -EACCES for X_OK on
 * a file no one may execute (root may read and write anything).
 */
static long
do_access(int dirfd, const char *upath, int mode, bool follow)
{
	char path[256], abs[PATH_ABS];
	struct stat st;
	long err;

	if (mode & ~7)
		return -EINVAL;
	if ((err = strncpy_from_user(path, upath, sizeof(path))) < 0)
		return err;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;
	if ((err = vfs_resolve(current->fs->cwd, path, follow ? LOOKUP_FOLLOW : LOOKUP_NOFOLLOW, abs)) != 0 ||
	    (err = vfs_lstat(abs, &st)) != 0)
		return err;
	if ((mode & 2) && (err = vfs_write_access(abs, st.st_mode)) != 0)      /* W_OK */
		return err;
	if ((mode & 1) && (st.st_mode & S_IFMT) != S_IFDIR && !(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

long
sys_faccessat(int dirfd, const char *upath, int mode)
{
	return do_access(dirfd, upath, mode, true);
}

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS          0x200

/*
 * faccessat2(2): faccessat with flags. Everyone is root with equal real
 * and effective ids, so AT_EACCESS changes nothing; AT_SYMLINK_NOFOLLOW
 * asks about a link itself. -EINVAL for other flags (AT_EMPTY_PATH too:
 * an empty path is not taken here).
 */
long
sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS))
		return -EINVAL;
	return do_access(dirfd, upath, mode, !(flags & AT_SYMLINK_NOFOLLOW));
}

long
sys_access(const char *upath, int mode)
{
	return sys_faccessat(AT_FDCWD, upath, mode);
}

long
sys_getdents64(int fd, void *udirp, size_t count)
{
	struct file *f = fd_get(fd);
	char *kbuf;
	long n;

	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	count = MIN(count, CHUNK);
	kbuf = kmalloc(CHUNK);
	if (!kbuf)
		return -ENOMEM;
	n = f->ops->getdents(f, kbuf, count);
	if (n > 0 && copy_to_user(udirp, kbuf, (size_t)n))
		n = -EFAULT;
	kfree(kbuf);
	return n;
}

#define AT_EMPTY_PATH 0x1000
#define AT_SYMLINK_NOFOLLOW 0x100

long
sys_newfstatat(int dirfd, const char *upath, void *ustat, int flags)
{
	char path[256];
	struct stat st;
	long err = strncpy_from_user(path, upath, sizeof(path));

	if (err < 0)
		return err;
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
		return sys_fstat(dirfd, ustat);
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;
	err = (flags & AT_SYMLINK_NOFOLLOW) ? vfs_lstat(path, &st) : vfs_stat(path, &st);
	return err ? err : copy_to_user(ustat, &st, sizeof(st));
}

long
sys_stat(const char *upath, void *ustat)
{
	return sys_newfstatat(AT_FDCWD, upath, ustat, 0);
}

long
sys_lstat(const char *upath, void *ustat)
{
	return sys_newfstatat(AT_FDCWD, upath, ustat, AT_SYMLINK_NOFOLLOW);
}

/*
 * readlinkat(2): the link's target, not NUL-terminated, cut to bufsiz;
 * returns its length. -EINVAL for bufsiz <= 0 or a path that is not a
 * link, -ENOENT for one that does not exist.
 */
long
sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz)
{
	char path[256], *target;
	long n = strncpy_from_user(path, upath, sizeof(path));

	if (n < 0)
		return n;
	if (bufsiz <= 0)
		return -EINVAL;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;
	if (!(target = kmalloc(PATH_MAX)))
		return -ENOMEM;
	n = path[0] ? vfs_readlink(path, target, PATH_MAX) : -ENOENT;
	n = MIN(n, (long)bufsiz);                /* silently cut, as Linux's readlink */
	if (n > 0 && copy_to_user(ubuf, target, (size_t)n))
		n = -EFAULT;
	kfree(target);
	return n;
}

long
sys_readlink(const char *upath, char *ubuf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, bufsiz);
}

long
sys_getcwd(char *ubuf, size_t size)
{
	size_t len = strlen(current->fs->cwd) + 1;

	if (size < len)
		return -ERANGE;
	return copy_to_user(ubuf, current->fs->cwd, len) ? -EFAULT : (long)len;
}

long
sys_chdir(const char *upath)
{
	char path[256];
	long err = strncpy_from_user(path, upath, sizeof(path));

	return err < 0 ? err : vfs_chdir(path);
}

/*
 * pread64 and pwrite64: read() or write() at an offset, leaving the
 * file's own offset alone (pwrite with O_APPEND still appends, as Linux).
 */
static long
rw_at(int fd, void *ubuf, size_t len, int64_t off, bool write)
{
	struct file *f = fd_get(fd);
	uint64_t saved;
	long n;

	if (!f)
		return -EBADF;
	if (f->ops->stream)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	saved = f->offset;
	f->offset = (uint64_t)off;
	n = write ? sys_write(fd, ubuf, len) : sys_read(fd, ubuf, len);
	f->offset = saved;
	return n;
}

long
sys_pread64(int fd, void *ubuf, size_t len, int64_t off)
{
	return rw_at(fd, ubuf, len, off, false);
}

long
sys_pwrite64(int fd, const void *ubuf, size_t len, int64_t off)
{
	return rw_at(fd, (void *)ubuf, len, off, true);   /* only read from: sys_write takes it const */
}

#define AT_REMOVEDIR 0x200

long
sys_mkdirat(int dirfd, const char *upath, int mode)
{
	char path[256];
	long err = strncpy_from_user(path, upath, sizeof(path));

	if (err < 0)
		return err;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;                   /* only the working directory, / */
	if ((err = vfs_mkdir(path)) != 0)
		return err;
	/* The file systems make 0755; a file system that keeps modes (ext2,
	 * tmpfs) then takes mode less the umask, as Linux's mkdir. The others
	 * (cgroup2) keep theirs. */
	char abs[PATH_ABS];
	int want = mode & ~(int)current->fs->umask & 07777;
	if (want != 0755 && vfs_resolve(current->fs->cwd, path, LOOKUP_NAME, abs) == 0)
		vfs_setattr(abs, want);
	return 0;
}

long
sys_mkdir(const char *upath, int mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

/* unlinkat(2): with AT_REMOVEDIR, rmdir. */
long
sys_unlinkat(int dirfd, const char *upath, int flags)
{
	char path[256];
	long err = strncpy_from_user(path, upath, sizeof(path));

	if (err < 0)
		return err;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;
	return (flags & AT_REMOVEDIR) ? vfs_rmdir(path) : vfs_unlink(path);
}

long
sys_rmdir(const char *upath)
{
	return sys_unlinkat(AT_FDCWD, upath, AT_REMOVEDIR);
}

long
sys_unlink(const char *upath)
{
	return sys_unlinkat(AT_FDCWD, upath, 0);
}
