/*
 * kernel/sys_timeofday.c - reading and setting the time of day:
 * gettimeofday, time, settimeofday, clock_settime, clock_getres, and
 * adjtimex/clock_adjtime for reading the clock's NTP state.
 *
 * The clock itself is drivers/timer.c: CLOCK_REALTIME is the RTC's time
 * at boot (drivers/rtc.c) plus the uptime, and setting it moves only that
 * offset (the RTC is not written back, unlike hwclock --systohc).
 * clock_gettime is in kernel/sys_misc.c.
 *
 * Everyone is root, so setting the clock is always allowed (Linux needs
 * CAP_SYS_TIME, else EPERM). The time zone settimeofday takes is kept and
 * given back by gettimeofday, as Linux keeps sys_tz; nothing else uses it.
 *
 * The clock is not disciplined (no NTP frequency or offset slewing): it
 * runs at the TSC's rate as calibrated at boot. adjtimex reports what
 * Linux reports for a clock no NTP daemon has touched (unsynchronized:
 * TIME_ERROR) and takes only ADJ_SETOFFSET, a step of the time of day.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"

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

/* adjtimex(2)'s struct timex, x86-64 layout (208 bytes). */
struct timex {
	uint32_t modes;
	int64_t offset, freq, maxerror, esterror;
	int32_t status;
	int64_t constant, precision, tolerance;
	struct timeval time;
	int64_t tick, ppsfreq, jitter;
	int32_t shift;
	int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
	int32_t tai;
	int32_t reserved[11];
};

#define ADJ_SETOFFSET       0x0100
#define ADJ_NANO            0x2000
#define ADJ_OFFSET_SS_READ  0xa001     /* adjtime(NULL, &old): read only */
#define STA_UNSYNC          0x0040
#define TIME_ERROR          5          /* the clock is not synchronized */
#define NTP_PHASE_LIMIT     16000000   /* us: Linux's maxerror/esterror before NTP runs */
#define NTP_TOLERANCE       (500L << 16)   /* 500 ppm, scaled by 2^16 */
#define NTP_TIME_CONSTANT   2

/* ADJ_SETOFFSET: steps the time of day by tx->time (us, or ns with ADJ_NANO). -EINVAL for a bad fraction. */
static long
step_realtime(const struct timex *tx)
{
	int64_t frac_ns = tx->modes & ADJ_NANO ? tx->time.tv_usec : tx->time.tv_usec * 1000;
	int64_t now = (int64_t)timer_realtime_ns();

	if (tx->time.tv_usec < 0 || frac_ns >= NSEC_PER_SEC)
		return -EINVAL;
	now += tx->time.tv_sec * NSEC_PER_SEC + frac_ns;
	timer_set_realtime_ns(now > 0 ? (uint64_t)now : 0);
	return 0;
}

/* The state Linux reports for an undisciplined clock, with the time now. */
static void
read_ntp_state(struct timex *tx)
{
	uint64_t ns = timer_realtime_ns();
	uint32_t modes = tx->modes;

	*tx = (struct timex){
		.modes = modes, .maxerror = NTP_PHASE_LIMIT, .esterror = NTP_PHASE_LIMIT,
		.status = STA_UNSYNC, .constant = NTP_TIME_CONSTANT, .precision = 1,
		.tolerance = NTP_TOLERANCE, .tick = USEC_PER_SEC / HZ,
		.time = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) / 1000 },
	};
}

/*
 * adjtimex(2): reads the clock's NTP state (modes 0, or adjtime's
 * read-only request), or steps the clock (ADJ_SETOFFSET). Returns
 * TIME_ERROR (unsynchronized), -EFAULT, or -EINVAL for any other mode:
 * nothing here can slew the clock's frequency or offset (Linux can).
 */
long
sys_adjtimex(struct timex *utx)
{
	struct timex tx;
	long err = 0;

	if (copy_from_user(&tx, utx, sizeof(tx)))
		return -EFAULT;
	if ((tx.modes & ~(uint32_t)ADJ_NANO) == ADJ_SETOFFSET)
		err = step_realtime(&tx);
	else if (tx.modes != 0 && tx.modes != ADJ_OFFSET_SS_READ)
		err = -EINVAL;
	if (err)
		return err;
	read_ntp_state(&tx);
	return copy_to_user(utx, &tx, sizeof(tx)) ? -EFAULT : TIME_ERROR;
}

/* clock_adjtime(2): adjtimex of CLOCK_REALTIME; -EOPNOTSUPP for another known clock, as Linux. */
long
sys_clock_adjtime(int clock, struct timex *utx)
{
	if (clock == CLOCK_REALTIME)
		return sys_adjtimex(utx);
	return clock_known(clock) ? -EOPNOTSUPP : -EINVAL;
}
