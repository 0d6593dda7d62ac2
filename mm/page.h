/*
 * mm/page.h - struct page: one descriptor for every physical frame.
 *
 * The descriptors sit in one array indexed by frame number (pfn), so
 * going from a frame to its descriptor and back is an addition:
 *
 *     pages[pfn]  <->  physical address pfn << 12  <->  phys_to_virt(...)
 *
 * Every field is here because some part of memory management needs to
 * answer a question about a frame without knowing who uses it:
 *
 *   flags     what the frame is now: free in the buddy allocator, reserved,
 *             a slab of the kernel heap, ... and later LRU state (active,
 *             referenced), dirty, locked, anonymous, in the swap cache.
 *   order     for a free buddy block or a multi-page allocation: its size,
 *             2^order frames. Only meaningful on the first frame.
 *   refcount  how many holders keep the frame alive (it is freed at 0).
 *   mapcount  how many page-table entries map it (reverse mapping, COW).
 *   lru       list links: a buddy free list, a slab list, an LRU list.
 *   owner     whom the frame belongs to: the file (page cache) or the
 *             anonymous memory object, for reverse mapping and reclaim.
 *   index     its position there: the page number in the file, or the
 *             virtual page number for anonymous memory.
 *   swap_slot where an anonymous page's copy lives on swap while it is in
 *             the swap cache (24 bits: up to 64 GiB of swap).
 *
 * 48 bytes (Linux uses 64): 48 / 4096 = 1.2% of RAM goes to descriptors
 * (Linux: 1.6%). The boot log prints the exact figure.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include "kernel/list.h"
#include "kernel/types.h"

enum page_flags {
	PG_RESERVED = 1u << 0,   /* never allocatable: firmware, kernel image, ... */
	PG_BUDDY    = 1u << 1,   /* first frame of a free block in the buddy allocator */
	PG_SLAB     = 1u << 2,   /* holds small kmalloc objects */
	PG_KMALLOC  = 1u << 3,   /* first frame of a large kmalloc allocation */
	PG_PGTABLE  = 1u << 4,   /* a page-table page */
	PG_KSTACK   = 1u << 5,   /* part of a kernel stack */
	PG_ANON     = 1u << 6,   /* anonymous user memory */
	PG_LOCKED   = 1u << 7,   /* being read or written: wait before using it */
	PG_UPTODATE = 1u << 8,   /* a page-cache page whose data is all in */
	PG_SWAPCACHE = 1u << 9,  /* anonymous page with a copy (or a copy on its way) in a swap slot */
	PG_LRU      = 1u << 10,  /* on one of the LRU lists (mm/lru.c) */
	PG_ACTIVE   = 1u << 11,  /* ... the active one */
	PG_WRITEBACK = 1u << 12, /* being written to swap */
	PG_DIRTY    = 1u << 13,  /* a swap-cache page whose slot does not hold its data (yet) */
	PG_READAHEAD = 1u << 14, /* read from swap by readahead, not yet faulted on */
	PG_REFERENCED = 1u << 15, /* seen used once at the inactive tail: next time, active */
};

struct page {
	uint32_t flags;
	uint8_t order;
	uint8_t swap_slot_hi;      /* swap slot of a PG_SWAPCACHE page: bits 16..23 */
	uint16_t swap_slot_lo;     /*                                   bits 0..15 */
	int32_t refcount;
	int32_t mapcount;
	struct list_head lru;
	void *owner;
	uint64_t index;
};

_Static_assert(sizeof(struct page) == 48, "struct page should stay at 48 bytes");

#define MAX_ORDER 10   /* largest buddy block: 2^10 frames = 4 MiB */


static inline uint32_t
page_swap_slot(const struct page *p)
{
	return ((uint32_t)p->swap_slot_hi << 16) | p->swap_slot_lo;
}

static inline void
page_set_swap_slot(struct page *p, uint32_t slot)
{
	p->swap_slot_hi = (uint8_t)(slot >> 16);
	p->swap_slot_lo = (uint16_t)slot;
}

#endif
