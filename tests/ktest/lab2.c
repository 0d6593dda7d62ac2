/*
 * tests/ktest/lab2.c - lab 2's in-kernel tests (docs/labs/lab2.md): the
 * buddy allocator and the page-table walk, on the real machine.
 * `test=lab2` runs both; the grader boots each alone (tests/labs/lab2.sh).
 *
 * Each works on objects of its own - blocks it takes from the frame
 * allocator and gives back, a fresh PML4 with user mappings that is never
 * loaded into CR3 - so that the kernel's boot, which needed both pieces
 * of code, is not what proves them right. ktest.c checks afterwards that
 * every frame came back.
 */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

/*
 * Taking a block of any order and giving it back must leave the free
 * lists exactly as they were: the split halves merge back with their
 * buddies, up to the block that was split.
 */
KTEST_GROUP(lab2_blocks_split_and_merge_back, "lab2")
{
	uint64_t before[MAX_ORDER + 1];
	struct page *p, *q;

	for (unsigned o = 0; o <= MAX_ORDER; o++)
		before[o] = pmm_free_blocks(o);
	for (unsigned order = 0; order <= MAX_ORDER; order++) {
		p = pmm_alloc_pages(order);
		KT_ASSERT(p != NULL);
		KT_ASSERT_EQ(page_to_pfn(p) & ((1UL << order) - 1), 0);
		KT_ASSERT(!(p->flags & (PG_BUDDY | PG_RESERVED)));
		pmm_free_pages(p, order);
		for (unsigned o = 0; o <= MAX_ORDER; o++)
			KT_ASSERT_EQ(pmm_free_blocks(o), before[o]);
	}

	/* Two single frames, given back in the order they came. */
	p = pmm_alloc_pages(0);
	q = pmm_alloc_pages(0);
	KT_ASSERT(p != NULL && q != NULL && p != q);
	pmm_free_pages(p, 0);
	pmm_free_pages(q, 0);
	for (unsigned o = 0; o <= MAX_ORDER; o++)
		KT_ASSERT_EQ(pmm_free_blocks(o), before[o]);
}

/*
 * A user address space of its own: pages whose addresses differ at each
 * level, translated back, then unmapped; its tables must all be freed.
 */
KTEST_GROUP(lab2_user_page_tables, "lab2")
{
	static const vaddr_t va[] = {
		0x400000,                         /* where programs start */
		0x400000 + (1UL << 21),           /* next page table */
		0x400000 + (1UL << 30),           /* next page directory */
		0x00007ffffffff000UL,             /* the top user page: PML4 slot 255 */
	};
	uint64_t tables = vmm_table_pages();
	struct page *frame = pmm_alloc_pages(0);
	pte_t *pml4 = vmm_new_table();
	paddr_t pa;
	unsigned prot;

	KT_ASSERT(frame != NULL && pml4 != NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(va); i++)
		KT_ASSERT_EQ(vmm_map(pml4, va[i], page_to_phys(frame), VMM_READ | VMM_WRITE | VMM_USER), 0);
	KT_ASSERT_EQ(vmm_map(pml4, va[0], page_to_phys(frame), VMM_READ), -EEXIST);
	/* The PML4, then PDPT + PD + PT, a PT, a PD + PT, PDPT + PD + PT. */
	KT_ASSERT_EQ(vmm_table_pages(), tables + 1 + 3 + 1 + 2 + 3);
	for (unsigned i = 0; i < ARRAY_SIZE(va); i++) {
		KT_ASSERT(vmm_translate(pml4, va[i] + 0x10, &pa, &prot));
		KT_ASSERT_EQ(pa, page_to_phys(frame) + 0x10);
		KT_ASSERT_EQ(prot & ~VMM_EXEC, VMM_READ | VMM_WRITE | VMM_USER);   /* EXEC only without NX */
	}
	KT_ASSERT(!vmm_translate(pml4, va[0] + PAGE_SIZE, &pa, &prot));
	for (unsigned i = 0; i < ARRAY_SIZE(va); i++) {
		KT_ASSERT_EQ(vmm_unmap(pml4, va[i], &pa), 0);
		KT_ASSERT_EQ(pa, page_to_phys(frame));
		KT_ASSERT(!vmm_translate(pml4, va[i], &pa, &prot));
	}
	KT_ASSERT_EQ(vmm_table_pages(), tables + 1);
	vmm_free_table(pml4);
	pmm_free_pages(frame, 0);
}
