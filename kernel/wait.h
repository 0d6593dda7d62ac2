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

#endif
