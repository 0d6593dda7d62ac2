/*
 * tests/ktest/test_virtio_ring.c - the virtio ring's economy, on the
 * scratch disk (virtio_test.h says how these tests boot):
 *
 *   - a plugged batch of requests costs the device one notification (a
 *     "kick"), and a task that sleeps with a plug sends what it held;
 *   - the waiter of a batch is woken once, when the last request is done;
 *   - the ring features are used exactly when the device offers them,
 *     on either interface; with VIRTIO_F_EVENT_IDX we ask the device to
 *     interrupt for the next completion, no sooner (used_event);
 *   - with VIRTIO_F_INDIRECT_DESC a request of 32 segments takes one
 *     entry of the ring, and its data arrives intact; a request with
 *     more segments than the device takes is refused, and nothing of it
 *     reaches the ring.
 *
 * Each test counts the driver's own statistics (struct virtio_blk) before
 * and after, so it shows the mechanism at work, not only that data
 * survives.
 */
#include "tests/ktest/virtio_test.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"

#define RING_TEST_SECTOR  4096        /* where these tests write, clear of test_virtio.c's */

/* n one-page requests, request i at RING_TEST_SECTOR + 8i, its page at buf + i pages. */
static void
page_requests(struct blk_request *reqs, unsigned n, struct blk_device *d, enum blk_op op,
	      uint8_t *buf)
{
	for (unsigned i = 0; i < n; i++) {
		reqs[i] = (struct blk_request){ .dev = d, .op = op,
						.sector = RING_TEST_SECTOR + 8 * i, .nsegs = 1 };
		reqs[i].segs[0] = (struct blk_segment){ buf + i * PAGE_SIZE, PAGE_SIZE };
	}
}

/*
 * 16 writes under one plug: the driver puts each into the ring, but the
 * device hears of them only when the plug ends, once. The same for the
 * reads that bring the data back.
 */
KTEST_GROUP(virtio_plugged_batch_costs_one_kick, "virtio")
{
	enum { N = 16 };
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request *reqs;
	struct blk_batch b;
	struct blk_plug plug;
	struct page *p;
	uint8_t *buf;
	uint64_t kicks, write_kicks, read_kicks;
	unsigned held_back;
	long bad = -1;
	int werr, rerr;

	if (!d)
		return;
	if (!virtio_test_get(&reqs, N, &p, VT_BUF_ORDER))
		KT_ASSERT(!"out of memory");
	buf = page_address(p);
	virtio_fill(buf, RING_TEST_SECTOR, N * 8);   /* page i: the sectors of request i */

	page_requests(reqs, N, d, BLK_WRITE, buf);
	kicks = vb->kicks;
	blk_batch_init(&b, NULL);
	blk_start_plug(&plug);
	for (unsigned i = 0; i < N; i++)
		blk_batch_submit(&b, &reqs[i]);
	held_back = (unsigned)(vb->kicks - kicks);    /* the device has not been told yet */
	blk_finish_plug(&plug);
	blk_batch_wait(&b);
	werr = b.failed;
	write_kicks = vb->kicks - kicks;

	memset(buf, 0, N * PAGE_SIZE);
	page_requests(reqs, N, d, BLK_READ, buf);
	kicks = vb->kicks;
	rerr = virtio_run_batch(reqs, N, true);
	read_kicks = vb->kicks - kicks;
	for (unsigned i = 0; i < N && bad < 0; i++)
		bad = virtio_check(buf + i * PAGE_SIZE, RING_TEST_SECTOR + 8 * i, 8);
	virtio_test_put(reqs, p, VT_BUF_ORDER);
	printk("virtio: %s: %u writes under a plug: %lu kick(s); %u reads: %lu kick(s)\n",
	       d->name, N, write_kicks, N, read_kicks);
	KT_ASSERT_EQ(werr, 0);
	KT_ASSERT_EQ(rerr, 0);
	KT_ASSERT_EQ(bad, -1);
	KT_ASSERT_EQ(held_back, 0);
	KT_ASSERT_EQ(write_kicks, 1);
	KT_ASSERT_EQ(read_kicks, 1);
}

/*
 * Requests submitted one by one, each told to the device at once (no
 * plug), finish one after the other, in several interrupts. The batch's
 * waiter is woken once, by the last: not once per interrupt.
 */
KTEST_GROUP(virtio_batch_waiter_is_woken_once, "virtio")
{
	enum { N = 16 };
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request *reqs;
	struct blk_batch b;
	struct page *p;
	uint64_t irqs;

	if (!d)
		return;
	if (!virtio_test_get(&reqs, N, &p, 4))
		KT_ASSERT(!"out of memory");
	page_requests(reqs, N, d, BLK_READ, page_address(p));
	irqs = vb->interrupts;
	blk_batch_init(&b, NULL);
	for (unsigned i = 0; i < N; i++)
		blk_batch_submit(&b, &reqs[i]);
	blk_batch_wait(&b);
	irqs = vb->interrupts - irqs;
	virtio_test_put(reqs, p, 4);
	printk("virtio: %s: %u requests, %lu interrupts, the waiter slept %u time(s)\n", d->name,
	       N, irqs, b.sleeps);
	KT_ASSERT_EQ(b.failed, 0);
	KT_ASSERT(b.sleeps <= 1);
}

/*
 * A task that sleeps while it holds a plug must not sleep on requests
 * the device has not heard of: schedule() flushes the plug. Here the
 * task waits for its batch before ending the plug; without the flush it
 * would wait for ever (and the boot would time out).
 */
KTEST_GROUP(virtio_plug_is_flushed_when_its_task_sleeps, "virtio")
{
	enum { N = 4 };
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request reqs[N];
	struct blk_batch b;
	struct blk_plug plug;
	struct page *p;
	uint64_t kicks;
	int status;

	if (!d)
		return;
	p = pmm_alloc_pages(2);
	KT_ASSERT(p != NULL);
	page_requests(reqs, N, d, BLK_READ, page_address(p));
	kicks = vb->kicks;
	blk_batch_init(&b, NULL);
	blk_start_plug(&plug);
	for (unsigned i = 0; i < N; i++)
		blk_batch_submit(&b, &reqs[i]);
	status = blk_batch_wait(&b);          /* sleeps: the plug goes out first */
	blk_finish_plug(&plug);               /* nothing left to tell */
	pmm_free_pages(p, 2);
	KT_ASSERT_EQ(status, 0);
	KT_ASSERT_EQ(vb->kicks - kicks, 1);
	KT_ASSERT_EQ(vb->in_flight, 0);
}

/*
 * Every virtio disk uses a ring feature if and only if the device offered
 * it: QEMU offers VIRTIO_F_EVENT_IDX and VIRTIO_F_INDIRECT_DESC on both
 * interfaces (the boot with virtio=legacy checks the legacy one), and
 * tests/run boots once more with both turned off (virtio-nofeatures/).
 */
KTEST_GROUP(virtio_ring_features_used_when_offered, "virtio")
{
	const char *names[] = { "vda", "vdb", "vdc" };

	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		struct virtio_blk *vb = virtio_blk_of(blk_find(names[i]));
		KT_ASSERT(vb != NULL);
		bool event_idx = vb->vdev.offered & 1UL << VIRTIO_F_EVENT_IDX;
		bool indirect = vb->vdev.offered & 1UL << VIRTIO_F_INDIRECT_DESC;
		KT_ASSERT_EQ(!!(vb->features & 1UL << VIRTIO_F_EVENT_IDX), event_idx);
		KT_ASSERT_EQ(vb->vq.event_idx, event_idx);
		KT_ASSERT_EQ(!!(vb->features & 1UL << VIRTIO_F_INDIRECT_DESC), indirect);
		KT_ASSERT_EQ(vb->vq.indirect, indirect);
		/* One entry per request: a swap write of 32 runs fits at once, and more. */
		if (indirect)
			KT_ASSERT(vb->nslots > 2 * BLK_MAX_SEGS);
	}
}

/*
 * With VIRTIO_F_EVENT_IDX, after the interrupt handler has taken every
 * finished request, used_event is what it has seen: the device is to
 * interrupt for the next request it finishes, and for none before (it has
 * none). Without it, used_event is never written.
 */
KTEST_GROUP(virtio_used_event_follows_completions, "virtio")
{
	enum { N = 8 };
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request reqs[N];
	struct page *p;
	uint64_t irqs;
	int err;

	if (!d)
		return;
	p = pmm_alloc_pages(3);
	KT_ASSERT(p != NULL);
	page_requests(reqs, N, d, BLK_READ, page_address(p));
	irqs = vb->interrupts;
	err = virtio_run_batch(reqs, N, true);
	pmm_free_pages(p, 3);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT(vb->interrupts > irqs);
	KT_ASSERT(vb->interrupts - irqs <= N);
	KT_ASSERT_EQ(vb->vq.last_used, vb->vq.used->idx);
	if (vb->vq.event_idx)
		KT_ASSERT_EQ(*vb->vq.used_event, vb->vq.last_used);
	else
		KT_ASSERT_EQ(*vb->vq.used_event, 0);
}

/* Long requests: NREQ of them, BLK_MAX_SEGS segments each, in pages of their own. */
enum { NREQ = 6, REQ_PAGES = 8, LONG_SECTOR = 8192 };

/*
 * Request r of long_requests(): its 32 segments of 1 or 2 sectors (by r
 * and i), four to a page at 1 KiB strides, so neighbouring segments are
 * never neighbours in memory; on the disk they follow each other from
 * LONG_SECTOR + 128r. Returns its length in sectors.
 */
static unsigned
layout_long_request(struct blk_request *req, struct blk_device *d, enum blk_op op,
		    unsigned r, uint8_t *pages)
{
	unsigned nsectors = 0;

	*req = (struct blk_request){ .dev = d, .op = op, .sector = LONG_SECTOR + 128 * r,
				     .nsegs = BLK_MAX_SEGS };
	for (unsigned i = 0; i < BLK_MAX_SEGS; i++) {
		unsigned n = 1 + (i + r) % 2;
		uint8_t *buf = pages + (i % REQ_PAGES) * PAGE_SIZE + (i / REQ_PAGES) * 1024;
		req->segs[i] = (struct blk_segment){ buf, n * SECTOR_SIZE };
		nsectors += n;
	}
	return nsectors;
}

/*
 * NREQ writes of 32 scattered segments under a plug: with indirect
 * descriptors each takes one entry of the ring (without, 34). Read back
 * in one piece each, every sector holds its pattern.
 */
KTEST_GROUP(virtio_long_requests_take_one_ring_entry, "virtio")
{
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request *reqs;
	struct page *pages[NREQ] = { 0 };
	unsigned nsectors[NREQ], ring_used = 0;
	struct blk_batch b;
	struct blk_plug plug;
	uint8_t *back = NULL;
	long bad = -1;
	int werr = -1, rerr = 0;

	if (!d)
		return;
	reqs = kzalloc(sizeof(*reqs) * NREQ);
	back = kmalloc(BLK_MAX_SEGS * 2 * SECTOR_SIZE);
	for (unsigned r = 0; r < NREQ; r++)
		pages[r] = pmm_alloc_pages(3);
	for (unsigned r = 0; r < NREQ; r++)
		if (!pages[r])
			goto out;
	if (!reqs || !back)
		goto out;
	for (unsigned r = 0; r < NREQ; r++) {
		struct blk_request *req = &reqs[r];
		uint64_t sector = LONG_SECTOR + 128 * r;
		nsectors[r] = layout_long_request(req, d, BLK_WRITE, r, page_address(pages[r]));
		for (unsigned i = 0; i < req->nsegs; sector += req->segs[i].len / SECTOR_SIZE, i++)
			virtio_fill(req->segs[i].buf, sector, req->segs[i].len / SECTOR_SIZE);
	}
	blk_batch_init(&b, NULL);
	blk_start_plug(&plug);
	for (unsigned r = 0; r < NREQ; r++)
		blk_batch_submit(&b, &reqs[r]);
	ring_used = vb->vq.size - vb->vq.num_free;   /* held back by the plug: all in the ring */
	blk_finish_plug(&plug);
	blk_batch_wait(&b);
	werr = b.failed;
	for (unsigned r = 0; r < NREQ && bad < 0 && !rerr; r++) {
		memset(back, 0, nsectors[r] * SECTOR_SIZE);
		rerr = blk_rw(d, BLK_READ, LONG_SECTOR + 128 * r, back, nsectors[r] * SECTOR_SIZE);
		bad = virtio_check(back, LONG_SECTOR + 128 * r, nsectors[r]);
	}
out:
	for (unsigned r = 0; r < NREQ; r++)
		if (pages[r])
			pmm_free_pages(pages[r], 3);
	kfree(reqs);
	kfree(back);
	KT_ASSERT(werr != -1);                /* else out of memory */
	KT_ASSERT_EQ(werr, 0);
	KT_ASSERT_EQ(rerr, 0);
	KT_ASSERT_EQ(bad, -1);
	/* Without indirect descriptors, 34 entries each: as many as fit, the rest wait. */
	KT_ASSERT_EQ(ring_used, vb->vq.indirect ? NREQ
			: MIN(NREQ, vb->vq.size / (BLK_MAX_SEGS + 2)) * (BLK_MAX_SEGS + 2));
	KT_ASSERT_EQ(vb->vq.num_free, vb->vq.size);
}

/*
 * A request with more segments than the device takes is refused with
 * -EINVAL before it reaches the ring: by the block layer beyond
 * BLK_MAX_SEGS, by the driver beyond the device's seg_max (here made 4,
 * as a device that said so at probe). Nothing is queued, nothing is
 * kicked, and the same disk takes the next request as usual.
 */
KTEST_GROUP(virtio_too_many_segments_fail_cleanly, "virtio")
{
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request *req;
	struct page *p;
	uint64_t requests, kicks;
	uint32_t seg_max;
	int too_long, over_seg_max, batch_err, fits;
	struct blk_batch b;

	if (!d)
		return;
	if (!virtio_test_get(&req, 1, &p, 0))
		KT_ASSERT(!"out of memory");
	requests = vb->requests;
	kicks = vb->kicks;
	*req = (struct blk_request){ .dev = d, .op = BLK_READ, .sector = 0 };
	for (unsigned i = 0; i < BLK_MAX_SEGS; i++)      /* segments of one sector, in one page */
		req->segs[i] = (struct blk_segment){ (uint8_t *)page_address(p) + (i % 8) * SECTOR_SIZE,
						     SECTOR_SIZE };
	req->nsegs = BLK_MAX_SEGS + 1;        /* claims one more than segs[] can even hold */
	too_long = blk_submit(req);

	seg_max = vb->seg_max;
	vb->seg_max = 4;
	req->nsegs = 5;
	over_seg_max = blk_submit(req);
	blk_batch_init(&b, NULL);             /* through a batch: it completes at once, failed */
	batch_err = blk_batch_submit(&b, req);
	blk_batch_wait(&b);
	vb->seg_max = seg_max;

	fits = blk_rw(d, BLK_READ, 0, page_address(p), 5 * SECTOR_SIZE);
	virtio_test_put(req, p, 0);
	KT_ASSERT_EQ(too_long, -EINVAL);
	KT_ASSERT_EQ(over_seg_max, -EINVAL);
	KT_ASSERT_EQ(batch_err, -EINVAL);
	KT_ASSERT_EQ(b.failed, 1);
	KT_ASSERT_EQ(b.status, -EINVAL);
	KT_ASSERT_EQ(fits, 0);
	KT_ASSERT_EQ(vb->requests, requests + 1);   /* only the last one reached the driver */
	KT_ASSERT_EQ(vb->kicks, kicks + 1);
	KT_ASSERT_EQ(vb->in_flight, 0);
	KT_ASSERT_EQ(vb->vq.num_free, vb->vq.size);
}
