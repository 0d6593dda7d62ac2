/*
 * tests/ktest/test_ata.c - the ATA driver under the block layer, on real
 * (emulated) IDE disks. Group "disk": tests/run boots with
 *
 *   DISK=ide EXTRA_DISKS=scratch.img KARGS="test=ata scratch=hdd"
 *
 * so hda is the root disk (MBR, hda1), hdb the swap disk, hdc QEMU's
 * CD-ROM and hdd a scratch disk these tests may overwrite. The root and
 * swap disks are only read. ata_read_error_gives_eio needs a boot of its
 * own, where QEMU's blkdebug fails reads of sector ioerr_sector=N.
 *
 * Each test of the driver's data path runs twice, as ata_dma_NAME and
 * ata_pio_NAME: ata_set_mode() switches the disks it uses between DMA
 * (the default) and PIO for the test, and back afterwards.
 *
 * Every sector the tests write carries its own number in its first 8
 * bytes, then a pattern that depends on the number and a seed, so a
 * sector read from the wrong place, or from an older pass, is caught.
 * Requests are built by hand with several segments per page, so the
 * driver's walk over segments is tested, not just blk_rw's one buffer.
 */
#include "drivers/ata.h"
#include "drivers/blk.h"
#include "drivers/timer.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/pmm.h"

/* Like KT_ASSERT, but jumps to the test's cleanup, so that nothing the
 * driver may still touch is freed early and no frame leaks. */
#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond)) {                                                \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);          \
			goto out;                                             \
		}                                                             \
	} while (0)

#define CHECK_EQ(a, b)                                                        \
	do {                                                                  \
		long long ca_ = (long long)(a), cb_ = (long long)(b);         \
		if (ca_ != cb_) {                                             \
			ktest_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				   #a, #b, ca_, cb_);                         \
			goto out;                                             \
		}                                                             \
	} while (0)

/* The disk named by scratch=, or NULL after failing the test. */
static struct blk_device *
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

static const char *const mode_names[] = { [ATA_MODE_PIO] = "PIO", [ATA_MODE_DMA] = "DMA" };

/* Defines ata_dma_NAME and ata_pio_NAME, which run NAME(mode) in each mode. */
#define KTEST_BOTH_MODES(tname)                                               \
	static void tname(enum ata_mode mode);                                \
	KTEST_GROUP(ata_dma_##tname, "ata") { tname(ATA_MODE_DMA); }          \
	KTEST_GROUP(ata_pio_##tname, "ata") { tname(ATA_MODE_PIO); }          \
	static void tname(enum ata_mode mode)

/* Up to BLK_MAX_SEGS pages: the memory one request can cover. */
struct pool {
	struct page *pages[BLK_MAX_SEGS];
	int n;
};

static bool
pool_alloc(struct pool *p, int n)
{
	for (p->n = 0; p->n < n; p->n++)
		if (!(p->pages[p->n] = pmm_alloc_pages(0)))
			return false;
	return true;
}

static void
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
static bool
layout(struct blk_request *req, const struct pool *p, uint32_t nsectors,
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
static uint8_t *
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

static void
fill_sector(uint8_t *p, uint64_t sector, uint8_t seed)
{
	memcpy(p, &sector, sizeof(sector));
	for (int i = 8; i < SECTOR_SIZE; i++)
		p[i] = (uint8_t)(sector * 131 + (uint64_t)i * 7 + seed);
}

static bool
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

/* Completion bookkeeping shared by the requests of one test. */
struct waiter {
	struct wait_queue wq;
	volatile int pending;
	int ndone;
	struct blk_request *order[64];   /* in the order they completed */
};

static void
waiter_init(struct waiter *w)
{
	wait_init(&w->wq);
	w->pending = 0;
	w->ndone = 0;
}

/* req->done: interrupt context. */
static void
note_done(struct blk_request *req)
{
	struct waiter *w = req->private;

	if (w->ndone < (int)ARRAY_SIZE(w->order))
		w->order[w->ndone] = req;
	w->ndone++;
	w->pending--;
	wait_wake_all(&w->wq);
}

/* Submits req; on success it will count against w. */
static int
submit(struct waiter *w, struct blk_request *req)
{
	uint64_t flags = irq_save();
	int err;

	req->done = note_done;
	req->private = w;
	w->pending++;
	err = blk_submit(req);
	if (err)
		w->pending--;
	irq_restore(flags);
	return err;
}

static void
wait_all(struct waiter *w)
{
	uint64_t flags = irq_save();

	while (w->pending > 0)
		wait_sleep(&w->wq);
	irq_restore(flags);
}

/* Submits req and sleeps until it is done. Returns blk_submit's error or req->status. */
static int
run(struct blk_request *req)
{
	struct waiter w;
	int err;

	waiter_init(&w);
	err = submit(&w, req);
	if (err)
		return err;
	wait_all(&w);
	return req->status;
}

KTEST_GROUP(ata_root_disk_has_mbr_and_partition, "ata")
{
	struct blk_device *hda = blk_find("hda"), *part = blk_find("hda1");
	uint8_t *buf = kmalloc(SECTOR_SIZE);

	CHECK(buf != NULL);
	CHECK(hda != NULL);
	CHECK(ata_get_stats(hda) != NULL);
	CHECK_EQ(blk_rw(hda, BLK_READ, 0, buf, SECTOR_SIZE), 0);
	CHECK_EQ(buf[510], 0x55);
	CHECK_EQ(buf[511], 0xaa);
	CHECK(part != NULL);
	CHECK(part->disk == hda);
	CHECK(part->start_sector > 0);
	CHECK(part->start_sector + part->nsectors <= hda->nsectors);
out:
	kfree(buf);
}

/* Request shapes: sectors, offset of the first segment, longest segment. */
struct shape {
	uint32_t nsectors, first_off, seg_max;
};

static const struct shape write_shapes[] = {
	{ 1, 1536, 512 },      /* one sector in the middle of a page */
	{ 8, 0, 4096 },        /* one page */
	{ 256, 0, 4096 },      /* 32 pages: a full segment list, LBA28 count 0 */
	{ 8, 2048, 1024 },     /* 8 sectors in 4 segments over 2 pages */
	{ 31, 512, 1536 },     /* odd sizes, segments cut inside pages */
	{ 3, 0, 512 },
	{ 200, 3584, 4096 },
};

static const struct shape read_shapes[] = {
	{ 256, 0, 4096 },
	{ 5, 1024, 512 },
	{ 64, 0, 2048 },
	{ 1, 3584, 512 },
	{ 129, 2560, 4096 },
	{ 17, 0, 4096 },
};

/*
 * What passes did: requests, and the interrupts they cost if each request
 * is one command. By DMA, a command costs one interrupt. By PIO, a
 * command of n sectors moves ceil(n / m) blocks of m sectors (the last
 * one shorter), one interrupt each, reads and writes alike (see
 * drivers/ata_pio.c).
 */
struct tally {
	uint64_t reqs, irqs;
};

/*
 * Writes (op BLK_WRITE) or reads and checks every sector of
 * [start, end) with requests of the given shapes in turn. Returns 0, or
 * a negative errno, or 1 when a sector read back is wrong (*bad says
 * which).
 */
static int
pass(struct blk_device *dev, enum blk_op op, uint64_t start, uint64_t end,
     const struct shape *shapes, int nshapes, uint8_t seed, struct pool *p,
     struct tally *t, uint64_t *bad)
{
	struct blk_request *req = kzalloc(sizeof(*req));
	uint32_t m = ata_get_multiple(dev);
	bool dma = ata_get_mode(dev) == ATA_MODE_DMA;
	int err = 0, k = 0;

	if (!req)
		return -ENOMEM;
	for (uint64_t s = start; s < end && !err; k++) {
		const struct shape *sh = &shapes[k % nshapes];
		uint32_t n = (uint32_t)MIN((uint64_t)sh->nsectors, end - s);

		if (!layout(req, p, n, sh->first_off, sh->seg_max))
			layout(req, p, n, 0, PAGE_SIZE);
		for (uint32_t i = 0; i < n; i++) {
			if (op == BLK_WRITE)
				fill_sector(sector_buf(req, i), s + i, seed);
			else
				memset(sector_buf(req, i), 0xcc, SECTOR_SIZE);
		}
		req->dev = dev;
		req->op = op;
		req->sector = s;
		err = run(req);
		t->reqs++;
		t->irqs += dma ? 1 : (n + m - 1) / m;
		for (uint32_t i = 0; i < n && !err && op == BLK_READ; i++) {
			if (!sector_matches(sector_buf(req, i), s + i, seed)) {
				*bad = s + i;
				err = 1;
			}
		}
		s += n;
	}
	kfree(req);
	return err;
}

/*
 * The whole scratch disk: written with one mix of request shapes, read
 * back with another, twice over with different seeds (so the second
 * pass cannot pass on the first's data). The counters must grow by
 * exactly what was done: one command per request (none is over 256
 * sectors), READ/WRITE DMA or READ/WRITE MULTIPLE as the mode says, and
 * one interrupt per DMA command, or per PIO block of 16 sectors, the
 * most QEMU's drives offer (IDENTIFY word 47), which the probe chose.
 */
KTEST_BOTH_MODES(whole_disk_patterns)
{
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	const struct ata_stats *st;
	struct pool p = { .n = 0 };
	struct tally t = { 0, 0 };
	uint64_t bad = 0, reqs0, rd0, wr0, irqs0, cmds0, mult0, dma0, fb0, t0, ms;
	bool dma = mode == ATA_MODE_DMA;

	if (!dev)
		return;
	st = ata_get_stats(dev);
	CHECK_EQ(ata_set_mode(dev, mode), 0);
	CHECK_EQ(ata_get_multiple(dev), 16);
	CHECK(pool_alloc(&p, BLK_MAX_SEGS));
	reqs0 = dev->nr_requests;
	rd0 = dev->sectors_read;
	wr0 = dev->sectors_written;
	irqs0 = st->interrupts;
	cmds0 = st->commands;
	mult0 = st->multiple_commands;
	dma0 = st->dma_commands;
	fb0 = st->pio_fallbacks;
	t0 = timer_uptime_ns();
	for (uint8_t seed = 1; seed <= 2; seed++) {
		CHECK_EQ(pass(dev, BLK_WRITE, 0, dev->nsectors, write_shapes,
			      ARRAY_SIZE(write_shapes), seed, &p, &t, &bad), 0);
		int r = pass(dev, BLK_READ, 0, dev->nsectors, read_shapes,
			     ARRAY_SIZE(read_shapes), seed, &p, &t, &bad);
		if (r == 1)
			ktest_fail(__FILE__, __LINE__, "sector %lu reads back wrong (seed %u)", bad, seed);
		CHECK_EQ(r, 0);
	}
	ms = (timer_uptime_ns() - t0) / 1000000;
	CHECK_EQ(dev->nr_requests - reqs0, t.reqs);
	CHECK_EQ(dev->sectors_written - wr0, 2 * dev->nsectors);
	CHECK_EQ(dev->sectors_read - rd0, 2 * dev->nsectors);
	CHECK_EQ(st->commands - cmds0, t.reqs);
	CHECK_EQ(st->dma_commands - dma0, dma ? t.reqs : 0);
	CHECK_EQ(st->multiple_commands - mult0, dma ? 0 : t.reqs);
	CHECK_EQ(st->pio_fallbacks, fb0);
	CHECK_EQ(st->interrupts - irqs0, t.irqs);
	printk("ktest: ata: %s: %s: wrote and read %lu MiB twice in %lu ms, %lu requests, "
	       "%lu interrupts\n", dev->name, mode_names[mode], dev->nsectors >> 11, ms,
	       t.reqs, st->interrupts - irqs0);
out:
	ata_set_mode(dev, old);
	pool_free(&p);
}

/*
 * Other DRQ block sizes, and the fallback to READ/WRITE SECTORS: QEMU
 * refuses SET MULTIPLE for a count that is not a power of two, so after
 * count 3 the disk moves one sector per interrupt; count 4 works. In
 * both, data written comes back, and interrupts are exactly one per
 * block. PIO only: DMA has no blocks.
 */
KTEST_GROUP(ata_pio_multiple_fallback_and_block_sizes, "ata")
{
	static const struct { uint32_t count; int err; uint32_t multiple; } cases[] = {
		{ 3, -EIO, 1 },        /* refused: READ/WRITE SECTORS */
		{ 4, 0, 4 },
	};
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	const struct ata_stats *st;
	struct pool p = { .n = 0 };
	uint64_t bad = 0, start = 2000, end = 2000 + 700;
	uint32_t m0 = 0;

	if (!dev)
		return;
	st = ata_get_stats(dev);
	m0 = ata_get_multiple(dev);
	CHECK_EQ(ata_set_mode(dev, ATA_MODE_PIO), 0);
	CHECK(pool_alloc(&p, BLK_MAX_SEGS));
	CHECK(end <= dev->nsectors);
	CHECK_EQ(ata_set_multiple(dev, 0), -EINVAL);
	CHECK_EQ(ata_set_multiple(dev, 2 * m0), -EINVAL);    /* above word 47's maximum */
	for (int i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		struct tally t = { 0, 0 };
		uint64_t irqs0 = st->interrupts, mult0 = st->multiple_commands;
		uint8_t seed = (uint8_t)(0x70 + i);

		CHECK_EQ(ata_set_multiple(dev, cases[i].count), cases[i].err);
		CHECK_EQ(ata_get_multiple(dev), cases[i].multiple);
		CHECK_EQ(pass(dev, BLK_WRITE, start, end, write_shapes, ARRAY_SIZE(write_shapes),
			      seed, &p, &t, &bad), 0);
		CHECK_EQ(pass(dev, BLK_READ, start, end, read_shapes, ARRAY_SIZE(read_shapes),
			      seed, &p, &t, &bad), 0);
		CHECK_EQ(st->interrupts - irqs0, t.irqs);
		CHECK_EQ(st->multiple_commands - mult0, cases[i].multiple > 1 ? t.reqs : 0);
	}
out:
	if (m0)
		ata_set_multiple(dev, m0);
	ata_set_mode(dev, old);
	pool_free(&p);
}

/*
 * With at most 7 (then 100) sectors per command, requests need several
 * commands each, which start and end inside segments; with always_lba48
 * they use READ/WRITE DMA EXT or READ/WRITE MULTIPLE EXT, which nothing
 * else on a small disk would.
 */
KTEST_BOTH_MODES(command_splitting_and_lba48)
{
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	const struct ata_stats *st;
	struct pool p = { .n = 0 };
	struct tally t = { 0, 0 };
	uint64_t bad = 0, cmds0, ext0, irqs0;
	uint64_t start = 1000, end = 1000 + 700;    /* 700 = 256 + 256 + 188 */
	static const struct shape big[] = { { 256, 0, 4096 } };

	if (!dev)
		return;
	st = ata_get_stats(dev);
	CHECK_EQ(ata_set_mode(dev, mode), 0);
	CHECK(pool_alloc(&p, BLK_MAX_SEGS));
	CHECK(end <= dev->nsectors);

	cmds0 = st->commands;
	ext0 = st->lba48_commands;
	CHECK_EQ(ata_set_command_limits(dev, 7, false), 0);
	CHECK_EQ(pass(dev, BLK_WRITE, start, end, big, 1, 0x33, &p, &t, &bad), 0);
	CHECK_EQ(pass(dev, BLK_READ, start, end, read_shapes, ARRAY_SIZE(read_shapes),
		      0x33, &p, &t, &bad), 0);
	CHECK(st->commands - cmds0 >= 2 * (700 / 7));
	CHECK_EQ(st->lba48_commands, ext0);

	cmds0 = st->commands;
	irqs0 = st->interrupts;
	CHECK_EQ(ata_set_command_limits(dev, 100, true), 0);
	CHECK_EQ(pass(dev, BLK_WRITE, start, end, big, 1, 0x44, &p, &t, &bad), 0);
	CHECK_EQ(pass(dev, BLK_READ, start, end, big, 1, 0x44, &p, &t, &bad), 0);
	/* Each 256-sector request: 100 + 100 + 56; the last 188: 100 + 88. */
	CHECK_EQ(st->commands - cmds0, 2 * (3 + 3 + 2));
	CHECK_EQ(st->lba48_commands - ext0, 2 * (3 + 3 + 2));
	if (mode == ATA_MODE_DMA) {
		/* One interrupt per command. */
		CHECK_EQ(st->interrupts - irqs0, 2 * (3 + 3 + 2));
	} else {
		/* Blocks of 16: 100 sectors take 7 (the last of 4), 56 take 4, 88 take 6. */
		CHECK_EQ(ata_get_multiple(dev), 16);
		CHECK_EQ(st->interrupts - irqs0, 2 * ((7 + 7 + 4) * 2 + (7 + 6)));
	}
out:
	ata_set_command_limits(dev, 0, false);
	ata_set_mode(dev, old);
	pool_free(&p);
}

/*
 * Many requests in flight on one channel: all are queued (interrupts are
 * off while we submit, so none can finish early), complete in the order
 * submitted, and each read sees the write queued before it.
 */
KTEST_BOTH_MODES(async_requests_queue_in_order)
{
	enum { NREQ = 24 };
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	struct blk_request *reqs[NREQ] = { 0 };
	struct pool *bufs = kzalloc(NREQ * sizeof(*bufs));   /* too big for the stack */
	struct waiter w;
	uint64_t base = 4096, flags;
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
		CHECK(layout(r, &bufs[i], 8, 2048, 1024));  /* straddles two pages */
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
	flags = irq_save();
	for (int i = 0; i < NREQ; i++) {
		if (submit(&w, reqs[i]) != 0)
			break;
		submitted++;
	}
	irq_restore(flags);
	wait_all(&w);
	CHECK_EQ(submitted, NREQ);
	CHECK_EQ(w.ndone, NREQ);
	for (int i = 0; i < NREQ; i++) {
		CHECK(w.order[i] == reqs[i]);
		CHECK_EQ(reqs[i]->status, 0);
	}
	for (int i = 16; i < NREQ; i++)
		for (uint32_t j = 0; j < 8; j++)
			CHECK(sector_matches(sector_buf(reqs[i], j), reqs[i]->sector + j, 0x60));
out:
	wait_all(&w);     /* nothing is freed while the driver may still use it */
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
	uint64_t flags;
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
	flags = irq_save();
	for (int i = 0; i < NREQ; i++) {
		if (submit(&w, reqs[i]) != 0)
			break;
		submitted++;
	}
	irq_restore(flags);
	wait_all(&w);
	CHECK_EQ(submitted, NREQ);
	for (int i = 0; i < NREQ; i++) {
		CHECK_EQ(reqs[i]->status, 0);
		CHECK(memcmp(got + i * PAGE_SIZE, want[i % 3], SECTOR_SIZE) == 0);
	}
out:
	wait_all(&w);
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

/*
 * The probe puts every ATA disk in DMA mode, since QEMU's PIIX is a bus
 * master. With the kernel argument ata=pio it leaves the bus master
 * alone: every disk uses PIO, and DMA cannot be switched on.
 */
KTEST_GROUP(ata_probe_chooses_dma_unless_ata_pio, "ata")
{
	static const char *const names[] = { "hda", "hdb", "hdd" };
	const char *arg = karg_get("ata");
	bool pio = arg && strcmp(arg, "pio") == 0;

	for (int i = 0; i < (int)ARRAY_SIZE(names); i++) {
		struct blk_device *dev = blk_find(names[i]);
		CHECK(dev != NULL);
		CHECK_EQ(ata_get_mode(dev), pio ? ATA_MODE_PIO : ATA_MODE_DMA);
		if (pio)
			CHECK_EQ(ata_set_mode(dev, ATA_MODE_DMA), -ENODEV);
	}
	CHECK_EQ(ata_set_mode(NULL, ATA_MODE_PIO), -EINVAL);
	CHECK_EQ(ata_set_mode(blk_find("hda1"), ATA_MODE_PIO), -EINVAL);  /* not a whole disk */
out:
	return;
}

/*
 * A request the bus master cannot move goes by PIO, even on a DMA disk:
 * here a segment at an odd address (the engine takes even ones only; on
 * a machine with more than 4 GiB, memory above it is the real case).
 * Three sectors written that way read back the same by DMA, and read
 * into the odd address again (by PIO once more).
 */
KTEST_GROUP(ata_dma_unreachable_memory_goes_by_pio, "ata")
{
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	struct blk_request *req = kzalloc(sizeof(*req));
	struct pool p = { .n = 0 };
	const struct ata_stats *st;
	uint64_t fb0, dma0, mult0, sector = 3000;
	uint8_t *odd;

	CHECK(dev != NULL && req != NULL);
	CHECK(pool_alloc(&p, 2));
	CHECK_EQ(ata_set_mode(dev, ATA_MODE_DMA), 0);
	st = ata_get_stats(dev);
	fb0 = st->pio_fallbacks;
	dma0 = st->dma_commands;
	mult0 = st->multiple_commands;
	odd = (uint8_t *)page_address(p.pages[0]) + 1;
	req->dev = dev;
	req->sector = sector;
	req->nsegs = 2;
	req->segs[0] = (struct blk_segment){ (uint8_t *)page_address(p.pages[0]) + 2048, SECTOR_SIZE };
	req->segs[1] = (struct blk_segment){ odd, 2 * SECTOR_SIZE };   /* ends before 2048 */
	for (uint32_t i = 0; i < 3; i++)
		fill_sector(sector_buf(req, i), sector + i, 0x99);
	req->op = BLK_WRITE;
	CHECK_EQ(run(req), 0);
	CHECK_EQ(st->pio_fallbacks - fb0, 1);
	CHECK_EQ(st->multiple_commands - mult0, 1);
	CHECK_EQ(st->dma_commands, dma0);

	/* The same sectors by DMA, into the second page. */
	req->nsegs = 1;
	req->segs[0] = (struct blk_segment){ page_address(p.pages[1]), 3 * SECTOR_SIZE };
	memset(req->segs[0].buf, 0xcc, 3 * SECTOR_SIZE);
	req->op = BLK_READ;
	CHECK_EQ(run(req), 0);
	CHECK_EQ(st->dma_commands - dma0, 1);
	for (uint32_t i = 0; i < 3; i++)
		CHECK(sector_matches(sector_buf(req, i), sector + i, 0x99));

	/* And into the odd address, by PIO. */
	req->segs[0] = (struct blk_segment){ odd, 3 * SECTOR_SIZE };
	memset(odd, 0xcc, 3 * SECTOR_SIZE);
	CHECK_EQ(run(req), 0);
	CHECK_EQ(st->pio_fallbacks - fb0, 2);
	CHECK_EQ(st->dma_commands - dma0, 1);
	for (uint32_t i = 0; i < 3; i++)
		CHECK(sector_matches(odd + i * SECTOR_SIZE, sector + i, 0x99));

out:
	ata_set_mode(dev, old);
	kfree(req);
	pool_free(&p);
}

/* The block layer refuses requests that run past the end; the driver never sees them. */
KTEST_GROUP(ata_read_past_end_is_enxio, "ata")
{
	struct blk_device *dev = scratch_disk();
	struct blk_request *req = kzalloc(sizeof(*req));
	uint8_t *buf = kmalloc(2 * SECTOR_SIZE);
	struct waiter w;
	uint64_t reqs0;

	waiter_init(&w);
	CHECK(dev != NULL && req != NULL && buf != NULL);
	reqs0 = dev->nr_requests;
	req->dev = dev;
	req->op = BLK_READ;
	req->nsegs = 1;
	req->segs[0] = (struct blk_segment){ buf, 2 * SECTOR_SIZE };
	req->sector = dev->nsectors - 1;                 /* the second sector is past the end */
	CHECK_EQ(submit(&w, req), -ENXIO);
	req->sector = dev->nsectors;
	CHECK_EQ(submit(&w, req), -ENXIO);
	req->sector = ~0ULL;                             /* wraps around */
	CHECK_EQ(submit(&w, req), -ENXIO);
	CHECK_EQ(w.ndone, 0);
	CHECK_EQ(dev->nr_requests, reqs0);
	/* The last two sectors themselves are fine. */
	req->sector = dev->nsectors - 2;
	CHECK_EQ(run(req), 0);
	CHECK_EQ(dev->nr_requests, reqs0 + 1);
out:
	wait_all(&w);
	kfree(req);
	kfree(buf);
}

/* One request of each kind: the counters move by exactly that much. */
KTEST_BOTH_MODES(counters_count_exactly)
{
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	uint8_t *buf = kmalloc(3 * SECTOR_SIZE);
	uint64_t reqs0, rd0, wr0, err0;

	CHECK(dev != NULL && buf != NULL);
	CHECK_EQ(ata_set_mode(dev, mode), 0);
	reqs0 = dev->nr_requests;
	rd0 = dev->sectors_read;
	wr0 = dev->sectors_written;
	err0 = dev->nr_errors;
	for (int i = 0; i < 3; i++)
		fill_sector(buf + i * SECTOR_SIZE, 77 + i, 0x77);
	CHECK_EQ(blk_rw(dev, BLK_WRITE, 77, buf, 3 * SECTOR_SIZE), 0);
	memset(buf, 0, 3 * SECTOR_SIZE);
	CHECK_EQ(blk_rw(dev, BLK_READ, 77, buf, 2 * SECTOR_SIZE), 0);
	CHECK_EQ(blk_rw(dev, BLK_READ, 79, buf + 2 * SECTOR_SIZE, SECTOR_SIZE), 0);
	for (int i = 0; i < 3; i++)
		CHECK(sector_matches(buf + i * SECTOR_SIZE, 77 + i, 0x77));
	CHECK_EQ(dev->nr_requests - reqs0, 3);
	CHECK_EQ(dev->sectors_written - wr0, 3);
	CHECK_EQ(dev->sectors_read - rd0, 3);
	CHECK_EQ(dev->nr_errors, err0);
out:
	ata_set_mode(dev, old);
	kfree(buf);
}

/*
 * Reads around the bad sector n of dev in its current mode: the request
 * that meets it ends with -EIO, the others read. The drive says ERR
 * (ABRT), which ends the command cleanly: no reset.
 */
static void
read_around_bad_sector(struct blk_device *dev, uint64_t n, uint8_t *buf)
{
	const struct ata_stats *st = ata_get_stats(dev);
	uint64_t err0 = dev->nr_errors, ioerr0 = st->errors, resets0 = st->resets;

	CHECK_EQ(blk_rw(dev, BLK_READ, n, buf, SECTOR_SIZE), -EIO);
	CHECK_EQ(blk_rw(dev, BLK_READ, n + 1, buf, SECTOR_SIZE), 0);
	/* A longer read fails where it meets the bad sector... */
	CHECK_EQ(blk_rw(dev, BLK_READ, n - 3, buf, 8 * SECTOR_SIZE), -EIO);
	/* ...and the sectors around it still read, in requests of several sectors. */
	CHECK_EQ(blk_rw(dev, BLK_READ, n - 8, buf, 8 * SECTOR_SIZE), 0);
	CHECK_EQ(blk_rw(dev, BLK_READ, n + 1, buf, 7 * SECTOR_SIZE), 0);
	CHECK_EQ(dev->nr_errors - err0, 2);
	CHECK_EQ(st->errors - ioerr0, 2);
	CHECK_EQ(st->resets, resets0);
out:
	return;
}

/*
 * Needs its own boot: tests/run attaches the scratch image through
 * QEMU's blkdebug with a rule that fails every read of sector N and
 * passes ioerr_sector=N. The request ends with -EIO and the driver
 * carries on with the next one, by DMA and then by PIO.
 */
KTEST_IOERR(ata_read_error_gives_eio)
{
	struct blk_device *dev = scratch_disk();
	enum ata_mode old = ata_get_mode(dev);
	const char *arg = karg_get("ioerr_sector");
	uint8_t *buf = kmalloc(8 * SECTOR_SIZE);
	const struct ata_stats *st;
	uint64_t n, dma0;

	CHECK(buf != NULL);
	if (!dev)
		goto out;
	if (!arg) {
		ktest_fail(__FILE__, __LINE__, "no ioerr_sector= kernel argument "
			   "(run this test alone, with blkdebug failing that sector)");
		goto out;
	}
	n = karg_get_u64("ioerr_sector", 0);
	CHECK(n >= 8 && n + 8 <= dev->nsectors);
	st = ata_get_stats(dev);
	dma0 = st->dma_commands;
	CHECK_EQ(ata_set_mode(dev, ATA_MODE_DMA), 0);
	read_around_bad_sector(dev, n, buf);
	CHECK_EQ(st->dma_commands - dma0, 5);
	CHECK_EQ(ata_set_mode(dev, ATA_MODE_PIO), 0);
	read_around_bad_sector(dev, n, buf);
	CHECK_EQ(st->dma_commands - dma0, 5);
out:
	ata_set_mode(dev, old);
	kfree(buf);
}
