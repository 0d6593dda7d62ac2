/*
 * mm/reclaim.h - the one door through which user memory gets frames, and
 * getting frames back when memory runs low.
 */
#ifndef MM_RECLAIM_H
#define MM_RECLAIM_H

#include "mm/page.h"

struct watermarks {
	uint64_t min, low, high;   /* in frames */
};

extern struct watermarks watermarks;

void reclaim_init(void);
struct page *alloc_user_page(bool zeroed);
struct page *alloc_user_page_nowait(void);
uint64_t reclaim_pages(uint64_t nr, bool direct);
void reclaim_quiesce(void);

#endif
