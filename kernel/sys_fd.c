/*
 * kernel/sys_fd.c - descriptor calls beyond open/read/write: dup3, and
 * fcntl's record locks (F_GETLK, F_SETLK, F_SETLKW and the open file
 * description locks F_OFD_*). The rest of fcntl is kernel/sys_file.c.
 *
 * Record locks are checked as Linux checks them (lock type, whence,
 * range, the descriptor's access mode) and then granted without being
 * recorded: a lock can only conflict with a writer, and no file on the
 * root can be opened for writing (the root is read-only, kernel/fs/vfs.c).
 * So F_GETLK always answers "nothing in the way" (l_type = F_UNLCK) and
 * F_SETLKW never waits. When a writable file system comes, locks must be
 * kept per inode and this file changes.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/uapi.h"

/* fcntl's lock commands and types, Linux's values. */
#define F_GETLK      5
#define F_SETLK      6
#define F_SETLKW     7
#define F_OFD_GETLK  36
#define F_OFD_SETLK  37
#define F_OFD_SETLKW 38
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

struct flock {                         /* x86-64 layout (struct flock64 is the same) */
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};

/*
 * dup3(2): dup2 that takes O_CLOEXEC and refuses oldfd == newfd.
 * -EINVAL for those or any other flag, -EBADF for a bad descriptor.
 */
long
sys_dup3(int oldfd, int newfd, int flags)
{
	long fd;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if ((fd = fd_dup(oldfd, newfd, false)) < 0)
		return fd;
	if (flags & O_CLOEXEC)
		current->files->cloexec |= 1U << fd;
	return fd;
}

bool
fcntl_is_lock_cmd(int cmd)
{
	return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW ||
	       cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

/* -EINVAL unless the range l_whence/l_start/l_len names bytes at offset 0 or after. */
static long
check_range(const struct file *f, const struct flock *fl)
{
	int64_t base;

	switch (fl->l_whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->offset; break;
	case SEEK_END: base = (int64_t)f->size; break;
	default: return -EINVAL;
	}
	if (base + fl->l_start < 0)
		return -EINVAL;
	if (fl->l_len < 0 && base + fl->l_start + fl->l_len < 0)    /* the len bytes before start */
		return -EINVAL;
	return 0;
}

/* Setting a lock: -EINVAL for a bad type, -EBADF if the descriptor's mode does not allow it. */
static long
check_set(const struct file *f, const struct flock *fl)
{
	int acc = f->flags & O_ACCMODE;

	switch (fl->l_type) {
	case F_RDLCK:
		return acc == O_WRONLY ? -EBADF : 0;
	case F_WRLCK:
		return acc == O_RDONLY ? -EBADF : 0;
	case F_UNLCK:
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * fcntl(fd, cmd, struct flock *) for the lock commands. Returns 0, or
 * -EFAULT, -EINVAL (bad type, whence or range; F_GETLK asking about
 * F_UNLCK; an OFD lock with l_pid set), -EBADF.
 */
long
fcntl_lock(struct file *f, int cmd, struct flock *ufl)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	struct flock fl;
	long err;

	if (copy_from_user(&fl, ufl, sizeof(fl)))
		return -EFAULT;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
			return -EINVAL;
		if ((err = check_range(f, &fl)) != 0)
			return err;
		fl.l_type = F_UNLCK;              /* no lock of anyone else's is in the way */
		return copy_to_user(ufl, &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	if ((err = check_set(f, &fl)) != 0)
		return err;
	return check_range(f, &fl);
}
