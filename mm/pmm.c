/*
 * mm/pmm.c - owning physical memory: the struct page array and the buddy
 * allocator over every usable frame (docs/design.md section 5).
 *
 * At boot, from the multiboot2 memory map:
 *   1. usable RAM is what the map calls usable, cut at mem= if given;
 *   2. pages[] (one struct page per frame up to the highest usable one) is
 *      placed in the first usable range that has room and is not used by
 *      the kernel image, GRUB's modules or its information block;
 *   3. every frame starts reserved; usable frames are released, then the
 *      kernel image, modules, info block, pages[] and frame 0 are reserved
 *      again; what remains goes to the buddy allocator.
 *
 * The boot page tables map only the first GiB, so pmm_init() hands out
 * frames below 1 GiB only; mm/kas.c builds the direct map of all RAM from
 * those, and pmm_init_late() then adds the frames above.
 *
 * Interrupts are disabled around the allocator: interrupt handlers may
 * allocate too (single CPU).
 */
#include "mm/pmm.h"
#include "kernel/cmdline.h"
#include "kernel/fault_inject.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/buddy.h"
#include "mm/evict.h"
#include "mm/memcg.h"
#include "mm/vmstat.h"

#define BOOT_MAPPED_LIMIT (1UL << 30)   /* what boot/entry.asm maps */

struct page *pages;
pfn_t max_pfn;
struct pmm_stats pmm_stats;
static struct buddy buddy;

struct range {
	paddr_t start, end;
};

/* Physical ranges in use before the allocator exists. */
static struct range taken[BOOT_MAX_MODULES + 3];
static int ntaken;

static void
take(paddr_t start, paddr_t end)
{
	taken[ntaken++] = (struct range){ ALIGN_DOWN(start, PAGE_SIZE), ALIGN_UP(end, PAGE_SIZE) };
}

static bool
overlaps_taken(paddr_t start, paddr_t end)
{
	for (int i = 0; i < ntaken; i++)
		if (start < taken[i].end && taken[i].start < end)
			return true;
	return false;
}

/* The usable part of a memory map entry, in whole frames, cut at mem=. */
static struct range
usable_part(const struct boot_mmap_entry *e)
{
	struct range r = { ALIGN_UP(e->base, PAGE_SIZE), ALIGN_DOWN(e->base + e->len, PAGE_SIZE) };

	if (pmm_stats.limit && r.end > pmm_stats.limit)
		r.end = pmm_stats.limit;
	if (e->type != MMAP_USABLE || r.end <= r.start)
		r.end = r.start = 0;
	return r;
}

/* First fit for size bytes in usable RAM below the boot mapping. */
static paddr_t
place_memmap(size_t size)
{
	for (int i = 0; i < boot_info.nmmap; i++) {
		struct range r = usable_part(&boot_info.mmap[i]);
		for (paddr_t a = MAX(r.start, PAGE_SIZE); a + size <= r.end; a += PAGE_SIZE) {
			if (a + size > BOOT_MAPPED_LIMIT)
				break;
			if (!overlaps_taken(a, a + size))
				return a;
		}
	}
	panic("pmm_init: no room for %lu KiB of struct page below 1 GiB", size >> 10);
}

static void
set_reserved(paddr_t start, paddr_t end, bool reserved)
{
	for (pfn_t pfn = start >> PAGE_SHIFT; pfn < (end >> PAGE_SHIFT) && pfn < max_pfn; pfn++) {
		if (reserved)
			pages[pfn].flags |= PG_RESERVED;
		else
			pages[pfn].flags &= ~PG_RESERVED;
	}
}

static void
mark_frames(void)
{
	for (pfn_t pfn = 0; pfn < max_pfn; pfn++) {
		pages[pfn] = (struct page){ .flags = PG_RESERVED };
		list_init(&pages[pfn].lru);
	}
	for (int i = 0; i < boot_info.nmmap; i++) {
		struct range r = usable_part(&boot_info.mmap[i]);
		set_reserved(r.start, r.end, false);
		pmm_stats.usable += (r.end - r.start) >> PAGE_SHIFT;
	}
	/* A range the map calls both usable and reserved is reserved. */
	for (int i = 0; i < boot_info.nmmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		if (e->type != MMAP_USABLE)
			set_reserved(ALIGN_DOWN(e->base, PAGE_SIZE), ALIGN_UP(e->base + e->len, PAGE_SIZE), true);
	}
	for (int i = 0; i < ntaken; i++)
		set_reserved(taken[i].start, taken[i].end, true);
	pages[0].flags |= PG_RESERVED;   /* physical 0 stays unused: a NULL never names a frame */
}

/* Gives the free frames in [lo, hi) to the buddy allocator, in runs. */
static void
release_frames(paddr_t lo, paddr_t hi)
{
	pfn_t end = MIN(hi >> PAGE_SHIFT, max_pfn);

	for (pfn_t pfn = lo >> PAGE_SHIFT; pfn < end;) {
		if (pages[pfn].flags & PG_RESERVED) {
			pfn++;
			continue;
		}
		pfn_t run = pfn;
		while (run < end && !(pages[run].flags & PG_RESERVED))
			run++;
		buddy_add_range(&buddy, pfn, run);
		pfn = run;
	}
}

/* Builds pages[] and frees the frames below 1 GiB. Interrupts off. */
void
pmm_init(void)
{
	paddr_t top = 0, memmap;

	pmm_stats.limit = karg_get("mem") ? ALIGN_DOWN(karg_get_u64("mem", 0), PAGE_SIZE) : 0;
	for (int i = 0; i < boot_info.nmmap; i++)
		top = MAX(top, usable_part(&boot_info.mmap[i]).end);
	if (top == 0)
		panic("pmm_init: the memory map has no usable RAM");
	max_pfn = top >> PAGE_SHIFT;

	take(virt_to_phys(__kernel_start), virt_to_phys(__kernel_end));
	take(boot_info.mbi_start, boot_info.mbi_end);
	for (int i = 0; i < boot_info.nmodules; i++)
		take(boot_info.modules[i].start, boot_info.modules[i].end);
	pmm_stats.memmap_bytes = max_pfn * sizeof(struct page);
	memmap = place_memmap(ALIGN_UP(pmm_stats.memmap_bytes, PAGE_SIZE));
	take(memmap, memmap + pmm_stats.memmap_bytes);
	pages = phys_to_virt(memmap);

	mark_frames();
	buddy_init(&buddy, pages, max_pfn);
	release_frames(0, BOOT_MAPPED_LIMIT);
}

/* Frees the frames above 1 GiB, once the direct map reaches them. */
void
pmm_init_late(void)
{
	release_frames(BOOT_MAPPED_LIMIT, max_pfn << PAGE_SHIFT);
	pmm_stats.free_at_boot = buddy.nr_free;
	pmm_stats.kernel = pmm_stats.usable - buddy.nr_free;
}

/*
 * Gives the frames of [start, end) - memory reserved at boot, such as
 * GRUB's initrd module once the root file system is on a disk - to the
 * allocator. Returns how many frames were added.
 */
uint64_t
pmm_release_boot_range(paddr_t start, paddr_t end)
{
	uint64_t flags = irq_save(), before = buddy.nr_free;

	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	for (pfn_t pfn = start >> PAGE_SHIFT; pfn < (end >> PAGE_SHIFT) && pfn < max_pfn; pfn++)
		pages[pfn].flags &= ~PG_RESERVED;
	if (end > start)
		buddy_add_range(&buddy, start >> PAGE_SHIFT, MIN(end >> PAGE_SHIFT, max_pfn));
	irq_restore(flags);
	return buddy.nr_free - before;
}

/*
 * Returns the first of 2^order contiguous free frames (refcount 1), or
 * NULL when none is left. Kernel use only: user pages come through the
 * reclaim-aware door (mm/reclaim.c, later).
 */
struct page *
pmm_alloc_pages(unsigned order)
{
	uint64_t flags;
	struct page *p;

	if (order >= fail_page_alloc.min_order && should_fail(&fail_page_alloc, PAGE_SIZE << order))
		return NULL;
	flags = irq_save();
	p = buddy_alloc(&buddy, order);

	irq_restore(flags);
	return p;
}

/* Frees 2^order frames from pmm_alloc_pages(). A bad free is a kernel bug. */
void
pmm_free_pages(struct page *page, unsigned order)
{
	uint64_t flags = irq_save();
	int err = buddy_free(&buddy, page, order);

	irq_restore(flags);
	if (err)
		panic("pmm_free_pages: frame %#lx (order %u) is not an allocated block: "
		      "double free, reserved frame, or wrong order", page_to_phys(page), order);
}

/* Takes another reference to a frame. */
void
get_page(struct page *p)
{
	p->refcount++;
}

/* Drops a reference; the frame is freed when the last one goes. */
void
put_page(struct page *p)
{
	ASSERT(p->refcount > 0);
	if (--p->refcount == 0) {
		ASSERT(!(p->flags & PG_SWAPCACHE) && p->mapcount == 0);
		evict_remove(p);
		if (p->flags & PG_MLOCKED)
			vmstat_dec(NR_MLOCK);     /* its locked mapping went without munlock_page() */
		memcg_uncharge(p);
		if (p->flags & PG_ANON)
			vmstat_dec(NR_ANON_PAGES);
		p->flags &= ~(PG_ANON | PG_SHMEM | PG_MLOCKED | PG_EVICT_POLICY);
		p->owner = NULL;          /* a free frame belongs to nobody: no stale pointer for */
		p->index = 0;             /* GDB's helpers or memsnap to follow */
		p->refcount = 1;          /* pmm_free_pages() expects an allocated block */
		pmm_free_pages(p, 0);
	}
}

uint64_t
pmm_free_frames(void)
{
	return buddy.nr_free;
}

uint64_t
pmm_free_blocks(unsigned order)
{
	return order <= MAX_ORDER ? buddy.nr_free_blocks[order] : 0;
}

void
pmm_print_summary(void)
{
	uint64_t memmap_kib = pmm_stats.memmap_bytes >> 10;
	uint64_t hundredths = pmm_stats.memmap_bytes * 10000 / (pmm_stats.usable << PAGE_SHIFT);

	pr_info("mm: usable RAM %lu KiB (%lu frames)%s; highest frame %#lx\n",
		pmm_stats.usable << 2, pmm_stats.usable,
		pmm_stats.limit ? ", cut by mem=" : "", max_pfn - 1);
	pr_info("mm: struct page is %zu bytes; %lu descriptors take %lu KiB = %lu.%02lu%% of usable RAM\n",
		sizeof(struct page), max_pfn, memmap_kib, hundredths / 100, hundredths % 100);
	pr_info("mm: %lu frames went to the kernel image, modules, boot info, descriptors and page tables; %lu frames (%lu KiB) free\n",
		pmm_stats.kernel, pmm_stats.free_at_boot, pmm_stats.free_at_boot << 2);
}
