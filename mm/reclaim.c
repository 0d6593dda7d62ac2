/*
 * mm/reclaim.c - frames for user memory, and getting them back.
 *
 * Every page a process uses - anonymous memory, copy-on-write copies,
 * page-cache pages, swap-ins - comes from alloc_user_page(), the door
 * that knows about memory pressure:
 *
 *   free frames
 *     ^
 *     |  high  ------------------  kswapd stops here
 *     |  low   ------------------  below: wake kswapd (background reclaim)
 *     |  min   ------------------  below: the allocating task reclaims
 *     |                            itself (direct reclaim); if nothing can
 *     0                            be reclaimed: the OOM killer (mm/oom.c)
 *
 * Reclaiming (shrink_list) looks at the old end of the inactive LRU lists
 * (mm/lru.c). A page used since the last look (an accessed bit set in one
 * of its PTEs, found through mm/rmap.c) is kept: the second time in a row,
 * or through two PTEs, it moves to the active list (check_references()).
 * Otherwise: a clean file page is unmapped everywhere and dropped -
 * its original is on disk; an anonymous page gets a swap slot, is unmapped
 * everywhere (its PTEs now hold the slot), written to swap in a batch with
 * its neighbours, and freed when the write is done. How much to take from
 * anonymous versus file memory is set by swappiness (0..200, default 60,
 * as Linux): file and anonymous lists are scanned in the ratio
 * (200 - swappiness) : swappiness. Without swap only file pages can go.
 */
#include "mm/reclaim.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/lru.h"
#include "mm/oom.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define BATCH 32                 /* pages reclaimed per round (one swap write) */

struct watermarks watermarks;
static unsigned swappiness = 60;
static struct task *kswapd_task;
static struct wait_queue kswapd_wait = WAIT_QUEUE_INIT(kswapd_wait);
static struct wait_queue memory_freed = WAIT_QUEUE_INIT(memory_freed);
static volatile bool kswapd_wanted;
static volatile bool kswapd_busy;      /* in a pass, maybe asleep on its writes */

static bool
referenced(struct page *p)
{
	return page_referenced(p) > 0;
}

enum verdict { PAGE_ACTIVATE, PAGE_KEEP, PAGE_RECLAIM };

/*
 * What becomes of a page at the tail of an inactive list: the one place
 * that decides (Linux's folio_check_references()). Every mapped page
 * starts with a reference: the fault that mapped it set the accessed bit.
 * So a page seen used once is only marked (PG_REFERENCED) and goes round
 * the inactive list again; used again by then (or through two PTEs at
 * once), it is in use: active. Not used: reclaimed. Pages touched once (a
 * scan; hotcold's cold pages) never crowd the hot ones off the active
 * list, and a page needs two looks to be promoted.
 */
static enum verdict
check_references(struct page *p)
{
	int ptes = page_referenced(p);
	bool marked = p->flags & PG_REFERENCED;

	p->flags &= ~PG_REFERENCED;
	if (ptes == 0)
		return PAGE_RECLAIM;
	if (marked || ptes > 1)
		return PAGE_ACTIVATE;
	p->flags |= PG_REFERENCED;
	return PAGE_KEEP;
}

/* Takes up to n pages from the tail of list into batch, each with a reference. */
static int
isolate(enum lru_list list, struct page **batch, int n, uint64_t *scanned)
{
	uint64_t flags = irq_save();
	int got = 0;

	while (got < n && !list_empty(&lru_lists[list])) {
		struct page *p = list_entry(lru_lists[list].prev, struct page, lru);
		(*scanned)++;
		lru_del(p);
		get_page(p);
		batch[got++] = p;
	}
	irq_restore(flags);
	return got;
}

/* Drops a file page: unmapped everywhere, out of the page cache, freed. */
static bool
reclaim_file_page(struct page *p)
{
	if (p->flags & (PG_LOCKED | PG_WRITEBACK) || !try_to_unmap(p) || p->refcount != 2)
		return false;

	pagecache_remove(p);              /* drops the cache's reference; ours frees it */
	return true;
}

/*
 * Frees p, an unmapped anonymous page whose swap slot holds its data, by
 * taking it out of the swap cache; unless it was faulted back in (or is
 * otherwise in use) meanwhile: then it goes back to the LRU. Drops our
 * reference. Returns 1 if the frame was freed.
 */
static int
drop_clean(struct page *p)
{
	if (p->refcount == 2 && p->mapcount == 0) {
		swap_cache_delete(p);
		put_page(p);
		return 1;
	}
	lru_add(p);
	put_page(p);
	return 0;
}

/*
 * Swaps anonymous pages out: each gets a slot (neighbours for a batch) and
 * is unmapped everywhere. A page whose slot already holds its data (read
 * back from swap and not written since: not PG_DIRTY) is simply dropped;
 * the others are written together, and freed when the write is done.
 * Returns how many were freed; the others go back to the LRU.
 */
static int
swap_out(struct page **pages, int n)
{
	struct page *out[BATCH];
	int nout = 0, freed = 0;

	for (int i = 0; i < n; i++) {
		struct page *p = pages[i];
		bool cached = p->flags & PG_SWAPCACHE;
		/* No slot (swap full), a slot that failed before, or still mapped: keep it. */
		if ((cached && swap_slot_bad(page_swap_slot(p))) ||
		    (!cached && swap_alloc_cached(p).val == 0) || !try_to_unmap(p)) {
			lru_add(p);
			put_page(p);
		} else if (!(p->flags & PG_DIRTY)) {
			freed += drop_clean(p);
		} else {
			p->flags = (p->flags & ~PG_DIRTY) | PG_WRITEBACK | PG_LOCKED;
			out[nout++] = p;
		}
	}
	/* A failed write marks its slots bad; those pages simply stay in memory. */
	if (nout)
		swap_writeout(out, nout);
	for (int i = 0; i < nout; i++) {
		struct page *p = out[i];
		bool bad = swap_slot_bad(page_swap_slot(p));
		p->flags &= ~PG_WRITEBACK;
		unlock_page(p);
		if (bad) {
			p->flags |= PG_DIRTY;      /* the slot holds nothing */
			put_page(p);
		} else {
			freed += drop_clean(p);
		}
	}
	return freed;
}

/* One pass over an inactive list: second chances, then reclaim. */
static uint64_t
shrink_list(enum lru_list list, int nr, bool direct)
{
	struct page *batch[BATCH], *anon[BATCH];
	uint64_t scanned = 0, freed = 0;
	int n = isolate(list, batch, MIN(nr, BATCH), &scanned), nanon = 0;

	for (int i = 0; i < n; i++) {
		struct page *p = batch[i];
		enum verdict v = check_references(p);
		if (v != PAGE_RECLAIM) {
			lru_add(p);                /* the head of the inactive list ... */
			if (v == PAGE_ACTIVATE)
				lru_move(p, true, true); /* ... or of the active one */
			put_page(p);
		} else if (!(p->flags & PG_ANON)) {
			if (reclaim_file_page(p))
				freed++;
			else
				lru_add(p);
			put_page(p);
		} else if (swap_enabled()) {
			anon[nanon++] = p;
		} else {
			lru_add(p);
			put_page(p);
		}
	}
	if (nanon)
		freed += (uint64_t)swap_out(anon, nanon);
	vmstat[direct ? PGSCAN_DIRECT : PGSCAN_KSWAPD] += scanned;
	vmstat[direct ? PGSTEAL_DIRECT : PGSTEAL_KSWAPD] += freed;
	return freed;
}

/* Moves unreferenced pages from the old end of an active list to inactive. */
static void
age_active(enum lru_list active, int nr)
{
	struct page *batch[BATCH];
	uint64_t scanned = 0;
	int n = isolate(active, batch, MIN(nr, BATCH), &scanned);

	for (int i = 0; i < n; i++) {
		lru_add(batch[i]);                  /* back on inactive ... */
		if (referenced(batch[i]))
			lru_move(batch[i], true, true); /* ... unless it was used: active again */
		put_page(batch[i]);
	}
}

/*
 * Tries to free nr frames. Returns how many were freed. Sleeps for swap
 * writes. direct: called by an allocating task (counts as pgscan_direct).
 */
uint64_t
reclaim_pages(uint64_t nr, bool direct)
{
	uint64_t freed = 0;

	for (int round = 0; round < 16 && freed < nr; round++) {
		bool can_swap = swap_enabled() && swap_free_slots() > 0;
		uint64_t anon = lru_sizes[LRU_INACTIVE_ANON] + lru_sizes[LRU_ACTIVE_ANON];
		uint64_t file = lru_sizes[LRU_INACTIVE_FILE] + lru_sizes[LRU_ACTIVE_FILE];
		int anon_share = can_swap && anon ? (int)(BATCH * swappiness / 200) : 0;
		int file_share = file ? BATCH - anon_share : 0;

		if (!file)
			anon_share = can_swap ? BATCH : 0;
		if (anon_share + file_share == 0)
			break;
		/* Frames may have come back while we slept on writes (a process
		 * exited, say): kswapd stops once free memory is at high. */
		if (!direct && pmm_free_frames() >= watermarks.high)
			break;
		if (lru_sizes[LRU_INACTIVE_ANON] < lru_sizes[LRU_ACTIVE_ANON])
			age_active(LRU_ACTIVE_ANON, BATCH);
		if (lru_sizes[LRU_INACTIVE_FILE] < lru_sizes[LRU_ACTIVE_FILE])
			age_active(LRU_ACTIVE_FILE, BATCH);
		if (file_share)
			freed += shrink_list(LRU_INACTIVE_FILE, file_share, direct);
		if (anon_share)
			freed += shrink_list(LRU_INACTIVE_ANON, anon_share, direct);
	}
	if (freed)
		wait_wake_all(&memory_freed);
	return freed;
}

/* kswapd: sleeps until free frames drop below low, then reclaims to high. */
static void
kswapd(void *unused)
{
	for (;;) {
		uint64_t flags = irq_save();
		while (!kswapd_wanted)
			wait_sleep(&kswapd_wait);
		kswapd_wanted = false;
		kswapd_busy = true;
		irq_restore(flags);
		while (pmm_free_frames() < watermarks.high)
			if (reclaim_pages(watermarks.high - pmm_free_frames(), false) == 0)
				break;
		kswapd_busy = false;
	}
}

/*
 * Waits until kswapd is idle, its writes done and the frames it freed
 * back. Whoever counts frames and swap slots (the reaper, after init)
 * calls it first: pages still on their way to disk would look leaked.
 * Yields the CPU meanwhile; interrupts must be on.
 */
void
reclaim_quiesce(void)
{
	while (kswapd_busy || kswapd_wanted)
		schedule();
}

static void
wake_kswapd(void)
{
	if (!kswapd_wanted && kswapd_task) {
		kswapd_wanted = true;
		wait_wake_all(&kswapd_wait);
	}
}

/* Watermarks from RAM size (Linux: min_free_kbytes ~ 4 * sqrt(RAM in KiB)). */
void
reclaim_init(void)
{
	uint64_t ram_kib = pmm_stats.usable * 4, min_kib = 128;
	const char *s = karg_get("swappiness");

	while ((min_kib + 1) * (min_kib + 1) <= ram_kib * 16)
		min_kib++;
	min_kib = MAX(MIN(min_kib, 65536), 128);
	watermarks.min = min_kib / 4;
	watermarks.low = watermarks.min + watermarks.min / 4;
	watermarks.high = watermarks.min + watermarks.min / 2;
	if (s)
		swappiness = (unsigned)MIN(karg_get_u64("swappiness", 60), 200);
	kswapd_task = task_create_kernel("kswapd", kswapd, NULL);
	pr_info("reclaim: watermarks min %lu, low %lu, high %lu frames; swappiness %u\n",
		watermarks.min, watermarks.low, watermarks.high, swappiness);
}

static struct page *
take_frame(bool zeroed)
{
	struct page *p = pmm_alloc_pages(0);

	if (p && zeroed)
		memset(page_address(p), 0, PAGE_SIZE);
	return p;
}

/*
 * Returns a frame for user memory (refcount 1), zero-filled if asked, or
 * NULL when even the OOM killer could not help (or we are its victim).
 * May sleep: reclaim writes to swap.
 */
struct page *
alloc_user_page(bool zeroed)
{
	for (int attempt = 0;; attempt++) {
		uint64_t free = pmm_free_frames();
		if (free < watermarks.low)
			wake_kswapd();
		if (free > watermarks.min || current == kswapd_task)
			return take_frame(zeroed);
		if (current->pending_signals & (1UL << SIGKILL))
			return NULL;               /* dying anyway: let it go */
		if (reclaim_pages(BATCH, true) > 0)
			continue;
		if (pmm_free_frames() > watermarks.min / 2 && attempt < 2)
			return take_frame(zeroed);  /* the reserve is there for this */
		if (!oom_kill(current))
			return take_frame(zeroed);  /* nobody to kill: use the last frames */
		if (current->pending_signals & (1UL << SIGKILL))
			return NULL;
		/* Give the victim time to exit and free its memory. */
		for (int i = 0; i < 20 && pmm_free_frames() <= watermarks.min; i++)
			schedule();
	}
}
