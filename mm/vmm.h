/*
 * mm/vmm.h - page tables, as the rest of the kernel sees them: map,
 * unmap, protect and translate pages, and read or change one entry.
 *
 * The implementation is x86's (mm/x86/vmm.c, the only code that knows
 * PTE bits: mm/x86/pte.h). Callers speak VMM_* rights and struct
 * vmm_entry; a pte_t is an opaque value to them, which they may copy and
 * compare (has this entry changed while I slept?) but never decode.
 *
 * Two ways in:
 *   - by address: vmm_map(pml4, va, pa, prot) and friends walk the tables
 *     each time; for the kernel's own mappings and for ranges;
 *   - by entry: vmm_walk() finds the level-1 entry once, and the decision
 *     code (a page fault, reverse mapping) reads it with vmm_read() and
 *     changes it with vmm_set_page(), vmm_set_swap(), vmm_clear() ... -
 *     one walk per decision.
 *
 * Every function takes the page-table root (or the entry) first and keeps
 * one argument order: (pml4, va, pa, len, prot). Whoever weakens or
 * removes a present mapping flushes its TLB entry before returning: these
 * functions do it. None of them sleeps; interrupts on or off.
 */
#ifndef MM_VMM_H
#define MM_VMM_H

#include "kernel/types.h"
#include "mm/swap_entry.h"

typedef uint64_t pte_t;        /* an entry of a page table, at any level */

enum vmm_prot {
	VMM_READ   = 1 << 0,
	VMM_WRITE  = 1 << 1,
	VMM_EXEC   = 1 << 2,
	VMM_USER   = 1 << 3,   /* ring 3 may use it */
	VMM_GLOBAL = 1 << 4,   /* same in every address space: kept across CR3 loads */
	VMM_NOCACHE = 1 << 5,  /* device registers (MMIO): uncached, every access reaches the device */
};

#define PAGE_SIZE_2M (1UL << 21)
#define PAGE_SIZE_1G (1UL << 30)

/* What a level-1 entry holds. */
enum vmm_entry_kind { VMM_NONE, VMM_PAGE, VMM_SWAP };

/* One entry, decoded (vmm_read). */
struct vmm_entry {
	enum vmm_entry_kind kind;
	paddr_t pa;            /* VMM_PAGE: the frame */
	unsigned prot;         /* VMM_PAGE: what an access may do (VMM_*) */
	bool accessed;         /* VMM_PAGE: the MMU set A: used since A was cleared */
	bool dirty;            /* VMM_PAGE: the MMU set D: written since it was mapped */
	swp_entry_t swap;      /* VMM_SWAP: where the page's data is */
};

void vmm_init(bool nx);
pte_t *vmm_new_table(void);
void vmm_free_table(pte_t *table);
uint64_t vmm_table_pages(void);

/* By address. */
int vmm_ensure_pml4_entry(pte_t *pml4, vaddr_t va);
int vmm_map(pte_t *pml4, vaddr_t va, paddr_t pa, unsigned prot);
int vmm_map_range(pte_t *pml4, vaddr_t va, paddr_t pa, size_t len, unsigned prot);
int vmm_map_large(pte_t *pml4, vaddr_t va, paddr_t pa, size_t page_size, unsigned prot);
int vmm_unmap(pte_t *pml4, vaddr_t va, paddr_t *old_pa);
void vmm_unmap_range(pte_t *pml4, vaddr_t va, size_t len);
void vmm_free_empty_tables(pte_t *pml4, vaddr_t va, size_t len);
int vmm_protect(pte_t *pml4, vaddr_t va, unsigned prot);
bool vmm_translate(pte_t *pml4, vaddr_t va, paddr_t *pa, unsigned *prot);

/* By entry. */
pte_t *vmm_walk(pte_t *pml4, vaddr_t va, bool alloc);
vaddr_t vmm_next_entry(pte_t *pml4, vaddr_t va, vaddr_t end, pte_t **pte);
struct vmm_entry vmm_read(pte_t value);
void vmm_set_page(pte_t *pte, vaddr_t va, paddr_t pa, unsigned prot);
struct vmm_entry vmm_set_swap(pte_t *pte, vaddr_t va, swp_entry_t e);
struct vmm_entry vmm_clear(pte_t *pte, vaddr_t va);
void vmm_move_entry(pte_t *src, vaddr_t src_va, pte_t *dst);
void vmm_set_prot(pte_t *pte, vaddr_t va, unsigned prot);
bool vmm_test_and_clear_accessed(pte_t *pte, vaddr_t va);
bool vmm_mkclean(pte_t *pte, vaddr_t va);
bool vmm_entry_changed(const pte_t *pte, pte_t seen);

#endif
