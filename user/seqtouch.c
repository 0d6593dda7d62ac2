/*
 * seqtouch - swap benchmark: touch a working set in order, page after page.
 *
 * Not named seq: that name is the program that prints a sequence of
 * numbers (coreutils, and busybox's applet, which busybox ash runs before
 * it looks in PATH), so a shell would run that one instead.
 *
 * Usage: seqtouch [MIB]   (working set, default 38 MiB)
 *
 * Pass 1 writes every page in order; pass 2 verifies every page in order
 * and rewrites it with pass-2 content; a last pass verifies everything
 * again. Sequential access is the easy case for any eviction policy and
 * for swap readahead. Prints a human line, then the summary line
 *   result workload=seqtouch mib=N seconds=S pswpin=A pswpout=B pgmajfault=C errors=E
 * (counter deltas from /proc/vmstat; errors = failed page checks) and
 * exits 1 if any page was corrupt. WORKLOAD_CORRUPT=1 tests the
 * verification (see workload.h).
 */
#include "workload.h"

int
main(int argc, char **argv)
{
	long mib = wl_arg(argc, argv, 1, WL_DEFAULT_MIB, "seqtouch [MIB]");
	size_t npages = (size_t)mib << 20 >> 12;
	struct wl_counters start = wl_counters_now();
	double t0 = wl_seconds();
	char *mem = wl_map(npages * WL_PAGE, "seqtouch");
	long errors = 0;
	int reported = 0;

	say("seqtouch: %ld MiB, %lu pages: write, verify+rewrite, verify\n", mib, (unsigned long)npages);
	wl_trace_open("seqtouch");
	for (size_t p = 0; p < npages; p++) {
		wl_touch(p, 1);
		page_fill(mem + p * WL_PAGE, p, 1);
	}
	maybe_corrupt(mem, npages);
	for (size_t p = 0; p < npages; p++) {
		wl_touch(p, 1);
		errors += page_check(mem + p * WL_PAGE, p, 1, &reported);
		page_fill(mem + p * WL_PAGE, p, 2);
	}
	for (size_t p = 0; p < npages; p++) {
		wl_touch(p, 0);
		errors += page_check(mem + p * WL_PAGE, p, 2, &reported);
	}
	return wl_result("seqtouch", mib, t0, start, errors);
}
