/*
 * tests/ktest/test_mm.c - frames, page tables, the kernel address space,
 * kernel stacks and the heap. ktest.c also checks after each test that
 * the number of free frames is back where it was.
 */
#include "kernel/ksyms.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/multiboot.h"
#include "kernel/string.h"
#include "mm/heap.h"
#include "mm/kas.h"
#include "mm/kstack.h"
#include "mm/pmm.h"

extern char boot_stack_guard[];

/* Counts free frames from pages[] itself, independently of the counter. */
static uint64_t
recount_free_frames(void)
{
	uint64_t n = 0;

	for (pfn_t pfn = 0; pfn < max_pfn; pfn++)
		if (pages[pfn].flags & PG_BUDDY)
			n += 1UL << pages[pfn].order;
	return n;
}

KTEST(pmm_counts_match_memory_map)
{
	uint64_t usable = 0;

	for (int i = 0; i < boot_info.nmmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		paddr_t start = ALIGN_UP(e->base, PAGE_SIZE), end = ALIGN_DOWN(e->base + e->len, PAGE_SIZE);
		if (pmm_stats.limit)
			end = MIN(end, pmm_stats.limit);
		if (e->type == MMAP_USABLE && end > start)
			usable += (end - start) >> PAGE_SHIFT;
	}
	KT_ASSERT_EQ(pmm_stats.usable, usable);
	KT_ASSERT_EQ(recount_free_frames(), pmm_free_frames());
	KT_ASSERT(pmm_free_frames() <= pmm_stats.usable);
	KT_ASSERT(pmm_stats.kernel + pmm_stats.free_at_boot == pmm_stats.usable);
	if (pmm_stats.limit)
		KT_ASSERT(max_pfn << PAGE_SHIFT <= pmm_stats.limit);
	KT_ASSERT(pages[0].flags & PG_RESERVED);
	KT_ASSERT(phys_to_page(virt_to_phys(__kernel_start))->flags & PG_RESERVED);
}

/* Takes every free frame, one by one, then gives them all back. */
KTEST(pmm_alloc_every_frame_then_free_all)
{
	uint64_t baseline = pmm_free_frames(), taken = 0;
	uint64_t blocks[MAX_ORDER + 1];
	struct list_head held;
	struct page *p;
	bool clean = true;

	for (unsigned o = 0; o <= MAX_ORDER; o++)
		blocks[o] = pmm_free_blocks(o);
	list_init(&held);
	while ((p = pmm_alloc_pages(0)) != NULL) {
		if (p->flags & (PG_RESERVED | PG_BUDDY))
			clean = false;
		list_add(&p->lru, &held);
		taken++;
	}
	KT_ASSERT_EQ(pmm_free_frames(), 0);
	while (!list_empty(&held)) {
		p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		pmm_free_pages(p, 0);
	}
	KT_ASSERT(clean);
	KT_ASSERT_EQ(taken, baseline);
	KT_ASSERT_EQ(pmm_free_frames(), baseline);
	for (unsigned o = 0; o <= MAX_ORDER; o++)
		KT_ASSERT_EQ(pmm_free_blocks(o), blocks[o]);
}

KTEST(pmm_multi_page_blocks_are_aligned)
{
	struct page *p[MAX_ORDER + 1];

	for (unsigned o = 0; o <= MAX_ORDER; o++) {
		p[o] = pmm_alloc_pages(o);
		KT_ASSERT(p[o] != NULL);
		KT_ASSERT_EQ(page_to_pfn(p[o]) & ((1UL << o) - 1), 0);
		memset(page_address(p[o]), 0xa5, PAGE_SIZE << o);
	}
	for (unsigned o = 0; o <= MAX_ORDER; o++)
		pmm_free_pages(p[o], o);
}

/* Unused kernel space in a PML4 slot that exists (the stack area's). */
#define TEST_VA (KSTACK_AREA_BASE + (256UL << 30))

KTEST(vmm_map_translate_unmap)
{
	uint64_t tables = vmm_table_pages();
	struct page *f = pmm_alloc_pages(0);
	paddr_t pa, old;
	unsigned prot;

	KT_ASSERT(f != NULL);
	KT_ASSERT(!vmm_translate(kernel_pml4, TEST_VA, &pa, &prot));
	KT_ASSERT_EQ(vmm_map(kernel_pml4, TEST_VA, page_to_phys(f), VMM_READ | VMM_WRITE), 0);
	KT_ASSERT_EQ(vmm_map(kernel_pml4, TEST_VA, page_to_phys(f), VMM_READ), -EEXIST);
	KT_ASSERT_EQ(vmm_table_pages(), tables + 2);       /* a new PD and PT */
	KT_ASSERT(vmm_translate(kernel_pml4, TEST_VA + 0x123, &pa, &prot));
	KT_ASSERT_EQ(pa, page_to_phys(f) + 0x123);
	KT_ASSERT(prot & VMM_WRITE);
	KT_ASSERT(!(prot & VMM_EXEC) && !(prot & VMM_USER));

	/* The same frame, seen through the direct map and the new mapping. */
	*(volatile uint64_t *)TEST_VA = 0x1122334455667788UL;
	KT_ASSERT_EQ(*(uint64_t *)page_address(f), 0x1122334455667788UL);

	KT_ASSERT_EQ(vmm_protect(kernel_pml4, TEST_VA, VMM_READ), 0);
	KT_ASSERT(vmm_translate(kernel_pml4, TEST_VA, &pa, &prot) && !(prot & VMM_WRITE));

	KT_ASSERT_EQ(vmm_unmap(kernel_pml4, TEST_VA, &old), 0);
	KT_ASSERT_EQ(old, page_to_phys(f));
	KT_ASSERT(!vmm_translate(kernel_pml4, TEST_VA, &pa, &prot));
	KT_ASSERT_EQ(vmm_unmap(kernel_pml4, TEST_VA, &old), -ENOENT);
	KT_ASSERT_EQ(vmm_table_pages(), tables);           /* empty tables freed */
	pmm_free_pages(f, 0);
}

KTEST(vmm_map_range_and_unmap_range)
{
	uint64_t tables = vmm_table_pages();
	struct page *block = pmm_alloc_pages(4);      /* 16 frames */
	paddr_t pa;

	KT_ASSERT(block != NULL);
	/* Straddle a 2 MiB boundary so that two page tables are needed. */
	vaddr_t va = TEST_VA + PAGE_SIZE_2M - 8 * PAGE_SIZE;
	KT_ASSERT_EQ(vmm_map_range(kernel_pml4, va, page_to_phys(block), 16 * PAGE_SIZE,
				   VMM_READ | VMM_WRITE), 0);
	for (int i = 0; i < 16; i++) {
		KT_ASSERT(vmm_translate(kernel_pml4, va + i * PAGE_SIZE, &pa, NULL));
		KT_ASSERT_EQ(pa, page_to_phys(block) + i * PAGE_SIZE);
	}
	KT_ASSERT_EQ(vmm_table_pages(), tables + 3);
	vmm_unmap_range(kernel_pml4, va, 16 * PAGE_SIZE);
	KT_ASSERT(!vmm_translate(kernel_pml4, va, &pa, NULL));
	KT_ASSERT_EQ(vmm_table_pages(), tables);
	pmm_free_pages(block, 4);
}

static unsigned
prot_of(const void *va)
{
	unsigned prot = 0;

	vmm_translate(kernel_pml4, (vaddr_t)va, NULL, &prot);
	return prot;
}

static const int some_constant = 42;
static int some_variable = 1;

KTEST(kernel_image_permissions)
{
	unsigned text = prot_of((void *)ksym_address("kmain"));
	unsigned ro = prot_of(&some_constant), rw = prot_of(&some_variable);
	paddr_t pa;

	KT_ASSERT((text & VMM_EXEC) && !(text & VMM_WRITE));
	KT_ASSERT(!(ro & VMM_EXEC) && !(ro & VMM_WRITE));
	KT_ASSERT(!(rw & VMM_EXEC) && (rw & VMM_WRITE));
	KT_ASSERT(!((text | ro | rw) & VMM_USER));
	KT_ASSERT(!vmm_translate(kernel_pml4, 0, &pa, NULL));               /* page 0 */
	KT_ASSERT(!vmm_translate(kernel_pml4, 0x100000, &pa, NULL));        /* no identity map */
	KT_ASSERT(!vmm_translate(kernel_pml4, (vaddr_t)boot_stack_guard, &pa, NULL));
	KT_ASSERT(vmm_translate(kernel_pml4, DIRECT_MAP_BASE + ((max_pfn - 1) << PAGE_SHIFT), &pa, NULL));
	KT_ASSERT_EQ(pa, (max_pfn - 1) << PAGE_SHIFT);
	KT_ASSERT(!(prot_of(phys_to_virt(0x100000)) & VMM_EXEC));
}

KTEST(kstack_has_unmapped_guard)
{
	vaddr_t top = kstack_alloc();
	paddr_t pa;

	KT_ASSERT(top != 0);
	KT_ASSERT(vmm_translate(kernel_pml4, top - 8, &pa, NULL));
	KT_ASSERT(vmm_translate(kernel_pml4, top - KSTACK_SIZE, &pa, NULL));
	KT_ASSERT(!vmm_translate(kernel_pml4, top - KSTACK_SIZE - 1, &pa, NULL));
	KT_ASSERT(kstack_is_guard(top - KSTACK_SIZE - 1));
	KT_ASSERT(!kstack_is_guard(top - 8));
	memset((void *)(top - KSTACK_SIZE), 0x5a, KSTACK_SIZE);
	kstack_free(top);
	KT_ASSERT(!vmm_translate(kernel_pml4, top - 8, &pa, NULL));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15UL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct alloc {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

static bool
filled_with(const struct alloc *a)
{
	for (size_t i = 0; i < a->size; i++)
		if (a->p[i] != a->fill)
			return false;
	return true;
}

#define LIVE 256

/* Random sizes, random frees; contents must survive; everything comes back. */
KTEST(kmalloc_stress)
{
	static struct alloc live[LIVE];
	uint64_t errors = heap_stats.errors, objects = heap_stats.objects;

	memset(live, 0, sizeof(live));
	for (int step = 0; step < 20000; step++) {
		struct alloc *a = &live[rnd() % LIVE];
		if (a->p) {
			KT_ASSERT(filled_with(a));
			kfree(a->p);
			a->p = NULL;
			continue;
		}
		a->size = rnd() % 8 == 0 ? 1 + rnd() % 20000 : 1 + rnd() % KMALLOC_MAX_SMALL;
		a->p = kmalloc(a->size);
		KT_ASSERT(a->p != NULL);
		KT_ASSERT_EQ((vaddr_t)a->p & 15, 0);
		a->fill = (unsigned char)rnd();
		memset(a->p, a->fill, a->size);
		if (step % 1000 == 0)
			KT_ASSERT_EQ(heap_check(), 0);
	}
	for (int i = 0; i < LIVE; i++) {
		if (live[i].p) {
			KT_ASSERT(filled_with(&live[i]));
			kfree(live[i].p);
		}
	}
	KT_ASSERT_EQ(heap_check(), 0);
	KT_ASSERT_EQ(heap_stats.objects, objects);
	KT_ASSERT_EQ(heap_stats.errors, errors);
}

KTEST(kfree_reports_double_and_foreign_frees)
{
	uint64_t errors = heap_stats.errors;
	char *small = kmalloc(64), *other = kmalloc(64), *big = kmalloc(3 * PAGE_SIZE);
	int local;

	KT_ASSERT(small && other && big);
	kfree(small);
	kfree(small);                      /* double free */
	KT_ASSERT_EQ(heap_stats.errors, errors + 1);
	kfree(other + 8);                  /* not the start of an object */
	KT_ASSERT_EQ(heap_stats.errors, errors + 2);
	kfree(&local);                     /* a stack address */
	kfree((void *)&some_variable);     /* a static address */
	KT_ASSERT_EQ(heap_stats.errors, errors + 4);
	kfree(big + PAGE_SIZE);            /* inside a large allocation */
	KT_ASSERT_EQ(heap_stats.errors, errors + 5);
	kfree(big);
	kfree(big);                        /* double free of a large allocation */
	KT_ASSERT_EQ(heap_stats.errors, errors + 6);
	KT_ASSERT_EQ(heap_check(), 0);     /* and nothing was damaged */
	kfree(other);
	KT_ASSERT_EQ(heap_stats.errors, errors + 6);
	heap_stats.errors = errors;        /* these reports were expected */
}

KTEST(kmalloc_reports_write_after_free)
{
	uint64_t errors = heap_stats.errors;
	char *keep = kmalloc(128), *p = kmalloc(128), *q;

	kfree(p);
	p[40] = 1;                         /* a write after free */
	q = kmalloc(128);                  /* same class: takes p's object back */
	KT_ASSERT(q == p);
	KT_ASSERT_EQ(heap_stats.errors, errors + 1);
	kfree(q);
	kfree(keep);
	heap_stats.errors = errors;
}
