/*
 * mm/swap.c - slots for pages, the swap cache, and swap I/O.
 *
 * A swap area is made by mkswap (Linux's "SWAPSPACE2" format): page 0
 * is the header (version, last_page, the list of bad pages, and the magic
 * in its last 10 bytes); every other page is a slot that can hold one
 * anonymous page.
 *
 *   slot:   0        1        2        3   ...  last_page
 *         [header] [ page ] [ page ] [ page ] ...
 *
 * Several areas may be in use at once (mm/swap_area.c: which one the next
 * page goes to; mm/swapon.c and mm/swapoff.c: how areas come and go); a
 * swap entry names its area and its slot there. Which slots are free, and
 * how many page tables hold each, is each area's slot map (mm/swap_map.c);
 * where a slot is on the disk, its extents (mm/swap_extent.c: a swap
 * file's pages are wherever its blocks are). This file keeps the swap
 * cache (each area's cache[]: the page for a slot), which is what makes
 * sharing work: a
 * page being written out or read in, or swapped in read-only by one of
 * several sharers, is found by its slot, so two faults on one slot read
 * it once. Every change to the map or the cache happens with interrupts
 * off; cache[s] is set exactly when the map says SWAP_MAP_CACHED.
 *
 * Pages evicted together get neighbouring slots and are written in one
 * request (mm/swap_io.c); swap-in reads, with the faulting page, the
 * swapped-out pages around its address that mm/fault_swap.c names
 * (readahead, as many as mm/swap_readahead.c says), each run of
 * neighbouring slots in one request.
 */
#include "mm/swap.h"
#include "drivers/blk.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fault_inject.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/evict.h"
#include "mm/memcg_limit.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/swap_area.h"
#include "mm/swap_io.h"
#include "mm/swap_map.h"
#include "mm/swap_readahead.h"
#include "mm/vmstat.h"

#define READAHEAD_MAX   SWAP_RA_PAGES

unsigned page_cluster = 3;      /* Linux's default: up to 8 pages */

/*
 * e's area if e can still name a slot there, else NULL. A swap fault reads
 * its entry, then sleeps (a frame, a read): meanwhile swapoff may have
 * brought the page in and freed the whole area (Linux pins the area with
 * get_swap_device() instead). The functions a fault calls with an entry
 * it read before sleeping look here first, and then see "no such page"
 * or "slot freed": the fault finds its PTE changed and is done.
 */
static struct swap_area *
live_area(swp_entry_t e)
{
	struct swap_area *a = &swap_areas[swp_area(e)];

	return a->used && swp_slot(e) < a->slots.nslots ? a : NULL;
}

/* Is some area in use? */
bool
swap_enabled(void)
{
	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_areas[i].used)
			return true;
	return false;
}

/*
 * Slots of the areas that take pages. An area being emptied by swapoff
 * counts no more, in total or free (Linux's total_swap_pages).
 */
uint64_t
swap_total_slots(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_areas[i].writeok)
			n += swap_area_size(&swap_areas[i]);
	return n;
}

uint64_t
swap_free_slots(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_areas[i].writeok)
			n += swap_areas[i].slots.free;
	return n;
}

uint64_t
swap_cached_pages(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		n += swap_areas[i].cached;
	return n;
}

/* Area i's slot map, read-only, for a picture of swap (mm/memsnap.c); NULL if i is not in use. */
const struct swap_map *
swap_slot_map(unsigned i)
{
	return i < SWP_MAX_AREAS && swap_areas[i].used ? &swap_areas[i].slots : NULL;
}

/* Where mm/memcg_limit.c notes the group charged for e's slot; NULL if nowhere. */
struct mem_cgroup **
swap_slot_owner(swp_entry_t e)
{
	struct swap_area *a = swap_area_of(e);

	return a->owners ? &a->owners[swp_slot(e)] : NULL;
}

/*
 * Gives page a free slot and puts it in the swap cache (PG_SWAPCACHE, one
 * more reference). Returns the slot, or val 0 when swap is full or off.
 * The area is the one whose turn it is (mm/swap_area.c); its slot map
 * hands out neighbouring slots to a batch of evictions. Interrupts off
 * inside.
 */
swp_entry_t
swap_alloc_cached(struct page *page)
{
	swp_entry_t e = { 0 };

	if (should_fail(&fail_swap_alloc, PAGE_SIZE))
		return e;
	/* LAB 7 BEGIN: a free slot for page, and page in the swap cache under it */
	uint64_t flags = irq_save();
	struct swap_area *a = swap_area_choose();     /* NULL: every area is full */
	if (a) {
		e = swp_entry(a->id, swap_map_alloc(&a->slots));
		a->cache[swp_slot(e)] = page;
		a->cached++;
		page->flags |= PG_SWAPCACHE | PG_DIRTY;   /* the slot holds nothing yet */
		page->swap = e;
		get_page(page);
	}
	irq_restore(flags);
	return e;
	/* LAB 7 STUB: static bool warned; */
	/* LAB 7 STUB: (void)page; */
	/* LAB 7 STUB: if (!warned) */
	/* LAB 7 STUB: 	pr_warn("lab 7: swap_alloc_cached not implemented: no page can go to swap\n"); */
	/* LAB 7 STUB: warned = true; */
	/* LAB 7 STUB: return e; */
	/* LAB 7 END */
}

/*
 * One more page table holds slot e (fork, or a page unmapped to swap;
 * Linux's swap_duplicate()). Panics if the slot is free: then nothing may
 * point at it. Does not sleep.
 */
void
swap_duplicate(swp_entry_t e)
{
	uint64_t flags = irq_save();

	if (swap_map_dup(&swap_area_of(e)->slots, swp_slot(e)))
		panic("swap_duplicate: slot %u is free", swp_slot(e));
	irq_restore(flags);
}

/* Whether e's slot is bad: a write or a read of it failed (or mkswap listed it). False if its area is gone. */
bool
swap_entry_bad(swp_entry_t e)
{
	struct swap_area *a = live_area(e);

	return a && swap_map_bad(&a->slots, swp_slot(e));
}

/* How many page tables hold e. */
unsigned
swap_count(swp_entry_t e)
{
	return swap_map_count(&swap_area_of(e)->slots, swp_slot(e));
}

/*
 * A slot that nothing holds any more (no page table, not the swap cache)
 * is no longer charged to a memory group (mm/memcg_limit.c). A bad slot
 * is never handed out again: it counts as free for this.
 */
static void
uncharge_if_free(swp_entry_t e)
{
	if ((swap_area_of(e)->slots.map[swp_slot(e)] & ~SWAP_MAP_BAD) == 0)
		memcg_swap_uncharge(e);
}

/* Takes page out of the swap cache (its slot copy is no longer needed by it). */
void
swap_cache_delete(struct page *page)
{
	uint64_t flags = irq_save();
	swp_entry_t e = page->swap;

	if (page->flags & PG_SWAPCACHE) {
		struct swap_area *a = swap_area_of(e);
		a->cache[swp_slot(e)] = NULL;
		a->cached--;
		swap_map_uncache(&a->slots, swp_slot(e));
		page->flags &= ~(PG_SWAPCACHE | PG_DIRTY | PG_READAHEAD);
		irq_restore(flags);
		uncharge_if_free(e);
		put_page(page);
		return;
	}
	irq_restore(flags);
}

/*
 * A page table no longer holds slot e: one holder less. When nothing
 * holds it any more, the slot is free; a cached page nobody maps leaves
 * the cache (and is freed if that was its last reference). A cached page
 * that is still mapped stays: it is clean, and reclaim can drop it
 * without a write. Panics if no page table held the slot (a double put).
 * Does not sleep.
 */
void
swap_put(swp_entry_t e)
{
	uint64_t flags = irq_save();
	struct swap_area *a = swap_area_of(e);
	uint32_t s = swp_slot(e);
	struct page *p;

	if (swap_map_put(&a->slots, s))
		panic("swap_put: no page table holds slot %u of area %u", s, a->id);
	p = a->cache[s];
	if (swap_map_count(&a->slots, s) == 0 && p && p->mapcount == 0 &&
	    !(p->flags & (PG_LOCKED | PG_WRITEBACK))) {
		irq_restore(flags);
		swap_cache_delete(p);
		return;
	}
	irq_restore(flags);
	uncharge_if_free(e);
}

/*
 * Takes page out of the swap cache when its slot copy is of no more use:
 * no page table holds the slot (Linux's try_to_free_swap()). Called when
 * the page is about to be written in place, or its last mapping goes.
 * Not while it is being read or written. Returns true if page is (now)
 * outside the swap cache.
 */
bool
swap_cache_release(struct page *page)
{
	if (!(page->flags & PG_SWAPCACHE))
		return true;
	if (page->flags & (PG_LOCKED | PG_WRITEBACK) ||
	    swap_count(page->swap) > 0)
		return false;
	swap_cache_delete(page);
	return true;
}

/*
 * More than half the slots of all areas in use (Linux's vm_swap_full()): then a page
 * read back gives its slot up at once rather than keep a clean copy.
 */
bool
swap_nearly_full(void)
{
	return swap_free_slots() * 2 < swap_total_slots();
}

/*
 * The cached page for slot e with a reference taken, or NULL (also when
 * e's area is gone).
 */
struct page *
swap_cache_lookup(swp_entry_t e)
{
	uint64_t flags = irq_save();
	struct swap_area *a = live_area(e);
	struct page *p = a ? a->cache[swp_slot(e)] : NULL;

	if (p)
		get_page(p);
	irq_restore(flags);
	return p;
}

/*
 * A fault at position pos of a region (or object) whose readahead state
 * is ra found p in the swap cache and uses it: if readahead brought it
 * in, that readahead paid - a hit, so that the region's next window
 * grows. The position steers where that window goes.
 */
void
swap_readahead_used(struct page *p, struct swap_ra *ra, uint64_t pos)
{
	uint64_t flags = irq_save();

	swap_ra_fault_at(ra, pos);
	if (p->flags & PG_READAHEAD) {
		p->flags &= ~PG_READAHEAD;
		swap_ra_hit(ra);
		vmstat_inc(SWAP_RA_HIT);
	}
	irq_restore(flags);
}

/* True if t can be read ahead: its area still there, the slot in use, good, not cached. */
static bool
readahead_candidate(swp_entry_t t)
{
	const struct swap_area *a = live_area(t);
	uint32_t s = swp_slot(t);

	return a && s > 0 && swap_map_count(&a->slots, s) > 0 && !swap_map_bad(&a->slots, s) &&
	       !a->cache[s];
}

/*
 * How many pages to read for a swap fault at page pos of a region (its
 * virtual page number) or of a shared memory object (the index), and from
 * where (*first): a power of two, 1 to 2^page_cluster but at most
 * READAHEAD_MAX, ahead of a forward scan, behind a backward one, else
 * around pos. mm/swap_readahead.c's policy, fed with the hits of earlier
 * readahead in the same region or object: each keeps its own state in
 * ra, as Linux keeps one per region, so that processes scanning their
 * memory at once do not look random to each other. mm/fault_swap.c picks the
 * pages. page-cluster 0 turns readahead off: one page per fault, as the
 * textbooks count (docs/policies.md).
 */
uint32_t
swap_readahead_window(struct swap_ra *ra, uint64_t pos, uint64_t *first)
{
	uint32_t max = page_cluster >= 3 ? READAHEAD_MAX : 1u << page_cluster;

	return swap_ra_window(ra, pos, max, first);
}

/* One slot being read, with its new page. */
struct ra_item {
	swp_entry_t e;
	struct page *page;
};

/*
 * Readahead pages are a bet that the neighbours will be wanted soon; with
 * fewer free frames than this, a frame is better kept for what is wanted
 * now. (Allocating them through the door even below min, with reclaim,
 * matters: stopping readahead at min instead cost forkswap 2.4 times its
 * major faults.)
 */
#define READAHEAD_MIN_FREE 64

/*
 * New pages for slot e and for those of ahead[] that can be read ahead,
 * while free frames stay above READAHEAD_MIN_FREE.
 * Returns how many items, 0 if e itself got no page.
 */
static int
alloc_for_read(swp_entry_t e, const swp_entry_t *ahead, int nahead, struct ra_item *items)
{
	int n = 0;

	if ((items[0].page = alloc_user_page(false)) == NULL)
		return 0;
	items[n++].e = e;
	for (int i = 0; i < nahead && n <= READAHEAD_MAX; i++) {
		if (!readahead_candidate(ahead[i]) || pmm_free_frames() <= READAHEAD_MIN_FREE)
			continue;
		if ((items[n].page = alloc_user_page(false)) == NULL)
			break;
		items[n++].e = ahead[i];
	}
	return n;
}

/*
 * Puts the items' pages in the swap cache, locked (their read is about to
 * start). The allocations may have slept: a slot cached or freed meanwhile
 * (or named twice) loses its page. Returns how many items are left, sorted
 * by entry (area, then slot); 0 (nothing cached) when e itself got cached
 * meanwhile, -1 when e was freed meanwhile (another thread of the process
 * brought the page in and let its slot go, or swapoff took its whole
 * area away). Interrupts off.
 */
static int
cache_for_read(swp_entry_t e, struct ra_item *items, int n)
{
	struct swap_area *home = live_area(e);
	uint32_t s = swp_slot(e);
	int kept = 0;

	if (!home || home->cache[s] || swap_map_count(&home->slots, s) == 0) {
		for (int i = 0; i < n; i++)
			put_page(items[i].page);
		return home && home->cache[s] ? 0 : -1;
	}
	for (int i = 0; i < n; i++) {
		struct ra_item it = items[i];
		if (i > 0 && !readahead_candidate(it.e)) {
			put_page(it.page);
			continue;
		}
		struct swap_area *a = swap_area_of(it.e);
		it.page->flags |= PG_LOCKED | PG_SWAPCACHE | PG_ANON | (i > 0 ? PG_READAHEAD : 0);
		it.page->swap = it.e;
		a->cache[swp_slot(it.e)] = it.page;  /* the cache holds the allocation's reference */
		a->cached++;
		swap_map_cache(&a->slots, swp_slot(it.e));
		vmstat_inc(NR_ANON_PAGES);
		int j = kept++;                      /* insertion sort: a handful of items */
		for (; j > 0 && items[j - 1].e.val > it.e.val; j--)
			items[j] = items[j - 1];
		items[j] = it;
	}
	return kept;
}

/*
 * Reads items[0..n) (in the swap cache, sorted by slot) with swap_io()
 * and sets status[i] to 0 or -EIO per item. Sleeps until every read is done.
 */
static void
read_items(struct ra_item *items, int n, int *status)
{
	struct page *pages[READAHEAD_MAX + 1];
	struct swap_run runs[READAHEAD_MAX + 1];
	int nruns, i = 0;

	for (int k = 0; k < n; k++)
		pages[k] = items[k].page;
	nruns = swap_io(BLK_READ, pages, n, runs);
	for (int r = 0; r < nruns; r++)
		for (uint32_t k = 0; k < runs[r].n; k++)
			status[i++] = runs[r].status;
	vmstat[PSWPIN] += (uint64_t)n;
	vmstat[SWAP_RA] += (uint64_t)n - 1;
}

/*
 * Reads slot e into a new page in the swap cache, and with it the slots
 * of ahead[] that are still in use and not cached (readahead: mm/fault_swap.c
 * names the swap entries of the faulting page's neighbours). Returns the
 * page for e with a reference, or NULL with *err: -ENOMEM (the task is
 * dying), -EIO (the read failed: every slot whose read failed is marked
 * bad), -EAGAIN when another task is already reading it (look in the
 * swap cache again), -ENOENT when the slot was freed meanwhile. Sleeps.
 */
struct page *
swap_readin(swp_entry_t e, const swp_entry_t *ahead, int nahead, int *err)
{
	struct ra_item items[READAHEAD_MAX + 1];
	int status[READAHEAD_MAX + 1], n = alloc_for_read(e, ahead, nahead, items);
	struct page *want = items[0].page;
	uint64_t flags;

	*err = -ENOMEM;
	if (n == 0)
		return NULL;
	flags = irq_save();
	n = cache_for_read(e, items, n);
	irq_restore(flags);
	if (n <= 0) {
		*err = n == 0 ? -EAGAIN : -ENOENT;
		return NULL;
	}
	get_page(want);
	read_items(items, n, status);
	for (int i = 0; i < n; i++) {
		struct page *p = items[i].page;
		unlock_page(p);
		if (status[i]) {
			/* The data cannot be read back: whoever holds the slot gets SIGBUS. */
			pr_err("swap: %s: read of slot %u failed; the slot is marked bad, its users "
			       "get SIGBUS\n", swap_area_of(items[i].e)->name, swp_slot(items[i].e));
			swap_mark_bad(items[i].e, 1);
			if (p == want)
				*err = -EIO;
			swap_cache_delete(p);
		} else if (p != want) {
			evict_add(p);
			swap_cache_release(p);   /* its last user went while we read */
		}
	}
	if (want->flags & PG_SWAPCACHE)
		return want;
	put_page(want);                  /* its read failed */
	return NULL;
}
