/*
 * kernel/fault_inject.h - forced failures, to test the paths that handle
 * them (Linux's fault-injection framework; docs/fault-injection.md).
 *
 * Each point is a struct fault_attr (kernel/fault_attr.h) that the code
 * it guards asks before doing its work:
 *
 *   failslab           kmalloc()/kzalloc() of any size returns NULL (mm/heap.c)
 *   fail_page_alloc    pmm_alloc_pages() of order >= min-order returns NULL:
 *                      user pages, page tables, kernel stacks, slab pages (mm/pmm.c)
 *   fail_make_request  a disk request on a device marked make-it-fail ends
 *                      with -EIO without reaching the disk (drivers/blk.c)
 *   fail_swap_alloc    no free swap slot for a page being evicted (mm/swap.c)
 */
#ifndef KERNEL_FAULT_INJECT_H
#define KERNEL_FAULT_INJECT_H

#include "kernel/fault_attr.h"

struct file;

extern struct fault_attr failslab, fail_page_alloc, fail_make_request, fail_swap_alloc;

/* Which requests fail_make_request may fail on a device (its make-it-fail). */
enum make_it_fail {
	FAIL_READS  = 1 << 0,
	FAIL_WRITES = 1 << 1,
};

bool should_fail(struct fault_attr *a, uint64_t size);
void fault_inject_init(void);
void fault_inject_arm(bool on);
unsigned fault_inject_disk_mode(const char *devname);
int fault_inject_open(const char *path, int flags, struct file **out);

#endif
