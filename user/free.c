/*
 * free - how much memory and swap is in use, like procps free(1).
 *
 * Usage: free [-k|-m|-g]   (KiB, the default; MiB; GiB)
 *
 * Prints procps's two lines from /proc/meminfo (a missing field reads 0):
 *
 *                  total        used        free      shared  buff/cache   available
 *   Mem:          130556       10244      118200           0        2112      120312
 *   Swap:          65532           0       65532
 *
 * buff/cache = Buffers + Cached + SReclaimable; used = total - free -
 * buff/cache, the classic procps formula (procps 4 prints total -
 * available instead); Swap used = SwapTotal - SwapFree.
 */
#include "workload.h"

int
main(int argc, char **argv)
{
	static char buf[8192];
	int shift = 0;              /* from KiB */

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-k") != 0 &&
			 strcmp(argv[1], "-m") != 0 && strcmp(argv[1], "-g") != 0)) {
		say("usage: free [-k|-m|-g]\n");
		return 2;
	}
	if (argc == 2)
		shift = argv[1][1] == 'm' ? 10 : argv[1][1] == 'g' ? 20 : 0;
	proc_load("/proc/meminfo", buf, sizeof(buf));
	long total = proc_field(buf, "MemTotal");
	long freek = proc_field(buf, "MemFree");
	long cache = proc_field(buf, "Buffers") + proc_field(buf, "Cached") +
		     proc_field(buf, "SReclaimable");
	long used = total - freek - cache;
	long swap_total = proc_field(buf, "SwapTotal");
	long swap_free = proc_field(buf, "SwapFree");

	if (used < 0)               /* what procps does if cache looks too big */
		used = total - freek;
	say("%8s%12s%12s%12s%12s%12s%12s\n", "", "total", "used", "free", "shared",
	    "buff/cache", "available");
	say("%-8s%12ld%12ld%12ld%12ld%12ld%12ld\n", "Mem:", total >> shift, used >> shift,
	    freek >> shift, proc_field(buf, "Shmem") >> shift, cache >> shift,
	    proc_field(buf, "MemAvailable") >> shift);
	say("%-8s%12ld%12ld%12ld\n", "Swap:", swap_total >> shift,
	    (swap_total - swap_free) >> shift, swap_free >> shift);
	return 0;
}
