/*
 * kernel/sys_rlimit.c - getrlimit, setrlimit and prlimit64: a process's
 * resource limits, inherited across fork and kept across execve.
 *
 * Every limit can be read and set, with Linux's checks (a soft limit
 * above the hard one is EINVAL; everyone is root here, so raising a hard
 * limit is allowed). Two of them mean something here: RLIMIT_STACK is
 * the stack's size (fixed at 8 MiB, USER_STACK_MAX), and RLIMIT_RSS -
 * which Linux accepts but has not enforced since 2.6 - is a fixed number
 * of frames for the process's mmap'd anonymous memory, enforced by
 * evicting its own pages (local replacement, mm/memcg.c). The kernel
 * argument upages=N gives every process an RLIMIT_RSS of N pages.
 */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/thread.h"
#include "kernel/rlimit.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

/* Linux's initial limits (its init_task's), with ours where they differ. */
void
rlimit_init_defaults(struct rlimit *rlim)
{
	uint64_t upages = karg_get_u64("upages", 0);

	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK] = (struct rlimit){ USER_STACK_MAX, RLIM_INFINITY };
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NOFILE] = (struct rlimit){ TASK_MAX_FILES, TASK_MAX_FILES };
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){ 8UL << 20, 8UL << 20 };
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ 819200, 819200 };
	rlim[RLIMIT_NICE] = rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
	if (upages)
		rlim[RLIMIT_RSS] = (struct rlimit){ upages * PAGE_SIZE, upages * PAGE_SIZE };
}

/*
 * The common part: old gets the limit (if asked), then it becomes new
 * (if given). 0 or -errno; nothing changes on error.
 */
static long
do_prlimit(struct task *t, unsigned resource, const struct rlimit *new, struct rlimit *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (old)
		*old = t->rlim[resource];
	for (struct task *th = thread_first(t->leader); new && th; th = thread_next(t->leader, th))
		th->rlim[resource] = *new;       /* a process's limit, in every thread */
	return 0;
}

long
sys_getrlimit(unsigned resource, struct rlimit *uold)
{
	struct rlimit old;
	long err = do_prlimit(current, resource, NULL, &old);

	if (!err && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

long
sys_setrlimit(unsigned resource, const struct rlimit *unew)
{
	struct rlimit new;

	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	return do_prlimit(current, resource, &new, NULL);
}

/* prlimit64(pid, resource, new, old): either may be NULL; pid 0 is the caller. */
long
sys_prlimit64(int pid, unsigned resource, const struct rlimit *unew, struct rlimit *uold)
{
	struct task *t = pid ? task_find(pid) : current;
	struct rlimit new, old;
	long err;

	if (!t || t->is_kernel_thread)
		return -ESRCH;
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	err = do_prlimit(t, resource, unew ? &new : NULL, uold ? &old : NULL);
	if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}
