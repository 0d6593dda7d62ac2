/*
 * tests/ktest/virtio_test.h - what the virtio-blk driver's in-kernel tests
 * share:
 *
 *   test_virtio.c       PCI, the transport, the root disk, data over the
 *                       whole scratch disk, many requests in flight, reads
 *                       past the end, read errors
 *   test_virtio_ring.c  the ring's economy: one notification per plugged
 *                       batch, the features negotiated (event index,
 *                       indirect descriptors), long requests through
 *                       indirect tables, requests the device cannot take
 *   virtio_test.c       the helpers below
 *
 * They are group "virtio": tests/run boots them with
 *
 *   DISK=virtio EXTRA_DISKS=scratch.img KARGS="test=virtio scratch=vdc"
 *
 * and again with virtio=legacy (the legacy interface), so vda is the root
 * disk (MBR, vda1), vdb the swap disk and vdc a scratch disk these tests
 * may overwrite.
 */
#ifndef TESTS_KTEST_VIRTIO_TEST_H
#define TESTS_KTEST_VIRTIO_TEST_H

#include "drivers/blk.h"
#include "drivers/virtio_blk.h"
#include "kernel/ktest.h"

#define VT_BUF_ORDER    5                               /* 32 pages: one 32-segment request */
#define VT_BUF_SECTORS  ((PAGE_SIZE << VT_BUF_ORDER) / SECTOR_SIZE)

/* The virtio disk named by scratch=, or NULL after failing the test. */
struct blk_device *virtio_scratch_disk(void);

/*
 * n zeroed requests (*reqs) and 2^order pages for their data (*pages):
 * true, or false with nothing held when memory ran out. virtio_test_put()
 * gives both back.
 */
bool virtio_test_get(struct blk_request **reqs, unsigned n, struct page **pages, unsigned order);
void virtio_test_put(struct blk_request *reqs, struct page *pages, unsigned order);

/* Fills count sectors at buf with the pattern of sectors first, first+1, ...:
 * each holds its number in its first 8 bytes, and words derived from it after. */
void virtio_fill(void *buf, uint64_t first, unsigned count);
/* The first sector in buf that does not hold its pattern, or -1. */
long virtio_check(const void *buf, uint64_t first, unsigned count);

/*
 * Submits reqs[0..n) as one batch and sleeps until every one is done.
 * With plugged, under a plug (drivers/blk.h): the device hears of them
 * once; without, interrupts are off while they are submitted, so none
 * can complete before the last is queued and the driver must hold them
 * all. Returns the number that failed, or -errno if a submission was
 * refused.
 */
int virtio_run_batch(struct blk_request *reqs, unsigned n, bool plugged);

#endif
