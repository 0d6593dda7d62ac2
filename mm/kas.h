/*
 * mm/kas.h - the kernel address space: the page tables every process shares
 * in its upper half.
 */
#ifndef MM_KAS_H
#define MM_KAS_H

#include "mm/layout.h"
#include "mm/vmm.h"

extern pte_t *kernel_pml4;

/* Never sleep; any context. */
void kas_init(void);
bool kas_ready(void);
bool kas_readable(vaddr_t va, size_t len);
const char *kas_describe(vaddr_t va);
bool kas_is_stack_guard(vaddr_t va);
bool kas_has_phys(const void *buf, size_t len);
bool kas_dma_reachable(const void *buf, size_t len, paddr_t limit);
void kas_print_map(void);

#endif
