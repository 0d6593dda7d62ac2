/*
 * tests/ktest/virtio_test.c - the helpers of the virtio-blk driver's
 * in-kernel tests (virtio_test.h says which files use them and how those
 * tests boot): the scratch disk, the sector pattern, batches of requests.
 */
#include "tests/ktest/virtio_test.h"
#include "kernel/cmdline.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/pmm.h"

struct blk_device *
virtio_scratch_disk(void)
{
	const char *name = karg_get("scratch");
	struct blk_device *d = name ? blk_find(name) : NULL;

	if (!name)
		ktest_fail(__FILE__, __LINE__, "no scratch=DISK kernel argument");
	else if (!d)
		ktest_fail(__FILE__, __LINE__, "scratch=%s names no block device", name);
	else if (!virtio_blk_of(d))
		ktest_fail(__FILE__, __LINE__, "scratch=%s is not a virtio disk", name);
	return virtio_blk_of(d) ? d : NULL;
}

static uint64_t
pattern_word(uint64_t sector, unsigned i)
{
	return i == 0 ? sector : sector * 0x9e3779b97f4a7c15UL + i;
}

bool
virtio_test_get(struct blk_request **reqs, unsigned n, struct page **pages, unsigned order)
{
	*reqs = kzalloc(sizeof(**reqs) * n);
	*pages = pmm_alloc_pages(order);
	if (*reqs && *pages)
		return true;
	virtio_test_put(*reqs, *pages, order);
	return false;
}

void
virtio_test_put(struct blk_request *reqs, struct page *pages, unsigned order)
{
	kfree(reqs);
	if (pages)
		pmm_free_pages(pages, order);
}

void
virtio_fill(void *buf, uint64_t first, unsigned count)
{
	uint64_t *w = buf;

	for (unsigned s = 0; s < count; s++)
		for (unsigned i = 0; i < SECTOR_SIZE / 8; i++)
			*w++ = pattern_word(first + s, i);
}

long
virtio_check(const void *buf, uint64_t first, unsigned count)
{
	const uint64_t *w = buf;

	for (unsigned s = 0; s < count; s++)
		for (unsigned i = 0; i < SECTOR_SIZE / 8; i++)
			if (*w++ != pattern_word(first + s, i))
				return (long)(first + s);
	return -1;
}

int
virtio_run_batch(struct blk_request *reqs, unsigned n, bool plugged)
{
	struct blk_batch b;
	struct blk_plug plug;
	uint64_t flags = 0;
	int err = 0;

	blk_batch_init(&b, NULL);
	if (plugged)
		blk_start_plug(&plug);
	else
		flags = irq_save();
	for (unsigned i = 0; i < n; i++) {
		int e = blk_batch_submit(&b, &reqs[i]);
		if (e)
			err = e;
	}
	if (plugged)
		blk_finish_plug(&plug);
	else
		irq_restore(flags);
	blk_batch_wait(&b);
	return err ? err : b.failed;
}
