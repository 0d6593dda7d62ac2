/*
 * mm/pmm.h - physical memory: the frame array and the frame allocator.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include "mm/layout.h"
#include "mm/page.h"

extern struct page *pages;   /* pages[pfn], for every pfn below max_pfn */
extern pfn_t max_pfn;

struct pmm_stats {
	uint64_t usable;        /* frames the memory map calls usable (after mem=) */
	uint64_t kernel;        /* of those, taken at boot: image, modules, info, pages[] */
	uint64_t free_at_boot;  /* free once boot is done */
	uint64_t memmap_bytes;  /* size of pages[] */
	paddr_t limit;          /* mem= (0: none) */
};

extern struct pmm_stats pmm_stats;

/* Never sleep; any context (interrupts masked inside). */
void pmm_init(void);
void pmm_init_late(void);
uint64_t pmm_release_boot_range(paddr_t start, paddr_t end);
struct page *pmm_alloc_pages(unsigned order);
void pmm_free_pages(struct page *page, unsigned order);
uint64_t pmm_free_frames(void);
void get_page(struct page *p);
void put_page(struct page *p);
uint64_t pmm_free_blocks(unsigned order);
void pmm_print_summary(void);

static inline pfn_t page_to_pfn(const struct page *p) { return (pfn_t)(p - pages); }
static inline struct page *pfn_to_page(pfn_t pfn) { return &pages[pfn]; }
static inline paddr_t page_to_phys(const struct page *p) { return page_to_pfn(p) << PAGE_SHIFT; }
static inline struct page *phys_to_page(paddr_t pa) { return &pages[pa >> PAGE_SHIFT]; }
static inline void *page_address(const struct page *p) { return phys_to_virt(page_to_phys(p)); }
static inline struct page *virt_to_page(const void *va) { return phys_to_page(virt_to_phys(va)); }

#endif
