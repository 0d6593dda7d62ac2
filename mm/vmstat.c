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
};
