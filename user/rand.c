/*
 * rand - swap benchmark: touch a working set in random order.
 *
 * Usage: rand [MIB [SEED]]   (working set, default 38 MiB; seed, default 1)
 *
 * Writes every page once, in a random permutation; then makes as many
 * random touches as there are pages (xorshift64, so a page may be touched
 * several times or never), each verifying the page and rewriting it with
 * its next version; then verifies every page. One version byte per page
 * (kept outside the working set) says what each page must hold. With no
 * locality at all, this is the worst case for eviction and readahead; the
 * fixed seed makes runs comparable. Prints a human line, then
 *   result workload=rand mib=N seconds=S pswpin=A pswpout=B pgmajfault=C errors=E
 * (errors = failed page checks) and exits 1 if any page was corrupt.
 * WORKLOAD_CORRUPT=1 tests the verification (see workload.h).
 */
#include "workload.h"

/* Not mmap'd, so that an RLIMIT_RSS counts the working set alone (workload.h). */
static uint32_t order[WL_MAX_PAGES];    /* the order of the first writes */
static uint8_t version[WL_MAX_PAGES];   /* what each page holds now */

int
main(int argc, char **argv)
{
	const char *usage = "rand [MIB [SEED]]";
	long mib = wl_arg(argc, argv, 1, WL_DEFAULT_MIB, usage);
	uint64_t rng = wl_seed(wl_arg(argc, argv, 2, 1, usage));
	size_t npages = (size_t)mib << 20 >> 12;
	struct wl_counters start = wl_counters_now();
	double t0 = wl_seconds();
	char *mem = wl_map(npages * WL_PAGE, "rand");
	long errors = 0;
	int reported = 0;

	say("rand: %ld MiB, %lu pages: write in random order, %lu random touches, verify\n",
	    mib, (unsigned long)npages, (unsigned long)npages);
	for (size_t i = 0; i < npages; i++)     /* Fisher-Yates shuffle of 0..npages-1 */
		order[i] = i;
	for (size_t i = npages - 1; i > 0; i--) {
		size_t j = wl_random(&rng) % (i + 1);
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	wl_trace_open("rand");
	for (size_t i = 0; i < npages; i++) {
		wl_touch(order[i], 1);
		version[order[i]] = 1;
		page_fill(mem + (size_t)order[i] * WL_PAGE, order[i], 1);
	}
	maybe_corrupt(mem, npages);
	for (size_t i = 0; i < npages; i++) {
		size_t p = wl_random(&rng) % npages;
		wl_touch(p, 1);
		errors += page_check(mem + p * WL_PAGE, p, version[p], &reported);
		page_fill(mem + p * WL_PAGE, p, ++version[p]);
	}
	for (size_t p = 0; p < npages; p++) {
		wl_touch(p, 0);
		errors += page_check(mem + p * WL_PAGE, p, version[p], &reported);
	}
	return wl_result("rand", mib, t0, start, errors);
}
