/*
 * kernel/sys_cred.c - who a process is: user and group ids, the
 * supplementary groups, and the umask.
 *
 * pagoda has one user, root: every id is 0 and no permission is ever
 * refused for want of a capability. So the set*id calls accept 0 (and -1,
 * "leave it", where Linux takes it) and change nothing. Linux as root
 * would take any id; we answer another id with EINVAL, which is Linux's
 * answer for an id that has no meaning in the caller's user namespace:
 * a process must not believe it dropped root when it did not.
 *
 * The supplementary groups are { 0 }, what a root login has on Linux
 * (`id` prints "groups=0(root)"); setgroups accepts lists of gid 0 only,
 * for the same reason.
 *
 * The umask lives in the fs_struct (kernel/task.h), as Linux's
 * current->fs->umask: fork copies it, CLONE_FS threads share it. mkdir
 * applies it (kernel/sys_file.c); new files are 0644, what open(0666)
 * gives under the usual umask 022.
 */
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "mm/uaccess.h"

#define NGROUPS_MAX 65536              /* Linux's limit on a group list */
#define ID_KEEP ((uint32_t)-1)         /* set*id: leave this one as it is */
#define ROOT_ID 0

/* 0 if id may be asked for (root's, or "keep" where keep_ok), else -EINVAL. */
static long
check_id(uint32_t id, bool keep_ok)
{
	if (id == ROOT_ID || (keep_ok && id == ID_KEEP))
		return 0;
	return -EINVAL;
}

long
sys_setuid(uint32_t uid)
{
	return check_id(uid, false);
}

long
sys_setgid(uint32_t gid)
{
	return check_id(gid, false);
}

/* setreuid(2), setregid(2): real and effective id; -1 keeps one. */
long
sys_setreid(uint32_t rid, uint32_t eid)
{
	long err = check_id(rid, true);

	return err ? err : check_id(eid, true);
}

/* setresuid(2), setresgid(2): real, effective and saved id; -1 keeps one. */
long
sys_setresid(uint32_t rid, uint32_t eid, uint32_t sid)
{
	long err = check_id(rid, true);

	if (!err)
		err = check_id(eid, true);
	return err ? err : check_id(sid, true);
}

/* getresuid(2), getresgid(2): all three are root's. */
long
sys_getresid(uint32_t *urid, uint32_t *ueid, uint32_t *usid)
{
	uint32_t id = ROOT_ID;

	if (copy_to_user(urid, &id, sizeof(id)) || copy_to_user(ueid, &id, sizeof(id)) ||
	    copy_to_user(usid, &id, sizeof(id)))
		return -EFAULT;
	return 0;
}

/* setfsuid(2), setfsgid(2): never fail; return the previous id, which is always root's. */
long
sys_setfsid(uint32_t id)
{
	(void)id;
	return ROOT_ID;
}

/*
 * getgroups(2): with size 0, how many groups there are; else the list,
 * -EINVAL if it does not fit in size (or size is negative), -EFAULT.
 */
long
sys_getgroups(int size, uint32_t *ulist)
{
	uint32_t groups[] = { ROOT_ID };
	int n = (int)ARRAY_SIZE(groups);

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return n;
	if (size < n)
		return -EINVAL;
	return copy_to_user(ulist, groups, sizeof(groups)) ? -EFAULT : n;
}

/* setgroups(2): -EINVAL past NGROUPS_MAX or for a gid other than 0, -EFAULT. */
long
sys_setgroups(int size, const uint32_t *ulist)
{
	if (size < 0 || size > NGROUPS_MAX)
		return -EINVAL;
	for (int i = 0; i < size; i++) {
		uint32_t gid;
		if (copy_from_user(&gid, &ulist[i], sizeof(gid)))
			return -EFAULT;
		if (check_id(gid, false))
			return -EINVAL;
	}
	return 0;
}

/* umask(2): sets the process's umask to mask's permission bits; returns the old one. */
long
sys_umask(unsigned mask)
{
	unsigned old = current->fs->umask;

	current->fs->umask = mask & 0777;
	return old;
}
