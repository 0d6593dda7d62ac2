/*
 * mm/reclaim.c - frames for user memory, and (later) getting them back.
 *
 * Every page a process uses - anonymous memory, copies made by
 * copy-on-write, page tables aside - comes from alloc_user_page(). This
 * is the place that will know about memory pressure: when free frames run
 * low it will reclaim (drop clean file pages, swap anonymous ones) and,
 * when nothing can be reclaimed, call the OOM killer. For now it only
 * allocates, and NULL means the caller's process must die.
 */
#include "mm/reclaim.h"
#include "kernel/string.h"
#include "mm/pmm.h"

/* Returns a frame for user memory (refcount 1), zero-filled if asked, or NULL. */
struct page *
alloc_user_page(bool zeroed)
{
	struct page *p = pmm_alloc_pages(0);

	if (p && zeroed)
		memset(page_address(p), 0, PAGE_SIZE);
	return p;
}
