/*
 * tests/ktest/test_shmem.c - shared memory objects (mm/shmem.c) through
 * the API a memory file system uses: write, read, holes, truncate, and a
 * page that goes to swap and is read back by (object, index). The user
 * program t_shmem tests the same objects behind mmap(MAP_SHARED |
 * MAP_ANONYMOUS). ktest.c checks after each test that the free frames
 * are back where they were: every object here is put to free.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/fault.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define SHM_BASE 0x50000000UL     /* the test space's region: far from anything else */

/* Whether len bytes of buf all equal c. */
static bool
all_bytes(const char *buf, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != c)
			return false;
	return true;
}

KTEST(shmem_write_then_read_with_hole)
{
	struct shmem_object *obj = shmem_create(0);
	uint64_t shmem_before = vmstat[NR_SHMEM];
	char *buf = kmalloc(2 * PAGE_SIZE);

	KT_ASSERT(obj && buf);
	KT_ASSERT_EQ(shmem_write(obj, PAGE_SIZE + 904, "hello", 5), 5);
	KT_ASSERT_EQ(shmem_size(obj), PAGE_SIZE + 909);
	KT_ASSERT_EQ(obj->mapping.nrpages, 1);            /* page 1 only: page 0 is a hole */
	KT_ASSERT_EQ(vmstat[NR_SHMEM], shmem_before + 1);
	memset(buf, 'x', 2 * PAGE_SIZE);
	KT_ASSERT_EQ(shmem_read(obj, 0, buf, 2 * PAGE_SIZE), PAGE_SIZE + 909);   /* stops at the size */
	KT_ASSERT(all_bytes(buf, PAGE_SIZE + 904, 0));
	KT_ASSERT(memcmp(buf + PAGE_SIZE + 904, "hello", 5) == 0);
	KT_ASSERT_EQ(obj->mapping.nrpages, 1);            /* reading the hole made no page */
	KT_ASSERT_EQ(shmem_read(obj, shmem_size(obj), buf, 1), 0);
	shmem_put(obj);
	kfree(buf);
	KT_ASSERT_EQ(vmstat[NR_SHMEM], shmem_before);
}

KTEST(shmem_truncate_frees_pages_and_zeroes_tail)
{
	struct shmem_object *obj = shmem_create(0);
	char *buf = kmalloc(3 * PAGE_SIZE);
	struct page *p;

	KT_ASSERT(obj && buf);
	memset(buf, 0xab, 3 * PAGE_SIZE);
	KT_ASSERT_EQ(shmem_write(obj, 0, buf, 3 * PAGE_SIZE), 3 * PAGE_SIZE);
	KT_ASSERT_EQ(obj->mapping.nrpages, 3);
	KT_ASSERT_EQ(shmem_truncate(obj, PAGE_SIZE + 10), 0);
	KT_ASSERT_EQ(obj->mapping.nrpages, 2);
	KT_ASSERT_EQ(shmem_getpage(obj, 2, &p, NULL), -EINVAL);  /* beyond the size */
	KT_ASSERT_EQ(shmem_truncate(obj, 3 * PAGE_SIZE), 0);     /* growing makes no page */
	KT_ASSERT_EQ(obj->mapping.nrpages, 2);
	KT_ASSERT_EQ(shmem_read(obj, 0, buf, 3 * PAGE_SIZE), 3 * PAGE_SIZE);
	KT_ASSERT(all_bytes(buf, PAGE_SIZE + 10, (char)0xab));
	KT_ASSERT(all_bytes(buf + PAGE_SIZE + 10, 2 * PAGE_SIZE - 10, 0));
	shmem_put(obj);
	kfree(buf);
}

KTEST(shmem_write_past_max_size_efbig)
{
	struct shmem_object *obj = shmem_create(0);

	KT_ASSERT(obj);
	KT_ASSERT_EQ(shmem_write(obj, UINT64_MAX - 2, "abc", 3), -EFBIG);
	KT_ASSERT_EQ(shmem_truncate(obj, UINT64_MAX), -EFBIG);
	KT_ASSERT_EQ(shmem_size(obj), 0);
	KT_ASSERT(shmem_create(UINT64_MAX) == NULL);
	shmem_put(obj);
}

/*
 * An address space with one shared region of npages over a new object;
 * *objp is the object (the region holds it). NULL if memory is short.
 */
static struct mm *
shared_space(int npages, struct shmem_object **objp)
{
	struct mm *mm = mm_create();
	struct file *f = mm ? shmem_anon_file((uint64_t)npages * PAGE_SIZE) : NULL;
	struct vma tmpl = { .start = SHM_BASE, .end = SHM_BASE + (uint64_t)npages * PAGE_SIZE,
			    .prot = VMA_READ | VMA_WRITE, .flags = VMA_SHARED, .file = f,
			    .file_end = SHM_BASE + (uint64_t)npages * PAGE_SIZE };

	if (!f || vma_add(mm, &tmpl) != 0) {
		if (f)
			file_put(f);
		if (mm)
			mm_destroy(mm);
		return NULL;
	}
	*objp = shmem_of_mapping(f->mapping);
	file_put(f);                          /* the region's reference keeps it */
	return mm;
}

/*
 * Pages written through a mapping go to swap (MADV_PAGEOUT's path): the
 * PTEs are cleared, the object holds swap entries, and shmem_read finds
 * the data through them - then the slots are free again.
 */
KTEST(shmem_swap_out_then_read_back)
{
	enum { NPAGES = 4 };
	struct shmem_object *obj;
	struct mm *mm;
	char *buf = kmalloc(NPAGES * PAGE_SIZE);
	uint64_t slots = swap_free_slots(), out = vmstat[PSWPOUT];

	if (!swap_enabled()) {
		kfree(buf);
		return;                           /* nothing to test without swap */
	}
	KT_ASSERT(buf != NULL);
	mm = shared_space(NPAGES, &obj);
	KT_ASSERT(mm != NULL);
	for (int i = 0; i < NPAGES; i++)
		memset(buf + i * PAGE_SIZE, 'a' + i, PAGE_SIZE);
	KT_ASSERT_EQ(mm_copy_to(mm, SHM_BASE, buf, NPAGES * PAGE_SIZE), 0);  /* do_shmem_fault */
	KT_ASSERT_EQ(mm->rss_shmem, NPAGES);
	KT_ASSERT_EQ(reclaim_pageout(mm, SHM_BASE, SHM_BASE + NPAGES * PAGE_SIZE), NPAGES);
	KT_ASSERT_EQ(mm->rss, 0);                 /* PTEs cleared ... */
	KT_ASSERT_EQ(mm->swap_ents, 0);           /* ... not turned into swap entries */
	KT_ASSERT_EQ(obj->nr_swapped, NPAGES);
	KT_ASSERT_EQ(obj->mapping.nrpages, 0);
	KT_ASSERT_EQ(swap_free_slots(), slots - NPAGES);
	KT_ASSERT(vmstat[PSWPOUT] >= out + NPAGES);
	memset(buf, 0, NPAGES * PAGE_SIZE);
	KT_ASSERT_EQ(shmem_read(obj, 0, buf, NPAGES * PAGE_SIZE), NPAGES * PAGE_SIZE);
	for (int i = 0; i < NPAGES; i++)
		KT_ASSERT(all_bytes(buf + i * PAGE_SIZE, PAGE_SIZE, (char)('a' + i)));
	KT_ASSERT_EQ(obj->nr_swapped, 0);
	KT_ASSERT_EQ(swap_free_slots(), slots);   /* a page read back gives its slot up */
	/* Out again, and the object's end frees the slots. */
	KT_ASSERT_EQ(mm_copy_to(mm, SHM_BASE, buf, PAGE_SIZE), 0);
	KT_ASSERT_EQ(reclaim_pageout(mm, SHM_BASE, SHM_BASE + PAGE_SIZE), 1);
	KT_ASSERT_EQ(obj->nr_swapped, 1);
	mm_destroy(mm);
	kfree(buf);
	KT_ASSERT_EQ(swap_free_slots(), slots);
}

/*
 * Truncating an object that is mapped (what ftruncate of a tmpfs file
 * does) unmaps the pages past the new end from their mappers; touching
 * them afterwards is SIGBUS, as on Linux, while the pages below stay.
 */
KTEST(shmem_truncate_unmaps_then_sigbus)
{
	enum { NPAGES = 3 };
	struct fault f = { .addr = SHM_BASE + 2 * PAGE_SIZE, .user = true };
	struct shmem_object *obj;
	struct mm *mm;
	const char *why;
	char byte = 7;

	mm = shared_space(NPAGES, &obj);
	KT_ASSERT(mm != NULL);
	for (int i = 0; i < NPAGES; i++)
		KT_ASSERT_EQ(mm_copy_to(mm, SHM_BASE + i * PAGE_SIZE, &byte, 1), 0);
	KT_ASSERT_EQ(mm->rss_shmem, NPAGES);
	KT_ASSERT_EQ(shmem_truncate(obj, PAGE_SIZE), 0);
	KT_ASSERT_EQ(mm->rss_shmem, 1);                  /* pages 1 and 2 unmapped and freed */
	KT_ASSERT_EQ(obj->mapping.nrpages, 1);
	KT_ASSERT_EQ(vm_fault(mm, &f, &why), FAULT_SIGBUS);
	f.addr = SHM_BASE;
	KT_ASSERT_EQ(vm_fault(mm, &f, &why), FAULT_OK);   /* page 0 is still there */
	mm_destroy(mm);
}
