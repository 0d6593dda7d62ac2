/*
 * kernel/rwsem.c - a reader-writer lock that sleeps: many readers at once,
 * or one writer alone (Linux's rw_semaphore, used for mmap_lock).
 *
 * One CPU and no kernel preemption mean a task runs undisturbed until it
 * sleeps, so a lock is only needed for what must stay true across a
 * sleep: a page fault that waits for a disk holds its address space's
 * lock to read, so that another thread's munmap (a writer) cannot free the
 * region and page tables the fault is working on. Readers do not wait for
 * a waiting writer: a fault inside a fault-holding system call may take
 * the lock again, and must not block behind a writer that waits for it.
 * Waiters are not interrupted by signals: the holder never waits long.
 */
#include "kernel/rwsem.h"
#include "kernel/x86.h"

void
rwsem_init(struct rwsem *s)
{
	s->readers = 0;
	s->writer = false;
	wait_init(&s->wq);
}

void
down_read(struct rwsem *s)
{
	uint64_t flags = irq_save();

	while (s->writer)
		wait_sleep(&s->wq);
	s->readers++;
	irq_restore(flags);
}

void
up_read(struct rwsem *s)
{
	uint64_t flags = irq_save();

	if (--s->readers == 0)
		wait_wake_all(&s->wq);
	irq_restore(flags);
}

void
down_write(struct rwsem *s)
{
	uint64_t flags = irq_save();

	while (s->writer || s->readers)
		wait_sleep(&s->wq);
	s->writer = true;
	irq_restore(flags);
}

void
up_write(struct rwsem *s)
{
	uint64_t flags = irq_save();

	s->writer = false;
	wait_wake_all(&s->wq);
	irq_restore(flags);
}
