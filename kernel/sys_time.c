/*
 * kernel/sys_time.c - sleeping and alarm clocks: nanosleep,
 * clock_nanosleep, and ITIMER_REAL (setitimer, getitimer, alarm).
 *
 * A sleep is whole timer ticks (10 ms), then a check of the clock that
 * clock_gettime() reads, so that it is never shorter than asked (POSIX)
 * even when QEMU delivers late ticks in a burst. A handler that runs
 * meanwhile ends it with EINTR, and nanosleep writes the time left.
 *
 * ITIMER_REAL is a process's alarm clock: when the clock clock_gettime()
 * reads passes it (checked at each tick, itimer_tick()) the process gets
 * SIGALRM, and again every interval after the previous expiry if one was
 * set; fork does not copy it, execve keeps it.
 * alarm(2) is the same clock in whole seconds. The other two timers
 * (ITIMER_VIRTUAL, ITIMER_PROF: CPU time) are not kept: EINVAL.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "mm/uaccess.h"

#define NSEC 1000000000UL
#define TICK_NS (NSEC / HZ)
#define TIMER_ABSTIME 1
#define ITIMER_REAL 0

struct itimerval {
	struct timeval interval, value;
};

/*
 * The struct timespec at uts, as nanoseconds (every call that takes one:
 * sleeps, rt_sigtimedwait, ppoll, pselect6). Returns 0, -EFAULT, or
 * -EINVAL for a negative time or nanoseconds past a second.
 */
long
timespec_from_user(const struct timespec *uts, uint64_t *ns)
{
	struct timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC)
		return -EINVAL;
	*ns = (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/* A struct timeval (setitimer, select) as nanoseconds. Returns 0, or -EINVAL as above. */
long
timeval_to_ns(const struct timeval *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -EINVAL;
	*ns = (uint64_t)tv->tv_sec * NSEC + (uint64_t)tv->tv_usec * 1000;
	return 0;
}

/*
 * Sleeps until the uptime clock reads deadline (ns), or a signal may be
 * acted on. Returns 0, or -EINTR with the time left in *urem (if given).
 */
static long
sleep_until_ns(uint64_t deadline, struct timespec *urem)
{
	uint64_t now = timer_uptime_ns();

	if (deadline > now)
		sched_sleep_until(jiffies + (deadline - now + TICK_NS - 1) / TICK_NS);
	while (timer_uptime_ns() < deadline && !signal_pending(current))
		sched_sleep_until(jiffies + 1);
	if (!signal_pending(current))
		return 0;
	if (urem) {
		uint64_t left = deadline > timer_uptime_ns() ? deadline - timer_uptime_ns() : 0;
		struct timespec rem = { (int64_t)(left / NSEC), (int64_t)(left % NSEC) };
		if (copy_to_user(urem, &rem, sizeof(rem)))
			return -EFAULT;
	}
	return -EINTR;
}

long
sys_nanosleep(const struct timespec *ureq, struct timespec *urem)
{
	uint64_t ns;
	long err = timespec_from_user(ureq, &ns);

	return err ? err : sleep_until_ns(timer_uptime_ns() + ns, urem);
}

/* clock_nanosleep: relative, or until the clock reads req (TIMER_ABSTIME). */
long
sys_clock_nanosleep(int clock, int flags, const struct timespec *ureq, struct timespec *urem)
{
	uint64_t now, ns;
	long err;

	if (clock == CLOCK_REALTIME)
		now = timer_realtime_ns();
	else if (clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME)
		now = timer_uptime_ns();
	else
		return -EINVAL;
	if ((err = timespec_from_user(ureq, &ns)) != 0)
		return err;
	if (flags & TIMER_ABSTIME)              /* no time left is written for an absolute sleep */
		return sleep_until_ns(timer_uptime_ns() + (ns > now ? ns - now : 0), NULL);
	return sleep_until_ns(timer_uptime_ns() + ns, urem);
}

static struct timeval
ns_timeval(uint64_t ns)
{
	uint64_t us = (ns + 999) / 1000;          /* time left: rounded up, as Linux */

	return (struct timeval){ (int64_t)(us / 1000000), (int64_t)(us % 1000000) };
}

/* current's ITIMER_REAL as it stands. */
static struct itimerval
read_itimer(void)
{
	uint64_t now = timer_uptime_ns(), at = current->leader->alarm_at;
	uint64_t left = !at ? 0 : at > now ? at - now : 1;

	return (struct itimerval){ ns_timeval(current->leader->alarm_every), ns_timeval(left) };
}

long
sys_getitimer(int which, struct itimerval *uval)
{
	struct itimerval v;

	if (which != ITIMER_REAL)
		return -EINVAL;
	v = read_itimer();
	return copy_to_user(uval, &v, sizeof(v)) ? -EFAULT : 0;
}

long
sys_setitimer(int which, const struct itimerval *unew, struct itimerval *uold)
{
	struct itimerval v, old;
	uint64_t flags, value, interval;

	if (which != ITIMER_REAL)
		return -EINVAL;
	if (copy_from_user(&v, unew, sizeof(v)))
		return -EFAULT;
	if (timeval_to_ns(&v.value, &value) || timeval_to_ns(&v.interval, &interval))
		return -EINVAL;
	old = read_itimer();
	flags = irq_save();
	current->leader->alarm_every = interval;
	current->leader->alarm_at = value ? timer_uptime_ns() + value : 0;
	irq_restore(flags);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* alarm(seconds): the seconds the previous alarm had left (rounded as Linux: half up, never 0). */
long
sys_alarm(unsigned seconds)
{
	struct itimerval old = read_itimer();
	uint64_t flags = irq_save();

	current->leader->alarm_every = 0;
	current->leader->alarm_at = seconds ? timer_uptime_ns() + (uint64_t)seconds * NSEC : 0;
	irq_restore(flags);
	if (old.value.tv_sec == 0 && old.value.tv_usec == 0)
		return 0;
	return old.value.tv_sec + (old.value.tv_usec >= 500000 || old.value.tv_sec == 0);
}

static void
check_alarm(struct task *t, void *now)
{
	uint64_t ns = *(const uint64_t *)now;

	if (!t->alarm_at || t->alarm_at > ns || t->state == TASK_ZOMBIE)
		return;
	/* The next expiry follows the last (no drift); expiries missed meanwhile are one signal. */
	t->alarm_at = !t->alarm_every ? 0 :
		      t->alarm_at + t->alarm_every > ns ? t->alarm_at + t->alarm_every : ns + t->alarm_every;
	signal_send(t, SIGALRM);
}

/* The timer interrupt: SIGALRM for every process whose ITIMER_REAL has expired. */
void
itimer_tick(void)
{
	uint64_t now = timer_uptime_ns();

	task_for_each(check_alarm, &now);
}
