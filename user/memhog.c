/*
 * memhog - use a lot of memory on purpose, and check it survives.
 *
 * Usage: memhog SIZE [PASSES]   (SIZE: bytes, or with K, M or G: 4096K, 48M, 1G;
 *                                PASSES: default 1)
 *
 * Maps SIZE bytes of private anonymous memory; each pass writes every
 * page with content that depends on the page number and the pass, then
 * reads every page back and compares all of it (a run of more than 30
 * passes reports its first and last only). Run it with more SIZE
 * than RAM and watch `free` and `vmstat` show swap filling up. Prints a
 * line per phase, then "memhog: SIZE ok" (exit 0) or
 * "memhog: N pages corrupt" (exit 1). WORKLOAD_CORRUPT=1 tests the
 * verification (see workload.h).
 */
#include <stdbool.h>

#include "workload.h"

/* More passes than this: only the first and the last are reported (the console is slow). */
#define SHOW_ALL_PASSES 30

/* "48M" -> 48 << 20; returns 0 for anything that is not a size. */
static size_t
parse_size(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);
	int shift = 0;

	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (end == s || *end || n == 0 || n > (1ULL << 40) >> shift)
		return 0;
	return (size_t)n << shift;
}

int
main(int argc, char **argv)
{
	const char *usage = "memhog SIZE [PASSES]   (SIZE like 4096K, 48M, 1G)";
	size_t size = argc > 1 ? parse_size(argv[1]) : 0;
	long passes = wl_arg(argc, argv, 2, 1, usage);
	size_t npages = (size + WL_PAGE - 1) / WL_PAGE;
	long corrupt = 0;
	int reported = 0;
	char *mem;

	if (size == 0 || argc > 3) {
		say("usage: %s\n", usage);
		return 2;
	}
	mem = wl_map(npages * WL_PAGE, "memhog");
	say("memhog: %s = %lu pages (%lu KiB), passes: %ld\n", argv[1], (unsigned long)npages,
	    (unsigned long)npages * 4, passes);
	if (passes > SHOW_ALL_PASSES)
		say("memhog: passes 2 to %ld are not shown\n", passes - 1);
	for (long pass = 1; pass <= passes; pass++) {
		bool shown = passes <= SHOW_ALL_PASSES || pass == 1 || pass == passes;
		for (size_t p = 0; p < npages; p++)
			page_fill(mem + p * WL_PAGE, p, pass);
		if (shown)
			say("memhog: pass %ld: wrote %lu pages\n", pass, (unsigned long)npages);
		if (pass == 1)
			maybe_corrupt(mem, npages);
		long bad = 0;
		for (size_t p = 0; p < npages; p++)
			bad += page_check(mem + p * WL_PAGE, p, pass, &reported);
		if (shown || bad)
			say("memhog: pass %ld: verified %lu pages, %ld corrupt\n", pass,
			    (unsigned long)npages, bad);
		corrupt += bad;
	}
	if (corrupt) {
		say("memhog: %ld pages corrupt\n", corrupt);
		return 1;
	}
	say("memhog: %s ok\n", argv[1]);
	return 0;
}
