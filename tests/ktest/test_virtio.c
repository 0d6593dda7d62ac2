/*
 * tests/ktest/test_virtio.c - PCI enumeration and the virtio-blk driver,
 * on the disks tests/run attaches with DISK=virtio:
 *
 *   vda  the root disk (MBR + ext2)     vdb  swap     vdc  a scratch disk
 *
 * The scratch disk is named by the kernel argument scratch=; without it
 * (or if it names nothing) the tests fail, they do not skip. Everything
 * on the scratch disk is overwritten. The helpers are in virtio_test.c;
 * the ring's own tests (notifications, features, indirect descriptors) in
 * test_virtio_ring.c.
 *
 * Boots (see the group of each test):
 *   test=virtio scratch=vdc                  every test of the "virtio" group
 *   test=virtio scratch=vdc virtio=legacy    the same through the legacy interface
 *   test=virtio_read_error_gives_eio scratch=vdc ioerr_sector=N
 *                                            with vdc behind QEMU's blkdebug driver
 */
#include "tests/ktest/virtio_test.h"
#include "drivers/blk.h"
#include "drivers/pci.h"
#include "drivers/timer.h"
#include "drivers/virtio_blk.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/kas.h"
#include "mm/pmm.h"

struct count_virtio {
	unsigned n;
	bool bad_class, bad_irq;
};

static void
count_virtio_blk(struct pci_dev *pdev, void *arg)
{
	struct count_virtio *c = arg;

	if (pdev->vendor != 0x1af4 || (pdev->device != 0x1001 && pdev->device != 0x1042))
		return;
	c->n++;
	if (pdev->class != 0x01 || pdev->subclass != 0x00)
		c->bad_class = true;
	/* A routed INTx pin on an 8259 line; 2 is the cascade, never a device. */
	if (pdev->irq_pin < 1 || pdev->irq_pin > 4 || pdev->irq_line == 0 ||
	    pdev->irq_line == 2 || pdev->irq_line >= 16)
		c->bad_irq = true;
}

KTEST_GROUP(virtio_pci_finds_blk_functions, "virtio")
{
	struct count_virtio c = { 0 };
	struct virtio_blk *vda = virtio_blk_of(blk_find("vda"));

	pci_for_each(count_virtio_blk, &c);
	KT_ASSERT(c.n >= 3);                 /* root, swap, scratch */
	KT_ASSERT(!c.bad_class);
	KT_ASSERT(!c.bad_irq);
	KT_ASSERT(pci_find(0x1af4, 0x1001, 0) || pci_find(0x1af4, 0x1042, 0));
	KT_ASSERT(vda != NULL);
	KT_ASSERT(vda->vdev.pci->vendor == 0x1af4);
	KT_ASSERT_EQ(pci_config_read16(vda->vdev.pci, PCI_VENDOR_ID), 0x1af4);
	KT_ASSERT(pci_config_read16(vda->vdev.pci, PCI_COMMAND) & PCI_COMMAND_MASTER);
	/* QEMU's modern registers sit in a 64-bit BAR 4; slot 5 is its upper half. */
	struct pci_bar bar;
	KT_ASSERT_EQ(pci_bar(vda->vdev.pci, 4, &bar), 0);
	if (bar.size && bar.is64)
		KT_ASSERT_EQ(pci_bar(vda->vdev.pci, 5, &bar), -EINVAL);
}

/* virtio=legacy forces the legacy interface; otherwise a device with
 * virtio capabilities must be driven through them. */
KTEST_GROUP(virtio_transport_matches_karg, "virtio")
{
	const char *mode = karg_get("virtio");
	bool force_legacy = mode && strcmp(mode, "legacy") == 0;
	const char *names[] = { "vda", "vdb", "vdc" };

	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		struct virtio_blk *vb = virtio_blk_of(blk_find(names[i]));
		KT_ASSERT(vb != NULL);
		bool has_caps = pci_find_capability(vb->vdev.pci, PCI_CAP_ID_VENDOR, 0) != 0;
		KT_ASSERT_EQ(vb->vdev.modern, !force_legacy && has_caps);
		KT_ASSERT_EQ((vb->features >> VIRTIO_F_VERSION_1) & 1, vb->vdev.modern);
		if (vb->vdev.modern) {
			/* Device registers must be mapped uncached. */
			unsigned prot = 0;
			KT_ASSERT(vmm_translate(kernel_pml4, (vaddr_t)vb->vdev.common, NULL, &prot));
			KT_ASSERT(prot & VMM_NOCACHE);
			KT_ASSERT(!(prot & VMM_EXEC));
		}
	}
}

KTEST_GROUP(virtio_vda_has_mbr_and_partition, "virtio")
{
	struct blk_device *vda = blk_find("vda"), *vda1 = blk_find("vda1");
	uint8_t *sector = kmalloc(SECTOR_SIZE);

	KT_ASSERT(sector != NULL);
	if (!vda || !vda1 || blk_rw(vda, BLK_READ, 0, sector, SECTOR_SIZE) != 0) {
		kfree(sector);
		KT_ASSERT(vda != NULL);
		KT_ASSERT(vda1 != NULL);
		KT_ASSERT(!"reading sector 0 of vda failed");
	}
	bool mbr = sector[510] == 0x55 && sector[511] == 0xaa;
	kfree(sector);
	KT_ASSERT(mbr);
	KT_ASSERT(vda1->disk == vda);
	KT_ASSERT(vda1->start_sector > 0 && vda1->start_sector + vda1->nsectors <= vda->nsectors);
}

/*
 * Writes the pattern over the whole scratch disk with requests of many
 * sizes and buffer offsets (1 to 32 segments), reads it back with
 * other sizes, and compares.
 */
KTEST_GROUP(virtio_scratch_patterns_whole_disk, "virtio")
{
	static const unsigned wsizes[] = { 1, 256, 8, 3, 64, 255, 17, 128 };
	static const unsigned rsizes[] = { 256, 1, 33, 128, 5, 200, 2, 96 };
	struct blk_device *d = virtio_scratch_disk();
	struct page *p;
	uint8_t *buf;
	uint64_t t0, t1, t2, nreq = 0;
	long bad = -1;
	int err = 0;

	if (!d)
		return;
	p = pmm_alloc_pages(VT_BUF_ORDER);
	KT_ASSERT(p != NULL);
	buf = page_address(p);

	t0 = timer_uptime_ns();
	for (uint64_t s = 0, k = 0; s < d->nsectors && !err; k++, nreq++) {
		unsigned n = (unsigned)MIN(wsizes[k % ARRAY_SIZE(wsizes)], d->nsectors - s);
		/* A start offset inside the buffer, so page boundaries fall anywhere. */
		size_t off = ((k * 3) % (VT_BUF_SECTORS - n + 1)) * SECTOR_SIZE;
		virtio_fill(buf + off, s, n);
		err = blk_rw(d, BLK_WRITE, s, buf + off, (size_t)n * SECTOR_SIZE);
		s += n;
	}
	t1 = timer_uptime_ns();
	for (uint64_t s = 0, k = 0; s < d->nsectors && !err && bad < 0; k++, nreq++) {
		unsigned n = (unsigned)MIN(rsizes[k % ARRAY_SIZE(rsizes)], d->nsectors - s);
		size_t off = ((k * 5) % (VT_BUF_SECTORS - n + 1)) * SECTOR_SIZE;
		memset(buf + off, 0, (size_t)n * SECTOR_SIZE);
		err = blk_rw(d, BLK_READ, s, buf + off, (size_t)n * SECTOR_SIZE);
		bad = virtio_check(buf + off, s, n);
		s += n;
	}
	t2 = timer_uptime_ns();
	pmm_free_pages(p, VT_BUF_ORDER);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT_EQ(bad, -1);
	printk("virtio: %s: wrote %lu MiB in %lu ms, read it back in %lu ms (%lu requests)\n",
	       d->name, d->nsectors >> 11, (t1 - t0) / 1000000, (t2 - t1) / 1000000, nreq);
}

/* 64 requests of 1-4 sectors, each request i at sector 1000 + 8i. */
static void
setup_requests(struct blk_request *reqs, unsigned n, struct blk_device *d, enum blk_op op,
	       uint8_t *buf)
{
	for (unsigned i = 0; i < n; i++) {
		struct blk_request *r = &reqs[i];
		*r = (struct blk_request){ .dev = d, .op = op, .sector = 1000 + 8 * i, .nsegs = 1 };
		r->segs[0] = (struct blk_segment){ buf + 2048 * i, (1 + i % 4) * SECTOR_SIZE };
	}
}

KTEST_GROUP(virtio_many_requests_in_flight, "virtio")
{
	enum { N = 64 };
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request *reqs;
	struct page *p;
	uint8_t *buf;
	int werr, rerr;
	long bad = -1;

	if (!d)
		return;
	if (!virtio_test_get(&reqs, N, &p, VT_BUF_ORDER))     /* 2 KiB per request */
		KT_ASSERT(!"out of memory");
	buf = page_address(p);
	for (unsigned i = 0; i < N; i++)
		virtio_fill(buf + 2048 * i, 1000 + 8 * i, 1 + i % 4);
	KT_ASSERT_EQ(vb->in_flight, 0);
	vb->max_in_flight = 0;
	setup_requests(reqs, N, d, BLK_WRITE, buf);
	werr = virtio_run_batch(reqs, N, false);
	memset(buf, 0, PAGE_SIZE << VT_BUF_ORDER);
	setup_requests(reqs, N, d, BLK_READ, buf);
	rerr = virtio_run_batch(reqs, N, false);
	for (unsigned i = 0; i < N && bad < 0; i++)
		bad = virtio_check(buf + 2048 * i, 1000 + 8 * i, 1 + i % 4);
	virtio_test_put(reqs, p, VT_BUF_ORDER);
	printk("virtio: %s: %u requests in flight at most (queue size %u)\n", d->name,
	       vb->max_in_flight, vb->vq.size);
	KT_ASSERT_EQ(werr, 0);
	KT_ASSERT_EQ(rerr, 0);
	KT_ASSERT_EQ(bad, -1);
	KT_ASSERT(vb->max_in_flight > 1);
	KT_ASSERT_EQ(vb->in_flight, 0);
	KT_ASSERT_EQ(vb->vq.num_free, vb->vq.size);
}

/*
 * Segments that follow each other in physical memory share a descriptor
 * (add_segments()): of four 1 KiB segments, the second starts where the
 * first ends and merges; the fourth ends where the third starts, which is
 * the wrong order, and stays apart. The sectors must land in request
 * order all the same: read back in one piece, they are the pattern.
 */
KTEST_GROUP(virtio_contiguous_segments_share_a_descriptor, "virtio")
{
	static const unsigned at[4] = { 0, 1024, 4096, 3072 };   /* where each segment is in buf */
	struct blk_device *d = virtio_scratch_disk();
	struct virtio_blk *vb = virtio_blk_of(d);
	struct blk_request *req;
	struct page *p;
	uint8_t *buf;
	uint64_t merged;
	int werr, rerr;
	long bad;

	if (!d)
		return;
	if (!virtio_test_get(&req, 1, &p, VT_BUF_ORDER))
		KT_ASSERT(!"out of memory");
	buf = page_address(p);
	*req = (struct blk_request){ .dev = d, .op = BLK_WRITE, .sector = 3000, .nsegs = 4 };
	for (unsigned i = 0; i < 4; i++) {
		virtio_fill(buf + at[i], 3000 + 2 * i, 2);
		req->segs[i] = (struct blk_segment){ buf + at[i], 1024 };
	}
	merged = vb->merged;
	werr = virtio_run_batch(req, 1, false);
	KT_ASSERT_EQ(vb->merged - merged, 1);
	memset(buf + 8192, 0, 4096);
	*req = (struct blk_request){ .dev = d, .op = BLK_READ, .sector = 3000, .nsegs = 1 };
	req->segs[0] = (struct blk_segment){ buf + 8192, 4096 };
	rerr = virtio_run_batch(req, 1, false);
	bad = virtio_check(buf + 8192, 3000, 8);
	virtio_test_put(req, p, VT_BUF_ORDER);
	KT_ASSERT_EQ(werr, 0);
	KT_ASSERT_EQ(rerr, 0);
	KT_ASSERT_EQ(bad, -1);
}

/*
 * QEMU offers VIRTIO_BLK_F_FLUSH and we take it (else QEMU writes
 * through, syncing its file after every write). A flush is one request
 * of type VIRTIO_BLK_T_FLUSH without data: it completes with status OK
 * and moves no sectors; asked of a partition, it flushes the disk.
 */
KTEST_GROUP(virtio_flush_reaches_the_device, "virtio")
{
	struct blk_device *vda = blk_find("vda"), *part = blk_find("vda1");
	struct virtio_blk *vb = virtio_blk_of(vda);
	uint64_t reqs, rd, wr, flushes;

	KT_ASSERT(vb != NULL && part != NULL);
	KT_ASSERT(vb->vdev.offered & 1UL << 9);    /* VIRTIO_BLK_F_FLUSH */
	KT_ASSERT(vb->features & 1UL << 9);
	reqs = vb->requests;
	rd = vda->sectors_read;
	wr = vda->sectors_written;
	flushes = vda->nr_flushes;
	KT_ASSERT_EQ(blk_flush(vda), 0);
	KT_ASSERT_EQ(blk_flush(part), 0);
	KT_ASSERT_EQ(vb->requests - reqs, 2);
	KT_ASSERT_EQ(vda->nr_flushes - flushes, 2);
	KT_ASSERT_EQ(part->nr_flushes, 1);
	KT_ASSERT_EQ(vda->sectors_read, rd);
	KT_ASSERT_EQ(vda->sectors_written, wr);
	KT_ASSERT_EQ(vda->nr_errors, 0);
}

KTEST_GROUP(virtio_read_past_end_gives_enxio, "virtio")
{
	struct blk_device *d = virtio_scratch_disk();
	uint64_t reqs, rd, errs;
	uint8_t *buf;
	int e1, e2, e3;

	if (!d)
		return;
	buf = kmalloc(4 * SECTOR_SIZE);
	KT_ASSERT(buf != NULL);
	reqs = d->nr_requests;
	rd = d->sectors_read;
	errs = d->nr_errors;
	e1 = blk_rw(d, BLK_READ, d->nsectors, buf, SECTOR_SIZE);
	e2 = blk_rw(d, BLK_READ, d->nsectors - 1, buf, 2 * SECTOR_SIZE);
	e3 = blk_rw(d, BLK_READ, d->nsectors - 3, buf, 3 * SECTOR_SIZE);
	kfree(buf);
	KT_ASSERT_EQ(e1, -ENXIO);
	KT_ASSERT_EQ(e2, -ENXIO);
	KT_ASSERT_EQ(e3, 0);                 /* the last three sectors are fine */
	KT_ASSERT_EQ(d->nr_requests, reqs + 1);
	KT_ASSERT_EQ(d->sectors_read, rd + 3);
	KT_ASSERT_EQ(d->nr_errors, errs);
}

/*
 * Run by name only, in a boot whose scratch disk sits behind QEMU's
 * blkdebug driver, set to fail reads of sector ioerr_sector with EIO.
 */
KTEST_IOERR(virtio_read_error_gives_eio)
{
	struct blk_device *d = virtio_scratch_disk();
	uint64_t bad, other, errs;
	uint8_t *buf;
	int e1, e2;

	if (!d)
		return;
	if (!karg_get("ioerr_sector")) {
		ktest_fail(__FILE__, __LINE__, "needs ioerr_sector=N and a blkdebug scratch disk");
		return;
	}
	bad = karg_get_u64("ioerr_sector", 0);
	KT_ASSERT(bad < d->nsectors);
	other = bad >= 64 ? bad - 64 : bad + 64;
	buf = kmalloc(SECTOR_SIZE);
	KT_ASSERT(buf != NULL);
	errs = d->nr_errors;
	e1 = blk_rw(d, BLK_READ, bad, buf, SECTOR_SIZE);
	e2 = blk_rw(d, BLK_READ, other, buf, SECTOR_SIZE);
	kfree(buf);
	KT_ASSERT_EQ(e1, -EIO);
	KT_ASSERT_EQ(e2, 0);
	KT_ASSERT_EQ(d->nr_errors, errs + 1);
	KT_ASSERT_EQ(virtio_blk_of(d)->in_flight, 0);
}
