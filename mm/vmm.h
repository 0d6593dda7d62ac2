/*
 * mm/vmm.h - page tables: map, unmap, protect and translate pages.
 *
 * Callers describe what an access may do with VMM_* flags; only
 * mm/vmm.c turns them into PTE bits. Every function takes the page-table
 * root first and keeps one argument order: (pml4, va, pa, len, prot).
 */
#ifndef MM_VMM_H
#define MM_VMM_H

#include "kernel/types.h"

typedef uint64_t pte_t;

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

/* A swap slot: a distinct type, so it can never be used as an address. */
typedef struct { uint64_t val; } swp_entry_t;

/* What a user PTE holds (vmm_next_entry). */
enum vmm_entry_kind { VMM_NONE, VMM_PAGE, VMM_SWAP };

void vmm_init(bool nx);
pte_t *vmm_new_table(void);
void vmm_free_table(pte_t *table);
pte_t *vmm_walk(pte_t *pml4, vaddr_t va, bool alloc);
int vmm_ensure_pml4_entry(pte_t *pml4, vaddr_t va);
int vmm_map(pte_t *pml4, vaddr_t va, paddr_t pa, unsigned prot);
int vmm_map_range(pte_t *pml4, vaddr_t va, paddr_t pa, size_t len, unsigned prot);
int vmm_map_large(pte_t *pml4, vaddr_t va, paddr_t pa, size_t page_size, unsigned prot);
int vmm_unmap(pte_t *pml4, vaddr_t va, paddr_t *old_pa);
int vmm_unmap_keep_tables(pte_t *pml4, vaddr_t va, paddr_t *old_pa);
void vmm_free_empty_tables(pte_t *pml4, vaddr_t va, size_t len);
void vmm_unmap_range(pte_t *pml4, vaddr_t va, size_t len);
int vmm_protect(pte_t *pml4, vaddr_t va, unsigned prot);
int vmm_protect_range(pte_t *pml4, vaddr_t va, size_t len, unsigned prot);
bool vmm_translate(pte_t *pml4, vaddr_t va, paddr_t *pa, unsigned *prot);
vaddr_t vmm_next_mapped(pte_t *pml4, vaddr_t va, vaddr_t end, paddr_t *pa, unsigned *prot);
vaddr_t vmm_next_entry(pte_t *pml4, vaddr_t va, vaddr_t end, enum vmm_entry_kind *kind,
		       paddr_t *pa, unsigned *prot, swp_entry_t *swp);
bool vmm_get_swap(pte_t *pml4, vaddr_t va, swp_entry_t *swp);
int vmm_set_swap(pte_t *pml4, vaddr_t va, swp_entry_t swp);
void vmm_clear_swap(pte_t *pml4, vaddr_t va);
bool vmm_test_and_clear_accessed(pte_t *pml4, vaddr_t va);
bool vmm_test_dirty(pte_t *pml4, vaddr_t va);
uint64_t vmm_table_pages(void);

#endif
