/*
 * mm/swap_io.c - moving pages between memory and their swap slots.
 *
 * Pages go to and come from the disk in runs: neighbouring slots of one
 * area, in one extent of it (a swap file's next page may be anywhere on
 * the disk), at most BLK_MAX_SEGS pages, one block request per run. All
 * the runs of a batch are in flight at once, under a plug so that the
 * disk hears of them together, and then waited for. Requests come from
 * the block layer's pool, so swap I/O never fails for want of memory -
 * reclaim writes through here when memory is shortest. A run that fails
 * marks its slots bad: they are never used again.
 */
#include "mm/swap_io.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/swap_area.h"
#include "mm/swap_map.h"
#include "mm/vmstat.h"

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
 * BLK_MAX_SEGS pages, of one area, in one extent of it: the next page of
 * a swap file may be anywhere), all in flight at once, then waits for all. Fills
 * runs[] (n entries at most) and returns how many runs there were.
 * Requests come from the block layer's pool, so this never fails for
 * want of memory: it may only wait for a request to come back. Under a
 * plug, so the disk hears of all the runs at once. Sleeps.
 */
int
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
		struct swap_area *a = swap_area_of(pages[i]->swap);
		uint32_t first = swp_slot(pages[i]->swap);
		uint32_t max = MIN(BLK_MAX_SEGS, swap_extent_run_left(&a->extents, first));
		*run = (struct swap_run){ .first = pages[i]->swap };
		while (i < n && run->n < max && swp_same(pages[i]->swap, swp_entry(a->id, first + run->n))) {
			req->segs[run->n++] = (struct blk_segment){ page_address(pages[i]), PAGE_SIZE };
			i++;
		}
		req->dev = a->dev;
		req->op = op;
		req->sector = swap_extent_sector(&a->extents, first);
		req->nsegs = run->n;
		req->private = run;
		blk_batch_submit(&batch, req);     /* run_done() frees it when it is done */
	}
	blk_finish_plug(&plug);
	blk_batch_wait(&batch);
	return nruns;
}

/* Slots first .. first+n-1 (of one area) failed to write or read: they are never used again. */
void
swap_mark_bad(swp_entry_t first, uint32_t n)
{
	uint64_t flags = irq_save();
	struct swap_area *a = swap_area_of(first);

	for (uint32_t k = 0; k < n; k++)
		swap_map_mark_bad(&a->slots, swp_slot(first) + k);
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
		swap_mark_bad(runs[r].first, runs[r].n);
		pr_err("swap: %s: write of %u pages at slot %u failed; the slots are marked bad and "
		       "the pages stay in memory\n", swap_area_of(runs[r].first)->name, runs[r].n,
		       swp_slot(runs[r].first));
	}
	return failed;
}
