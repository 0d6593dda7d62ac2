/*
 * mm/x86/mmu.h - the MMU's control registers and TLB instructions.
 *
 * CR2 (the faulting address), CR3 (the root of the page tables) and
 * invlpg belong to mm/x86 alone (docs/design.md section 2); others ask here.
 */
#ifndef MM_X86_MMU_H
#define MM_X86_MMU_H

#include "kernel/types.h"

static inline vaddr_t
read_cr2(void)
{
	vaddr_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline paddr_t
read_cr3(void)
{
	paddr_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void
write_cr3(paddr_t pml4)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4) : "memory");
}

static inline void
invlpg(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

#endif
