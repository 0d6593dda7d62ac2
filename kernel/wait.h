/*
 * kernel/wait.h - wait queues: sleeping until something happens.
 *
 * The pattern (single CPU, so disabling interrupts is the lock):
 *
 *     uint64_t flags = irq_save();
 *     while (!condition)
 *             wait_sleep(&wq);        // sleeps; interrupts off again on return
 *     irq_restore(flags);
 *
 * and whoever makes the condition true calls wait_wake_all(&wq). Checking
 * the condition and going to sleep happen with interrupts off, so a
 * wake-up can never fall between them.
 *
 * When what became true can serve only one sleeper (one object given
 * back to a pool), wait_wake_one(&wq) wakes the one that slept longest
 * and leaves the others asleep (Linux's exclusive wake-up): waking them
 * all would make every one run, find nothing and sleep again. Each give
 * back must then wake one, so none is forgotten: a woken task that finds
 * the object taken by someone else sleeps again, and the next give back
 * wakes the next sleeper.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/list.h"

struct wait_queue {
	struct list_head sleepers;
};

#define WAIT_QUEUE_INIT(name) { LIST_HEAD_INIT((name).sleepers) }

void wait_init(struct wait_queue *wq);
void wait_sleep(struct wait_queue *wq);
void wait_wake_all(struct wait_queue *wq);
void wait_wake_one(struct wait_queue *wq);

#endif
