/*
 * kernel/haltpoll.h - how long the idle task polls before it halts.
 */
#ifndef KERNEL_HALTPOLL_H
#define KERNEL_HALTPOLL_H

#include "kernel/types.h"

/* Linux's haltpoll governor parameters (drivers/cpuidle/governors/haltpoll.c). */
#define HALTPOLL_MAX_NS         200000   /* guest_halt_poll_ns: never poll longer */
#define HALTPOLL_GROW_START_NS  50000    /* guest_halt_poll_grow_start */
#define HALTPOLL_GROW           2        /* guest_halt_poll_grow */
#define HALTPOLL_SHRINK         2        /* guest_halt_poll_shrink */

struct haltpoll {
	uint64_t max_ns;      /* the ceiling; 0: never poll (idle=halt) */
	uint64_t limit_ns;    /* how long the next idle period polls */
};

void haltpoll_init(struct haltpoll *hp, uint64_t max_ns);
void haltpoll_idled(struct haltpoll *hp, uint64_t idle_ns);

#endif
