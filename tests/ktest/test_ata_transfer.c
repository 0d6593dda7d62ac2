/*
 * tests/ktest/test_ata_transfer.c - data through the ATA driver, in DMA
 * and PIO: the whole scratch disk written and read back with requests of
 * many shapes, PIO's DRQ block sizes and its fallback to one sector per
 * interrupt, requests split into several commands and the LBA48 forms,
 * and memory the bus master cannot reach going by PIO. Every counter the
 * driver keeps must move by exactly what was done. How these tests boot,
 * and the helpers: tests/ktest/ata_test.h.
 */
#include "tests/ktest/ata_test.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"

static const char *const mode_names[] = { [ATA_MODE_PIO] = "PIO", [ATA_MODE_DMA] = "DMA" };

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

		if (!layout_request(req, p, n, sh->first_off, sh->seg_max))
			layout_request(req, p, n, 0, PAGE_SIZE);
		for (uint32_t i = 0; i < n; i++) {
			if (op == BLK_WRITE)
				fill_sector(sector_buf(req, i), s + i, seed);
			else
				memset(sector_buf(req, i), 0xcc, SECTOR_SIZE);
		}
		req->dev = dev;
		req->op = op;
		req->sector = s;
		err = run_request(req);
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
	CHECK_EQ(run_request(req), 0);
	CHECK_EQ(st->pio_fallbacks - fb0, 1);
	CHECK_EQ(st->multiple_commands - mult0, 1);
	CHECK_EQ(st->dma_commands, dma0);

	/* The same sectors by DMA, into the second page. */
	req->nsegs = 1;
	req->segs[0] = (struct blk_segment){ page_address(p.pages[1]), 3 * SECTOR_SIZE };
	memset(req->segs[0].buf, 0xcc, 3 * SECTOR_SIZE);
	req->op = BLK_READ;
	CHECK_EQ(run_request(req), 0);
	CHECK_EQ(st->dma_commands - dma0, 1);
	for (uint32_t i = 0; i < 3; i++)
		CHECK(sector_matches(sector_buf(req, i), sector + i, 0x99));

	/* And into the odd address, by PIO. */
	req->segs[0] = (struct blk_segment){ odd, 3 * SECTOR_SIZE };
	memset(odd, 0xcc, 3 * SECTOR_SIZE);
	CHECK_EQ(run_request(req), 0);
	CHECK_EQ(st->pio_fallbacks - fb0, 2);
	CHECK_EQ(st->dma_commands - dma0, 1);
	for (uint32_t i = 0; i < 3; i++)
		CHECK(sector_matches(odd + i * SECTOR_SIZE, sector + i, 0x99));

out:
	ata_set_mode(dev, old);
	kfree(req);
	pool_free(&p);
}
