/*
 * tests/unit/test_vma.c - mm/vma.c: the regions of an address space,
 * kept sorted, split at page boundaries and merged when alike, on the
 * host. The kernel's heap and file references are stood in for here
 * (calloc/free, a counter), so that leaks of either show.
 *
 * Worked cases: sorted insertion and overlap refusal, lookups, a split
 * of an anonymous and of a file region (pgoff, file references, the
 * file's i_mmap list), merges that must and must not happen, removal,
 * and the top-down search for free space. A random run compares the
 * list after every step with a page-by-page model.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "unit.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "mm/mm.h"
#include "mm/pagecache.h"

/* ---- Stand-ins for the kernel ---- */

static long live_objects;

void *
kmalloc(size_t size)
{
	live_objects++;
	return malloc(size);
}

void *
kzalloc(size_t size)
{
	live_objects++;
	return calloc(1, size);
}

void
kfree(void *p)
{
	if (p)
		live_objects--;
	free(p);
}

void
file_get(struct file *f)
{
	f->refcount++;
}

void
file_put(struct file *f)
{
	f->refcount--;
}

/* ---- Helpers ---- */

#define P(n) ((vaddr_t)(n) * PAGE_SIZE)

static struct mm mm;
static struct file file;
static struct address_space mapping;

static void
setup(void)
{
	memset(&mm, 0, sizeof(mm));
	list_init(&mm.vmas);
	mm.mmap_base = P(1000);
	memset(&file, 0, sizeof(file));
	memset(&mapping, 0, sizeof(mapping));
	list_init(&mapping.i_mmap);
	file.mapping = &mapping;
	file.refcount = 1;
	live_objects = 0;
}

static void
teardown(void)
{
	while (!list_empty(&mm.vmas))
		vma_remove(&mm, list_first_entry(&mm.vmas, struct vma, link));
}

static int
add_anon(vaddr_t start, vaddr_t end, unsigned prot)
{
	return vma_insert(&mm, start, end, prot, VMA_ANON);
}

static int
add_file(vaddr_t start, vaddr_t end, uint64_t pgoff)
{
	struct vma t = { .start = start, .end = end, .prot = VMA_READ, .file = &file,
			 .pgoff = pgoff, .file_end = P(4096) };

	return vma_add(&mm, &t);
}

/* The regions as "start-end" page numbers, e.g. "10-20 30-40". */
static const char *
layout(void)
{
	static char buf[512];
	struct list_head *pos;
	size_t n = 0;

	buf[0] = '\0';
	list_for_each(pos, &mm.vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%lu-%lu", n ? " " : "",
				      v->start / PAGE_SIZE, v->end / PAGE_SIZE);
	}
	return buf;
}

static int
i_mmap_length(void)
{
	int n = 0;
	struct list_head *pos;

	list_for_each(pos, &mapping.i_mmap)
		n++;
	return n;
}

/* ---- Tests ---- */

static void
regions_stay_sorted_and_never_overlap(void)
{
	setup();
	CHECK(add_anon(P(30), P(40), VMA_READ) == 0);
	CHECK(add_anon(P(10), P(20), VMA_READ | VMA_WRITE) == 0);
	CHECK(add_anon(P(50), P(60), VMA_READ | VMA_WRITE) == 0);
	CHECK_STR(layout(), "10-20 30-40 50-60");
	CHECK(add_anon(P(15), P(35), VMA_READ) == -EEXIST);
	CHECK(add_anon(P(39), P(41), VMA_READ) == -EEXIST);
	CHECK(mm.nvmas == 3);
	teardown();
	CHECK(live_objects == 0);
}

static void
lookups_find_the_right_region(void)
{
	setup();
	add_anon(P(10), P(20), VMA_READ);
	add_anon(P(30), P(40), VMA_WRITE);
	CHECK(vma_find(&mm, P(10))->start == P(10));
	CHECK(vma_find(&mm, P(20) - 1)->start == P(10));
	CHECK(vma_find(&mm, P(20)) == NULL);
	CHECK(vma_find(&mm, P(5)) == NULL);
	CHECK(vma_find_intersection(&mm, P(20), P(30)) == NULL);
	CHECK(vma_find_intersection(&mm, P(15), P(35))->start == P(10));
	CHECK(vma_find_intersection(&mm, P(25), P(31))->start == P(30));
	teardown();
}

static void
split_anon_region(void)
{
	setup();
	add_anon(P(10), P(20), VMA_READ | VMA_WRITE);
	CHECK(vma_split(&mm, vma_find(&mm, P(10)), P(14)) == 0);
	CHECK_STR(layout(), "10-14 14-20");
	CHECK(mm.nvmas == 2);
	CHECK(vma_find(&mm, P(14))->prot == (VMA_READ | VMA_WRITE));
	teardown();
	CHECK(live_objects == 0);
}

static void
split_file_region_keeps_offsets_and_references(void)
{
	setup();
	add_file(P(10), P(20), 100);
	CHECK(file.refcount == 2 && i_mmap_length() == 1);
	CHECK(vma_split(&mm, vma_find(&mm, P(10)), P(13)) == 0);
	CHECK(vma_find(&mm, P(10))->pgoff == 100);
	CHECK(vma_find(&mm, P(13))->pgoff == 103);
	CHECK(file.refcount == 3 && i_mmap_length() == 2);
	teardown();
	CHECK(file.refcount == 1 && i_mmap_length() == 0 && live_objects == 0);
}

static void
alike_neighbours_merge(void)
{
	setup();
	add_anon(P(10), P(20), VMA_READ | VMA_WRITE);
	add_anon(P(30), P(40), VMA_READ | VMA_WRITE);
	add_anon(P(20), P(30), VMA_READ | VMA_WRITE);        /* fills the gap: one region */
	CHECK_STR(layout(), "10-40");
	CHECK(mm.nvmas == 1);
	teardown();
	CHECK(live_objects == 0);
}

static void
different_neighbours_do_not_merge(void)
{
	setup();
	add_anon(P(10), P(20), VMA_READ | VMA_WRITE);
	add_anon(P(20), P(30), VMA_READ);                     /* other rights */
	add_file(P(30), P(40), 7);
	add_file(P(40), P(50), 100);                          /* not the next pages of the file */
	add_file(P(50), P(60), 110);                          /* is: 100 + 10 */
	CHECK_STR(layout(), "10-20 20-30 30-40 40-60");
	CHECK(vma_find(&mm, P(55))->pgoff == 100);
	CHECK(file.refcount == 3 && i_mmap_length() == 2);   /* the merged one let its go */
	teardown();
	CHECK(file.refcount == 1 && live_objects == 0);
}

static void
split_then_reprotect_then_merge_back(void)
{
	struct vma *v;

	setup();
	add_anon(P(10), P(20), VMA_READ | VMA_WRITE);
	vma_split(&mm, vma_find(&mm, P(10)), P(12));
	vma_split(&mm, vma_find(&mm, P(12)), P(15));          /* 10-12 12-15 15-20 */
	v = vma_find(&mm, P(12));
	v->prot = VMA_READ;
	vma_merge_neighbours(&mm, v);
	CHECK_STR(layout(), "10-12 12-15 15-20");
	v->prot = VMA_READ | VMA_WRITE;                        /* mprotect back */
	vma_merge_neighbours(&mm, v);
	CHECK_STR(layout(), "10-20");
	teardown();
	CHECK(live_objects == 0);
}

static void
find_free_searches_down_from_mmap_base(void)
{
	setup();
	CHECK(vma_find_free(&mm, P(10)) == P(990));
	add_anon(P(990), P(1000), VMA_READ);
	add_anon(P(975), P(985), VMA_READ);
	CHECK(vma_find_free(&mm, P(5)) == P(985));            /* the gap between them fits */
	CHECK(vma_find_free(&mm, P(6)) == P(969));            /* it does not: below both */
	CHECK(vma_find_free(&mm, P(1001)) == 0);              /* more than there is */
	mm.mmap_base = P(20);
	CHECK(vma_find_free(&mm, P(5)) == 0);                 /* would be below 64 KiB */
	teardown();
}

/* A page-by-page model: which region id covers each page (0: none). */
#define MODEL_PAGES 128
static int model[MODEL_PAGES];

static bool
matches_model(void)
{
	struct list_head *pos;
	vaddr_t last_end = 0;
	int covered = 0;

	list_for_each(pos, &mm.vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (v->start < last_end || v->end <= v->start)
			return false;
		last_end = v->end;
		for (vaddr_t a = v->start; a < v->end; a += PAGE_SIZE) {
			if (model[a / PAGE_SIZE] != (int)v->prot)
				return false;
			covered++;
		}
	}
	for (int i = 0; i < MODEL_PAGES; i++)
		covered -= model[i] != 0;
	return covered == 0;
}

static void
random_inserts_splits_and_removals_match_a_model(void)
{
	unsigned long long rng = 3;

	setup();
	memset(model, 0, sizeof(model));
	for (int step = 0; step < 5000 && !unit_case_failed; step++) {
		vaddr_t a = unit_xorshift(&rng) % MODEL_PAGES, b = a + 1 + unit_xorshift(&rng) % 8;
		unsigned prot = 1 + (unsigned)(unit_xorshift(&rng) % 3);
		struct vma *v;
		b = b > MODEL_PAGES ? MODEL_PAGES : b;
		switch (unit_xorshift(&rng) % 3) {
		case 0:
			if (add_anon(P(a), P(b), prot) == 0)
				for (vaddr_t p = a; p < b; p++)
					model[p] = (int)prot;
			break;
		case 1:
			if ((v = vma_find(&mm, P(a))) && v->start < P(a))
				CHECK(vma_split(&mm, v, P(a)) == 0);
			break;
		default:
			if ((v = vma_find(&mm, P(a))) != NULL) {
				for (vaddr_t p = v->start / PAGE_SIZE; p < v->end / PAGE_SIZE; p++)
					model[p] = 0;
				vma_remove(&mm, v);
			}
			break;
		}
		CHECK(matches_model());
	}
	teardown();
	CHECK(live_objects == 0);
}

int
main(void)
{
	RUN(regions_stay_sorted_and_never_overlap);
	RUN(lookups_find_the_right_region);
	RUN(split_anon_region);
	RUN(split_file_region_keeps_offsets_and_references);
	RUN(alike_neighbours_merge);
	RUN(different_neighbours_do_not_merge);
	RUN(split_then_reprotect_then_merge_back);
	RUN(find_free_searches_down_from_mmap_base);
	RUN(random_inserts_splits_and_removals_match_a_model);
	UNIT_EXIT();
}
