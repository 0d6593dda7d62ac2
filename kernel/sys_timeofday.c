/*
 * kernel/sys_timeofday.c - reading and setting the time of day:
 * gettimeofday, time, settimeofday, clock_settime, clock_getres.
 *
 * The clock itself is drivers/timer.c: CLOCK_REALTIME is the RTC's time
 * at boot (drivers/rtc.c) plus the uptime, and setting it moves only that
 * offset (the RTC is not written back, unlike hwclock --systohc).
 * clock_gettime is in kernel/sys_misc.c.
 *
 * Everyone is root, so setting the clock is always allowed (Linux needs
 * CAP_SYS_TIME, else EPERM). The time zone settimeofday takes is kept and
 * given back by gettimeofday, as Linux keeps sys_tz; nothing else uses it.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"

#define NSEC_PER_SEC  1000000000L
#define USEC_PER_SEC  1000000L
#define TICK_NSEC     (NSEC_PER_SEC / HZ)
#define TZ_MAX_MINUTES (15 * 60)       /* Linux refuses zones further than 15 hours from UTC */

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

static struct timezone sys_tz;

long
sys_gettimeofday(struct timeval *utv, struct timezone *utz)
{
	uint64_t ns = timer_realtime_ns();
	struct timeval tv = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) / 1000 };

	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && copy_to_user(utz, &sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

/* time(2): whole seconds since 1970, also stored at utloc when it is not NULL. */
long
sys_time(int64_t *utloc)
{
	int64_t now = (int64_t)(timer_realtime_ns() / NSEC_PER_SEC);

	if (utloc && copy_to_user(utloc, &now, sizeof(now)))
		return -EFAULT;
	return now;
}

/* Sets CLOCK_REALTIME. -EINVAL for a negative time or nanoseconds past a second. */
static long
set_realtime(const struct timespec *ts)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	timer_set_realtime_ns((uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec);
	return 0;
}

/*
 * settimeofday(2): either argument may be NULL. Both are read (and
 * checked) before anything changes: -EFAULT, or -EINVAL for a bad time
 * or a zone more than 15 hours from UTC.
 */
long
sys_settimeofday(const struct timeval *utv, const struct timezone *utz)
{
	struct timeval tv;
	struct timezone tz;
	struct timespec ts;

	if (utv && copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (utv && (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= USEC_PER_SEC))
		return -EINVAL;
	if (utz && copy_from_user(&tz, utz, sizeof(tz)))
		return -EFAULT;
	if (utz && (tz.tz_minuteswest > TZ_MAX_MINUTES || tz.tz_minuteswest < -TZ_MAX_MINUTES))
		return -EINVAL;
	if (utz)
		sys_tz = tz;
	if (!utv)
		return 0;
	ts = (struct timespec){ tv.tv_sec, tv.tv_usec * 1000 };
	return set_realtime(&ts);
}

/* The clocks clock_gettime knows (kernel/sys_misc.c). */
static bool
clock_known(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return true;
	default:
		return false;
	}
}

/* clock_settime(2): only CLOCK_REALTIME can be set; any other clock is -EINVAL, as in Linux. */
long
sys_clock_settime(int clock, const struct timespec *uts)
{
	struct timespec ts;

	if (clock != CLOCK_REALTIME)
		return -EINVAL;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	return set_realtime(&ts);
}

/*
 * clock_getres(2): 1 ns for the clocks read from the TSC; a tick for the
 * _COARSE ones, which Linux updates once a tick (ours read the TSC too,
 * so they are finer than promised, which POSIX allows). uts may be NULL.
 */
long
sys_clock_getres(int clock, struct timespec *uts)
{
	bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
	struct timespec res = { 0, coarse ? TICK_NSEC : 1 };

	if (!clock_known(clock))
		return -EINVAL;
	if (uts && copy_to_user(uts, &res, sizeof(res)))
		return -EFAULT;
	return 0;
}
