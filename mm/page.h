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
 *             a slab of the kernel heap, ..., and for user pages their
 *             state: anonymous, locked, dirty, in the swap cache, on the
 *             eviction policy's lists, or mlocked off them.
 *   order     for a free buddy block or a multi-page allocation: its size,
 *   / swap    2^order frames (on its first frame); for a page in the swap
 *             cache: its swap entry (area and slot, mm/swap_entry.h). The
 *             two never meet - a page in the swap cache is a single
 *             user page - so they share four bytes, as in Linux's
 *             page->private.
 *   refcount  how many holders keep the frame alive (it is freed at 0).
 *   mapcount  how many page-table entries map it (reverse mapping, COW).
 *   lru       list links: a buddy free list, a slab list, the eviction
 *             policy's lists.
 *   owner     whom the frame belongs to: the file (page cache) or the
 *             anonymous memory object, for reverse mapping and reclaim.
 *   index     its position there: the page number in the file, or for
 *             anonymous memory the virtual page number it was first mapped
 *             at (mremap moves it without changing it: mm/rmap.c).
 *   memcg     the memory group its user page is charged to (mm/memcg.c:
 *             a process's RLIMIT_RSS, or a cgroup v2 group); NULL: none.
 *
 *   offset  0        4           8          12         16         32      40      48      56
 *          +--------+-----------+----------+----------+----------+-------+-------+-------+
 *          | flags  | order/swap| refcount | mapcount |   lru    | owner | index | memcg |
 *          +--------+-----------+----------+----------+----------+-------+-------+-------+
 *
 * 56 bytes (Linux: 64): 56 / 4096 = 1.4% of RAM goes to descriptors
 * (Linux: 1.6%); the boot log prints the exact figure. It was 48 before
 * the memory-group pointer: that cannot share a field with anything (every
 * user page has an owner, an index and a group at once), and packing it
 * into bit fields would make the descriptor hard to read in GDB.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "mm/swap_entry.h"

struct mem_cgroup;

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
	PG_LRU      = 1u << 10,  /* on the eviction policy's lists (mm/evict.h) */
	PG_ACTIVE   = 1u << 11,  /* policy's own: on an active list (mm/evict_lru.c) */
	PG_WRITEBACK = 1u << 12, /* being written to swap */
	PG_DIRTY    = 1u << 13,  /* a swap-cache page whose slot does not hold its data (yet) */
	PG_READAHEAD = 1u << 14, /* read from swap by readahead, not yet faulted on */
	PG_REFERENCED = 1u << 15, /* policy's own: seen used once at the inactive tail */
	PG_SCAN     = 1u << 16,  /* policy's own: came in with a scan (mm/evict_scanmru.c) */
	PG_SHMEM    = 1u << 17,  /* shared memory (mm/shmem.c): an object's page that goes to swap */
	PG_MLOCKED  = 1u << 18,  /* mapped by a locked region: kept off the eviction lists (mm/mlock.c) */
};

/* The flags an eviction policy keeps for itself: cleared when the page is freed. */
#define PG_EVICT_POLICY (PG_ACTIVE | PG_REFERENCED | PG_SCAN)

struct page {
	uint32_t flags;
	union {
		uint32_t order;        /* PG_BUDDY, PG_KMALLOC: 2^order frames */
		swp_entry_t swap;      /* PG_SWAPCACHE: where its copy is (or goes) */
	};
	int32_t refcount;
	int32_t mapcount;
	struct list_head lru;
	void *owner;
	uint64_t index;
	struct mem_cgroup *memcg;
};

_Static_assert(sizeof(struct page) == 56, "struct page should stay at 56 bytes (docs/memory.md)");

#define MAX_ORDER 10   /* largest buddy block: 2^10 frames = 4 MiB */

#endif
