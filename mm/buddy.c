/*
 * mm/buddy.c - the binary buddy allocator (Knuth, TAOCP vol. 1, 2.5).
 *
 * Free memory is kept as blocks of 2^order frames, order 0..MAX_ORDER,
 * each block aligned to its own size. A block's "buddy" is the block of
 * the same size it was split from, found by flipping one bit of the frame
 * number:
 *
 *     order 2:  [ 0  1  2  3 | 4  5  6  7 ]    buddy of pfn 0 is 4
 *     order 1:  [ 0  1 | 2  3 ]                buddy of pfn 2 is 0
 *                 buddy(pfn, order) = pfn ^ (1 << order)
 *
 * Allocating takes the smallest free block that is large enough and
 * splits it in halves, putting each unused upper half on the free list of
 * its order. Freeing merges a block with its buddy for as long as the
 * buddy is free and whole, then puts the result on its list. Both loops
 * run at most MAX_ORDER times: O(order) per call.
 *
 * A free block is marked on its first frame only: PG_BUDDY and its order.
 * All state lives in struct page; the frames themselves are never touched,
 * which is why this file is pure C and is tested on the host
 * (tests/unit/test_buddy.c). Locking: the caller's (mm/pmm.c).
 */
#include "mm/buddy.h"
#include "kernel/errno.h"
#include "kernel/panic.h"

void
buddy_init(struct buddy *b, struct page *pages, pfn_t nr_pfns)
{
	b->pages = pages;
	b->nr_pfns = nr_pfns;
	b->nr_free = 0;
	for (int o = 0; o <= MAX_ORDER; o++) {
		list_init(&b->free[o]);
		b->nr_free_blocks[o] = 0;
	}
}

static void
push_free_block(struct buddy *b, struct page *p, unsigned order)
{
	p->flags |= PG_BUDDY;
	p->order = (uint8_t)order;
	list_add(&p->lru, &b->free[order]);
	b->nr_free_blocks[order]++;
}

static void
remove_free_block(struct buddy *b, struct page *p, unsigned order)
{
	list_del(&p->lru);
	p->flags &= ~PG_BUDDY;
	b->nr_free_blocks[order]--;
}

/* True if pfn starts a free block of exactly this order. */
static bool
is_free_block(const struct buddy *b, pfn_t pfn, unsigned order)
{
	return pfn < b->nr_pfns && (b->pages[pfn].flags & PG_BUDDY) &&
	       b->pages[pfn].order == order;
}

/*
 * Returns the first frame of 2^order free frames (refcount 1), or NULL
 * when no block is large enough.
 */
struct page *
buddy_alloc(struct buddy *b, unsigned order)
{
	/* LAB 2 BEGIN: take the smallest free block that fits and split it down to order */
	unsigned o = order;
	struct page *p;

	if (order > MAX_ORDER)
		return NULL;
	while (o <= MAX_ORDER && list_empty(&b->free[o]))
		o++;
	if (o > MAX_ORDER)
		return NULL;
	p = list_first_entry(&b->free[o], struct page, lru);
	remove_free_block(b, p, o);
	/* Split: keep the lower half, give back the upper half, until it fits. */
	while (o > order) {
		o--;
		push_free_block(b, p + (1UL << o), o);
	}
	p->order = (uint8_t)order;
	p->refcount = 1;
	b->nr_free -= 1UL << order;
	return p;
	/* LAB 2 STUB: (void)b; (void)order; (void)push_free_block; (void)remove_free_block; */
	/* LAB 2 STUB: panic("lab 2: buddy_alloc: splitting free blocks not implemented"); */
	/* LAB 2 END */
}

/*
 * Returns 2^order frames starting at page, merging with free buddies.
 * Returns 0, or -EINVAL (and changes nothing) if page is not a block of
 * that order the allocator could have handed out: misaligned, out of
 * range, reserved, or already free (a double free, found in O(MAX_ORDER)
 * by looking at the block itself and at every larger block around it).
 */
int
buddy_free(struct buddy *b, struct page *page, unsigned order)
{
	/* LAB 2 BEGIN: check the block, then merge it with its free buddy for as long as there is one */
	pfn_t pfn = buddy_pfn(b, page);

	if (order > MAX_ORDER || pfn >= b->nr_pfns || (pfn & ((1UL << order) - 1)) ||
	    pfn + (1UL << order) > b->nr_pfns)
		return -EINVAL;
	if (page->flags & (PG_BUDDY | PG_RESERVED))
		return -EINVAL;
	/* A frame inside a larger free block has no PG_BUDDY: look for that too. */
	for (unsigned o = order + 1; o <= MAX_ORDER; o++) {
		pfn_t head = pfn & ~((1UL << o) - 1);
		if (is_free_block(b, head, o))
			return -EINVAL;
	}

	page->refcount = 0;
	b->nr_free += 1UL << order;
	while (order < MAX_ORDER) {
		pfn_t buddy = pfn ^ (1UL << order);
		if (!is_free_block(b, buddy, order))
			break;
		remove_free_block(b, &b->pages[buddy], order);
		pfn &= ~(1UL << order);     /* the merged block starts at the lower one */
		order++;
	}
	push_free_block(b, &b->pages[pfn], order);
	return 0;
	/* LAB 2 STUB: (void)b; (void)page; (void)order; (void)is_free_block; */
	/* LAB 2 STUB: panic("lab 2: buddy_free: checking and merging blocks not implemented"); */
	/* LAB 2 END */
}

/*
 * Makes the frames [start, end) free, as the largest aligned blocks that
 * fit. Used once per usable memory range at boot; frames must not be
 * reserved or free already.
 */
void
buddy_add_range(struct buddy *b, pfn_t start, pfn_t end)
{
	while (start < end) {
		unsigned order = 0;
		while (order < MAX_ORDER && !(start & (1UL << order)) &&
		       start + (2UL << order) <= end)
			order++;
		buddy_free(b, &b->pages[start], order);
		start += 1UL << order;
	}
}
