/*
 * mm/swap.c - the swap area: its disk, the swap cache, and swap I/O.
 *
 * The swap disk is made by mkswap (Linux's "SWAPSPACE2" format): page 0
 * is the header (version, last_page, the list of bad pages, and the magic
 * in its last 10 bytes); every other page is a slot that can hold one
 * anonymous page.
 *
 *   slot:   0        1        2        3   ...  last_page
 *         [header] [ page ] [ page ] [ page ] ...
 *
 * Which slots are free, and how many page tables hold each, is the slot
 * map's business (mm/swap_map.c). This file keeps the swap cache
 * (cache[]: the page for a slot), which is what makes sharing work: a
 * page being written out or read in, or swapped in read-only by one of
 * several sharers, is found by its slot, so two faults on one slot read
 * it once. Every change to the map or the cache happens with interrupts
 * off; cache[s] is set exactly when the map says SWAP_MAP_CACHED.
 *
 * Pages evicted together get neighbouring slots and are written in one
 * request; swap-in reads, with the faulting page, the swapped-out pages
 * around its address that mm/fault.c names (readahead, as many as
 * mm/swap_readahead.c says), each run of neighbouring slots in one request.
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
#include "mm/swap_map.h"
#include "mm/swap_readahead.h"
#include "mm/vmstat.h"

#define SWAP_MAGIC      "SWAPSPACE2"
#define SECTORS_PER_PAGE (PAGE_SIZE / SECTOR_SIZE)
#define READAHEAD_MAX   SWAP_RA_PAGES

unsigned page_cluster = 3;      /* Linux's default: up to 8 pages */

/* The header's first kilobyte is boot code room; the fields follow it. */
struct swap_header_info {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	uint8_t uuid[16];
	char volume_name[16];
	uint32_t padding[117];
	uint32_t badpages[];
};

static struct {
	struct blk_device *dev;
	struct swap_map slots;            /* slots 1 .. slots.nslots-1 */
	struct page **cache;              /* the page in the swap cache, per slot */
	uint32_t cached;                  /* pages in the swap cache */
} area;

/* What swap-in readahead has learnt (mm/swap_readahead.c). */
static struct swap_ra readahead = SWAP_RA_INIT;

bool swap_enabled(void) { return area.dev != NULL; }
const char *swap_device_name(void) { return area.dev ? area.dev->name : NULL; }   /* "vdb" */

uint64_t swap_total_slots(void) { return area.dev ? area.slots.nslots - 1 - area.slots.nbad : 0; }
uint64_t swap_free_slots(void) { return area.dev ? area.slots.free : 0; }
uint64_t swap_cached_pages(void) { return area.cached; }

/* The slot map, read-only, for a picture of the swap area (mm/memsnap.c); NULL without swap. */
const struct swap_map *swap_slot_map(void) { return area.dev ? &area.slots : NULL; }

static struct blk_device *
find_swap_device(void)
{
	const char *name = karg_get("swap");
	struct blk_device *root = blk_first_disk();

	if (name)
		return blk_find(name);
	/* The second disk: hdb or vdb (tools/qemu.sh attaches swap.img there). */
	if (root && blk_find("hdb"))
		return blk_find("hdb");
	return blk_find("vdb");
}

static int
read_header(struct blk_device *dev, uint8_t *page)
{
	const struct swap_header_info *h = (const void *)(page + 1024);

	if (blk_rw(dev, BLK_READ, 0, page, PAGE_SIZE) != 0) {
		pr_err("swap: %s: cannot read the header; no swap\n", dev->name);
		return -EIO;
	}
	if (memcmp(page + PAGE_SIZE - 10, SWAP_MAGIC, 10) != 0) {
		pr_err("swap: %s: no SWAPSPACE2 signature (not made by mkswap?); no swap\n", dev->name);
		return -EINVAL;
	}
	if (h->version != 1 || h->last_page < 1 || h->last_page >= SWP_MAX_SLOTS ||
	    ((uint64_t)h->last_page + 1) * SECTORS_PER_PAGE > dev->nsectors ||
	    h->nr_badpages > (PAGE_SIZE - 1536) / 4) {
		pr_err("swap: %s: bad header (version %u, last_page %u, %u bad pages); no swap\n",
		       dev->name, h->version, h->last_page, h->nr_badpages);
		return -EINVAL;
	}
	return 0;
}

/* Finds the swap area (swap=, else the second disk) unless noswap. */
void
swap_init(void)
{
	uint8_t *page;
	const struct swap_header_info *h;
	struct blk_device *dev;
	uint16_t *map;
	uint32_t nslots;

	if (karg_has("noswap")) {
		pr_info("swap: off (noswap)\n");
		return;
	}
	dev = find_swap_device();
	page = kmalloc(PAGE_SIZE);
	if (!dev || !page) {
		pr_info("swap: no swap device\n");
		kfree(page);
		return;
	}
	h = (const void *)(page + 1024);
	if (read_header(dev, page) == 0) {
		nslots = h->last_page + 1;
		map = kmalloc(nslots * sizeof(*map));
		area.cache = kzalloc(nslots * sizeof(struct page *));
		if (map && area.cache) {
			swap_map_init(&area.slots, map, nslots, h->badpages, h->nr_badpages);
			memcg_swap_init(nslots);
			area.dev = dev;
			pr_info("swap: %s: %u slots (%u KiB), %u bad, label \"%.16s\"\n", dev->name,
				nslots - 1, (nslots - 1) * 4, area.slots.nbad, h->volume_name);
		} else {
			kfree(map);
			kfree(area.cache);
			area.cache = NULL;
		}
	}
	kfree(page);
}

/*
 * Gives page a free slot and puts it in the swap cache (PG_SWAPCACHE, one
 * more reference). Returns the slot, or val 0 when swap is full or off.
 * The slot map hands out neighbouring slots to a batch of evictions.
 * Interrupts off inside.
 */
swp_entry_t
swap_alloc_cached(struct page *page)
{
	swp_entry_t e = { 0 };

	if (!area.dev || should_fail(&fail_swap_alloc, PAGE_SIZE))
		return e;
	/* LAB 7 BEGIN: a free slot for page, and page in the swap cache under it */
	uint64_t flags = irq_save();
	e = swp_entry(0, swap_map_alloc(&area.slots));
	if (!swp_none(e)) {
		area.cache[swp_slot(e)] = page;
		area.cached++;
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

	if (swap_map_dup(&area.slots, swp_slot(e)))
		panic("swap_duplicate: slot %u is free", swp_slot(e));
	irq_restore(flags);
}

/* Whether e's slot is bad: a write or a read of it failed (or mkswap listed it). */
bool
swap_entry_bad(swp_entry_t e)
{
	return swap_map_bad(&area.slots, swp_slot(e));
}

/* How many page tables hold e. */
unsigned
swap_count(swp_entry_t e)
{
	return swap_map_count(&area.slots, swp_slot(e));
}

/*
 * A slot that nothing holds any more (no page table, not the swap cache)
 * is no longer charged to a memory group (mm/memcg_limit.c). A bad slot
 * is never handed out again: it counts as free for this.
 */
static void
uncharge_if_free(uint32_t s)
{
	if ((area.slots.map[s] & ~SWAP_MAP_BAD) == 0)
		memcg_swap_uncharge(s);
}

/* Takes page out of the swap cache (its slot copy is no longer needed by it). */
void
swap_cache_delete(struct page *page)
{
	uint64_t flags = irq_save();
	uint32_t s = swp_slot(page->swap);

	if (page->flags & PG_SWAPCACHE) {
		area.cache[s] = NULL;
		area.cached--;
		swap_map_uncache(&area.slots, s);
		page->flags &= ~(PG_SWAPCACHE | PG_DIRTY | PG_READAHEAD);
		irq_restore(flags);
		uncharge_if_free(s);
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
	uint32_t s = swp_slot(e);
	struct page *p;

	if (swap_map_put(&area.slots, s))
		panic("swap_put: no page table holds slot %u", s);
	p = area.cache[s];
	if (swap_map_count(&area.slots, s) == 0 && p && p->mapcount == 0 &&
	    !(p->flags & (PG_LOCKED | PG_WRITEBACK))) {
		irq_restore(flags);
		swap_cache_delete(p);
		return;
	}
	irq_restore(flags);
	uncharge_if_free(s);
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
	    swap_map_count(&area.slots, swp_slot(page->swap)) > 0)
		return false;
	swap_cache_delete(page);
	return true;
}

/*
 * More than half the slots in use (Linux's vm_swap_full()): then a page
 * read back gives its slot up at once rather than keep a clean copy.
 */
bool
swap_nearly_full(void)
{
	return area.slots.free * 2 < swap_total_slots();
}

/*
 * The cached page for slot e with a reference taken, or NULL. A page that
 * readahead brought in counts as a readahead hit the first time.
 */
struct page *
swap_cache_lookup(swp_entry_t e)
{
	uint64_t flags = irq_save();
	struct page *p = area.cache[swp_slot(e)];

	if (p) {
		get_page(p);
		if (p->flags & PG_READAHEAD) {
			p->flags &= ~PG_READAHEAD;
			swap_ra_hit(&readahead);
			vmstat_inc(SWAP_RA_HIT);
		}
	}
	irq_restore(flags);
	return p;
}

/* One run of neighbouring slots, moved by one request, and how it ended. */
struct swap_run {
	uint32_t first, n;
	int status;
};

/* A run's request is over: note how, and give the request back to the pool at once. */
static void
run_done(struct blk_request *req)
{
	((struct swap_run *)req->private)->status = req->status;
	blk_request_free(req);
}

/*
 * Reads or writes pages[0..n) (in the swap cache, sorted by slot) from or
 * to their slots: each run of neighbouring slots in one request (at most
 * BLK_MAX_SEGS pages), all in flight at once, then waits for all. Fills
 * runs[] (n entries at most) and returns how many runs there were.
 * Requests come from the block layer's pool, so this never fails for
 * want of memory: it may only wait for a request to come back. Under a
 * plug, so the disk hears of all the runs at once. Sleeps.
 */
static int
swap_io(enum blk_op op, struct page **pages, int n, struct swap_run *runs)
{
	struct blk_batch batch;
	struct blk_plug plug;
	int nruns = 0;

	blk_batch_init(&batch, run_done);
	blk_start_plug(&plug);
	for (int i = 0; i < n; nruns++) {
		struct swap_run *run = &runs[nruns];
		struct blk_request *req = blk_request_alloc();
		*run = (struct swap_run){ .first = swp_slot(pages[i]->swap) };
		while (i < n && run->n < BLK_MAX_SEGS && swp_slot(pages[i]->swap) == run->first + run->n) {
			req->segs[run->n++] = (struct blk_segment){ page_address(pages[i]), PAGE_SIZE };
			i++;
		}
		req->dev = area.dev;
		req->op = op;
		req->sector = (uint64_t)run->first * SECTORS_PER_PAGE;
		req->nsegs = run->n;
		req->private = run;
		blk_batch_submit(&batch, req);     /* run_done() frees it when it is done */
	}
	blk_finish_plug(&plug);
	blk_batch_wait(&batch);
	return nruns;
}

/* Slots first .. first+n-1 failed to write or read: they are never used again. */
static void
mark_bad(uint32_t first, uint32_t n)
{
	uint64_t flags = irq_save();

	for (uint32_t k = 0; k < n; k++)
		swap_map_mark_bad(&area.slots, first + k);
	irq_restore(flags);
}

/*
 * Writes pages (each already in the swap cache, unmapped and PG_WRITEBACK)
 * to their slots, runs of neighbouring slots in one request each, all in
 * flight before we wait. A failed write marks the slots of its request
 * bad (swap_entry_bad() tells the caller which pages did not get out).
 * Returns how many pages failed. Sleeps; never allocates.
 */
int
swap_writeout(struct page **pages, int n)
{
	struct swap_run runs[SWAP_WRITE_MAX];
	int nruns, failed = 0;

	ASSERT(n <= SWAP_WRITE_MAX);
	nruns = swap_io(BLK_WRITE, pages, n, runs);

	vmstat[PSWPOUT] += (uint64_t)n;
	vmstat[NR_SWAP_WRITES] += (uint64_t)nruns;
	for (int r = 0; r < nruns; r++) {
		if (!runs[r].status)
			continue;
		failed += (int)runs[r].n;
		mark_bad(runs[r].first, runs[r].n);
		pr_err("swap: %s: write of %u pages at slot %u failed; the slots are marked bad and "
		       "the pages stay in memory\n", area.dev->name, runs[r].n, runs[r].first);
	}
	return failed;
}

/* True if slot t can be read ahead: in use, good, not cached. */
static bool
readahead_candidate(uint32_t t)
{
	return t > 0 && t < area.slots.nslots && swap_map_count(&area.slots, t) > 0 &&
	       !swap_map_bad(&area.slots, t) && !area.cache[t];
}

/*
 * How many pages to read for a swap fault at virtual page vpn (a power of
 * two, 1 to 2^page_cluster but at most READAHEAD_MAX): mm/swap_readahead.c's
 * policy, fed with the hits of earlier readahead. mm/fault.c picks the
 * pages. page-cluster 0 turns readahead off: one page per fault, as the
 * textbooks count (docs/policies.md).
 */
uint32_t
swap_readahead_window(uint64_t vpn)
{
	uint32_t max = page_cluster >= 3 ? READAHEAD_MAX : 1u << page_cluster;

	return swap_ra_window(&readahead, (uint32_t)vpn, max);
}

/* One slot being read, with its new page. */
struct ra_item {
	uint32_t slot;
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
 * New pages for slot s and for those of ahead[] that can be read ahead,
 * while free frames stay above READAHEAD_MIN_FREE.
 * Returns how many items, 0 if s itself got no page.
 */
static int
alloc_for_read(uint32_t s, const swp_entry_t *ahead, int nahead, struct ra_item *items)
{
	int n = 0;

	if ((items[0].page = alloc_user_page(false)) == NULL)
		return 0;
	items[n++].slot = s;
	for (int i = 0; i < nahead && n <= READAHEAD_MAX; i++) {
		uint32_t t = swp_slot(ahead[i]);
		if (!readahead_candidate(t) || pmm_free_frames() <= READAHEAD_MIN_FREE)
			continue;
		if ((items[n].page = alloc_user_page(false)) == NULL)
			break;
		items[n++].slot = t;
	}
	return n;
}

/*
 * Puts the items' pages in the swap cache, locked (their read is about to
 * start). The allocations may have slept: a slot cached or freed meanwhile
 * (or named twice) loses its page. Returns how many items are left, sorted
 * by slot; 0 (nothing cached) when s itself got cached meanwhile, -1 when
 * s was freed meanwhile (another thread of the process brought the page
 * in and let its slot go). Interrupts off.
 */
static int
cache_for_read(uint32_t s, struct ra_item *items, int n)
{
	int kept = 0;

	if (area.cache[s] || swap_map_count(&area.slots, s) == 0) {
		for (int i = 0; i < n; i++)
			put_page(items[i].page);
		return area.cache[s] ? 0 : -1;
	}
	for (int i = 0; i < n; i++) {
		struct ra_item it = items[i];
		if (i > 0 && !readahead_candidate(it.slot)) {
			put_page(it.page);
			continue;
		}
		it.page->flags |= PG_LOCKED | PG_SWAPCACHE | PG_ANON | (i > 0 ? PG_READAHEAD : 0);
		it.page->swap = swp_entry(0, it.slot);
		area.cache[it.slot] = it.page;       /* the cache holds the allocation's reference */
		area.cached++;
		swap_map_cache(&area.slots, it.slot);
		vmstat_inc(NR_ANON_PAGES);
		int j = kept++;                      /* insertion sort: a handful of items */
		for (; j > 0 && items[j - 1].slot > it.slot; j--)
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
 * of ahead[] that are still in use and not cached (readahead: mm/fault.c
 * names the swap entries of the faulting page's neighbours). Returns the
 * page for e with a reference, or NULL with *err: -ENOMEM (the task is
 * dying), -EIO (the read failed: every slot whose read failed is marked
 * bad), -EAGAIN when another task is already reading it (look in the
 * swap cache again), -ENOENT when the slot was freed meanwhile. Sleeps.
 */
struct page *
swap_readin(swp_entry_t e, const swp_entry_t *ahead, int nahead, int *err)
{
	uint32_t s = swp_slot(e);
	struct ra_item items[READAHEAD_MAX + 1];
	int status[READAHEAD_MAX + 1], n = alloc_for_read(s, ahead, nahead, items);
	struct page *want = items[0].page;
	uint64_t flags;

	*err = -ENOMEM;
	if (n == 0)
		return NULL;
	flags = irq_save();
	n = cache_for_read(s, items, n);
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
			       "get SIGBUS\n", area.dev->name, items[i].slot);
			mark_bad(items[i].slot, 1);
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
