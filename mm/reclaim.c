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
 *     |  low   ------------------  below: wake kswapd (mm/kswapd.c)
 *     |  min   ------------------  below: the allocating task reclaims
 *     |                            itself (direct reclaim); if nothing can
 *     0                            be reclaimed: the OOM killer (mm/oom.c)
 *
 * Reclaiming asks the replacement policy (mm/evict.h; the default keeps
 * Linux's active and inactive lists, mm/evict_lru.c) for victims, and
 * evicts them: a clean file page is unmapped everywhere and dropped - its
 * original is on disk; an anonymous page gets a swap slot, is unmapped
 * everywhere (its PTEs now hold the slot), written to swap in a batch
 * with its neighbours, and freed when the write is done; a dirty file page
 * is left to the flusher (mm/writeback.c). A shared memory page (mm/shmem.c)
 * goes like an anonymous one, but its PTEs are cleared and its object keeps
 * the slot. How much to take from anonymous versus file memory is set by
 * swappiness (0..200, default 60, as Linux): each kind is scanned in
 * proportion to its pages, weighted by 200 - swappiness for file pages
 * and swappiness for anonymous ones. Without swap only file pages can go.
 *
 * Reclaim never allocates memory to make progress (its swap writes take block
 * requests from a reserve: mm/mempool.c), and a failed write loses nothing.
 */
#include "mm/reclaim.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/evict.h"
#include "mm/kswapd.h"
#include "mm/memcg_limit.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mm/writeback.h"

#define BATCH SWAP_WRITE_MAX     /* pages reclaimed per round (one swap write) */

/*
 * A bound on one reclaim_pages() call: a pass that keeps finding pages in
 * use (referenced, locked, mapped again) must still end and let its
 * caller decide; 16 rounds look at 512 pages at most. A direct reclaimer
 * that has freed nothing by then goes on until the policy has looked at
 * every page on the lists twice (LOOKS_BEFORE_GIVING_UP): lru2 needs two
 * looks to find that a page is no longer used, and only then is "nothing
 * to reclaim" true and the OOM killer's turn (Linux's scan priority
 * reaching 0: the whole list).
 */
#define RECLAIM_ROUNDS 16
#define LOOKS_BEFORE_GIVING_UP 2

struct watermarks watermarks;
unsigned vm_swappiness = 60;         /* /proc/sys/vm/swappiness */

/*
 * Pages some reclaimer has taken off the policy's lists and not yet freed
 * or put back - most of them waiting for their swap write. They are memory
 * on its way back: an allocation that finds nothing to reclaim waits for
 * them (wait_for_reclaimers) before it may call the OOM killer.
 */
static int pages_in_reclaim;
static uint64_t reclaim_rounds_done;   /* shrink() calls finished: a waiter's clock */
static struct wait_queue reclaim_progress = WAIT_QUEUE_INIT(reclaim_progress);

/* Drops a file page: unmapped everywhere, out of the page cache, freed. */
static bool
reclaim_file_page(struct page *p)
{
	if (p->flags & (PG_LOCKED | PG_WRITEBACK) || !try_to_unmap(p) || p->refcount != 2)
		return false;
	if (p->flags & PG_DIRTY)          /* not on the disk yet: written first, taken later */
		return writeback_for_reclaim(p);
	pagecache_remove(p);              /* drops the cache's reference; ours frees it */
	return true;
}

/*
 * Frees p, an unmapped anonymous page whose swap slot holds its data, by
 * taking it out of the swap cache; unless it was faulted back in (or is
 * otherwise in use) meanwhile: then it goes back to the policy's lists.
 * Drops our reference. Returns 1 if the frame was freed.
 */
static int
drop_clean(struct page *p)
{
	if (p->refcount == 2 && p->mapcount == 0) {
		swap_cache_delete(p);
		put_page(p);
		return 1;
	}
	evict_putback(p);
	put_page(p);
	return 0;
}

/*
 * The write of p to its slot failed (the slot is now bad): undo the
 * swap-out. Every PTE that holds the slot maps p again, the slot is let
 * go, and p goes back to the policy as the anonymous page it was - dirty,
 * mapped, nothing lost; a later round gives it another slot. Drops our
 * reference.
 */
static void
keep_after_failed_write(struct page *p)
{
	p->flags |= PG_DIRTY;             /* the slot holds nothing */
	rmap_restore_swapped(p);
	swap_cache_release(p);
	evict_putback(p);
	put_page(p);
}

/*
 * Whether p can leave memory now: it has a good slot (or gets one, within
 * its memory group's memory.swap.max, charged to the group) and no PTE maps it.
 */
static bool
prepare_swap_out(struct page *p)
{
	if (p->flags & PG_SHMEM)
		return shmem_prepare_swap_out(p);  /* its object keeps the slot, not its PTEs */
	if (p->flags & PG_SWAPCACHE) {
		if (swap_entry_bad(p->swap))
			return false;             /* its slot failed before: keep it */
	} else if (!memcg_swap_allowed(p)) {
		return false;                     /* its group may not swap (more) */
	} else if (swp_none(swap_alloc_cached(p))) {
		return false;                     /* swap is full (or off) */
	} else {
		memcg_swap_charge(p);
	}
	return try_to_unmap(p);
}

/*
 * Swaps anonymous pages out: each gets a slot (neighbours for a batch) and
 * is unmapped everywhere. A page whose slot already holds its data (read
 * back from swap and not written since: not PG_DIRTY) is simply dropped;
 * the others are written together, and freed when the write is done.
 * Returns how many were freed; the others go back to the policy's lists.
 */
static int
swap_out(struct page **pages, int n)
{
	struct page *out[BATCH];
	int nout = 0, freed = 0;

	for (int i = 0; i < n; i++) {
		struct page *p = pages[i];
		if (!prepare_swap_out(p)) {
			evict_putback(p);
			put_page(p);
		} else if (!(p->flags & PG_DIRTY)) {
			freed += drop_clean(p);
		} else {
			p->flags = (p->flags & ~PG_DIRTY) | PG_WRITEBACK | PG_LOCKED;
			out[nout++] = p;
		}
	}
	if (nout)
		swap_writeout(out, nout);
	for (int i = 0; i < nout; i++) {
		struct page *p = out[i];
		p->flags &= ~PG_WRITEBACK;
		unlock_page(p);
		if (swap_entry_bad(p->swap))
			keep_after_failed_write(p);
		else if (p->flags & PG_SHMEM)
			freed += shmem_finish_swap_out(p);
		else
			freed += drop_clean(p);
	}
	return freed;
}

/*
 * Evicts victims[0..n): pages off the policy's lists, not yet referenced
 * by us. File pages are dropped, anonymous ones swapped out; a page that
 * cannot go goes back on the lists. Returns how many frames were freed.
 * Sleeps (swap writes).
 */
static uint64_t
evict_pages(struct page **victims, int n)
{
	struct page *anon[BATCH];
	uint64_t freed = 0;
	int nanon = 0;

	pages_in_reclaim += n;
	for (int i = 0; i < n; i++) {
		struct page *p = victims[i];
		get_page(p);                      /* ours while we work on it */
		if (p->flags & (PG_ANON | PG_SHMEM)) {   /* both go to swap */
			anon[nanon++] = p;
			continue;
		}
		if (reclaim_file_page(p))
			freed++;
		else
			evict_putback(p);
		put_page(p);
	}
	if (nanon)
		freed += (uint64_t)swap_out(anon, nanon);
	pages_in_reclaim -= n;
	reclaim_rounds_done++;
	wait_wake_all(&reclaim_progress);
	return freed;
}

/*
 * One round on one kind of page: the policy looks at up to nr pages and
 * names its victims; we evict them. Returns how many frames were freed.
 */
static uint64_t
shrink(enum evict_kind kind, int nr, bool direct, uint64_t looked[NR_EVICT_KINDS])
{
	struct page *victims[BATCH];
	uint64_t scanned = 0, freed;
	int n = evict_choose(kind, MIN(nr, BATCH), victims, &scanned);

	freed = evict_pages(victims, n);
	vmstat[direct ? PGSCAN_DIRECT : PGSCAN_KSWAPD] += scanned;
	vmstat[direct ? PGSTEAL_DIRECT : PGSTEAL_KSWAPD] += freed;
	looked[kind] += scanned;
	return freed;
}

/* The policy of lists l chooses up to nr pages of kind, and they are evicted now. */
static uint64_t
reclaim_some(struct evict_lists *l, enum evict_kind kind, int nr, uint64_t *scanned)
{
	uint64_t before = *scanned, freed;
	struct page *victims[BATCH];
	int n;

	if (kind == EVICT_ANON && (!swap_enabled() || swap_free_slots() == 0))
		return 0;
	n = l->ops->choose(l, kind, MIN(nr, BATCH), victims, scanned);
	freed = n ? evict_pages(victims, n) : 0;
	vmstat[PGSCAN_DIRECT] += *scanned - before;
	vmstat[PGSTEAL_DIRECT] += freed;
	return freed;
}

/*
 * A memory group's reclaim (mm/memcg_limit.c): a batch of kind from its
 * lists l. Returns the frames freed; adds the pages looked at to *scanned.
 * Sleeps (swap writes).
 */
uint64_t
reclaim_lists(struct evict_lists *l, enum evict_kind kind, uint64_t *scanned)
{
	return reclaim_some(l, kind, BATCH, scanned);
}

/*
 * Local replacement (mm/memcg.c): the policy of lists (a memory group's)
 * chooses one of its anonymous pages, and it is evicted now. Adds the
 * pages the policy looked at to *scanned (none when there is no swap to
 * evict to). Returns the frames freed, 0 or 1. Sleeps (the swap write).
 */
uint64_t
reclaim_from(struct evict_lists *l, uint64_t *scanned)
{
	return reclaim_some(l, EVICT_ANON, 1, scanned);
}

/*
 * madvise(MADV_PAGEOUT) (Linux 5.4): evicts the pages mapped in
 * [start, end) of mm now, whatever the policy thinks of them - anonymous
 * pages go to swap, clean file pages are dropped. As in Linux, only pages
 * this address space maps alone: a page another process maps too stays.
 * Pages that cannot go (locked, swap full or off) stay as well. Returns
 * how many frames were freed. Sleeps (swap writes).
 */
uint64_t
reclaim_pageout(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct page *batch[BATCH];
	uint64_t freed = 0;
	pte_t *pte;
	int n = 0;

	for (vaddr_t va = vmm_next_entry(mm->pml4, start, end, &pte); va < end;
	     va = vmm_next_entry(mm->pml4, va + PAGE_SIZE, end, &pte)) {
		struct vmm_entry e = vmm_read(*pte);
		struct page *p = e.kind == VMM_PAGE ? phys_to_page(e.pa) : NULL;
		if (!p || p->mapcount != 1 || !(p->flags & PG_LRU))
			continue;
		evict_remove(p);                  /* ours now, as if the policy chose it */
		batch[n++] = p;
		if (n == BATCH) {
			freed += evict_pages(batch, n);   /* sleeps: the walk starts again */
			n = 0;
		}
	}
	return freed + (n ? evict_pages(batch, n) : 0);
}

/*
 * How many pages of each kind one round looks at, out of BATCH: each
 * kind in proportion to its pages on the lists, weighted by swappiness -
 * anonymous pages by swappiness, file pages by 200 - swappiness (Linux's
 * get_scan_count()). So a few file pages do not take most of a round
 * from thousands of anonymous ones, and a round's anonymous victims go
 * out in one write. No anonymous pages when there is no swap to put them
 * in. Returns false if there is nothing to look at.
 */
static bool
scan_shares(int share[NR_EVICT_KINDS])
{
	bool can_swap = swap_enabled() && swap_free_slots() > 0;
	uint64_t n_anon = can_swap ? evict_count(EVICT_ANON) : 0, n_file = evict_count(EVICT_FILE);
	uint64_t w_anon = n_anon * vm_swappiness, w_file = n_file * (200 - vm_swappiness);

	share[EVICT_ANON] = share[EVICT_FILE] = 0;
	if (n_anon + n_file == 0)
		return false;
	if (w_anon + w_file == 0) {          /* swappiness 0 or 200, and only the other kind left */
		w_anon = n_anon;
		w_file = n_file;
	}
	share[EVICT_ANON] = (int)(BATCH * w_anon / (w_anon + w_file));
	share[EVICT_FILE] = BATCH - share[EVICT_ANON];
	if (w_anon && !share[EVICT_ANON])    /* a kind in the balance gets a look at least */
		share[EVICT_ANON]++, share[EVICT_FILE]--;
	if (w_file && !share[EVICT_FILE])
		share[EVICT_FILE]++, share[EVICT_ANON]--;
	return true;
}

/* Has every page of the kinds being scanned been looked at twice? */
static bool
all_seen_twice(const int share[NR_EVICT_KINDS], const uint64_t looked[NR_EVICT_KINDS])
{
	for (int kind = 0; kind < NR_EVICT_KINDS; kind++)
		if (share[kind] && looked[kind] < LOOKS_BEFORE_GIVING_UP * evict_count(kind))
			return false;
	return true;
}

/*
 * Tries to free nr frames. Returns how many were freed. Sleeps for swap
 * writes. direct: called by an allocating task (counts as pgscan_direct).
 */
uint64_t
reclaim_pages(uint64_t nr, bool direct)
{
	uint64_t freed = 0, looked[NR_EVICT_KINDS] = { 0 };
	int share[NR_EVICT_KINDS];

	for (int round = 0; freed < nr && scan_shares(share); round++) {
		uint64_t looked_before = looked[EVICT_ANON] + looked[EVICT_FILE];
		bool extra = round >= RECLAIM_ROUNDS;   /* past the usual bound */

		/* Frames may have come back while we slept on writes (a process
		 * exited, say): kswapd stops once free memory is at high. */
		if (!direct && pmm_free_frames() >= watermarks.high)
			break;
		/* A killed task's memory is about to come back: it stops reclaiming. */
		if (direct && fatal_signal_pending(current))
			break;
		if (extra && (!direct || freed > 0 || all_seen_twice(share, looked)))
			break;
		if (share[EVICT_FILE])
			freed += shrink(EVICT_FILE, share[EVICT_FILE], direct, looked);
		if (share[EVICT_ANON])
			freed += shrink(EVICT_ANON, share[EVICT_ANON], direct, looked);
		if (extra && looked[EVICT_ANON] + looked[EVICT_FILE] == looked_before)
			break;                  /* the policy has nothing more to show */
	}
	return freed;
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
		vm_swappiness = (unsigned)MIN(karg_get_u64("swappiness", 60), 200);
	kswapd_start();
	pr_info("reclaim: watermarks min %lu, low %lu, high %lu frames; swappiness %u\n",
		watermarks.min, watermarks.low, watermarks.high, vm_swappiness);
}

/* A frame from the allocator, zero-filled if asked; NULL if none (or an injected failure). */
static struct page *
take_frame(bool zeroed)
{
	struct page *p = pmm_alloc_pages(0);

	if (p && zeroed)
		memset(page_address(p), 0, PAGE_SIZE);
	return p;
}

/* Frames above min are for anyone; kswapd may go below, to make progress. */
static bool
may_take_freely(void)
{
	return pmm_free_frames() > watermarks.min || current_is_kswapd();
}

/*
 * The reserve, between min/2 and min, is for a task whose direct reclaim
 * found nothing right now (pages still being written, say): it may dip in
 * on its first RESERVE_ROUNDS tries, so that it can finish what it is
 * doing, but not live there: after that it is the OOM killer's turn.
 */
#define RESERVE_ROUNDS 2

static bool
may_take_from_reserve(int round)
{
	return round < RESERVE_ROUNDS && pmm_free_frames() > watermarks.min / 2;
}

/*
 * Our own reclaim found nothing, but other reclaimers (kswapd, other
 * tasks) hold pages that are on their way to swap: they took them off the
 * lists, so we could not see them. Sleeps until one of those rounds ends
 * (Linux throttles direct reclaim on writeback the same way), then the
 * allocation tries again. Returns false at once when no page is in
 * reclaim: then memory is really short, and the OOM killer may run.
 */
static bool
wait_for_reclaimers(void)
{
	uint64_t flags, seen = reclaim_rounds_done;

	if (pages_in_reclaim == 0)
		return false;
	flags = irq_save();
	while (pages_in_reclaim > 0 && reclaim_rounds_done == seen)
		wait_sleep(&reclaim_progress);
	irq_restore(flags);
	return true;
}

/*
 * The OOM killer chose a victim: give it time to exit and free its
 * memory. Its exit needs the CPU (and maybe its swap writes to finish),
 * so we yield up to VICTIM_WAIT_YIELDS times while memory is still below
 * min; the allocation then goes round again either way.
 */
#define VICTIM_WAIT_YIELDS 20

static void
wait_for_victim(void)
{
	for (int i = 0; i < VICTIM_WAIT_YIELDS && pmm_free_frames() <= watermarks.min; i++)
		schedule();
}

/*
 * Nothing can be reclaimed and nobody can be killed: take the very last
 * frames. When there are none either, the task that asks cannot go on:
 * it is killed itself (Linux would panic: "System is deadlocked on
 * memory"). NULL then, as for an injected failure that left frames free.
 */
static struct page *
last_frame(bool zeroed)
{
	struct page *p = take_frame(zeroed);

	if (!p && pmm_free_frames() == 0)
		oom_kill_allocating_task(current);
	return p;
}

/* alloc_user_page()'s loop, once the first look found no frame to take freely. */
static struct page *
alloc_slowly(bool zeroed)
{
	for (int round = 0;; round++) {
		wake_kswapd_if_low();
		if (may_take_freely())
			return take_frame(zeroed);
		if (fatal_signal_pending(current))
			return NULL;
		if (reclaim_pages(BATCH, true) > 0 || wait_for_reclaimers() || writeback_throttle_reclaim(round))
			continue;
		if (may_take_from_reserve(round))
			return take_frame(zeroed);
		if (!oom_kill(current))
			return last_frame(zeroed);     /* nobody to kill */
		if (fatal_signal_pending(current))
			return NULL;                   /* we are the victim */
		wait_for_victim();
	}
}

/*
 * Returns a frame for user memory (refcount 1), zero-filled if asked: the
 * one door every user page comes through (docs/design.md). Step by step:
 *
 *   above min (or we are kswapd)     take a frame      (below low: wake kswapd too)
 *   a fatal signal is pending        NULL: the task is dying anyway
 *   direct reclaim freed frames      go round again
 *   others' reclaim is under way     wait for a round of it to end, go round again
 *   file pages are dirty or being written  wait for writeback (mm/writeback.c), go round again
 *   the reserve, first rounds only   take a frame
 *   the OOM killer picked a victim   wait for it to exit, go round again
 *   nobody to kill                   the last frames; none left: this task dies
 *
 * NULL means "no frame this time": the task is being killed, or the
 * allocator refused although frames were there (fault injection), or
 * nothing at all is left. Callers give up what they were doing and the
 * page fault is retried (mm/x86/pf.c), so only a task that is really
 * dying stops. The OOM killer runs only when reclaim found nothing and
 * free frames are down in the reserve: never for an injected failure.
 * From the first refusal on, the task is stalled on memory (kernel/psi.c).
 * May sleep: reclaim writes to swap.
 */
struct page *
alloc_user_page(bool zeroed)
{
	struct page *p;
	bool stalled;

	wake_kswapd_if_low();
	if (may_take_freely())
		return take_frame(zeroed);
	stalled = psi_memstall_enter();
	p = alloc_slowly(zeroed);
	psi_memstall_leave(stalled);
	return p;
}
