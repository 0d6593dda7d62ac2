/*
 * kernel/wait.c - wait queues (see kernel/wait.h for the pattern).
 *
 * A sleeping task sits on exactly one list through its run_link: a wait
 * queue instead of the run queue. Waking moves it back to the run queue.
 */
#include "kernel/wait.h"
#include "kernel/sched.h"
#include "kernel/x86.h"

void
wait_init(struct wait_queue *wq)
{
	list_init(&wq->sleepers);
}

/* Sleeps until woken. Interrupts must be off; they are off again on return. */
void
wait_sleep(struct wait_queue *wq)
{
	current->state = TASK_SLEEPING;
	list_add_tail(&current->run_link, &wq->sleepers);
	schedule();
}

/* Wakes every task sleeping on wq. Any context. */
void
wait_wake_all(struct wait_queue *wq)
{
	uint64_t flags = irq_save();

	while (!list_empty(&wq->sleepers)) {
		struct task *t = list_first_entry(&wq->sleepers, struct task, run_link);
		list_del(&t->run_link);
		task_make_runnable(t);
	}
	irq_restore(flags);
}

/* Wakes the task that has slept longest on wq, if any (see wait.h). Any context. */
void
wait_wake_one(struct wait_queue *wq)
{
	uint64_t flags = irq_save();

	if (!list_empty(&wq->sleepers)) {
		struct task *t = list_first_entry(&wq->sleepers, struct task, run_link);
		list_del(&t->run_link);
		task_make_runnable(t);
	}
	irq_restore(flags);
}
