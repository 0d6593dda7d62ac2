/*
 * mm/buddy.h - the binary buddy allocator over struct page.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include "mm/page.h"

struct buddy {
	struct page *pages;                   /* indexed by pfn */
	pfn_t nr_pfns;                        /* pages[0 .. nr_pfns) exist */
	struct list_head free[MAX_ORDER + 1]; /* free blocks of 2^order frames */
	uint64_t nr_free_blocks[MAX_ORDER + 1];
	uint64_t nr_free;                     /* free frames, always exact */
};

void buddy_init(struct buddy *b, struct page *pages, pfn_t nr_pfns);
void buddy_add_range(struct buddy *b, pfn_t start, pfn_t end);
struct page *buddy_alloc(struct buddy *b, unsigned order);
int buddy_free(struct buddy *b, struct page *page, unsigned order);

static inline pfn_t
buddy_pfn(const struct buddy *b, const struct page *p)
{
	return (pfn_t)(p - b->pages);
}

#endif
