/*
 * mm/reclaim.h - the one door through which user memory gets frames, and
 * getting frames back when memory runs low.
 */
#ifndef MM_RECLAIM_H
#define MM_RECLAIM_H

#include "mm/evict.h"
#include "mm/page.h"

struct mm;

struct watermarks {
	uint64_t min, low, high;   /* in frames */
};

extern struct watermarks watermarks;
extern unsigned vm_swappiness;       /* 0..200: /proc/sys/vm/swappiness */

/* May sleep (swap writes, waiting for other reclaimers or an OOM victim). */
struct page *alloc_user_page(bool zeroed);
uint64_t reclaim_pages(uint64_t nr, bool direct);
uint64_t reclaim_pageout(struct mm *mm, vaddr_t start, vaddr_t end);
uint64_t reclaim_from(struct evict_lists *l, uint64_t *scanned);
uint64_t reclaim_lists(struct evict_lists *l, enum evict_kind kind, uint64_t *scanned);
void reclaim_quiesce(void);          /* mm/kswapd.c */

/* Never sleep. */
void reclaim_init(void);

#endif
