/*
 * kernel/fault_attr.h - one fault-injection point's settings and state,
 * and the pure decision "does this call fail?" (kernel/fault_attr.c).
 *
 * The knobs are Linux's (Documentation/fault-injection/), with Linux's
 * meanings; the kernel argument for a point is Linux's too:
 *
 *     failslab=<interval>,<probability>,<space>,<times>
 */
#ifndef KERNEL_FAULT_ATTR_H
#define KERNEL_FAULT_ATTR_H

#include "kernel/types.h"

struct fault_attr {
	const char *name;       /* "failslab": its kernel argument and /proc directory */
	/* Settings (/proc/fault-injection/NAME/...): */
	uint64_t probability;   /* percent of the calls that pass the other tests */
	uint64_t interval;      /* and of those only every interval-th (0 and 1: each) */
	int64_t space;          /* bytes to let through first: each call uses its size */
	int64_t times;          /* failures still to force; -1: no limit */
	uint64_t verbose;       /* 0: quiet, 1: a console line per failure, 2: and a backtrace */
	uint64_t min_order;     /* fail_page_alloc only: smaller allocations never fail */
	/* State: */
	uint64_t count;         /* calls that reached the interval test */
	uint64_t random;        /* xorshift state (fault_attr_seed) */
	uint64_t injected;      /* failures forced so far */
};

#define FAULT_ATTR_INIT(n) { .name = (n), .interval = 1, .times = 1, .verbose = 1, .random = 1 }

bool fault_attr_decide(struct fault_attr *a, uint64_t size);
int fault_attr_parse(struct fault_attr *a, const char *text);
void fault_attr_seed(struct fault_attr *a, uint64_t seed);

#endif
