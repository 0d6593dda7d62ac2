/*
 * t_swapslot - the life of a swap slot, seen from /proc.
 *
 * t_swapslot [MIB]   (working set, default 12: twice pagoda's RAM at MEM=8M)
 *
 * An anonymous page swapped out holds a slot. Read back, it keeps the slot
 * (a clean copy in the swap cache: SwapCached grows, SwapFree does not),
 * so that reclaim can drop it again without writing. Written, it gives the
 * slot up: SwapFree grows by exactly one page per page written. When the
 * memory is unmapped every slot is free again. Steps:
 *
 *   1. write MIB MiB, page by page: the first pages end up in swap
 *   2. MADV_DONTNEED on the second half: lots of free frames, so the next
 *      steps fault pages in without evicting anything else; then wait
 *      until the swap figures stop moving (writes still in flight)
 *   3. read the first 1 MiB: count the pages mincore() saw swapped out
 *      (K); SwapFree unchanged, SwapCached and VmSwap move by K
 *   4. write the same 1 MiB: SwapFree grows by K pages exactly
 *   5. munmap: SwapFree grows by the slots the region still held
 *
 * This program's own pages (its stack, its /proc buffer) can be in swap
 * too, and reading /proc faults them back: so every figure is read twice,
 * and the second reading counts. At exit the kernel checks that every
 * slot is free (tests/run).
 *
 * On Linux (not pagoda) it only checks that the /proc fields exist: no
 * host's memory is exhausted on purpose.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>

#include "check.h"
#include "procfs.h"

#define PAGE 4096
#define PROBE_PAGES 256                /* the 1 MiB read, then written */

static long
meminfo(const char *field)
{
	return proc_get("/proc/meminfo", field);
}

static long
vm_swap(void)
{
	return proc_get("/proc/self/status", "VmSwap");
}

/* The swap figures (kB), once this program's own memory is in again. */
struct figures {
	long swap_free, swap_cached, vm_swap;
};

static struct figures
figures(void)
{
	struct figures f = { 0, 0, 0 };

	for (int settle = 0; settle < 2; settle++)
		f = (struct figures){ meminfo("SwapFree"), meminfo("SwapCached"), vm_swap() };
	return f;
}

/*
 * The figures once nothing moves them any more. A page MADV_DONTNEED
 * drops while its swap write is in flight gives its slot back only when
 * the write ends (as on Linux, the swap cache holds the slot until then),
 * and kswapd may still be at work: the read below must not see those
 * slots come free. Waits until two readings 20 ms apart agree, 5 s at most.
 */
static struct figures
settled_figures(void)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	struct figures now = figures(), before;

	for (int i = 0; i < 250; i++) {
		before = now;
		nanosleep(&pause, NULL);
		now = figures();
		if (now.swap_free == before.swap_free && now.swap_cached == before.swap_cached &&
		    now.vm_swap == before.vm_swap)
			break;
	}
	return now;
}

/* Pages of [m, m + n pages) that are not resident. */
static long
not_resident(char *m, size_t n)
{
	unsigned char vec[PROBE_PAGES];
	long count = 0;

	if (n > PROBE_PAGES || mincore(m, n * PAGE, vec) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		count += !(vec[i] & 1);
	return count;
}

static uint64_t
tag(size_t page, int round)
{
	return (uint64_t)page * 0x9e3779b97f4a7c15ull + (uint64_t)round;
}

/* Pages of the probe whose first word is not tag(page, round). */
static long
bad_pages(char *m, int round)
{
	long bad = 0;

	for (size_t p = 0; p < PROBE_PAGES; p++)
		bad += *(volatile uint64_t *)(m + p * PAGE) != tag(p, round);
	return bad;
}

int
main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 12, npages = (mib << 20) / PAGE;
	char *m;

	CHECK("meminfo_has_swap_fields", meminfo("SwapTotal") >= 0 && meminfo("SwapFree") >= 0 &&
	      meminfo("SwapCached") >= 0, "SwapTotal, SwapFree or SwapCached missing");
	CHECK("status_has_vmswap", vm_swap() >= 0, "no VmSwap in /proc/self/status");
	if (!running_on_pagoda())
		return check_exit();
	if (npages < 2 * PROBE_PAGES)
		return 2;

	m = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 2;
	for (size_t p = 0; p < npages; p++)
		*(uint64_t *)(m + p * PAGE) = tag(p, 1);
	madvise(m + npages / 2 * PAGE, (npages - npages / 2) * PAGE, MADV_DONTNEED);

	long k = not_resident(m, PROBE_PAGES);
	say("# %ld of the first %d pages are in swap; MemFree %ld kB\n", k, PROBE_PAGES,
	    meminfo("MemFree"));
	CHECK("first_pages_were_swapped_out", k > PROBE_PAGES / 2,
	      "only %ld of %d pages not resident (MemFree %ld kB)", k, PROBE_PAGES, meminfo("MemFree"));
	struct figures f0 = settled_figures();   /* after the prints: they fault in pages of ours */

	long bad = bad_pages(m, 1);
	struct figures f1 = figures();
	CHECK("read_back_intact", bad == 0, "%ld of %d pages wrong", bad, PROBE_PAGES);
	CHECK("read_keeps_the_slots", f1.swap_free == f0.swap_free, "SwapFree %ld -> %ld kB",
	      f0.swap_free, f1.swap_free);
	CHECK("read_pages_stay_in_swap_cache", f1.swap_cached - f0.swap_cached >= k * 4,
	      "SwapCached %ld -> %ld kB for %ld pages", f0.swap_cached, f1.swap_cached, k);
	CHECK("read_pages_leave_vmswap", f0.vm_swap - f1.vm_swap == k * 4,
	      "VmSwap %ld -> %ld kB for %ld pages", f0.vm_swap, f1.vm_swap, k);

	for (size_t p = 0; p < PROBE_PAGES; p++)
		*(uint64_t *)(m + p * PAGE) = tag(p, 2);
	struct figures f2 = figures();
	CHECK("write_frees_the_slots", f2.swap_free - f1.swap_free == k * 4,
	      "SwapFree %ld -> %ld kB for %ld pages", f1.swap_free, f2.swap_free, k);
	bad = bad_pages(m, 2);
	CHECK("written_pages_intact", bad == 0, "%ld of %d pages wrong", bad, PROBE_PAGES);

	struct figures f3 = figures();
	munmap(m, npages * PAGE);
	struct figures f4 = figures();
	CHECK("unmap_frees_the_regions_slots", f3.vm_swap > 0 &&
	      f4.swap_free - f3.swap_free == f3.vm_swap - f4.vm_swap,
	      "SwapFree %ld -> %ld kB, VmSwap %ld -> %ld kB", f3.swap_free, f4.swap_free,
	      f3.vm_swap, f4.vm_swap);
	return check_exit();
}
