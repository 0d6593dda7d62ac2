/*
 * kernel/haltpoll.c - how long the idle task polls before it halts.
 *
 * In a virtual machine, hlt hands the virtual CPU's thread back to the
 * host, and the interrupt that ends the wait must wake it again: tens of
 * microseconds, paid on every wait. A process reading back one swapped-out
 * page waits 100-200 us for the disk, so that is a good part of every
 * major fault. So the idle task first polls - interrupts on, looking for
 * a runnable task - and halts only when nothing came within the limit.
 * Polling burns the host's CPU, so the limit adapts to how long idle
 * periods last, the way Linux's haltpoll governor does for guests
 * (drivers/cpuidle/governors/haltpoll.c):
 *
 *   the period (polling and halting) ended   the next limit
 *   within max_ns, after the limit           limit x 2, at least 50 us, at most max_ns
 *   within the limit                         the same (polling paid)
 *   after max_ns                             limit / 2 (a long sleep: polling is waste)
 *
 * This file only decides; kernel/sched.c's sched_idle() polls and halts.
 * Pure C, tested on the host (tests/unit/test_haltpoll.c).
 */
#include "kernel/haltpoll.h"

void
haltpoll_init(struct haltpoll *hp, uint64_t max_ns)
{
	hp->max_ns = max_ns;
	hp->limit_ns = 0;                /* grows at the first short wait */
}

/* An idle period of idle_ns (polling and halting) just ended: the next limit. */
void
haltpoll_idled(struct haltpoll *hp, uint64_t idle_ns)
{
	uint64_t limit = hp->limit_ns;

	if (idle_ns > hp->max_ns) {
		hp->limit_ns = limit / HALTPOLL_SHRINK;
	} else if (idle_ns > limit) {
		limit *= HALTPOLL_GROW;
		if (limit < HALTPOLL_GROW_START_NS)
			limit = HALTPOLL_GROW_START_NS;
		hp->limit_ns = limit < hp->max_ns ? limit : hp->max_ns;
	}
}
