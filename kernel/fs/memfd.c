/*
 * kernel/fs/memfd.c - memfd_create(2): a file in memory that never had a
 * name, as Linux makes on its internal tmpfs mount. It is a tmpfs file
 * (kernel/fs/tmpfs_file.c) whose node has no name from the start: it can
 * be written, read, truncated, mapped MAP_SHARED, inherited by a child,
 * and its pages are shmem, so they go to swap under pressure. It goes with
 * its last descriptor. /proc/PID/maps names it "/memfd:NAME (deleted)".
 * MFD_ALLOW_SEALING is accepted, but no seal can be added (fcntl's
 * F_ADD_SEALS is EINVAL here).
 */
#include "kernel/errno.h"
#include "kernel/fs/tmpfs_internal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/vsprintf.h"
#include "mm/uaccess.h"

#define MFD_CLOEXEC       1
#define MFD_ALLOW_SEALING 2
#define MFD_NAME_MAX      249          /* NAME_MAX less "memfd:", Linux's limit */

/* The instance memfd files belong to: no names, no limit but memory (Linux's shm_mnt). */
static struct tmpfs_sb memfd_sb = { .max_pages = 1ULL << 40, .next_ino = 1 };

long
sys_memfd_create(const char *uname, unsigned flags)
{
	char name[MFD_NAME_MAX + 1];
	struct tmpfs_node *n;
	struct file *f;
	long len = strncpy_from_user(name, uname, sizeof(name));
	int fd;

	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return len;
	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;                  /* MFD_HUGETLB and the rest: not here */
	n = tmpfs_node_alloc(&memfd_sb, S_IFREG | 0777);       /* no name: nlink 0 */
	if (!n)
		return -ENOMEM;
	if (tmpfs_open_node(n, O_RDWR, &f) != 0) {
		tmpfs_node_free_if_unused(n);
		return -ENOMEM;
	}
	snprintf(f->path, sizeof(f->path), "/memfd:%s (deleted)", name);
	fd = fd_install_from(current, f, 0, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);                     /* the node goes with it */
	return fd;
}
