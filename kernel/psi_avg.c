/*
 * kernel/psi_avg.c - PSI's averages, computed as Linux computes them
 * (kernel/sched/psi.c's calc_avgs(), with the load average's calc_load()
 * from include/linux/sched/loadavg.h).
 *
 * Every 2 s the share of that period spent stalled becomes a sample, in
 * percent; each average moves towards it by a fixed factor:
 *
 *   avg = avg * e + sample * (1 - e),   e = exp(-2 s / window)
 *
 * with e = 1677/2048 for 10 s, 1981/2048 for 60 s, 2034/2048 for 300 s,
 * all in fixed point with 11 fraction bits. Periods in which the averages
 * were not updated (the tick was late) count as samples of 0.
 */
#include "kernel/psi_avg.h"

static const unsigned long exp_factor[PSI_NR_AVGS] = { 1677, 1981, 2034 };

/* The load average's step: load moves towards active by factor e. */
static unsigned long
calc_load(unsigned long load, unsigned long e, unsigned long active)
{
	unsigned long newload = load * e + active * (PSI_FIXED_1 - e);

	if (active >= load)
		newload += PSI_FIXED_1 - 1;
	return newload / PSI_FIXED_1;
}

/* x to the power n, in fixed point, rounding each step (Linux's fixed_power_int()). */
static unsigned long
fixed_power(unsigned long x, unsigned n)
{
	unsigned long result = PSI_FIXED_1;

	while (n) {
		if (n & 1) {
			result = (result * x + (PSI_FIXED_1 >> 1)) >> PSI_FSHIFT;
		}
		n >>= 1;
		if (n)
			x = (x * x + (PSI_FIXED_1 >> 1)) >> PSI_FSHIFT;
	}
	return result;
}

/*
 * One period is over: total_ns is the stall time so far (ever), period_ns
 * how long the period was. The part of total_ns not seen before, at most
 * the period, is the sample.
 */
void
psi_avgs_update(struct psi_avgs *a, uint64_t total_ns, uint64_t period_ns,
		unsigned missed_periods)
{
	uint64_t sample = total_ns - a->seen_ns;
	unsigned long pct;

	if (period_ns == 0)
		return;
	if (sample > period_ns)
		sample = period_ns;
	a->seen_ns += sample;
	pct = (unsigned long)(sample * 100 / period_ns) * PSI_FIXED_1;
	for (int i = 0; i < PSI_NR_AVGS; i++) {
		if (missed_periods)
			a->avg[i] = calc_load(a->avg[i], fixed_power(exp_factor[i], missed_periods), 0);
		a->avg[i] = calc_load(a->avg[i], exp_factor[i], pct);
	}
}

/* The whole percent of an average, and its hundredths ("12.34"). */
unsigned long
psi_avg_int(unsigned long avg)
{
	return avg >> PSI_FSHIFT;
}

unsigned long
psi_avg_frac(unsigned long avg)
{
	return ((avg & (PSI_FIXED_1 - 1)) * 100) >> PSI_FSHIFT;
}
