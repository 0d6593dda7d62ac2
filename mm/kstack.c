/*
 * mm/kstack.c - kernel stacks, each with unmapped guard pages below it.
 *
 * A kernel stack that overflows must fault at once, not silently run into
 * whatever lies below. So stacks live in their own area, one per 32 KiB
 * slot, and only the top 16 KiB of a slot is mapped:
 *
 *   slot i:  | guard | guard | guard | guard | stack | stack | stack | stack |
 *            ^ base + i * 32 KiB                                  top ^
 *
 * Running into the guard is a page fault the CPU cannot even push its
 * frame for (the stack pointer is in the guard), which makes it a double
 * fault; that one runs on its own IST stack (kernel/gdt.c), and
 * mm/x86/pf.c names it "kernel stack overflow" because CR2 is a guard page.
 */
#include "mm/kstack.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/pmm.h"

static pte_t *pml4;
static uint64_t used[KSTACK_SLOTS / 64];
static uint64_t nr_pages;          /* frames holding kernel stacks now */

/* How many frames hold kernel stacks now. */
uint64_t
kstack_pages(void)
{
	return nr_pages;
}

/* Called by kas_init(): the area's level-3 table must exist in the PML4
 * that every address space copies. */
void
kstack_init(pte_t *kernel_pml4)
{
	pml4 = kernel_pml4;
	if (vmm_ensure_pml4_entry(pml4, KSTACK_AREA_BASE) != 0)
		panic("kstack_init: no memory for the stack area's tables");
}

static vaddr_t
slot_base(unsigned slot)
{
	return KSTACK_AREA_BASE + (vaddr_t)slot * KSTACK_SLOT_SIZE;
}

static int
claim_slot(void)
{
	uint64_t flags = irq_save();
	int found = -1;

	for (unsigned i = 0; i < KSTACK_SLOTS && found < 0; i++) {
		if (!(used[i / 64] & (1UL << (i % 64)))) {
			used[i / 64] |= 1UL << (i % 64);
			found = (int)i;
		}
	}
	irq_restore(flags);
	return found;
}

static void
release_slot(unsigned slot)
{
	uint64_t flags = irq_save();

	used[slot / 64] &= ~(1UL << (slot % 64));
	irq_restore(flags);
}

static void
unmap_stack_pages(vaddr_t top, int npages)
{
	for (int i = 1; i <= npages; i++) {
		paddr_t pa;
		if (vmm_unmap(pml4, top - (vaddr_t)i * PAGE_SIZE, &pa) == 0) {
			phys_to_page(pa)->flags &= ~PG_KSTACK;
			pmm_free_pages(phys_to_page(pa), 0);
			nr_pages--;
		}
	}
}

/* Returns the top of a new 16 KiB stack (16-byte aligned), or 0 if out of memory. */
vaddr_t
kstack_alloc(void)
{
	int slot = claim_slot();
	vaddr_t top;

	if (slot < 0)
		return 0;
	top = slot_base((unsigned)slot) + KSTACK_SLOT_SIZE;
	for (int i = 1; i <= KSTACK_PAGES; i++) {
		struct page *p = pmm_alloc_pages(0);
		if (!p || vmm_map(pml4, top - (vaddr_t)i * PAGE_SIZE, page_to_phys(p),
				  VMM_READ | VMM_WRITE | VMM_GLOBAL) != 0) {
			if (p)
				pmm_free_pages(p, 0);
			unmap_stack_pages(top, i - 1);
			release_slot((unsigned)slot);
			return 0;
		}
		p->flags |= PG_KSTACK;
		nr_pages++;
		/* Zeroed, as Linux's stacks are (THREADINFO_GFP has __GFP_ZERO): no
		 * old task's data in a new one's stack. Under QEMU's TCG it also
		 * matters for speed: a frame where firmware code once ran still
		 * has translated code attached, and until every byte of it is
		 * written, each write to the page takes QEMU's slow path (this
		 * made the swap workloads up to five times slower, depending on
		 * which frame init's stack happened to get). */
		memset(page_address(p), 0, PAGE_SIZE);
	}
	return top;
}

/* Frees a stack from kstack_alloc(). Never the one we are running on. */
void
kstack_free(vaddr_t top)
{
	unsigned slot = (unsigned)((top - 1 - KSTACK_AREA_BASE) / KSTACK_SLOT_SIZE);

	ASSERT(kstack_contains(top - 1) && top == slot_base(slot) + KSTACK_SLOT_SIZE);
	unmap_stack_pages(top, KSTACK_PAGES);
	release_slot(slot);
}

bool
kstack_contains(vaddr_t va)
{
	return va >= KSTACK_AREA_BASE && va < KSTACK_AREA_END;
}

/* True if va is in the unmapped part of a stack slot. */
bool
kstack_is_guard(vaddr_t va)
{
	return kstack_contains(va) &&
	       (va - KSTACK_AREA_BASE) % KSTACK_SLOT_SIZE < KSTACK_SLOT_SIZE - KSTACK_SIZE;
}
