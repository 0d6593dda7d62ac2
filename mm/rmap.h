/*
 * mm/rmap.h - reverse mapping: from a frame to the PTEs that map it; and
 * the accounting that goes with every PTE that starts or stops mapping a
 * page or holding a swap slot.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include "kernel/list.h"
#include "mm/page.h"
#include "mm/vmm.h"

struct mm;

/* The family of address spaces that may share anonymous pages (fork). */
struct anon_root {
	struct list_head mms;
	int refcount;
};

/* Never sleep. */
struct anon_root *anon_root_create(void);
void anon_root_join(struct anon_root *root, struct mm *mm);
void anon_root_leave(struct mm *mm);

void rmap_add_new_anon(struct page *p, struct mm *mm, vaddr_t va);
void rmap_add_anon(struct page *p, struct mm *mm, vaddr_t va);
void rmap_add_file(struct page *p, struct mm *mm);
void rmap_remove(struct page *p, struct mm *mm);
void rmap_add_swap(struct mm *mm, swp_entry_t e);
void rmap_remove_swap(struct mm *mm, swp_entry_t e);

int page_referenced(struct page *p);
struct mm *rmap_first_mapper(struct page *p);
bool rmap_page_mlocked(struct page *p);
bool try_to_unmap(struct page *p);
bool rmap_mkclean(struct page *p);
void rmap_restore_swapped(struct page *p);

#endif
