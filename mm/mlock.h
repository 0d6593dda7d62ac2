/*
 * mm/mlock.h - locked memory (mlock, mlockall): regions whose pages stay
 * in RAM, never swapped out or dropped.
 */
#ifndef MM_MLOCK_H
#define MM_MLOCK_H

#include "mm/page.h"
#include "mm/vmm.h"

struct mm;
struct vma;

/* Never sleep; the caller holds mm->mmap_lock (to write, for a region's flags). */
void mlock_page(struct page *p);
void munlock_page(struct page *p);
void munlock_region(struct mm *mm, struct vma *v);
void mlock_fault_done(struct mm *mm, vaddr_t va, const struct vmm_entry *before);
uint64_t mm_locked_vm(const struct mm *mm);

/* Sleeps (page faults); takes mm->mmap_lock to read, page by page. */
int mm_populate(struct mm *mm, vaddr_t start, vaddr_t end);

#endif
