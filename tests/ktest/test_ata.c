/*
 * tests/ktest/test_ata.c - the ATA driver as the probe left it and as the
 * block layer sees it: the root disk and its partition, DMA unless
 * ata=pio, requests past the end refused before the driver, counters
 * that move by exactly what was done, and a read error that ends one
 * request with -EIO (its own boot). How these tests boot, and the
 * helpers all the ATA test files share: tests/ktest/ata_test.h. Data
 * transfers are test_ata_transfer.c; many requests in flight,
 * test_ata_queue.c.
 */
#include "tests/ktest/ata_test.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/heap.h"

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

/*
 * A flush (blk_flush) is FLUSH CACHE on the wire: QEMU's drives report
 * their write cache on, so the command is sent, one command and one
 * interrupt, and no data moves. Asked of a partition, it flushes the
 * partition's disk; both count it. A request that is not a flush must
 * carry data, and a flush must not.
 */
KTEST_GROUP(ata_flush_reaches_the_drive, "ata")
{
	struct blk_device *hda = blk_find("hda"), *part = blk_find("hda1");
	struct blk_request *req = blk_request_alloc();
	const struct ata_stats *st;
	uint64_t cmds, irqs, rd, wr, flushes;

	CHECK(hda != NULL && part != NULL);
	st = ata_get_stats(hda);
	flushes = hda->nr_flushes;
	cmds = st->commands;
	irqs = st->interrupts;
	rd = hda->sectors_read;
	wr = hda->sectors_written;
	CHECK_EQ(blk_flush(hda), 0);
	CHECK_EQ(blk_flush(part), 0);
	CHECK_EQ(st->commands - cmds, 2);
	CHECK_EQ(st->interrupts - irqs, 2);
	CHECK_EQ(hda->nr_flushes - flushes, 2);
	CHECK_EQ(part->nr_flushes, 1);
	CHECK_EQ(hda->sectors_read, rd);
	CHECK_EQ(hda->sectors_written, wr);
	req->dev = hda;
	req->op = BLK_FLUSH;
	req->segs[0] = (struct blk_segment){ req, SECTOR_SIZE };
	req->nsegs = 1;
	CHECK_EQ(blk_submit(req), -EINVAL);       /* a flush with data */
	req->op = BLK_WRITE;
	req->nsegs = 0;
	CHECK_EQ(blk_submit(req), -EINVAL);       /* a write without */
out:
	blk_request_free(req);
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
	CHECK_EQ(waiter_submit(&w, req), -ENXIO);
	req->sector = dev->nsectors;
	CHECK_EQ(waiter_submit(&w, req), -ENXIO);
	req->sector = ~0ULL;                             /* wraps around */
	CHECK_EQ(waiter_submit(&w, req), -ENXIO);
	/* Refused requests complete at once, with their error, and never reach the driver. */
	CHECK_EQ(w.ndone, 3);
	CHECK_EQ(w.batch.failed, 3);
	CHECK_EQ(w.batch.pending, 0);
	CHECK_EQ(dev->nr_requests, reqs0);
	/* The last two sectors themselves are fine. */
	req->sector = dev->nsectors - 2;
	CHECK_EQ(run_request(req), 0);
	CHECK_EQ(dev->nr_requests, reqs0 + 1);
out:
	waiter_wait_all(&w);
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
