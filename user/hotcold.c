/*
 * hotcold - swap benchmark: most touches go to a few pages.
 *
 * Usage: hotcold [MIB [SEED]]   (working set, default 38 MiB; seed, default 1)
 *
 * The first 20% of the pages are hot and get 80% of the touches; the
 * other 80% (cold) share the remaining 20%. After writing every page, it
 * makes 4 x pages random touches (xorshift64, fixed seed), each verifying
 * the page and rewriting it with its next version (one version byte per
 * page, outside the working set), then verifies every page. A policy that
 * keeps the hot pages resident (LRU, clock) should swap far less here
 * than FIFO. Prints a human line, then
 *   result workload=hotcold mib=N seconds=S pswpin=A pswpout=B pgmajfault=C errors=E
 * (errors = failed page checks) and exits 1 if any page was corrupt.
 * WORKLOAD_CORRUPT=1 tests the verification (see workload.h).
 */
#include "workload.h"

static uint8_t version[WL_MAX_PAGES];   /* what each page holds now (not mmap'd: workload.h) */

int
main(int argc, char **argv)
{
	const char *usage = "hotcold [MIB [SEED]]";
	long mib = wl_arg(argc, argv, 1, WL_DEFAULT_MIB, usage);
	uint64_t rng = wl_seed(wl_arg(argc, argv, 2, 1, usage));
	size_t npages = (size_t)mib << 20 >> 12;
	size_t nhot = npages / 5 ? npages / 5 : 1;
	struct wl_counters start = wl_counters_now();
	double t0 = wl_seconds();
	char *mem = wl_map(npages * WL_PAGE, "hotcold");
	long errors = 0;
	int reported = 0;

	say("hotcold: %ld MiB, %lu pages (%lu hot): write, %lu touches (80%% hot), verify\n",
	    mib, (unsigned long)npages, (unsigned long)nhot, (unsigned long)(4 * npages));
	wl_trace_open("hotcold");
	for (size_t p = 0; p < npages; p++) {
		wl_touch(p, 1);
		version[p] = 1;
		page_fill(mem + p * WL_PAGE, p, 1);
	}
	maybe_corrupt(mem, npages);
	for (size_t i = 0; i < 4 * npages; i++) {
		uint64_t r = wl_random(&rng);
		size_t p;

		if (r % 100 < 80 || nhot == npages)
			p = (r >> 8) % nhot;
		else
			p = nhot + (r >> 8) % (npages - nhot);
		wl_touch(p, 1);
		errors += page_check(mem + p * WL_PAGE, p, version[p], &reported);
		page_fill(mem + p * WL_PAGE, p, ++version[p]);
	}
	for (size_t p = 0; p < npages; p++) {
		wl_touch(p, 0);
		errors += page_check(mem + p * WL_PAGE, p, version[p], &reported);
	}
	return wl_result("hotcold", mib, t0, start, errors);
}
