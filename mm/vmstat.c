/*
 * mm/vmstat.c - the counters behind /proc/vmstat and parts of /proc/meminfo.
 *
 * Each counter has the name Linux gives it, so a program that reads
 * /proc/vmstat reads the same line on both systems.
 */
#include "mm/vmstat.h"

uint64_t vmstat[NR_VMSTAT_ITEMS];

const char *const vmstat_names[NR_VMSTAT_ITEMS] = {
	[NR_ANON_PAGES] = "nr_anon_pages",
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
};
