/*
 * tests/unit/vmm_host.h - the machine mm/x86/vmm.c runs on in its host
 * test (tests/unit/test_vmm.c, which includes this file once, after
 * unit.h).
 *
 * vmm.c is #included here, not linked: the test reaches its static
 * walk_to_level(), and vmm.c gets this file's physical memory instead of
 * the kernel's. Physical memory is a host array of NFRAMES frames:
 *
 *   kernel (mm/layout.h, mm/pmm.c)          here
 *   phys_to_virt(pa) = DIRECT_MAP_BASE + pa    &ram[pa]   (a panic outside it)
 *   virt_to_phys(va) = va - DIRECT_MAP_BASE    va - ram
 *   pmm_alloc_pages / pmm_free_pages           a bitmap over ram's frames,
 *                                              poisoned when handed out and back
 *   invlpg(va)                                 remembers va (was_flushed)
 */
#ifndef TESTS_UNIT_VMM_HOST_H
#define TESTS_UNIT_VMM_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include "unit.h"

/* The kernel's direct map and invlpg, renamed out of the way: ours follow. */
#define phys_to_virt kernel_phys_to_virt
#define virt_to_phys kernel_virt_to_phys
#include "mm/layout.h"
#undef phys_to_virt
#undef virt_to_phys
#define invlpg kernel_invlpg
#include "mm/x86/mmu.h"
#undef invlpg

static void *phys_to_virt(paddr_t pa);
static paddr_t virt_to_phys(const void *va);
static void invlpg(vaddr_t va);

#include "mm/x86/vmm.c"

/* ---- The test's physical memory ---- */

#define NFRAMES 64
#define POISON  0xa5

static uint8_t ram[NFRAMES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct page frames[NFRAMES];
struct page *pages = frames;
pfn_t max_pfn = NFRAMES;

static bool in_use[NFRAMES];
static int frames_in_use;
static int alloc_budget;           /* allocations that may still succeed; -1: any number */

static void *
phys_to_virt(paddr_t pa)
{
	if (pa >= sizeof(ram))
		panic("phys_to_virt: %#lx is not in the test's physical memory (%d frames): "
		      "an entry's address, or the address bits of an entry read as a table?",
		      pa, NFRAMES);
	return ram + pa;
}

static paddr_t
virt_to_phys(const void *va)
{
	const uint8_t *p = va;

	if (p < ram || p >= ram + sizeof(ram))
		panic("virt_to_phys: %p is not in the test's physical memory", va);
	return (paddr_t)(p - ram);
}

struct page *
pmm_alloc_pages(unsigned order)
{
	CHECK(order == 0);
	if (alloc_budget == 0)
		return NULL;
	/* From the top, and never frame 0: an address 0 must not look right by chance. */
	for (pfn_t pfn = NFRAMES - 1; pfn > 0; pfn--) {
		if (in_use[pfn])
			continue;
		in_use[pfn] = true;
		frames_in_use++;
		if (alloc_budget > 0)
			alloc_budget--;
		memset(ram + pfn * PAGE_SIZE, POISON, PAGE_SIZE);
		frames[pfn] = (struct page){ .refcount = 1 };
		return &frames[pfn];
	}
	return NULL;
}

void
pmm_free_pages(struct page *page, unsigned order)
{
	pfn_t pfn = (pfn_t)(page - frames);

	if (pfn >= NFRAMES || order != 0 || !in_use[pfn])
		panic("pmm_free_pages: frame %lu (order %u) is not allocated", pfn, order);
	CHECK(!(page->flags & PG_PGTABLE));
	in_use[pfn] = false;
	frames_in_use--;
	memset(ram + pfn * PAGE_SIZE, POISON, PAGE_SIZE);
}

/* ---- The TLB: what was flushed ---- */

static vaddr_t flushed[256];
static int nr_flushed;

static void
invlpg(vaddr_t va)
{
	if (nr_flushed < (int)ARRAY_SIZE(flushed))
		flushed[nr_flushed] = va;
	nr_flushed++;
}

static bool
was_flushed(vaddr_t va)
{
	for (int i = 0; i < nr_flushed && i < (int)ARRAY_SIZE(flushed); i++)
		if (ALIGN_DOWN(flushed[i], PAGE_SIZE) == ALIGN_DOWN(va, PAGE_SIZE))
			return true;
	return false;
}

#endif
