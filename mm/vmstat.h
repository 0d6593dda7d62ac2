/*
 * mm/vmstat.h - memory counters, under Linux's names (/proc/vmstat).
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "kernel/types.h"

enum vmstat_item {
	NR_ANON_PAGES,     /* frames of anonymous memory (AnonPages in meminfo) */
	NR_SHMEM,          /* frames of shared memory objects (Shmem in meminfo; mm/shmem.c) */
	NR_SHMEM_SWAPPED,  /* pages of shared memory objects out on swap (pagoda's own) */
	NR_MLOCK,          /* frames a locked region maps: off the eviction lists (Mlocked) */
	NR_FILE_DIRTY,     /* file pages written in memory, not yet on the disk (Dirty; mm/writeback.c) */
	NR_WRITEBACK,      /* file pages being written to the disk now (Writeback) */
	NR_VMSCAN_WRITE,   /* dirty file pages whose writeback reclaim started (mm/reclaim.c) */
	NR_DIRTIED,        /* file pages that became dirty, since boot */
	NR_WRITTEN,        /* file pages written back, since boot */
	PGFAULT,           /* page faults handled */
	PGMAJFAULT,        /* ... that had to read from a disk */
	PGPGIN,            /* KiB read from disks */
	PGPGOUT,           /* KiB written to disks */
	PSWPIN,            /* pages read from swap */
	PSWPOUT,           /* pages written to swap */
	PGSCAN_KSWAPD,     /* pages looked at by kswapd's reclaim */
	PGSCAN_DIRECT,     /* ... by direct reclaim (an allocation below min) */
	PGSTEAL_KSWAPD,    /* pages reclaimed by kswapd */
	PGSTEAL_DIRECT,    /* ... by direct reclaim */
	OOM_KILL,          /* processes the OOM killer killed */
	NR_SWAP_WRITES,    /* write requests to swap (pswpout / this = pages per request) */
	SWAP_RA,           /* pages read from swap by readahead (beside the one faulted on) */
	SWAP_RA_HIT,       /* ... that a fault then found in the swap cache */
	NR_TLB_LOCAL_FLUSH_ALL, /* whole-TLB flushes: page tables loaded into CR3 (mm/mm.c) */
	NR_VMSTAT_ITEMS,
};

extern uint64_t vmstat[NR_VMSTAT_ITEMS];
extern const char *const vmstat_names[NR_VMSTAT_ITEMS];

/* Where frames are, at one moment: taken before and after init to find a leak. */
struct mm_census {
	uint64_t free, slab_pages, large_pages, objects, tables, kstacks, anon, pagecache, swapcache;
};

struct mm_census mm_census_take(void);
void mm_census_report(const struct mm_census *before, const struct mm_census *after);

static inline void vmstat_inc(enum vmstat_item i) { vmstat[i]++; }
static inline void vmstat_dec(enum vmstat_item i) { vmstat[i]--; }

#endif
