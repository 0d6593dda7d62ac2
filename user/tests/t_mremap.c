/*
 * t_mremap - mremap(2) as Linux's man page has it, and /proc/self/smaps.
 *
 * Runs on the host Linux too (tests/user-host.sh), where every check must
 * pass as well:
 *   - grow in place when the space after is free; ENOMEM without
 *     MREMAP_MAYMOVE when it is not; with it, a move that keeps every
 *     byte (a pattern written before, checked after) and zero-fills the tail
 *   - shrink in place (the tail is gone: mincore says ENOMEM)
 *   - MREMAP_FIXED over an existing mapping replaces it
 *   - MREMAP_DONTUNMAP moves the pages and leaves the old range mapped,
 *     reading zeroes
 *   - the errors: EINVAL (flags, alignment, new size 0, FIXED without
 *     MAYMOVE, overlapping ranges, DONTUNMAP resizing), EFAULT (old range
 *     not one mapping)
 *   - pages swapped out (MADV_PAGEOUT) move as swap entries and read back
 *     right; moved pages can be swapped out again (reverse mapping finds
 *     them at their new address); a region moved while a forked child
 *     shares its pages leaves the child's copy alone
 *   - musl's realloc of a large block (mremap inside) keeps its bytes
 *   - smaps: Rss and Swap summed over regions are VmRSS and VmSwap; a
 *     page shared with a forked child counts half in Pss
 * The swap checks need swap (pagoda's boot has it; a host without swap
 * checks only that the bytes are right).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "check.h"
#include "procfs.h"
#include "smaps.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE 4096UL
#define KB(pages) ((long)((pages) * PAGE / 1024))

static bool has_swap;

/* The raw call, -errno on failure: musl's wrapper checks some arguments itself. */
static long
raw_mremap(void *old, size_t old_len, size_t new_len, long flags, void *new_addr)
{
	long r = syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);

	return r < 0 && r > -4096 ? -errno : r;
}

static char *
map(size_t pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Writes a pattern that tells every byte from every other (per salt). */
static void
fill(char *p, size_t pages, unsigned salt)
{
	for (size_t i = 0; i < pages * PAGE; i += 8)
		*(uint64_t *)(p + i) = (i * 2654435761u) ^ salt;
}

/* The first offset where p differs from its pattern, or -1. */
static long
verify(const char *p, size_t pages, unsigned salt)
{
	for (size_t i = 0; i < pages * PAGE; i += 8)
		if (*(const uint64_t *)(p + i) != ((i * 2654435761u) ^ salt))
			return (long)i;
	return -1;
}

static bool
all_zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Is any of [p, p + len) unmapped? (mincore fails with ENOMEM there.) */
static bool
unmapped(void *p, size_t len)
{
	static unsigned char vec[1024];

	return mincore(p, len, vec) != 0 && errno == ENOMEM;
}

/* A mapping of pages with the page after it taken, so it cannot grow in place. */
static char *
map_blocked(size_t pages, char **blocker)
{
	char *p = map(pages + 1);

	if (!p)
		return NULL;
	*blocker = p + pages * PAGE;
	*(volatile char *)*blocker = 1;
	return p;
}

static void
grow_and_shrink(void)
{
	char *p = map(8), *blocker = NULL, *q;
	long r;

	munmap(p + 4 * PAGE, 4 * PAGE);
	fill(p, 4, 1);
	r = raw_mremap(p, 4 * PAGE, 8 * PAGE, 0, NULL);
	CHECK("grow_in_place", r == (long)p && verify(p, 4, 1) < 0 && all_zero(p + 4 * PAGE, 4 * PAGE),
	      "mremap returned %ld for %p", r, (void *)p);
	r = raw_mremap(p, 8 * PAGE, 2 * PAGE, 0, NULL);
	CHECK("shrink_in_place", r == (long)p && verify(p, 2, 1) < 0 && unmapped(p + 2 * PAGE, PAGE),
	      "mremap returned %ld", r);
	munmap(p, 2 * PAGE);

	p = map_blocked(256, &blocker);
	fill(p, 256, 2);
	r = raw_mremap(p, 256 * PAGE, 512 * PAGE, 0, NULL);
	CHECK("grow_blocked_without_maymove_is_enomem", r == -ENOMEM, "mremap returned %ld", r);
	r = raw_mremap(p, 256 * PAGE, 512 * PAGE, MREMAP_MAYMOVE, NULL);
	q = (char *)r;
	CHECK("grow_with_move_keeps_every_byte",
	      r > 0 && q != p && verify(q, 256, 2) < 0 && all_zero(q + 256 * PAGE, 256 * PAGE) &&
	      unmapped(p, PAGE) && *blocker == 1,
	      "mremap returned %ld, first bad byte %ld", r, r > 0 ? verify(q, 256, 2) : -2);
	if (r > 0)
		munmap(q, 512 * PAGE);
	munmap(blocker, PAGE);
}

static void
fixed_and_dontunmap(void)
{
	char *x = map(4), *y = map(4), *z, *w;
	long r;

	fill(x, 4, 3);
	fill(y, 4, 4);
	r = raw_mremap(x, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, y);
	CHECK("fixed_replaces_existing_mapping", r == (long)y && verify(y, 4, 3) < 0 && unmapped(x, PAGE),
	      "mremap returned %ld", r);
	munmap(y, 4 * PAGE);

	z = map(4);
	fill(z, 4, 5);
	r = raw_mremap(z, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	w = (char *)r;
	CHECK("dontunmap_moves_pages_and_leaves_zeroes",
	      r > 0 && w != z && verify(w, 4, 5) < 0 && all_zero(z, 4 * PAGE),
	      "mremap returned %ld", r);
	if (r > 0)
		munmap(w, 4 * PAGE);
	munmap(z, 4 * PAGE);
}

static void
errors(void)
{
	char *p = map(4), *hole = map(2);

	munmap(hole, 2 * PAGE);
	CHECK("bad_flags_is_einval", raw_mremap(p, PAGE, PAGE, 0x80, NULL) == -EINVAL, "no EINVAL");
	CHECK("unaligned_address_is_einval", raw_mremap(p + 1, PAGE, PAGE, 0, NULL) == -EINVAL,
	      "no EINVAL");
	CHECK("new_size_0_is_einval", raw_mremap(p, PAGE, 0, 0, NULL) == -EINVAL, "no EINVAL");
	CHECK("fixed_without_maymove_is_einval",
	      raw_mremap(p, PAGE, PAGE, MREMAP_FIXED, hole) == -EINVAL, "no EINVAL");
	CHECK("overlapping_fixed_is_einval",
	      raw_mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + PAGE) == -EINVAL,
	      "no EINVAL");
	CHECK("dontunmap_resize_is_einval",
	      raw_mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL) == -EINVAL,
	      "no EINVAL");
	CHECK("unmapped_old_range_is_efault", raw_mremap(hole, PAGE, PAGE, 0, NULL) == -EFAULT,
	      "no EFAULT");
	CHECK("growing_range_past_mapping_is_efault",
	      raw_mremap(p, 8 * PAGE, 12 * PAGE, MREMAP_MAYMOVE, NULL) == -EFAULT, "no EFAULT");
	CHECK("old_len_0_of_private_mapping_is_einval",
	      raw_mremap(p, 0, PAGE, MREMAP_MAYMOVE, NULL) == -EINVAL, "no EINVAL");
	munmap(p, 4 * PAGE);
}

/* Swapped-out pages move as swap entries; moved pages can go out and come back. */
static void
swapped_pages_move(void)
{
	char *blocker = NULL, *p = map_blocked(64, &blocker), *q;
	long swapped = 0, r;

	fill(p, 64, 6);
	madvise(p, 64 * PAGE, MADV_PAGEOUT);
	if (has_swap) {
		swapped = smaps_field(p, "Swap");
		CHECK("pageout_swaps_region_out", swapped >= KB(32), "Swap: %ld kB of 256", swapped);
	}
	r = raw_mremap(p, 64 * PAGE, 128 * PAGE, MREMAP_MAYMOVE, NULL);
	q = (char *)r;
	if (has_swap && r > 0)
		CHECK("moved_region_keeps_its_swap", smaps_field(q, "Swap") == swapped,
		      "Swap: %ld kB, was %ld", smaps_field(q, "Swap"), swapped);
	CHECK("swapped_then_moved_verifies", r > 0 && verify(q, 64, 6) < 0, "mremap %ld, bad byte %ld",
	      r, r > 0 ? verify(q, 64, 6) : -2);
	if (r <= 0)
		return;
	madvise(q, 64 * PAGE, MADV_PAGEOUT);
	if (has_swap)
		CHECK("moved_pages_swap_out_again", smaps_field(q, "Swap") >= KB(32), "Swap: %ld kB",
		      smaps_field(q, "Swap"));
	CHECK("moved_swapped_twice_verifies", verify(q, 64, 6) < 0, "bad byte %ld", verify(q, 64, 6));
	munmap(q, 128 * PAGE);
	munmap(blocker, PAGE);
}

/* The parent moves a region it shares with a child copy-on-write; each keeps its own bytes. */
static void
move_shared_with_child(void)
{
	char *blocker = NULL, *p = map_blocked(16, &blocker), *q;
	int go[2], status;
	char c;

	fill(p, 16, 7);
	if (pipe(go) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		(void)!read(go[0], &c, 1);
		_exit(verify(p, 16, 7) < 0 ? 0 : 1);
	}
	q = (char *)raw_mremap(p, 16 * PAGE, 32 * PAGE, MREMAP_MAYMOVE, NULL);
	bool moved_ok = (long)q > 0 && verify(q, 16, 7) < 0;
	if (moved_ok) {
		madvise(q, 16 * PAGE, MADV_PAGEOUT);     /* shared pages: reverse map must find both */
		fill(q, 16, 8);                          /* copy-on-write in the parent only */
	}
	(void)!write(go[1], "x", 1);
	waitpid(pid, &status, 0);
	CHECK("move_shared_with_child_keeps_both", moved_ok && verify(q, 16, 8) < 0 &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0, "parent ok %d, child status 0x%x",
	      moved_ok, status);
	close(go[0]);
	close(go[1]);
	if ((long)q > 0)
		munmap(q, 32 * PAGE);
	munmap(blocker, PAGE);
}

static void
realloc_large(void)
{
	char *p = malloc(1 << 20), *q;

	fill(p, 256, 9);
	q = realloc(p, 4 << 20);
	CHECK("realloc_large_block_keeps_bytes", q && verify(q, 256, 9) < 0, "realloc %p", (void *)q);
	free(q);
}

/* Rss and Swap over smaps are VmRSS and VmSwap (Linux's counters may lag a little). */
static void
smaps_totals(void)
{
	static char status[4096];
	long rss, swap, rss_again;

	memset(smaps_buf, 0, sizeof(smaps_buf));       /* touched: reading it adds no page */
	proc_load("/proc/self/status", status, sizeof(status));
	rss = proc_field(status, "VmRSS");
	swap = proc_field(status, "VmSwap");
	const char *text = smaps_load();
	long srss = smaps_total(text, "Rss"), sswap = smaps_total(text, "Swap");
	proc_load("/proc/self/status", status, sizeof(status));
	rss_again = proc_field(status, "VmRSS");
	long slack = has_swap ? 0 : 256;               /* the host's per-CPU counters */
	CHECK("smaps_rss_total_is_vmrss", labs(srss - rss) <= slack && labs(rss - rss_again) <= slack,
	      "smaps %ld kB, VmRSS %ld then %ld kB", srss, rss, rss_again);
	CHECK("smaps_swap_total_is_vmswap", labs(sswap - swap) <= slack, "smaps %ld kB, VmSwap %ld kB",
	      sswap, swap);
}

/* A page mapped by parent and child counts half to each. */
static void
pss_of_shared_page(void)
{
	char *p = map(16);
	int go[2];
	char c;

	memset(p, 1, 16 * PAGE);
	if (pipe(go) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	const char *b = smaps_block(smaps_load(), p);
	long rss = smaps_block_field(b, "Rss"), pss = smaps_block_field(b, "Pss");
	long shared = smaps_block_field(b, "Shared_Dirty") + smaps_block_field(b, "Shared_Clean");
	(void)!write(go[1], "x", 1);
	waitpid(pid, NULL, 0);
	CHECK("pss_counts_shared_page_half", rss == KB(16) && pss == KB(16) / 2 && shared == KB(16),
	      "Rss %ld Pss %ld Shared %ld kB", rss, pss, shared);
	CHECK("smaps_has_linux_fields", smaps_block_field(b, "KernelPageSize") == 4 &&
	      smaps_block_field(b, "Size") == KB(16) && smaps_block_field(b, "Anonymous") == KB(16) &&
	      smaps_block_field(b, "SwapPss") == 0 && smaps_block_field(b, "Locked") == 0,
	      "fields missing or wrong");
	close(go[0]);
	close(go[1]);
	munmap(p, 16 * PAGE);
}

int
main(void)
{
	has_swap = proc_get("/proc/meminfo", "SwapTotal") > 0;
	grow_and_shrink();
	fixed_and_dontunmap();
	errors();
	swapped_pages_move();
	move_shared_with_child();
	realloc_large();
	smaps_totals();
	pss_of_shared_page();
	return check_exit();
}
