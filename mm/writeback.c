/*
 * mm/writeback.c - dirty page-cache pages, and getting them to the disk:
 * Linux's mm/page-writeback.c and fs/fs-writeback.c, simplified.
 *
 * write(2) on an ext2 file only changes the cached page and marks it
 * dirty; the disk hears of it later. A page's life:
 *
 *   clean --set_page_dirty--> DIRTY --clear_page_dirty_for_io--> WRITEBACK --end_page_writeback--> clean
 *     ^  (write(2), a store       |   (writeback takes it: PTEs write-     (the disk said done, or
 *     |   through a shared        |    protected, so a later store           failed: the error goes
 *     |   mapping: mm/fault.c)    |    dirties it again)                    to the mapping, errseq)
 *     +------- cancel_dirty_page -+ (truncate, unlink: the data has no place on disk any more)
 *
 * Every mapping with dirty pages is on one list, oldest first (Linux's
 * per-device b_dirty list; we have one disk to write back to). Who
 * writes pages back:
 *
 *   the flusher (mm/flusher.c)   every dirty_writeback_centisecs: mappings
 *                                dirty longer than dirty_expire_centisecs;
 *                                and everything while Dirty is above the
 *                                background threshold
 *   a writer (balance_dirty_pages)  above dirty_ratio's threshold it
 *                                writes its own pages and waits, so one
 *                                process cannot fill memory with dirty pages
 *   fsync, sync (kernel/sys_fsmeta.c)  everything of the file (or all), then waits
 *   reclaim (mm/reclaim.c)       never drops a dirty page: wakes the flusher
 *
 * The thresholds are percentages of "dirtyable" memory: free pages (less
 * the reserve the watermarks keep) plus the file pages on the eviction
 * lists, as Linux's global_dirtyable_memory() computes it. Anonymous
 * memory does not count: it cannot be made free by writing files.
 *
 * A writeback error (EIO from the disk) cannot be returned by the write(2)
 * that dirtied the page - it returned long ago. It is recorded in the
 * mapping (mm/errseq.h), and each open file description learns of it once,
 * at its next fsync. The page is clean afterwards, its data only in memory,
 * as in Linux: retrying forever would pin it.
 *
 * Concurrency: page flags and the counts are changed with interrupts
 * off where a block completion (an interrupt handler) may change them too.
 */
#include "mm/writeback.h"
#include "drivers/blk.h"
#include "drivers/timer.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/dirty_limits.h"
#include "mm/evict.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/vmstat.h"

unsigned vm_dirty_background_ratio = 10;
unsigned vm_dirty_ratio = 20;
unsigned vm_dirty_expire_centisecs = 3000;
unsigned vm_dirty_writeback_centisecs = 500;
uint64_t vm_dirty_background_bytes;
uint64_t vm_dirty_bytes;

/*
 * A writer over the limit writes back this many pages of its own file per
 * round, then waits a tick for the disk: a page at a time would make one
 * request per page; all of them would stall it for seconds.
 */
#define BALANCE_PAGES 32

static struct list_head dirty_mappings = LIST_HEAD_INIT(dirty_mappings);
static struct wait_queue writeback_done = WAIT_QUEUE_INIT(writeback_done);
static const struct writeback_fs_ops *fs_ops;

void
writeback_register_fs(const struct writeback_fs_ops *ops)
{
	fs_ops = ops;
}

/* A page of a file that is written back (not anonymous, not tmpfs: those go to swap). */
static bool
has_writeback(const struct page *page)
{
	const struct address_space *m = page->owner;

	return !(page->flags & (PG_ANON | PG_SHMEM)) && m && m->ops->writepage;
}

/*
 * Marks a page-cache page dirty: its data must reach the disk before the
 * frame can be reused. The first dirty page puts its mapping on the list
 * of dirty mappings, stamped with the time (dirty_expire_centisecs counts
 * from there). Anonymous and tmpfs pages are left alone (their PG_DIRTY
 * is the swap cache's). Returns true if the page was clean. Never sleeps.
 */
bool
set_page_dirty(struct page *page)
{
	struct address_space *m = page->owner;
	uint64_t flags;
	bool was_clean = !(page->flags & PG_DIRTY);

	if (!has_writeback(page))
		return false;
	flags = irq_save();
	if (was_clean) {
		page->flags |= PG_DIRTY;
		vmstat_inc(NR_FILE_DIRTY);
		vmstat_inc(NR_DIRTIED);
		if (m->nrdirty++ == 0) {
			m->dirtied_when = jiffies;
			list_add_tail(&m->dirty_link, &dirty_mappings);
		}
	}
	irq_restore(flags);
	return was_clean;
}

/* The page leaves the dirty state (accounting only). Interrupts off. */
static void
account_cleaned(struct page *page)
{
	struct address_space *m = page->owner;

	page->flags &= ~PG_DIRTY;
	vmstat_dec(NR_FILE_DIRTY);
	if (--m->nrdirty == 0)
		list_del(&m->dirty_link);          /* and empty again: set_page_dirty looks */
}

/*
 * Before a dirty page is written: its PTEs are write-protected and
 * cleaned (rmap_mkclean: a store after this point faults and dirties the
 * page again, so it is not lost), then the page is clean. Returns true if
 * it was dirty - then the caller must write it. The page is locked.
 * Never sleeps.
 */
bool
clear_page_dirty_for_io(struct page *page)
{
	uint64_t flags;
	bool dirty;

	if (rmap_mkclean(page))
		set_page_dirty(page);   /* a store through a PTE not seen yet */
	flags = irq_save();
	dirty = page->flags & PG_DIRTY;
	if (dirty)
		account_cleaned(page);
	irq_restore(flags);
	return dirty;
}

/* The page's data need not be written (truncated, deleted). Never sleeps. */
void
cancel_dirty_page(struct page *page)
{
	uint64_t flags = irq_save();

	if (page->flags & PG_DIRTY)
		account_cleaned(page);
	irq_restore(flags);
}

/* The page is on its way to the disk. Never sleeps. */
void
set_page_writeback(struct page *page)
{
	uint64_t flags = irq_save();

	ASSERT(!(page->flags & PG_WRITEBACK));
	page->flags |= PG_WRITEBACK;
	vmstat_inc(NR_WRITEBACK);
	((struct address_space *)page->owner)->nrwriteback++;
	irq_restore(flags);
}

/* Records a writeback error where fsync will find it (mm/errseq.h). Any context. */
void
mapping_set_error(struct address_space *mapping, int err)
{
	uint64_t flags;

	if (!err)
		return;
	flags = irq_save();
	errseq_set(&mapping->wb_err, err);
	irq_restore(flags);
}

/*
 * The write of page is over, with err 0 or -errno: the page is clean (a
 * failed write is not retried: the error goes to the mapping) and those
 * waiting for it (fsync, truncate, throttled writers) wake. Any context:
 * block completions call it from interrupt handlers.
 */
void
end_page_writeback(struct page *page, int err)
{
	struct address_space *m = page->owner;
	uint64_t flags = irq_save();

	ASSERT(page->flags & PG_WRITEBACK);
	page->flags &= ~PG_WRITEBACK;
	vmstat_dec(NR_WRITEBACK);
	m->nrwriteback--;
	if (err)
		mapping_set_error(m, err);
	else
		vmstat_inc(NR_WRITTEN);
	wait_wake_all(&writeback_done);
	irq_restore(flags);
}

/* Sleeps until page is not being written. Interrupts on. */
void
wait_on_page_writeback(struct page *page)
{
	uint64_t flags = irq_save();

	while (page->flags & PG_WRITEBACK)
		wait_sleep(&writeback_done);
	irq_restore(flags);
}

/*
 * Starts the write of one dirty page of m (unless it is being written
 * already: then WB_SYNC_ALL waits for that write first, because the page
 * may have been dirtied again after it began). Returns 1 if a write was
 * started. Sleeps.
 */
static int
write_one(struct address_space *m, struct page *page, struct writeback_control *wbc)
{
	enum wb_sync_mode mode = wbc->mode;
	int started = 0;

	get_page(page);
	lock_page(page);
	if (page->owner == m && (page->flags & PG_WRITEBACK) && mode == WB_SYNC_ALL)
		wait_on_page_writeback(page);
	/* Truncated while we slept, or written by someone else meanwhile? */
	if (page->owner == m && !(page->flags & PG_WRITEBACK) && clear_page_dirty_for_io(page)) {
		set_page_writeback(page);
		m->ops->writepage(m, page, wbc);
		started = 1;
	}
	unlock_page(page);
	put_page(page);
	return started;
}

/* Writes the dirty pages of m at indexes [from, to), up to *budget of them. */
static void
write_range(struct address_space *m, uint64_t from, uint64_t to, struct writeback_control *wbc,
	    uint64_t *budget)
{
	uint64_t index = from;
	struct page *page;

	while (*budget > 0 && m->nrdirty > 0 && index < to &&
	       (page = pagecache_find_next(m, &index)) != NULL && index < to) {
		if (page->flags & PG_DIRTY) {
			*budget -= (uint64_t)write_one(m, page, wbc);
			m->writeback_index = index + 1;
		}
		index++;
	}
}

/*
 * Starts writing up to budget dirty pages of mapping, in file order. With
 * WB_SYNC_NONE the pass goes on where the last one stopped and wraps
 * around (Linux's range_cyclic), so a writer throttled again and again
 * does not look at its clean pages each time; WB_SYNC_ALL looks at the
 * whole file. Returns how many writes were started. Sleeps.
 */
uint64_t
writeback_mapping(struct address_space *mapping, enum wb_sync_mode mode, uint64_t budget)
{
	uint64_t left = budget, start = mode == WB_SYNC_ALL ? 0 : mapping->writeback_index;
	struct writeback_control wbc = { .mode = mode };
	struct blk_plug plug;

	if (!mapping->ops->writepage)
		return 0;
	blk_start_plug(&plug);                /* the disk hears of the pass's writes together */
	write_range(mapping, start, UINT64_MAX, &wbc, &left);
	if (start)
		write_range(mapping, 0, start, &wbc, &left);
	if (mapping->ops->end_writepages)
		mapping->ops->end_writepages(mapping, &wbc);
	blk_finish_plug(&plug);
	return budget - left;
}

/* Sleeps until no page of mapping is being written. */
void
writeback_wait_mapping(struct address_space *mapping)
{
	uint64_t index = 0;
	struct page *page;

	while (mapping->nrwriteback > 0 && (page = pagecache_find_next(mapping, &index)) != NULL) {
		if (page->flags & PG_WRITEBACK) {
			get_page(page);
			wait_on_page_writeback(page);
			put_page(page);
		}
		index++;
	}
}

/*
 * fsync's data half (Linux's filemap_write_and_wait): writes every dirty
 * page of mapping and waits for them all. Errors are reported through
 * the mapping's errseq, not here. Returns 0. Sleeps.
 */
int
writeback_and_wait_mapping(struct address_space *mapping)
{
	writeback_mapping(mapping, WB_SYNC_ALL, UINT64_MAX);
	writeback_wait_mapping(mapping);
	return 0;
}

/* The mapping is going away (its inode deleted): no page of it may stay dirty or listed. */
void
writeback_forget_mapping(struct address_space *mapping)
{
	writeback_wait_mapping(mapping);
	if (mapping->nrdirty) {
		uint64_t index = 0;
		struct page *page;
		while (mapping->nrdirty && (page = pagecache_find_next(mapping, &index)) != NULL) {
			cancel_dirty_page(page);
			index++;
		}
	}
	ASSERT(mapping->nrdirty == 0 && list_empty(&mapping->dirty_link));
}

/*
 * Writes back dirty mappings, oldest first, up to budget pages; with
 * expired_only only those dirty longer than dirty_expire_centisecs. A
 * mapping written whole goes off the list (set_page_dirty puts it back at
 * the tail, with a new time, when it is dirtied again); one cut short by
 * the budget moves to the tail with its old time, so every mapping gets
 * its turn and old data stays old. Returns pages started. Sleeps.
 */
uint64_t
writeback_some(uint64_t budget, bool expired_only)
{
	uint64_t started = 0, expire = (uint64_t)vm_dirty_expire_centisecs * HZ / 100;
	uint64_t rounds = 0, limit = 0;
	struct list_head *pos;

	list_for_each(pos, &dirty_mappings)
		limit++;                 /* each mapping at most once per call */
	while (started < budget && rounds++ < limit && !list_empty(&dirty_mappings)) {
		struct address_space *m = list_entry(dirty_mappings.next, struct address_space, dirty_link);
		list_del(&m->dirty_link);            /* to the tail: the next one's turn */
		list_add_tail(&m->dirty_link, &dirty_mappings);
		if (expired_only && jiffies - m->dirtied_when < expire)
			continue;            /* its data is young: it keeps its time */
		started += writeback_mapping(m, WB_SYNC_NONE, budget - started);
	}
	return started;
}

/* The file system's metadata, all or only what has expired. 0 or -errno. Sleeps. */
int
writeback_metadata(bool expired_only)
{
	return fs_ops ? fs_ops->write_metadata(expired_only) : 0;
}

/*
 * sync(2): every dirty page of every file, waited for, then the metadata.
 * Returns 0 or the metadata's error (data errors go to each mapping). Sleeps.
 */
int
writeback_sync_all(void)
{
	while (!list_empty(&dirty_mappings))
		writeback_mapping(list_entry(dirty_mappings.next, struct address_space, dirty_link),
				  WB_SYNC_ALL, UINT64_MAX);
	/* Wait for every write in flight, whoever started it. */
	for (;;) {
		uint64_t flags = irq_save();
		bool busy = vmstat[NR_WRITEBACK] > 0;
		if (busy)
			wait_sleep(&writeback_done);
		irq_restore(flags);
		if (!busy)
			break;
	}
	return writeback_metadata(false);
}

/*
 * Linux's global_dirtyable_memory(): the pages that could hold dirty file
 * data - free ones, less the reserve the watermarks keep for the kernel
 * (Linux's totalreserve_pages), plus the file pages on the eviction lists.
 */
uint64_t
writeback_dirtyable_pages(void)
{
	uint64_t free = pmm_free_frames();

	free = free > watermarks.high ? free - watermarks.high : 0;
	return free + evict_count(EVICT_FILE);
}

/*
 * The background threshold (the flusher starts) and the limit (writers
 * wait), in pages, from the knobs and the dirtyable memory now
 * (mm/dirty_limits.h). Never sleeps.
 */
void
writeback_dirty_limits(uint64_t *background, uint64_t *limit)
{
	struct dirty_knobs k = { vm_dirty_background_ratio, vm_dirty_ratio, vm_dirty_background_bytes,
				 vm_dirty_bytes };

	dirty_limits(&k, writeback_dirtyable_pages(), background, limit);
}

/*
 * Reclaim met dirty page p (mm/reclaim.c): it cannot be dropped before it
 * is written. Reclaim does not write it itself - it may hold locks a
 * write needs, and one page at a time makes poor I/O - but wakes the
 * flusher, as Linux's shrink_folio_list does for direct reclaim (counted
 * as nr_vmscan_write: a write reclaim asked for). Returns false: the page
 * was not freed. Never sleeps.
 */
bool
writeback_for_reclaim(struct page *p)
{
	if (!(p->flags & PG_WRITEBACK)) {
		vmstat_inc(NR_VMSCAN_WRITE);
		flusher_wake_for_reclaim();
	}
	return false;
}

/*
 * Direct reclaim found nothing to free: if file pages are dirty or being
 * written, memory is on its way back - wait for a write to complete (or,
 * with none in flight, a tick for the flusher to start some) rather than
 * call the OOM killer (Linux's reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK)).
 * Returns true if it waited: the allocation should try again. Writes end
 * clean even when they fail; still, after THROTTLE_ROUNDS rounds of the
 * allocation (round: alloc_slowly's) it gives up and lets the OOM killer
 * decide, so a page that somehow stays dirty cannot stall a task for ever.
 * Sleeps.
 */
#define THROTTLE_ROUNDS 100           /* each a write completed, or a 10 ms tick: about a second */

bool
writeback_throttle_reclaim(int round)
{
	uint64_t flags, written = vmstat[NR_WRITTEN];

	if (vmstat[NR_FILE_DIRTY] + vmstat[NR_WRITEBACK] == 0 || round >= THROTTLE_ROUNDS ||
	    fatal_signal_pending(current))
		return false;
	flusher_start();                  /* dirty pages a truncate left, say, before any writer came */
	flusher_wake_for_reclaim();
	if (vmstat[NR_WRITEBACK] == 0) {
		sched_sleep_until(jiffies + 1);
		return true;
	}
	flags = irq_save();
	while (vmstat[NR_WRITEBACK] > 0 && vmstat[NR_WRITTEN] == written)
		wait_sleep(&writeback_done);
	irq_restore(flags);
	return true;
}

/* Is Dirty above the background threshold? The flusher's "keep going". */
bool
writeback_over_background(void)
{
	uint64_t background, limit;

	writeback_dirty_limits(&background, &limit);
	return vmstat[NR_FILE_DIRTY] > background;
}

/*
 * Called by a writer after it dirtied a page of mapping (Linux's
 * balance_dirty_pages_ratelimited, with the pause made simple): above the
 * background threshold the flusher is woken; while Dirty + Writeback is
 * above the limit, the writer writes back pages of its own file and
 * sleeps a tick for the disk, until it is below again (or it is being
 * killed). The first call starts the flusher thread. Sleeps. Holds no
 * file system lock.
 */
void
balance_dirty_pages(struct address_space *mapping)
{
	flusher_start();
	for (;;) {
		uint64_t background, limit;
		uint64_t dirty = vmstat[NR_FILE_DIRTY], busy = dirty + vmstat[NR_WRITEBACK];

		writeback_dirty_limits(&background, &limit);
		if (dirty > background)
			flusher_wake();
		if (busy <= limit || fatal_signal_pending(current))
			return;
		if (mapping->nrdirty)
			writeback_mapping(mapping, WB_SYNC_NONE, BALANCE_PAGES);
		sched_sleep_until(jiffies + 1);
	}
}
