/*
 * tests/ktest/lab5.c - lab 5 (copy-on-write fork, docs/labs/lab5.md): the
 * student's fork_vma() (mm/mm.c, through mm_fork()) and do_wp_fault()
 * (mm/fault.c, through vm_fault()), on test address spaces
 * (tests/ktest/lab_as.h) - never on a process of the kernel's own.
 *
 * Group "lab5": `make run KARGS=test=lab5 INTERACTIVE=0` runs them all in
 * one boot; the grader boots each alone. ktest.c checks after each test
 * that every frame came back.
 */
#include "kernel/ktest.h"
#include "mm/pagecache.h"
#include "mm/vmstat.h"
#include "tests/ktest/lab_as.h"

#define NPAGES 4

/* child = mm_fork(parent), or the test fails. */
#define FORK(child, parent)                                                                       \
	do {                                                                                      \
		if (((child) = mm_fork(parent)) == NULL) {                                        \
			ktest_fail(__FILE__, __LINE__, "mm_fork() failed: did fork_vma() fail?"); \
			return;                                                                   \
		}                                                                                 \
	} while (0)

/* What page i of a parent holds: a word pattern no other page has. */
static uint64_t
pattern(uint64_t i, uint64_t word)
{
	return (i + 1) << 32 | word;
}

static bool
holds_pattern(const struct page *p, uint64_t i)
{
	const uint64_t *w = page_address(p);

	for (uint64_t j = 0; j < PAGE_SIZE / 8; j++)
		if (w[j] != pattern(i, j))
			return false;
	return true;
}

/*
 * A parent with NPAGES pages written (a pattern each) in a writable
 * anonymous region at LAB_VA, and one page read in a read-only region
 * 1 MiB above. NULL if it cannot be made.
 */
static struct mm *
make_parent(void)
{
	struct mm *mm = mm_create();
	vaddr_t ro = LAB_VA + 0x100000;

	if (!mm)
		return NULL;
	if (vma_insert(mm, LAB_VA, LAB_VA + NPAGES * PAGE_SIZE, VMA_READ | VMA_WRITE, VMA_ANON) ||
	    vma_insert(mm, ro, ro + PAGE_SIZE, VMA_READ, VMA_ANON) || lab_touch(mm, ro, false) != FAULT_OK) {
		mm_destroy(mm);
		return NULL;
	}
	for (uint64_t i = 0; i < NPAGES; i++) {
		if (lab_touch(mm, LAB_VA + i * PAGE_SIZE, true) != FAULT_OK) {
			mm_destroy(mm);
			return NULL;
		}
		uint64_t *w = page_address(lab_page(mm, LAB_VA + i * PAGE_SIZE));
		for (uint64_t j = 0; j < PAGE_SIZE / 8; j++)
			w[j] = pattern(i, j);
	}
	return mm;
}

/* fork: the child maps the parent's frames, read-only on both sides; nothing is copied. */
KTEST_GROUP(lab5_fork_shares_frames, "lab5")
{
	struct mm *parent = make_parent(), *child;
	struct file *f = lab_open_file();
	vaddr_t ro = LAB_VA + 0x100000, text = LAB_VA + 0x400000;
	uint64_t anon;

	KT_ASSERT(parent != NULL);       /* lab 4's anonymous faults work */
	KT_ASSERT(f != NULL);            /* LAB_FILE on the root disk */
	KT_ASSERT_EQ(lab_map_file(parent, text, 2, VMA_READ | VMA_EXEC, f, 0), 0);
	LAB_FAULT(lab_touch(parent, text, false), FAULT_OK);
	struct page *text_page = lab_page(parent, text);
	KT_ASSERT(text_page != NULL);
	KT_ASSERT_EQ(parent->rss, NPAGES + 2);

	anon = vmstat[NR_ANON_PAGES];
	FORK(child, parent);
	KT_ASSERT_EQ(vmstat[NR_ANON_PAGES], anon);       /* no page was copied */
	for (uint64_t i = 0; i < NPAGES; i++) {
		vaddr_t va = LAB_VA + i * PAGE_SIZE;
		struct vmm_entry pe = lab_pte(parent, va), ce = lab_pte(child, va);
		KT_ASSERT_EQ(pe.kind, VMM_PAGE);
		KT_ASSERT_EQ(ce.kind, VMM_PAGE);
		KT_ASSERT_EQ(ce.pa, pe.pa);                 /* the same frame */
		KT_ASSERT(!(pe.prot & VMM_WRITE));          /* read-only in the parent now */
		KT_ASSERT(!(ce.prot & VMM_WRITE));          /* and in the child */
		KT_ASSERT(ce.prot & VMM_USER);
		struct page *p = phys_to_page(pe.pa);
		KT_ASSERT_EQ(p->refcount, 2);               /* one per PTE */
		KT_ASSERT_EQ(p->mapcount, 2);
		KT_ASSERT(holds_pattern(p, i));
	}
	/* A read-only anonymous page and a file page are shared the same way. */
	struct page *ro_page = lab_page(child, ro);
	KT_ASSERT(ro_page != NULL && ro_page == lab_page(parent, ro));
	KT_ASSERT_EQ(ro_page->mapcount, 2);
	KT_ASSERT(!(lab_pte(child, ro).prot & VMM_WRITE));
	KT_ASSERT(lab_page(child, text) == text_page);
	KT_ASSERT((lab_pte(child, text).prot & VMM_EXEC) && !(lab_pte(child, text).prot & VMM_WRITE));
	KT_ASSERT_EQ(text_page->mapcount, 2);
	KT_ASSERT_EQ(text_page->refcount, 3);            /* the cache's and two PTEs' */
	KT_ASSERT_EQ(child->rss, parent->rss);
	/* Nothing else: pages never touched stay untouched in the child. */
	KT_ASSERT_EQ(lab_pte(child, text + PAGE_SIZE).kind, VMM_NONE);

	mm_destroy(child);
	for (uint64_t i = 0; i < NPAGES; i++) {
		struct page *p = lab_page(parent, LAB_VA + i * PAGE_SIZE);
		KT_ASSERT_EQ(p->refcount, 1);
		KT_ASSERT_EQ(p->mapcount, 1);
		KT_ASSERT(holds_pattern(p, i));
	}
	KT_ASSERT_EQ(text_page->mapcount, 1);
	mm_destroy(parent);
	lab_close_file(f);
}

/* A write to a shared page gives the writer a copy; the other side keeps the original. */
KTEST_GROUP(lab5_write_copies, "lab5")
{
	struct mm *parent = make_parent(), *child;
	uint64_t anon;

	KT_ASSERT(parent != NULL);       /* lab 4's anonymous faults work */
	FORK(child, parent);
	struct page *orig0 = lab_page(parent, LAB_VA), *orig1 = lab_page(parent, LAB_VA + PAGE_SIZE);
	anon = vmstat[NR_ANON_PAGES];

	/* The child writes page 0. */
	LAB_FAULT(lab_write_protected(child, LAB_VA + 8), FAULT_OK);
	struct vmm_entry ce = lab_pte(child, LAB_VA);
	KT_ASSERT_EQ(ce.kind, VMM_PAGE);
	KT_ASSERT(ce.prot & VMM_WRITE);
	KT_ASSERT(ce.prot & VMM_USER);
	struct page *copy = phys_to_page(ce.pa);
	KT_ASSERT(copy != orig0);
	KT_ASSERT(holds_pattern(copy, 0));               /* the data came along */
	KT_ASSERT(copy->flags & PG_ANON);
	KT_ASSERT_EQ(copy->refcount, 1);
	KT_ASSERT_EQ(copy->mapcount, 1);
	KT_ASSERT(copy->owner == child->anon_root);
	KT_ASSERT_EQ(copy->index, LAB_VA >> PAGE_SHIFT);
	KT_ASSERT_EQ(vmstat[NR_ANON_PAGES], anon + 1);
	/* The parent still maps the original, read-only, now its only user. */
	KT_ASSERT(lab_page(parent, LAB_VA) == orig0);
	KT_ASSERT(!(lab_pte(parent, LAB_VA).prot & VMM_WRITE));
	KT_ASSERT_EQ(orig0->refcount, 1);
	KT_ASSERT_EQ(orig0->mapcount, 1);
	/* The child's writes land in its copy only. */
	*(uint64_t *)page_address(copy) = 0xdeadbeef;
	KT_ASSERT(holds_pattern(orig0, 0));
	/* The other pages are still shared. */
	KT_ASSERT(lab_page(child, LAB_VA + PAGE_SIZE) == orig1);
	KT_ASSERT_EQ(orig1->mapcount, 2);
	KT_ASSERT_EQ(child->rss, NPAGES + 1);

	/* The parent writes page 1: now the parent gets the copy. */
	LAB_FAULT(lab_write_protected(parent, LAB_VA + PAGE_SIZE), FAULT_OK);
	struct page *pcopy = lab_page(parent, LAB_VA + PAGE_SIZE);
	KT_ASSERT(pcopy != NULL && pcopy != orig1);
	KT_ASSERT(lab_pte(parent, LAB_VA + PAGE_SIZE).prot & VMM_WRITE);
	KT_ASSERT(holds_pattern(pcopy, 1));
	KT_ASSERT(lab_page(child, LAB_VA + PAGE_SIZE) == orig1);
	KT_ASSERT(!(lab_pte(child, LAB_VA + PAGE_SIZE).prot & VMM_WRITE));
	KT_ASSERT_EQ(orig1->mapcount, 1);
	KT_ASSERT_EQ(vmstat[NR_ANON_PAGES], anon + 2);
	KT_ASSERT_EQ(parent->rss, NPAGES + 1);

	mm_destroy(child);
	mm_destroy(parent);
	KT_ASSERT_EQ(vmstat[NR_ANON_PAGES], anon - NPAGES - 1);
}

/* The last sharer of a page writes to it in place: no copy, no new frame. */
KTEST_GROUP(lab5_last_sharer_reuses, "lab5")
{
	struct mm *parent = make_parent(), *child;
	uint64_t free_frames, anon;

	KT_ASSERT(parent != NULL);       /* lab 4's anonymous faults work */
	FORK(child, parent);
	struct page *orig = lab_page(parent, LAB_VA);
	LAB_FAULT(lab_write_protected(child, LAB_VA), FAULT_OK);       /* the child copies */
	KT_ASSERT(lab_page(child, LAB_VA) != orig);

	/* The parent is now the page's only user: it writes in place. */
	free_frames = pmm_free_frames();
	anon = vmstat[NR_ANON_PAGES];
	LAB_FAULT(lab_write_protected(parent, LAB_VA + 16), FAULT_OK);
	KT_ASSERT(lab_page(parent, LAB_VA) == orig);
	KT_ASSERT(lab_pte(parent, LAB_VA).prot & VMM_WRITE);
	KT_ASSERT_EQ(orig->refcount, 1);
	KT_ASSERT_EQ(orig->mapcount, 1);
	KT_ASSERT_EQ(pmm_free_frames(), free_frames);
	KT_ASSERT_EQ(vmstat[NR_ANON_PAGES], anon);
	KT_ASSERT(holds_pattern(orig, 0));

	/* Once the child is gone, every page left is the parent's alone. */
	mm_destroy(child);
	struct page *p2 = lab_page(parent, LAB_VA + 2 * PAGE_SIZE);
	KT_ASSERT(!(lab_pte(parent, LAB_VA + 2 * PAGE_SIZE).prot & VMM_WRITE));
	free_frames = pmm_free_frames();
	LAB_FAULT(lab_write_protected(parent, LAB_VA + 2 * PAGE_SIZE), FAULT_OK);
	KT_ASSERT(lab_page(parent, LAB_VA + 2 * PAGE_SIZE) == p2);
	KT_ASSERT(lab_pte(parent, LAB_VA + 2 * PAGE_SIZE).prot & VMM_WRITE);
	KT_ASSERT_EQ(pmm_free_frames(), free_frames);
	KT_ASSERT(holds_pattern(p2, 2));
	mm_destroy(parent);
}

/*
 * Three sharers (a parent, its child, and the child's child): two copies
 * and one write in place; then every frame comes back whatever the order
 * in which the address spaces go.
 */
KTEST_GROUP(lab5_teardown_frees, "lab5")
{
	struct mm *parent = make_parent(), *child, *grandchild;
	uint64_t baseline;

	KT_ASSERT(parent != NULL);       /* lab 4's anonymous faults work */
	baseline = pmm_free_frames();
	FORK(child, parent);
	FORK(grandchild, child);
	struct page *orig = lab_page(parent, LAB_VA + 3 * PAGE_SIZE);
	KT_ASSERT(lab_page(grandchild, LAB_VA + 3 * PAGE_SIZE) == orig);
	KT_ASSERT_EQ(orig->refcount, 3);
	KT_ASSERT_EQ(orig->mapcount, 3);

	vaddr_t va = LAB_VA + 3 * PAGE_SIZE;
	LAB_FAULT(lab_write_protected(child, va), FAULT_OK);
	KT_ASSERT_EQ(orig->mapcount, 2);
	LAB_FAULT(lab_write_protected(grandchild, va), FAULT_OK);
	KT_ASSERT_EQ(orig->mapcount, 1);
	LAB_FAULT(lab_write_protected(parent, va), FAULT_OK);
	KT_ASSERT(lab_page(parent, va) == orig);          /* the last one wrote in place */
	struct page *c = lab_page(child, va), *g = lab_page(grandchild, va);
	KT_ASSERT(c != orig && g != orig && c != g);
	KT_ASSERT(holds_pattern(c, 3) && holds_pattern(g, 3) && holds_pattern(orig, 3));

	mm_destroy(child);                                /* the middle one first */
	KT_ASSERT_EQ(lab_page(parent, LAB_VA)->mapcount, 2);
	mm_destroy(grandchild);
	KT_ASSERT_EQ(lab_page(parent, LAB_VA)->mapcount, 1);
	KT_ASSERT_EQ(lab_page(parent, LAB_VA)->refcount, 1);
	if (pmm_free_frames() != baseline) {
		ktest_fail(__FILE__, __LINE__, "after both children went %lu frames free, %lu before fork",
			   pmm_free_frames(), baseline);
		return;
	}

	/* And the other way round: the parent goes first, the child keeps its pages. */
	FORK(child, parent);
	mm_destroy(parent);
	for (uint64_t i = 0; i < NPAGES; i++) {
		struct page *p = lab_page(child, LAB_VA + i * PAGE_SIZE);
		KT_ASSERT(p != NULL);
		KT_ASSERT_EQ(p->mapcount, 1);
		KT_ASSERT_EQ(p->refcount, 1);
	}
	mm_destroy(child);
}
