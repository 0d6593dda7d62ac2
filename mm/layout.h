/*
 * mm/layout.h - the virtual address map (docs/design.md section 4).
 *
 *   0x0000000000000000  page 0, never mapped: NULL dereferences fault
 *   0x0000000000400000  user programs, heap, mmap area
 *   0x00007fffffffe000  top of the user stack
 *   ---- non-canonical hole ----
 *   0xffff800000000000  direct map: physical address p is at DIRECT_MAP_BASE + p
 *   0xffffc90000000000  kernel stacks, guard pages below each (mm/kstack.h)
 *   0xffffffff40000000  PCI MMIO window: device registers, mapped uncached
 *                       by drivers/pci.c (1 GiB)
 *   0xffffffff80000000  kernel image (linked here, loaded at physical 1 MiB)
 *
 * Until mm/ builds the final tables, the boot code maps the first GiB of
 * physical memory at both kernel windows, so phys_to_virt() works from
 * the first line of kmain() for anything below 1 GiB.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include "kernel/types.h"

#define KERNEL_VMA       0xffffffff80000000UL
#define DIRECT_MAP_BASE  0xffff800000000000UL
#define USER_TOP         0x0000800000000000UL   /* first non-user address */
#define MMAP_MIN_ADDR    0x10000UL              /* lowest mappable user address: Linux's vm.mmap_min_addr */
#define PCI_MMIO_BASE    0xffffffff40000000UL   /* device registers (BARs) */
#define PCI_MMIO_SIZE    (1UL << 30)

static inline void *
phys_to_virt(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

/* For addresses in the direct map or in the kernel image. */
static inline paddr_t
virt_to_phys(const void *va)
{
	vaddr_t v = (vaddr_t)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - DIRECT_MAP_BASE;
}

/* Symbols from linker.ld. Use their addresses, never their values. */
extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[];

#endif
