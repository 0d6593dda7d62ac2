/*
 * kernel/psi_avg.h - PSI's running averages (avg10, avg60, avg300): the
 * arithmetic only, shared with the host unit test.
 */
#ifndef KERNEL_PSI_AVG_H
#define KERNEL_PSI_AVG_H

#include "kernel/types.h"

#define PSI_FSHIFT 11                       /* fixed point: 1.0 is 1 << 11 */
#define PSI_FIXED_1 (1UL << PSI_FSHIFT)
#define PSI_PERIOD_NS 2000000000UL          /* averages are updated every 2 s */
#define PSI_NR_AVGS 3                       /* over 10 s, 60 s, 300 s */

/* The running averages of one kind of stall, and what they have seen. */
struct psi_avgs {
	unsigned long avg[PSI_NR_AVGS];         /* percent, fixed point */
	uint64_t seen_ns;                       /* the stall total taken in so far */
};

void psi_avgs_update(struct psi_avgs *a, uint64_t total_ns, uint64_t period_ns,
		     unsigned missed_periods);
unsigned long psi_avg_int(unsigned long avg);
unsigned long psi_avg_frac(unsigned long avg);

#endif
