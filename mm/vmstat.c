/*
 * mm/vmstat.c - the counters behind /proc/vmstat and parts of /proc/meminfo.
 *
 * Each counter has the name Linux gives it, so a program that reads
 * /proc/vmstat reads the same line on both systems.
 */
#include "mm/vmstat.h"
#include "kernel/printk.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/vmm.h"

uint64_t vmstat[NR_VMSTAT_ITEMS];

const char *const vmstat_names[NR_VMSTAT_ITEMS] = {
	[NR_ANON_PAGES] = "nr_anon_pages",
	[NR_SHMEM] = "nr_shmem",
	[NR_SHMEM_SWAPPED] = "nr_shmem_swapped",
	[NR_MLOCK] = "nr_mlock",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_VMSCAN_WRITE] = "nr_vmscan_write",
	[NR_DIRTIED] = "nr_dirtied",
	[NR_WRITTEN] = "nr_written",
	[PGFAULT] = "pgfault",
	[PGMAJFAULT] = "pgmajfault",
	[PGPGIN] = "pgpgin",
	[PGPGOUT] = "pgpgout",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGSCAN_KSWAPD] = "pgscan_kswapd",
	[PGSCAN_DIRECT] = "pgscan_direct",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[OOM_KILL] = "oom_kill",
	[NR_SWAP_WRITES] = "swap_write_requests",
	[SWAP_RA] = "swap_ra",
	[SWAP_RA_HIT] = "swap_ra_hit",
	[NR_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
};

/* Counts free frames and the frames of each kind of use. Interrupts off or on. */
struct mm_census
mm_census_take(void)
{
	return (struct mm_census){
		.free = pmm_free_frames(), .slab_pages = heap_stats.slab_pages,
		.large_pages = heap_stats.large_pages, .objects = heap_stats.objects,
		.tables = vmm_table_pages(), .kstacks = kstack_pages(), .anon = vmstat[NR_ANON_PAGES],
		.pagecache = nr_pagecache_pages, .swapcache = swap_cached_pages(),
	};
}

/*
 * Prints how each count moved between two censuses: where frames that
 * did not come back went (a slab page with objects still in it, a page
 * table, an anonymous page nobody freed ...).
 */
void
mm_census_report(const struct mm_census *before, const struct mm_census *after)
{
	printk("mm: frames then/now: free %lu/%lu, slab %lu/%lu (objects %lu/%lu), large kmalloc "
	       "%lu/%lu, page tables %lu/%lu, kernel stacks %lu/%lu, anon %lu/%lu, page cache %lu/%lu, swap cache %lu/%lu\n",
	       before->free, after->free, before->slab_pages, after->slab_pages, before->objects,
	       after->objects, before->large_pages, after->large_pages, before->tables, after->tables,
	       before->kstacks, after->kstacks, before->anon, after->anon, before->pagecache, after->pagecache, before->swapcache,
	       after->swapcache);
}
