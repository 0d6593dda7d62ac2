/*
 * mm/mempool.h - a reserve of preallocated objects for code that must
 * make progress when memory is short (Linux's mempool_t).
 */
#ifndef MM_MEMPOOL_H
#define MM_MEMPOOL_H

#include "kernel/types.h"
#include "kernel/wait.h"

#define MEMPOOL_MAX_RESERVE 8

struct mempool {
	const char *name;
	size_t size;                      /* bytes per object */
	int min_nr;                       /* objects in the reserve */
	char *reserve;                    /* min_nr objects, allocated once at init */
	uint8_t reserve_free;             /* bit i: reserve object i is free */
	struct wait_queue waiters;        /* tasks waiting for a reserve object */
};

int mempool_init(struct mempool *pool, const char *name, int min_nr, size_t size);
void *mempool_alloc(struct mempool *pool);             /* may sleep: never NULL */
void mempool_free(struct mempool *pool, void *obj);    /* never sleeps; any context */

#endif
