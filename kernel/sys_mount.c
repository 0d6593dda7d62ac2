/*
 * kernel/sys_mount.c - mount(2) and umount2(2): adding to and removing from
 * the mount table (kernel/fs/mount.c), as `mount` and `umount` do.
 *
 *   mount("proc", "/proc", "proc", 0, NULL)      /proc again after umount
 *   mount("none", "/tmp", "tmpfs", 0, "size=8m")
 *   mount(NULL, "/", NULL, MS_REMOUNT|MS_RDONLY, NULL)   accepted: it is
 *
 *   mount("/dev/vda1", "/mnt", "ext2", MS_RDONLY, NULL)  the root's tree again
 *
 * The file system types are those the kernel has (mount_fs_type(),
 * /proc/filesystems); ext2 mounts only the root's device, read-only
 * (kernel/fs/rootfs.c: EROFS without MS_RDONLY, after which mount(8) and
 * busybox retry read-only, as for a write-protected disk).
 * Mounting over a mount point is EBUSY (Linux would stack the new mount on
 * top); bind mounts, moves and propagation flags are EINVAL.
 */
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

#define MS_RDONLY   1
#define MS_NOSUID   2
#define MS_NODEV    4
#define MS_NOEXEC   8
#define MS_SILENT   32768
#define MS_RELATIME (1 << 21)
#define MS_REMOUNT  32

/* Flags that only say how a mount behaves: accepted, and nothing here depends on them. */
#define MS_ACCEPTED (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SILENT | MS_RELATIME | 0x400 | 0x800)

#define MNT_FORCE   1
#define MNT_DETACH  2
#define UMOUNT_NOFOLLOW 8

/* Copies a user string, or "" for a NULL pointer. */
static long
copy_name(char *dst, const char *usrc, size_t size)
{
	if (!usrc) {
		dst[0] = '\0';
		return 0;
	}
	return strncpy_from_user(dst, usrc, size);
}

long
sys_mount(const char *usource, const char *utarget, const char *utype, unsigned long flags,
	  const void *udata)
{
	char source[32], target[256], type[32], data[64];
	long err = copy_name(source, usource, sizeof(source));

	if (err >= 0)
		err = copy_name(target, utarget, sizeof(target));
	if (err >= 0)
		err = copy_name(type, utype, sizeof(type));
	if (err >= 0)
		err = copy_name(data, udata, sizeof(data));
	if (err < 0)
		return err;
	if (flags & MS_REMOUNT)
		return vfs_remount(target, flags & MS_RDONLY);
	if (flags & ~(unsigned long)(MS_ACCEPTED | MS_RDONLY))
		return -EINVAL;
	return vfs_mount(source[0] ? source : type, target, type, flags & MS_RDONLY, data);
}

long
sys_umount2(const char *utarget, int flags)
{
	char target[256];
	long err = strncpy_from_user(target, utarget, sizeof(target));

	if (err < 0)
		return err;
	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -EINVAL;
	return vfs_umount(target);
}
