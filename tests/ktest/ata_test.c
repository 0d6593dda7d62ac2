/*
 * tests/ktest/ata_test.c - the helpers of the ATA driver's in-kernel
 * tests (ata_test.h says which files use them and how those tests boot):
 * the scratch disk, pages for requests built by hand, the sector
 * pattern, and waiting for requests to complete.
 */
#include "tests/ktest/ata_test.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/pmm.h"

/* The disk named by scratch=, or NULL after failing the test. */
struct blk_device *
scratch_disk(void)
{
	const char *name = karg_get("scratch");
	struct blk_device *dev;

	if (!name) {
		ktest_fail(__FILE__, __LINE__, "no scratch= kernel argument (tests/run passes scratch=hdd)");
		return NULL;
	}
	dev = blk_find(name);
	if (!dev) {
		ktest_fail(__FILE__, __LINE__, "scratch=%s names no block device", name);
		return NULL;
	}
	if (!ata_get_stats(dev)) {
		ktest_fail(__FILE__, __LINE__, "scratch=%s is not an ATA disk", name);
		return NULL;
	}
	return dev;
}

bool
pool_alloc(struct pool *p, int n)
{
	for (p->n = 0; p->n < n; p->n++)
		if (!(p->pages[p->n] = pmm_alloc_pages(0)))
			return false;
	return true;
}

void
pool_free(struct pool *p)
{
	while (p->n > 0)
		pmm_free_pages(p->pages[--p->n], 0);
}

/*
 * Describes nsectors of the pool's memory in req: the first segment
 * starts first_off bytes into the first page, segments are at most
 * seg_max bytes and fill each page before moving to the next. Returns
 * false if that takes more segments or pages than there are.
 */
bool
layout_request(struct blk_request *req, const struct pool *p, uint32_t nsectors,
	       uint32_t first_off, uint32_t seg_max)
{
	uint32_t bytes = nsectors * SECTOR_SIZE, off = first_off;
	int page = 0;

	req->nsegs = 0;
	while (bytes > 0) {
		uint32_t len;
		if (off == PAGE_SIZE) {
			page++;
			off = 0;
		}
		if (page == p->n || req->nsegs == BLK_MAX_SEGS)
			return false;
		len = MIN(bytes, MIN(seg_max, (uint32_t)PAGE_SIZE - off));
		req->segs[req->nsegs++] = (struct blk_segment){
			(uint8_t *)page_address(p->pages[page]) + off, len };
		off += len;
		bytes -= len;
	}
	return true;
}

/* Where the i-th sector of req's data lives. */
uint8_t *
sector_buf(const struct blk_request *req, uint32_t i)
{
	uint32_t off = i * SECTOR_SIZE;

	for (uint32_t s = 0; s < req->nsegs; s++) {
		if (off < req->segs[s].len)
			return (uint8_t *)req->segs[s].buf + off;
		off -= req->segs[s].len;
	}
	return NULL;
}

void
fill_sector(uint8_t *p, uint64_t sector, uint8_t seed)
{
	memcpy(p, &sector, sizeof(sector));
	for (int i = 8; i < SECTOR_SIZE; i++)
		p[i] = (uint8_t)(sector * 131 + (uint64_t)i * 7 + seed);
}

bool
sector_matches(const uint8_t *p, uint64_t sector, uint8_t seed)
{
	uint64_t stored;

	memcpy(&stored, p, sizeof(stored));
	if (stored != sector)
		return false;
	for (int i = 8; i < SECTOR_SIZE; i++)
		if (p[i] != (uint8_t)(sector * 131 + (uint64_t)i * 7 + seed))
			return false;
	return true;
}

/* The batch's request_done: interrupt context (or at once, for a refused request). */
static void
note_done(struct blk_request *req)
{
	struct waiter *w = (struct waiter *)((char *)req->batch - __builtin_offsetof(struct waiter, batch));

	if (w->ndone < (int)ARRAY_SIZE(w->order))
		w->order[w->ndone] = req;
	w->ndone++;
}

void
waiter_init(struct waiter *w)
{
	blk_batch_init(&w->batch, note_done);
	w->ndone = 0;
}

/* Submits req as part of w's batch. Returns the block layer's refusal, or 0. */
int
waiter_submit(struct waiter *w, struct blk_request *req)
{
	return blk_batch_submit(&w->batch, req);
}

/*
 * Submits reqs[0..n) with interrupts off, so that none can start before
 * the last is queued: the driver holds them all. Returns how many were
 * accepted (it stops at the first the block layer refuses).
 */
int
waiter_submit_all(struct waiter *w, struct blk_request **reqs, int n)
{
	uint64_t flags = irq_save();
	int i;

	for (i = 0; i < n && waiter_submit(w, reqs[i]) == 0; i++)
		;
	irq_restore(flags);
	return i;
}

void
waiter_wait_all(struct waiter *w)
{
	blk_batch_wait(&w->batch);
}

/* Submits req and sleeps until it is done. Returns blk_submit's error or req->status. */
int
run_request(struct blk_request *req)
{
	struct waiter w;
	int err;

	waiter_init(&w);
	err = waiter_submit(&w, req);
	if (err)
		return err;
	waiter_wait_all(&w);
	return req->status;
}
