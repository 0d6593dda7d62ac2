/*
 * tests/ktest/lab4.c - lab 4 (demand paging, docs/labs/lab4.md): the
 * student's do_anon_fault(), map_new_anon_page(), do_file_fault() and
 * grow_stack() in mm/fault.c, called through vm_fault() on a test address
 * space (tests/ktest/lab_as.h) - never through init's own faults.
 *
 * Group "lab4": `make run KARGS=test=lab4 INTERACTIVE=0` runs them all in
 * one boot; the grader boots each alone. ktest.c checks after each test
 * that every frame came back; the tests that count frames themselves say
 * so with a message of their own.
 */
#include "kernel/ktest.h"
#include "mm/heap.h"
#include "mm/pagecache.h"
#include "mm/vmstat.h"
#include "tests/ktest/lab_as.h"

#define ANON_PAGES 16

/* A first touch of an anonymous page: a new frame, zero-filled, mapped with the region's rights. */
KTEST_GROUP(lab4_anon_zero_fill, "lab4")
{
	uint64_t anon_before = vmstat[NR_ANON_PAGES];
	struct mm *mm = mm_create();
	vaddr_t va = LAB_VA + 3 * PAGE_SIZE;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(vma_insert(mm, LAB_VA, LAB_VA + ANON_PAGES * PAGE_SIZE, VMA_READ | VMA_WRITE,
				VMA_ANON), 0);
	lab_dirty_free_frames(64);
	LAB_FAULT(lab_touch(mm, va + 0x123, true), FAULT_OK);

	struct vmm_entry e = lab_pte(mm, va);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT(e.prot & VMM_USER);
	KT_ASSERT(e.prot & VMM_WRITE);
	KT_ASSERT(!(e.prot & VMM_EXEC));
	struct page *p = phys_to_page(e.pa);
	KT_ASSERT(lab_all_zero(page_address(p), PAGE_SIZE));
	KT_ASSERT_EQ(p->refcount, 1);               /* the PTE's reference */
	KT_ASSERT_EQ(p->mapcount, 1);
	KT_ASSERT(p->flags & PG_ANON);
	KT_ASSERT(p->flags & PG_LRU);               /* reclaim can find it */
	KT_ASSERT(p->owner == mm->anon_root);       /* reverse mapping: family and page */
	KT_ASSERT_EQ(p->index, va >> PAGE_SHIFT);
	KT_ASSERT_EQ(mm->rss, 1);
	KT_ASSERT_EQ(vmstat[NR_ANON_PAGES], anon_before + 1);

	/* Only the page touched: its neighbours are still not in memory. */
	KT_ASSERT_EQ(lab_pte(mm, va - PAGE_SIZE).kind, VMM_NONE);
	KT_ASSERT_EQ(lab_pte(mm, va + PAGE_SIZE).kind, VMM_NONE);

	/* A second fault on the page (another access raced us) changes nothing. */
	uint64_t free_now = pmm_free_frames();
	LAB_FAULT(lab_touch(mm, va, false), FAULT_OK);
	KT_ASSERT_EQ(lab_pte(mm, va).pa, e.pa);
	KT_ASSERT_EQ(pmm_free_frames(), free_now);
	KT_ASSERT_EQ(mm->rss, 1);

	mm_destroy(mm);
	KT_ASSERT_EQ(vmstat[NR_ANON_PAGES], anon_before);
}

/* The PTE gets the region's rights: read-only, writable, executable. */
KTEST_GROUP(lab4_anon_region_rights, "lab4")
{
	vaddr_t ro = LAB_VA, rw = LAB_VA + 0x100000, rx = LAB_VA + 0x200000;
	struct mm *mm = mm_create();
	struct vmm_entry e;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(vma_insert(mm, ro, ro + 4 * PAGE_SIZE, VMA_READ, VMA_ANON), 0);
	KT_ASSERT_EQ(vma_insert(mm, rw, rw + 4 * PAGE_SIZE, VMA_READ | VMA_WRITE, VMA_ANON), 0);
	KT_ASSERT_EQ(vma_insert(mm, rx, rx + 4 * PAGE_SIZE, VMA_READ | VMA_EXEC, VMA_ANON), 0);

	LAB_FAULT(lab_touch(mm, ro, false), FAULT_OK);
	e = lab_pte(mm, ro);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT(!(e.prot & VMM_WRITE) && !(e.prot & VMM_EXEC) && (e.prot & VMM_USER));
	KT_ASSERT(lab_all_zero(phys_to_virt(e.pa), PAGE_SIZE));

	/* vm_fault() refuses a write to a read-only region before any handler runs. */
	LAB_FAULT(lab_touch(mm, ro + PAGE_SIZE, true), FAULT_SEGV);
	KT_ASSERT_EQ(lab_pte(mm, ro + PAGE_SIZE).kind, VMM_NONE);

	/* A read of a writable region maps the page writable at once. */
	LAB_FAULT(lab_touch(mm, rw, false), FAULT_OK);
	e = lab_pte(mm, rw);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT((e.prot & VMM_WRITE) && !(e.prot & VMM_EXEC));

	LAB_FAULT(lab_touch(mm, rx + PAGE_SIZE, false), FAULT_OK);
	e = lab_pte(mm, rx + PAGE_SIZE);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT((e.prot & VMM_EXEC) && !(e.prot & VMM_WRITE));

	KT_ASSERT_EQ(mm->rss, 3);
	mm_destroy(mm);
}

#define MANY 520        /* more than 512: the region needs two page tables */

/* Many pages: each its own frame, and all of them back when the address space goes. */
KTEST_GROUP(lab4_anon_many_pages, "lab4")
{
	uint64_t baseline = pmm_free_frames();
	vaddr_t start = LAB_VA + PAGE_SIZE_2M - 8 * PAGE_SIZE;     /* straddles a 2 MiB line */
	struct mm *mm = mm_create();

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(vma_insert(mm, start, start + MANY * PAGE_SIZE, VMA_READ | VMA_WRITE, VMA_ANON), 0);
	for (uint64_t i = 0; i < MANY; i++) {
		LAB_FAULT(lab_touch(mm, start + i * PAGE_SIZE, i % 2 == 0), FAULT_OK);
		struct page *p = lab_page(mm, start + i * PAGE_SIZE);
		KT_ASSERT(p != NULL);
		KT_ASSERT(lab_all_zero(page_address(p), PAGE_SIZE));
		*(uint64_t *)page_address(p) = i;            /* a frame shared by two PTEs shows */
	}
	for (uint64_t i = 0; i < MANY; i++)
		KT_ASSERT_EQ(*(uint64_t *)page_address(lab_page(mm, start + i * PAGE_SIZE)), i);
	KT_ASSERT_EQ(mm->rss, MANY);
	KT_ASSERT(baseline - pmm_free_frames() >= MANY);
	mm_destroy(mm);
	if (pmm_free_frames() != baseline)
		ktest_fail(__FILE__, __LINE__, "after mm_destroy %lu frames free, %lu before",
			   pmm_free_frames(), baseline);
}

/*
 * A read-only file mapping maps the page cache's own page, read-only: the
 * file's bytes at the region's offset, one frame for every mapper.
 */
KTEST_GROUP(lab4_file_maps_page_cache, "lab4")
{
	struct file *f = lab_open_file();
	struct mm *mm = mm_create(), *other = mm_create();
	vaddr_t text = LAB_VA, at1 = LAB_VA + 0x100000;
	uint64_t pages;
	char *want = kmalloc(PAGE_SIZE);

	KT_ASSERT(f != NULL);           /* LAB_FILE on the root disk */
	KT_ASSERT(mm != NULL && other != NULL && want != NULL);
	pages = ALIGN_UP(f->size, PAGE_SIZE) / PAGE_SIZE;
	KT_ASSERT(text + pages * PAGE_SIZE < at1);
	KT_ASSERT_EQ(lab_map_file(mm, text, pages, VMA_READ | VMA_EXEC, f, 0), 0);
	KT_ASSERT_EQ(lab_map_file(mm, at1, pages - 1, VMA_READ, f, 1), 0);    /* from page 1 on */
	KT_ASSERT_EQ(lab_map_file(other, text, pages, VMA_READ | VMA_EXEC, f, 0), 0);

	LAB_FAULT(lab_touch(mm, text + 0x40, false), FAULT_OK);
	struct vmm_entry e = lab_pte(mm, text);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT((e.prot & VMM_EXEC) && !(e.prot & VMM_WRITE) && (e.prot & VMM_USER));
	struct page *p = phys_to_page(e.pa);
	KT_ASSERT(p == pagecache_find(f->mapping, 0));  /* the cache's page itself, no copy */
	KT_ASSERT(memcmp(page_address(p), "\177ELF", 4) == 0);
	KT_ASSERT(!(p->flags & PG_ANON));
	KT_ASSERT_EQ(p->mapcount, 1);
	KT_ASSERT_EQ(p->refcount, 2);                    /* the cache's and the PTE's */
	KT_ASSERT_EQ(mm->rss, 1);

	/* pgoff: the region at1 starts with the file's page 1. */
	LAB_FAULT(lab_touch(mm, at1 + PAGE_SIZE + 8, false), FAULT_OK);
	struct page *p2 = lab_page(mm, at1 + PAGE_SIZE);
	KT_ASSERT(p2 != NULL);
	KT_ASSERT(p2 == pagecache_find(f->mapping, 2));
	KT_ASSERT_EQ(file_read_at(f, want, PAGE_SIZE, 2 * PAGE_SIZE), PAGE_SIZE);
	KT_ASSERT(memcmp(page_address(p2), want, PAGE_SIZE) == 0);
	KT_ASSERT_EQ(lab_pte(mm, at1).kind, VMM_NONE);

	/* A second address space maps the same frame. */
	LAB_FAULT(lab_touch(other, text, false), FAULT_OK);
	KT_ASSERT(lab_page(other, text) == p);
	KT_ASSERT_EQ(p->mapcount, 2);
	KT_ASSERT_EQ(p->refcount, 3);

	mm_destroy(other);
	KT_ASSERT_EQ(p->mapcount, 1);
	mm_destroy(mm);
	KT_ASSERT_EQ(p->mapcount, 0);
	KT_ASSERT_EQ(p->refcount, 1);                    /* the cache keeps it */
	kfree(want);
	lab_close_file(f);
}

/*
 * Private file mappings: a write gets a copy of the file's page (anonymous
 * from then on), the page cache is left alone; the file's last page shows
 * zeros after its end; a page wholly beyond the end is SIGBUS.
 */
KTEST_GROUP(lab4_file_private_copy, "lab4")
{
	struct file *f = lab_open_file();
	struct mm *mm = mm_create();
	vaddr_t data = LAB_VA, ro = LAB_VA + 0x1000000;
	uint64_t pages, tail;

	KT_ASSERT(f != NULL);           /* LAB_FILE on the root disk */
	KT_ASSERT(mm != NULL);
	pages = ALIGN_UP(f->size, PAGE_SIZE) / PAGE_SIZE;
	tail = f->size % PAGE_SIZE;
	KT_ASSERT(tail != 0);           /* the file must end inside a page */
	KT_ASSERT_EQ(lab_map_file(mm, data, pages, VMA_READ | VMA_WRITE, f, 0), 0);
	KT_ASSERT_EQ(lab_map_file(mm, ro, pages + 1, VMA_READ, f, 0), 0);     /* a page too many */

	/* A write: a private copy, writable; the cache's page unchanged and unmapped. */
	LAB_FAULT(lab_touch(mm, data + PAGE_SIZE, true), FAULT_OK);
	struct vmm_entry e = lab_pte(mm, data + PAGE_SIZE);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT(e.prot & VMM_WRITE);
	struct page *copy = phys_to_page(e.pa), *cached = pagecache_find(f->mapping, 1);
	KT_ASSERT(cached != NULL && copy != cached);
	KT_ASSERT(copy->flags & PG_ANON);
	KT_ASSERT_EQ(copy->mapcount, 1);
	KT_ASSERT_EQ(copy->refcount, 1);
	KT_ASSERT(memcmp(page_address(copy), page_address(cached), PAGE_SIZE) == 0);
	KT_ASSERT_EQ(cached->mapcount, 0);
	KT_ASSERT_EQ(cached->refcount, 1);               /* only the cache holds it */

	/* The last page: the file's bytes, then zeros (a copy: the cache page has more). */
	vaddr_t last = ro + (pages - 1) * PAGE_SIZE;
	LAB_FAULT(lab_touch(mm, last, false), FAULT_OK);
	e = lab_pte(mm, last);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT(!(e.prot & VMM_WRITE));
	cached = pagecache_find(f->mapping, pages - 1);
	KT_ASSERT(cached != NULL);
	KT_ASSERT(memcmp(phys_to_virt(e.pa), page_address(cached), tail) == 0);
	KT_ASSERT(lab_all_zero((char *)phys_to_virt(e.pa) + tail, PAGE_SIZE - tail));

	/* Beyond the file's end: SIGBUS, nothing mapped. */
	LAB_FAULT(lab_touch(mm, ro + pages * PAGE_SIZE, false), FAULT_SIGBUS);
	KT_ASSERT_EQ(lab_pte(mm, ro + pages * PAGE_SIZE).kind, VMM_NONE);

	KT_ASSERT_EQ(mm->rss, 2);
	mm_destroy(mm);
	lab_close_file(f);
}

/* The stack as exec makes it: USER_STACK_INIT below USER_STACK_TOP, growing down. */
static struct vma *
add_stack(struct mm *mm)
{
	if (vma_insert(mm, USER_STACK_TOP - USER_STACK_INIT, USER_STACK_TOP, VMA_READ | VMA_WRITE,
		       VMA_ANON | VMA_GROWSDOWN))
		return NULL;
	return vma_find(mm, USER_STACK_TOP - 1);
}

/* A touch below the stack grows it down to that page, and maps only that page. */
KTEST_GROUP(lab4_stack_grows, "lab4")
{
	struct mm *mm = mm_create();
	struct vma *stack;
	vaddr_t start = USER_STACK_TOP - USER_STACK_INIT;

	KT_ASSERT(mm != NULL);
	KT_ASSERT((stack = add_stack(mm)) != NULL);

	/* 3 pages and 16 bytes below: the region now starts 4 pages lower. */
	LAB_FAULT(lab_touch(mm, start - 3 * PAGE_SIZE - 16, true), FAULT_OK);
	KT_ASSERT_EQ(stack->start, start - 4 * PAGE_SIZE);
	KT_ASSERT_EQ(stack->end, USER_STACK_TOP);
	KT_ASSERT(vma_find(mm, start - 4 * PAGE_SIZE) == stack);
	struct vmm_entry e = lab_pte(mm, start - 4 * PAGE_SIZE);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT(e.prot & VMM_WRITE);
	KT_ASSERT(lab_all_zero(phys_to_virt(e.pa), PAGE_SIZE));
	for (vaddr_t va = start - 3 * PAGE_SIZE; va < USER_STACK_TOP; va += PAGE_SIZE)
		KT_ASSERT_EQ(lab_pte(mm, va).kind, VMM_NONE);
	KT_ASSERT_EQ(mm->rss, 1);
	KT_ASSERT_EQ(mm->nvmas, 1);

	/* Inside the region: no growth. */
	LAB_FAULT(lab_touch(mm, start - 2 * PAGE_SIZE, true), FAULT_OK);
	KT_ASSERT_EQ(stack->start, start - 4 * PAGE_SIZE);

	/* Down to the limit exactly: USER_STACK_MAX in all. */
	LAB_FAULT(lab_touch(mm, USER_STACK_TOP - USER_STACK_MAX, false), FAULT_OK);
	KT_ASSERT_EQ(stack->start, USER_STACK_TOP - USER_STACK_MAX);
	KT_ASSERT_EQ(lab_pte(mm, USER_STACK_TOP - USER_STACK_MAX).kind, VMM_PAGE);
	KT_ASSERT_EQ(mm->rss, 3);
	mm_destroy(mm);
}

/* Where the stack must not grow: past its limit, into the guard gap, below other regions. */
KTEST_GROUP(lab4_stack_limits, "lab4")
{
	struct mm *mm = mm_create();
	struct vma *stack;
	vaddr_t start = USER_STACK_TOP - USER_STACK_INIT;
	vaddr_t below_end = USER_STACK_TOP - (2UL << 20);        /* a region 2 MiB under the top */
	vaddr_t hole = LAB_VA + 0x100000;

	KT_ASSERT(mm != NULL);
	KT_ASSERT((stack = add_stack(mm)) != NULL);
	LAB_FAULT(lab_touch(mm, start - 1, true), FAULT_OK);        /* it does grow ... */
	KT_ASSERT_EQ(stack->start, start - PAGE_SIZE);

	/* ... but not beyond USER_STACK_MAX. */
	LAB_FAULT(lab_touch(mm, USER_STACK_TOP - USER_STACK_MAX - 8, true), FAULT_SEGV);
	KT_ASSERT_EQ(stack->start, start - PAGE_SIZE);
	KT_ASSERT_EQ(lab_pte(mm, USER_STACK_TOP - USER_STACK_MAX - 8).kind, VMM_NONE);

	/* Nor closer than STACK_GUARD_GAP to the region below it. */
	KT_ASSERT_EQ(vma_insert(mm, below_end - 16 * PAGE_SIZE, below_end, VMA_READ | VMA_WRITE,
				VMA_ANON), 0);
	LAB_FAULT(lab_touch(mm, below_end + STACK_GUARD_GAP - 8, true), FAULT_SEGV);
	KT_ASSERT_EQ(stack->start, start - PAGE_SIZE);
	LAB_FAULT(lab_touch(mm, below_end + STACK_GUARD_GAP, true), FAULT_OK);
	KT_ASSERT_EQ(stack->start, below_end + STACK_GUARD_GAP);

	/* Below a region that is not a stack, and above every region: no mapping. */
	KT_ASSERT_EQ(vma_insert(mm, hole, hole + 4 * PAGE_SIZE, VMA_READ | VMA_WRITE, VMA_ANON), 0);
	LAB_FAULT(lab_touch(mm, hole - 8, true), FAULT_SEGV);
	KT_ASSERT_EQ(vma_find(mm, hole)->start, hole);
	LAB_FAULT(lab_touch(mm, USER_STACK_TOP + 8, true), FAULT_SEGV);
	KT_ASSERT_EQ(lab_pte(mm, hole - PAGE_SIZE).kind, VMM_NONE);
	KT_ASSERT_EQ(mm->rss, 2);
	mm_destroy(mm);
}
