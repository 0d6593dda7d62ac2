/*
 * kernel/sys_acct.c - what a process has used and how the machine is
 * doing: times(2), getrusage(2), sysinfo(2), with Linux's structures
 * (and wait4's struct rusage, kernel/sys_proc.c).
 *
 * The figures come from kernel/cputime.c (CPU ticks, faults, context
 * switches), kernel/loadavg.c (load averages) and mm/ (memory, swap).
 * Times are kept in ticks of HZ = 100, which is also Linux's USER_HZ,
 * the unit of times(2): no conversion is needed for clock_t.
 */
#include "drivers/timer.h"
#include "kernel/cputime.h"
#include "kernel/errno.h"
#include "kernel/loadavg.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"
#include "mm/mm.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/uaccess.h"

#define RUSAGE_SELF      0
#define RUSAGE_CHILDREN  (-1)
#define RUSAGE_THREAD    1
#define SI_LOAD_SHIFT    16         /* sysinfo's loads[]: 16 bits of fraction */

struct tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;   /* clock_t: ticks of USER_HZ */
};

struct rusage {
	struct timeval ru_utime, ru_stime;
	int64_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	int64_t ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

struct sysinfo {
	int64_t uptime;                 /* seconds since boot */
	uint64_t loads[3];              /* 1, 5, 15 minute load averages << SI_LOAD_SHIFT */
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;   /* mem_unit's */
	uint16_t procs, pad;            /* tasks (threads) */
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];               /* Linux's _f[]: padding to the 64-bit size */
};

/*
 * times(2): the calling process's CPU time and its reaped children's, in
 * ticks. Returns the ticks since boot (Linux's count starts at an
 * arbitrary point too: only differences mean anything).
 */
long
sys_times(struct tms *ubuf)
{
	struct task_acct self;
	struct tms t;

	if (ubuf) {
		cputime_process(current->leader, &self);
		t = (struct tms){ .tms_utime = (int64_t)self.utime, .tms_stime = (int64_t)self.stime,
				  .tms_cutime = (int64_t)current->leader->acct_children.utime,
				  .tms_cstime = (int64_t)current->leader->acct_children.stime };
		if (copy_to_user(ubuf, &t, sizeof(t)))
			return -EFAULT;
	}
	return (long)jiffies;
}

static struct timeval
ticks_to_timeval(uint64_t ticks)
{
	return (struct timeval){ .tv_sec = (int64_t)(ticks / HZ),
				 .tv_usec = (int64_t)(ticks % HZ) * (1000000 / HZ) };
}

/* Fills the user's struct rusage from a (ru_maxrss in KiB). 0 or -EFAULT. */
long
rusage_to_user(const struct task_acct *a, void *urusage)
{
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	ru.ru_utime = ticks_to_timeval(a->utime);
	ru.ru_stime = ticks_to_timeval(a->stime);
	ru.ru_maxrss = (int64_t)a->maxrss_kib;
	ru.ru_minflt = (int64_t)a->min_flt;
	ru.ru_majflt = (int64_t)a->maj_flt;
	ru.ru_nvcsw = (int64_t)a->nvcsw;
	ru.ru_nivcsw = (int64_t)a->nivcsw;
	return copy_to_user(urusage, &ru, sizeof(ru)) ? -EFAULT : 0;
}

/*
 * getrusage(2): RUSAGE_SELF (every thread of the process), RUSAGE_THREAD
 * (the caller), RUSAGE_CHILDREN (reaped children, theirs included);
 * anything else is -EINVAL. ru_maxrss is in KiB: the largest resident
 * set seen at an exit, or the present one if larger (pagoda keeps no
 * high-water mark between exits, Linux does: it may report more).
 */
long
sys_getrusage(int who, struct rusage *ubuf)
{
	struct task_acct a;
	struct mm *mm = current->mm;

	if (who == RUSAGE_SELF)
		cputime_process(current->leader, &a);
	else if (who == RUSAGE_THREAD)
		a = current->acct;
	else if (who == RUSAGE_CHILDREN)
		a = current->leader->acct_children;
	else
		return -EINVAL;
	if (who != RUSAGE_CHILDREN && mm)
		a.maxrss_kib = MAX(a.maxrss_kib, mm->rss * (PAGE_SIZE / 1024));
	return rusage_to_user(&a, ubuf);
}

/*
 * sysinfo(2). On 64-bit Linux mem_unit is 1: sizes are in bytes. The
 * uptime is rounded up to a whole second, as Linux. bufferram is 0:
 * pagoda has no buffer cache apart from the page cache (Cached in
 * /proc/meminfo); sharedram is 0: no shmem or tmpfs.
 */
long
sys_sysinfo(struct sysinfo *ubuf)
{
	uint64_t ns = timer_uptime_ns();
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(ns / 1000000000 + (ns % 1000000000 ? 1 : 0));
	for (int i = 0; i < 3; i++)
		si.loads[i] = avenrun[i] << (SI_LOAD_SHIFT - FSHIFT);
	si.totalram = pmm_stats.usable * PAGE_SIZE;
	si.freeram = pmm_free_frames() * PAGE_SIZE;
	si.totalswap = swap_total_slots() * PAGE_SIZE;
	si.freeswap = swap_free_slots() * PAGE_SIZE;
	si.procs = (uint16_t)sched_nr_tasks();
	si.mem_unit = 1;
	return copy_to_user(ubuf, &si, sizeof(si)) ? -EFAULT : 0;
}
