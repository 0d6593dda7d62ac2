/*
 * mm/swap.h - swap: slots on disks for anonymous pages, the swap cache,
 * and swap I/O. The areas themselves: mm/swap_area.h, mm/swapon.h.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include "mm/page.h"
#include "mm/swap_readahead.h"
#include "mm/vmm.h"

#define SWAP_WRITE_MAX 32   /* pages swap_writeout() takes at once: one reclaim batch */
#define SWAP_RA_PAGES 8     /* pages read around a faulting one, at most */

struct swap_map;
struct mem_cgroup;

extern unsigned page_cluster;  /* /proc/sys/vm/page-cluster: readahead reads at most 2^N pages */

/* May sleep (disk I/O, and swap_readin's frames come through the door). */
void swap_init(void);                       /* mm/swapon.c */
int swap_writeout(struct page **pages, int n);
struct page *swap_readin(swp_entry_t e, const swp_entry_t *ahead, int nahead, int *err);

/* Never sleep (interrupts masked inside where the slot map or cache changes). */
bool swap_enabled(void);
uint64_t swap_total_slots(void);
uint64_t swap_free_slots(void);
uint64_t swap_cached_pages(void);
const struct swap_map *swap_slot_map(unsigned area);
struct mem_cgroup **swap_slot_owner(swp_entry_t e);
swp_entry_t swap_alloc_cached(struct page *page);
void swap_duplicate(swp_entry_t e);
void swap_put(swp_entry_t e);
unsigned swap_count(swp_entry_t e);
bool swap_entry_bad(swp_entry_t e);
struct page *swap_cache_lookup(swp_entry_t e);
void swap_cache_delete(struct page *page);
bool swap_cache_release(struct page *page);
bool swap_nearly_full(void);
uint32_t swap_readahead_window(struct swap_ra *ra, uint64_t pos, uint64_t *first);
void swap_readahead_used(struct page *p, struct swap_ra *ra, uint64_t pos);

#endif
