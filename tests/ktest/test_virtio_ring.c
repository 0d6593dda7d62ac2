/*
 * tests/ktest/test_virtio_ring.c - the virtio ring's economy, on the
 * scratch disk (virtio_test.h says how these tests boot):
 *
 *   - a plugged batch of requests costs the device one notification (a
 *     "kick"), and a task that sleeps with a plug sends what it held;
 *   - the ring features are used exactly when the device offers them,
 *     on either interface; with VIRTIO_F_EVENT_IDX we ask the device to
 *     interrupt for the next completion, no sooner (used_event);
 *
 * Each test counts the driver's own statistics (struct virtio_blk) before
 * and after, so it shows the mechanism at work, not only that data
 * survives.
 */
#include "tests/ktest/virtio_test.h"
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
	reqs = kzalloc(sizeof(*reqs) * N);
	p = pmm_alloc_pages(VT_BUF_ORDER);
	if (!reqs || !p) {
		kfree(reqs);
		if (p)
			pmm_free_pages(p, VT_BUF_ORDER);
		KT_ASSERT(!"out of memory");
	}
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
	kfree(reqs);
	pmm_free_pages(p, VT_BUF_ORDER);
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
 * it: QEMU offers VIRTIO_F_EVENT_IDX on both interfaces (the boot with
 * virtio=legacy checks the legacy one), and tests/run boots once more
 * with it turned off (virtio-nofeatures/).
 */
KTEST_GROUP(virtio_ring_features_used_when_offered, "virtio")
{
	const char *names[] = { "vda", "vdb", "vdc" };

	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		struct virtio_blk *vb = virtio_blk_of(blk_find(names[i]));
		KT_ASSERT(vb != NULL);
		bool offered = vb->vdev.offered & 1UL << VIRTIO_F_EVENT_IDX;
		KT_ASSERT_EQ(!!(vb->features & 1UL << VIRTIO_F_EVENT_IDX), offered);
		KT_ASSERT_EQ(vb->vq.event_idx, offered);
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
