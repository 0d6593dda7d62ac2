/*
 * kernel/sys_sched.c - what a process may ask of the scheduler: which
 * CPUs it may run on (sched_getaffinity, sched_setaffinity), its nice
 * value (getpriority, setpriority) and its I/O priority (ioprio_get,
 * ioprio_set).
 *
 * There is one CPU, and the scheduler (kernel/sched.c) is round-robin
 * without priorities, so the answers are fixed: the affinity mask is
 * CPU 0 alone, every nice value is 0, and every I/O priority is "none"
 * (the disks serve requests in order, drivers/blk.c). setpriority and
 * ioprio_set are accepted (as they would be for root) and change nothing:
 * a niced job runs as any other.
 */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "mm/uaccess.h"

#define NR_CPUS 1
#define CPUMASK_BYTES 8                 /* Linux's cpumask_size(): whole longs for NR_CPUS bits */
#define PRIO_PROCESS 0
#define PRIO_PGRP    1
#define PRIO_USER    2
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP    2
#define IOPRIO_WHO_USER    3
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_NONE  0
#define IOPRIO_CLASS_RT    1
#define IOPRIO_CLASS_BE    2
#define IOPRIO_CLASS_IDLE  3
#define IOPRIO_LEVEL_MASK  7           /* levels 0..7; bits 3..12 are hints (Linux 6.5), ignored */

/* The task pid names (0: the caller), or NULL. */
static struct task *
task_of(int pid)
{
	struct task *t = pid == 0 ? current : task_find(pid);

	return t && t->state != TASK_DEAD ? t : NULL;
}

/*
 * sched_getaffinity(2): writes the mask (CPU 0) and returns its size in
 * bytes. -EINVAL if len is not whole longs or too short for every CPU,
 * -ESRCH, -EFAULT.
 */
long
sys_sched_getaffinity(int pid, size_t len, uint8_t *umask)
{
	uint8_t mask[CPUMASK_BYTES] = { 1 };

	if (len * 8 < NR_CPUS || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (!task_of(pid))
		return -ESRCH;
	return copy_to_user(umask, mask, sizeof(mask)) ? -EFAULT : (long)sizeof(mask);
}

/* sched_setaffinity(2): a mask must include CPU 0, the only one (else -EINVAL). */
long
sys_sched_setaffinity(int pid, size_t len, const uint8_t *umask)
{
	uint8_t first = 0;

	if (len > 0 && copy_from_user(&first, umask, 1))
		return -EFAULT;
	if (!task_of(pid))
		return -ESRCH;
	return (first & 1) ? 0 : -EINVAL;
}

/* 0 if which/who name something that exists: -EINVAL for a bad which, -ESRCH for no one. */
static long
check_who(int which, int who)
{
	switch (which) {
	case PRIO_PROCESS:
		return task_of(who) ? 0 : -ESRCH;
	case PRIO_PGRP:
		return who == 0 || pgrp_session(who) > 0 ? 0 : -ESRCH;
	case PRIO_USER:
		return who == 0 ? 0 : -ESRCH;        /* only root has processes */
	default:
		return -EINVAL;
	}
}

/* getpriority(2): the raw system call returns 20 - nice, so 20 for nice 0 (libc turns it back). */
long
sys_getpriority(int which, int who)
{
	long err = check_who(which, who);

	return err ? err : 20 - 0;
}

/* setpriority(2): accepted for any nice value (Linux clamps out-of-range ones to -20..19). */
long
sys_setpriority(int which, int who, int nice)
{
	(void)nice;
	return check_who(which, who);
}

/* ioprio_get(2): IOPRIO_CLASS_NONE, level 0 (0), as Linux for a task that never set one. */
long
sys_ioprio_get(int which, int who)
{
	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	return check_who(which - IOPRIO_WHO_PROCESS + PRIO_PROCESS, who);
}

/*
 * ioprio_set(2): accepted for a valid class; changes nothing. -EINVAL for
 * a bad which or class, or class NONE with a level, -ESRCH for no one.
 */
long
sys_ioprio_set(int which, int who, int ioprio)
{
	int class = (ioprio >> IOPRIO_CLASS_SHIFT) & 7, level = ioprio & IOPRIO_LEVEL_MASK;

	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	switch (class) {
	case IOPRIO_CLASS_NONE:
		if (level != 0)
			return -EINVAL;
		break;
	case IOPRIO_CLASS_RT:
	case IOPRIO_CLASS_BE:
	case IOPRIO_CLASS_IDLE:
		break;
	default:
		return -EINVAL;
	}
	return check_who(which - IOPRIO_WHO_PROCESS + PRIO_PROCESS, who);
}
