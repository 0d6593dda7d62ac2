/*
 * mm/kstack.h - kernel stacks with guard pages.
 */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include "mm/vmm.h"

#define KSTACK_AREA_BASE  0xffffc90000000000UL
#define KSTACK_SLOTS      2048
#define KSTACK_SLOT_SIZE  (8 * PAGE_SIZE)             /* 4 guard pages + stack */
#define KSTACK_PAGES      4                           /* 16 KiB of stack */
#define KSTACK_SIZE       (KSTACK_PAGES * PAGE_SIZE)
#define KSTACK_AREA_END   (KSTACK_AREA_BASE + KSTACK_SLOTS * KSTACK_SLOT_SIZE)

/* Never sleep. */
void kstack_init(pte_t *kernel_pml4);
vaddr_t kstack_alloc(void);
uint64_t kstack_pages(void);
void kstack_free(vaddr_t top);
bool kstack_is_guard(vaddr_t va);
bool kstack_contains(vaddr_t va);

#endif
