/*
 * mm/heap.h - kmalloc/kfree: the kernel heap.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "kernel/types.h"

#define KMALLOC_MAX_SMALL 1024   /* larger requests get whole pages */

struct heap_stats {
	uint64_t slab_pages;     /* pages holding small objects */
	uint64_t large_pages;    /* pages of large allocations */
	uint64_t objects;        /* small objects in use */
	uint64_t errors;         /* bad kfree() calls reported */
};

extern struct heap_stats heap_stats;

/* Never sleep; any context: NULL when memory is short (mm/mempool.h when that is not an option). */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *ptr);
int heap_check(void);

#endif
