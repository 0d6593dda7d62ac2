/*
 * mm/mempool.c - a reserve of preallocated objects, so that the code that
 * gives memory back never fails for want of memory (Linux's mempool_t,
 * mm/mempool.c).
 *
 * Reclaim frees frames by writing pages to swap, and every write needs a
 * block request. If getting that request could fail, reclaim would stop
 * exactly when memory is shortest - and the pages it had already unmapped
 * would have nowhere to go. A pool keeps a few requests aside:
 *
 *   mempool_alloc:  kmalloc first (the reserve stays untouched while the
 *                   heap has memory); failing that, a free object of the
 *                   reserve; none free: sleep until one comes back
 *   mempool_free:   an object of the reserve goes back to it (and wakes
 *                   one sleeper: wait_wake_one()); any other goes back
 *                   to the heap
 *
 *   reserve: [ obj 0 | obj 1 | obj 2 | obj 3 ]   one allocation, made at
 *              free    used    free    free      boot, never given back
 *
 * This guarantees progress as long as every user follows one rule:
 * submit (or free) each object before asking for the next, so that all
 * reserve objects in use are on their way back. Block requests come back
 * when their I/O completes (drivers/blk.c frees them), however short
 * memory is. (Linux refills its reserve with any freed object; ours keeps
 * its own objects, so the heap's page count is the same before and after
 * a shortage, and a leak check can be exact.)
 */
#include "mm/mempool.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/heap.h"

/*
 * Sets up a pool of objects of size bytes with min_nr objects in reserve.
 * Returns 0, or -ENOMEM. Boot time; does not sleep.
 */
int
mempool_init(struct mempool *pool, const char *name, int min_nr, size_t size)
{
	ASSERT(min_nr > 0 && min_nr <= MEMPOOL_MAX_RESERVE);
	*pool = (struct mempool){ .name = name, .size = size, .min_nr = min_nr };
	wait_init(&pool->waiters);
	pool->reserve = kmalloc((size_t)min_nr * size);
	if (!pool->reserve)
		return -ENOMEM;
	pool->reserve_free = (uint8_t)((1u << min_nr) - 1);
	return 0;
}

static bool
in_reserve(const struct mempool *pool, const void *obj)
{
	const char *p = obj;

	return p >= pool->reserve && p < pool->reserve + (size_t)pool->min_nr * pool->size;
}

/*
 * Returns a zeroed object; never NULL. Sleeps while the heap has nothing
 * and every reserve object is in use. Process context only.
 */
void *
mempool_alloc(struct mempool *pool)
{
	void *obj = kmalloc(pool->size);
	uint64_t flags;

	if (!obj) {
		flags = irq_save();
		while (pool->reserve_free == 0)
			wait_sleep(&pool->waiters);
		int i = __builtin_ctz(pool->reserve_free);
		pool->reserve_free &= (uint8_t)~(1u << i);
		irq_restore(flags);
		obj = pool->reserve + (size_t)i * pool->size;
	}
	memset(obj, 0, pool->size);
	return obj;
}

/* Gives obj back: to the reserve if it came from there, else to the heap. Any context. */
void
mempool_free(struct mempool *pool, void *obj)
{
	uint64_t flags;

	if (!in_reserve(pool, obj)) {
		kfree(obj);
		return;
	}
	flags = irq_save();
	pool->reserve_free |= (uint8_t)(1u << ((size_t)((char *)obj - pool->reserve) / pool->size));
	irq_restore(flags);
	wait_wake_one(&pool->waiters);       /* one object: one sleeper can have it */
}
