/*
 * tests/ktest/ata_test.h - what the ATA driver's in-kernel tests share:
 *
 *   test_ata.c           the probe, the root disk, the block layer's checks,
 *                        the counters, read errors
 *   test_ata_transfer.c  data written and read back over the whole scratch
 *                        disk, PIO block sizes, command splitting and LBA48,
 *                        DMA's fallback to PIO
 *   test_ata_queue.c     many requests in flight: queue order, drives that
 *                        share a channel
 *   ata_test.c           the helpers below
 *
 * They are group "ata": tests/run boots with
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
#ifndef TESTS_KTEST_ATA_TEST_H
#define TESTS_KTEST_ATA_TEST_H

#include "drivers/ata.h"
#include "drivers/blk.h"
#include "kernel/ktest.h"
#include "kernel/wait.h"

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

/* Defines ata_dma_NAME and ata_pio_NAME, which run NAME(mode) in each mode. */
#define KTEST_BOTH_MODES(tname)                                               \
	static void tname(enum ata_mode mode);                                \
	KTEST_GROUP(ata_dma_##tname, "ata") { tname(ATA_MODE_DMA); }          \
	KTEST_GROUP(ata_pio_##tname, "ata") { tname(ATA_MODE_PIO); }          \
	static void tname(enum ata_mode mode)

/* The disk named by scratch=, or NULL after failing the test. */
struct blk_device *scratch_disk(void);

/* Up to BLK_MAX_SEGS pages: the memory one request can cover. */
struct pool {
	struct page *pages[BLK_MAX_SEGS];
	int n;
};

/* Allocates n pages into p (p->n counts them, also on failure). */
bool pool_alloc(struct pool *p, int n);
void pool_free(struct pool *p);

/*
 * Describes nsectors of the pool's memory in req: the first segment
 * starts first_off bytes into the first page, segments are at most
 * seg_max bytes and fill each page before moving to the next. Returns
 * false if that takes more segments or pages than there are.
 */
bool layout_request(struct blk_request *req, const struct pool *p, uint32_t nsectors,
		    uint32_t first_off, uint32_t seg_max);
/* Where the i-th sector of req's data lives. */
uint8_t *sector_buf(const struct blk_request *req, uint32_t i);
/* The pattern of sector number sector with seed, and the check for it. */
void fill_sector(uint8_t *p, uint64_t sector, uint8_t seed);
bool sector_matches(const uint8_t *p, uint64_t sector, uint8_t seed);

/* Completion bookkeeping shared by the requests of one test. */
/* A batch of requests (drivers/blk.h) that also notes the order they completed in. */
struct waiter {
	struct blk_batch batch;
	int ndone;
	struct blk_request *order[64];   /* in the order they completed */
};

void waiter_init(struct waiter *w);
/* Submits req; on success it will count against w. Returns blk_submit's error. */
int waiter_submit(struct waiter *w, struct blk_request *req);
/* Submits reqs[0..n) all at once (interrupts off); returns how many were accepted. */
int waiter_submit_all(struct waiter *w, struct blk_request **reqs, int n);
/* Sleeps until every request submitted through w is done. */
void waiter_wait_all(struct waiter *w);
/* Submits req and sleeps until it is done. Returns blk_submit's error or req->status. */
int run_request(struct blk_request *req);

#endif
