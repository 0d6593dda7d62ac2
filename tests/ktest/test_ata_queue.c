/*
 * tests/ktest/test_ata_queue.c - many requests in flight on the ATA
 * driver's per-channel queues: they complete in the order submitted and
 * each read sees the write queued before it; the two drives of a channel
 * take turns (in the same mode or in different ones) while the other
 * channel runs at the same time. How these tests boot, and the helpers:
 * tests/ktest/ata_test.h.
 */
#include "tests/ktest/ata_test.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/pmm.h"

/*
 * Many requests in flight on one channel: all are queued (interrupts are
 * off while we submit, so none can finish early), complete in the order
 * submitted, and each read sees the write queued before it. The batch's
 * waiter sleeps once, woken by the last of the 24 interrupts.
 */
KTEST_BOTH_MODES(async_requests_queue_in_order)
{
	enum { NREQ = 24 };
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	struct blk_request *reqs[NREQ] = { 0 };
	struct pool *bufs = kzalloc(NREQ * sizeof(*bufs));   /* too big for the stack */
	struct waiter w;
	uint64_t base = 4096;
	int submitted = 0;

	waiter_init(&w);
	CHECK(dev != NULL && bufs != NULL);
	CHECK_EQ(ata_set_mode(dev, mode), 0);
	CHECK(base + 64 <= dev->nsectors);
	/*
	 * Requests 0-7 write 8-sector blocks with seed 0x50, 8-15 write the
	 * same blocks again with seed 0x60 (the later write must win), 16-23
	 * read them back.
	 */
	for (int i = 0; i < NREQ; i++) {
		struct blk_request *r = reqs[i] = kzalloc(sizeof(*r));
		uint64_t sector = base + (i % 8) * 8;
		CHECK(r != NULL);
		CHECK(pool_alloc(&bufs[i], 2));
		CHECK(layout_request(r, &bufs[i], 8, 2048, 1024));  /* straddles two pages */
		r->dev = dev;
		r->sector = sector;
		r->op = i < 16 ? BLK_WRITE : BLK_READ;
		for (uint32_t j = 0; j < 8; j++) {
			if (r->op == BLK_WRITE)
				fill_sector(sector_buf(r, j), sector + j, i < 8 ? 0x50 : 0x60);
			else
				memset(sector_buf(r, j), 0xcc, SECTOR_SIZE);
		}
	}
	submitted = waiter_submit_all(&w, reqs, NREQ);
	waiter_wait_all(&w);
	CHECK_EQ(submitted, NREQ);
	CHECK_EQ(w.ndone, NREQ);
	/* One command at a time, an interrupt each: the waiter still wakes once, for the last. */
	CHECK(w.batch.sleeps <= 1);
	for (int i = 0; i < NREQ; i++) {
		CHECK(w.order[i] == reqs[i]);
		CHECK_EQ(reqs[i]->status, 0);
	}
	for (int i = 16; i < NREQ; i++)
		for (uint32_t j = 0; j < 8; j++)
			CHECK(sector_matches(sector_buf(reqs[i], j), reqs[i]->sector + j, 0x60));
out:
	waiter_wait_all(&w);     /* nothing is freed while the driver may still use it */
	ata_set_mode(dev, old);
	for (int i = 0; i < NREQ; i++) {
		if (bufs)
			pool_free(&bufs[i]);
		kfree(reqs[i]);
	}
	kfree(bufs);
}

/*
 * The two drives of the primary channel (hda, hdb) take turns, and the
 * scratch disk on the secondary channel runs at the same time, each
 * drive in the given mode: each read must come from its own drive. Only
 * reads: hda and hdb are the root and swap images.
 */
static void
take_turns(enum ata_mode hda_mode, enum ata_mode hdb_mode, enum ata_mode scratch_mode)
{
	enum { NREQ = 12 };
	struct blk_device *hda = blk_find("hda"), *hdb = blk_find("hdb");
	struct blk_device *scratch = scratch_disk();
	struct blk_request *reqs[NREQ] = { 0 };
	uint8_t *want[3] = { 0 }, *got = kmalloc(PAGE_SIZE * NREQ);
	struct blk_device *devs[3] = { hda, hdb, scratch };
	const enum ata_mode modes[3] = { hda_mode, hdb_mode, scratch_mode };
	enum ata_mode old[3];
	const uint64_t sectors[3] = { 0, 7, 8 };
	struct waiter w;
	int submitted = 0;

	waiter_init(&w);
	for (int d = 0; d < 3; d++)
		old[d] = ata_get_mode(devs[d]);
	CHECK(hda != NULL && hdb != NULL && scratch != NULL && got != NULL);
	/* What each drive holds, read one at a time. */
	for (int d = 0; d < 3; d++) {
		CHECK_EQ(ata_set_mode(devs[d], modes[d]), 0);
		want[d] = kmalloc(SECTOR_SIZE);
		CHECK(want[d] != NULL);
		CHECK_EQ(blk_rw(devs[d], BLK_READ, sectors[d], want[d], SECTOR_SIZE), 0);
	}
	CHECK(memcmp(want[0], want[1], SECTOR_SIZE) != 0);
	for (int i = 0; i < NREQ; i++) {
		struct blk_request *r = reqs[i] = kzalloc(sizeof(*r));
		CHECK(r != NULL);
		r->dev = devs[i % 3];
		r->sector = sectors[i % 3];
		r->op = BLK_READ;
		r->nsegs = 1;
		r->segs[0] = (struct blk_segment){ got + i * PAGE_SIZE, SECTOR_SIZE };
		memset(got + i * PAGE_SIZE, 0xcc, SECTOR_SIZE);
	}
	submitted = waiter_submit_all(&w, reqs, NREQ);
	waiter_wait_all(&w);
	CHECK_EQ(submitted, NREQ);
	for (int i = 0; i < NREQ; i++) {
		CHECK_EQ(reqs[i]->status, 0);
		CHECK(memcmp(got + i * PAGE_SIZE, want[i % 3], SECTOR_SIZE) == 0);
	}
out:
	waiter_wait_all(&w);
	for (int d = 0; d < 3; d++)
		ata_set_mode(devs[d], old[d]);
	for (int i = 0; i < NREQ; i++)
		kfree(reqs[i]);
	for (int d = 0; d < 3; d++)
		kfree(want[d]);
	kfree(got);
}

KTEST_BOTH_MODES(alternating_drives_share_a_channel)
{
	take_turns(mode, mode, mode);
}

/* A channel whose two drives use different modes: DMA and PIO commands take turns. */
KTEST_GROUP(ata_mixed_modes_share_a_channel, "ata")
{
	take_turns(ATA_MODE_DMA, ATA_MODE_PIO, ATA_MODE_DMA);
}
