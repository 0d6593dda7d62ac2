/*
 * kernel/loadavg.c - the load average: how many tasks wanted the CPU,
 * averaged over 1, 5 and 15 minutes (Linux's kernel/sched/loadavg.c).
 *
 * Every LOAD_FREQ (5 s and a tick) the number of active tasks n is folded
 * into three exponentially decaying averages, in fixed point with FSHIFT
 * fraction bits:
 *
 *     load = load * e + n * (1 - e),   e = exp(-5 s / 1, 5 or 15 min)
 *
 * EXP_1, EXP_5 and EXP_15 are those three e as fixed-point numbers
 * (1884 / 2048 = exp(-5/60), and so on). Linux counts runnable tasks and
 * tasks in uninterruptible sleep (state D, mostly waiting for a disk);
 * pagoda has no separate D state, so only runnable tasks count: a
 * process that waits for swap-in adds nothing here (it shows in
 * /proc/pressure/memory instead, kernel/psi.c).
 */
#include "kernel/loadavg.h"
#include "drivers/timer.h"
#include "kernel/sched.h"

#define LOAD_FREQ (5 * HZ + 1)     /* the extra tick: samples drift against periodic work */
#define EXP_1     1884             /* 1 / exp(5 s / 1 min), fixed point */
#define EXP_5     2014             /* 1 / exp(5 s / 5 min) */
#define EXP_15    2037             /* 1 / exp(5 s / 15 min) */

unsigned long avenrun[3];
static uint64_t next_sample = LOAD_FREQ;

/* One step of the decay; rounding up while the load rises, as Linux. */
static unsigned long
calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* The timer tick: every LOAD_FREQ, fold the active tasks in. Interrupts off. */
void
loadavg_tick(void)
{
	unsigned long active;

	if (jiffies < next_sample)
		return;
	next_sample += LOAD_FREQ;
	active = (unsigned long)sched_nr_running() * FIXED_1;
	avenrun[0] = calc_load(avenrun[0], EXP_1, active);
	avenrun[1] = calc_load(avenrun[1], EXP_5, active);
	avenrun[2] = calc_load(avenrun[2], EXP_15, active);
}
