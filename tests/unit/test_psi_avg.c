/*
 * tests/unit/test_psi_avg.c - kernel/psi_avg.c: PSI's avg10, avg60 and
 * avg300, as Linux computes them.
 *
 * Each average is an exponential moving average updated every 2 s, so a
 * stall that lasts exactly one window brings it about 1 - 1/e = 63% of
 * the way (5 periods for avg10, 30 for avg60, 150 for avg300), and a
 * window of quiet brings it down to 1/e = 36.8% of where it was. Missed
 * updates count as quiet periods; a sample never exceeds its period.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "kernel/psi_avg.h"

#define PERIOD PSI_PERIOD_NS

/* An average as a percent with two decimals, times 100 (63.21% -> 6321). */
static unsigned long
hundredths(unsigned long avg)
{
	return psi_avg_int(avg) * 100 + psi_avg_frac(avg);
}

static bool
near(unsigned long got, unsigned long want, unsigned long slack)
{
	return got + slack >= want && got <= want + slack;
}

/* periods of 2 s, stalled for stall_ns of each. */
static void
run(struct psi_avgs *a, uint64_t *total, int periods, uint64_t stall_ns)
{
	for (int i = 0; i < periods; i++) {
		*total += stall_ns;
		psi_avgs_update(a, *total, PERIOD, 0);
	}
}

static void
one_window_of_stall_reaches_63_percent(void)
{
	struct psi_avgs a10 = { 0 }, a60 = { 0 }, a300 = { 0 };
	uint64_t t10 = 0, t60 = 0, t300 = 0;

	run(&a10, &t10, 5, PERIOD);
	run(&a60, &t60, 30, PERIOD);
	run(&a300, &t300, 150, PERIOD);
	/* 1 - e^-1 = 63.21%; the factors are rounded to 11 bits (2034/2048 for
	 * 300 s is a little below e^(-2/300)), which gives Linux's figures: */
	CHECK(near(hundredths(a10.avg[0]), 6318, 5));
	CHECK(near(hundredths(a60.avg[1]), 6313, 5));
	CHECK(near(hundredths(a300.avg[2]), 6428, 5));
	CHECK(hundredths(a10.avg[1]) < hundredths(a10.avg[0]));   /* longer windows move slower */
	CHECK(hundredths(a10.avg[2]) < hundredths(a10.avg[1]));
}

static void
half_stalled_converges_to_50(void)
{
	struct psi_avgs a = { 0 };
	uint64_t total = 0;

	run(&a, &total, 400, PERIOD / 2);
	CHECK(near(hundredths(a.avg[0]), 5000, 10));
	CHECK(near(hundredths(a.avg[1]), 5000, 100));
	CHECK(a.seen_ns == total);
}

static void
quiet_window_decays_to_37_percent(void)
{
	struct psi_avgs a = { 0 };
	uint64_t total = 0;
	unsigned long top;

	run(&a, &total, 200, PERIOD);
	top = hundredths(a.avg[0]);
	CHECK(near(top, 10000, 5));
	run(&a, &total, 5, 0);
	CHECK(near(hundredths(a.avg[0]), top * 368 / 1000, 60));
}

static void
missed_periods_count_as_quiet(void)
{
	struct psi_avgs a = { 0 }, b = { 0 };
	uint64_t ta = 0, tb = 0;

	run(&a, &ta, 50, PERIOD);
	run(&b, &tb, 50, PERIOD);
	psi_avgs_update(&a, ta, PERIOD, 4);          /* four missed, then a quiet one */
	run(&b, &tb, 5, 0);                          /* five quiet ones */
	for (int i = 0; i < PSI_NR_AVGS; i++)
		CHECK(near(hundredths(a.avg[i]), hundredths(b.avg[i]), 5));
}

static void
sample_is_clamped_to_its_period(void)
{
	struct psi_avgs a = { 0 };

	psi_avgs_update(&a, 10 * PERIOD, PERIOD, 0); /* more stall than time: 100% */
	CHECK(a.seen_ns == PERIOD);
	CHECK(near(hundredths(a.avg[0]), 10000 - 8188, 10));   /* 1 - 1677/2048 */
	psi_avgs_update(&a, 10 * PERIOD, 0, 0);      /* no time passed: nothing changes */
	CHECK(a.seen_ns == PERIOD);
}

static void
format_is_percent_with_hundredths(void)
{
	CHECK(psi_avg_int(50 * PSI_FIXED_1 + PSI_FIXED_1 / 2) == 50);
	CHECK(psi_avg_frac(50 * PSI_FIXED_1 + PSI_FIXED_1 / 2) == 50);
	CHECK(psi_avg_int(0) == 0 && psi_avg_frac(0) == 0);
	CHECK(psi_avg_int(100 * PSI_FIXED_1) == 100 && psi_avg_frac(100 * PSI_FIXED_1) == 0);
}

int
main(void)
{
	RUN(one_window_of_stall_reaches_63_percent);
	RUN(half_stalled_converges_to_50);
	RUN(quiet_window_decays_to_37_percent);
	RUN(missed_periods_count_as_quiet);
	RUN(sample_is_clamped_to_its_period);
	RUN(format_is_percent_with_hundredths);
	UNIT_EXIT();
}
