/*
 * t_readahead - swap-in readahead keeps working when processes page in
 * at the same time.
 *
 * Two children each write 4 MiB of their own, push it all out to swap
 * with madvise(MADV_PAGEOUT) (Linux 5.4), wait for each other, then read
 * it back in order. Each read that waits for the disk sends the CPU to the
 * other child, so their faults come in turns, at addresses 1 GiB apart.
 * Readahead must still see two forward scans (it keeps its state per
 * region, as Linux does) and read ahead for both: each child's major
 * faults (getrusage) stay well below its pages - about one in eight is
 * what a window of 8 gives (measured: 131 of 1024). Every page must come
 * back as it was written.
 *
 * Runs on the host Linux too, where MADV_PAGEOUT does nothing without
 * swap: then no page is out and there is nothing to count (the content is
 * still checked).
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "check.h"
#include "procfs.h"

#define PAGE 4096
#define PAGES 1024                     /* 4 MiB per child */

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* What a child reports through its pipe. */
struct report {
	long swapped_kib;                  /* VmSwap after MADV_PAGEOUT */
	long majflt;                       /* major faults while reading back */
	long bad_pages;                    /* pages that did not come back as written */
};

static void
fill(uint64_t *mem, long child)
{
	for (long p = 0; p < PAGES; p++)
		for (long i = 0; i < PAGE / 8; i += 64)
			mem[p * (PAGE / 8) + i] = (uint64_t)child << 32 | (uint64_t)p << 8 | (uint64_t)i;
}

static long
bad_pages(const uint64_t *mem, long child)
{
	long bad = 0;

	for (long p = 0; p < PAGES; p++)
		for (long i = 0; i < PAGE / 8; i += 64)
			if (mem[p * (PAGE / 8) + i] != ((uint64_t)child << 32 | (uint64_t)p << 8 | (uint64_t)i)) {
				bad++;
				break;
			}
	return bad;
}

static long
major_faults(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_majflt : -1;
}

/* One child: out to swap, wait at the barrier (a byte from the parent), read back, report. */
static void
child(long c, int barrier, int out)
{
	/* Far apart: the children's faults must not look like one scan. */
	void *hint = (void *)(0x200000000UL + (uint64_t)c * 0x40000000UL);
	uint64_t *mem = mmap(hint, PAGES * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct report r = { -1, -1, PAGES };
	char go;
	long before;

	if (mem != MAP_FAILED) {
		fill(mem, c);
		madvise(mem, PAGES * PAGE, MADV_PAGEOUT);
		r.swapped_kib = proc_get("/proc/self/status", "VmSwap");
	}
	(void)!write(out, &r, sizeof(r));             /* "out": the parent waits for both */
	(void)!read(barrier, &go, 1);
	if (mem != MAP_FAILED) {
		before = major_faults();
		r.bad_pages = bad_pages(mem, c);
		r.majflt = major_faults() - before;
	}
	(void)!write(out, &r, sizeof(r));
	_exit(0);
}

int
main(void)
{
	int barrier[2], reports[2];
	struct report out[2], back[2];
	char go[2] = { 'g', 'g' };

	if (pipe(barrier) != 0 || pipe(reports) != 0) {
		CHECK("pipes", 0, "pipe failed");
		return check_exit();
	}
	for (long c = 0; c < 2; c++)
		if (fork() == 0)
			child(c, barrier[0], reports[1]);
	for (int i = 0; i < 2; i++)
		(void)!read(reports[0], &out[i], sizeof(out[i]));
	(void)!write(barrier[1], go, 2);              /* both read back at once */
	for (int i = 0; i < 2; i++)
		(void)!read(reports[0], &back[i], sizeof(back[i]));
	while (wait(NULL) > 0)
		;
	for (int i = 0; i < 2; i++) {
		CHECK("pages_come_back", back[i].bad_pages == 0, "a child found %ld of %d pages wrong",
		      back[i].bad_pages, PAGES);
		if (out[i].swapped_kib <= 0)          /* no swap (the host): nothing was read */
			continue;
		CHECK("pageout_went_to_swap", out[i].swapped_kib >= PAGES * 4 / 2,
		      "VmSwap %ld kB after MADV_PAGEOUT of %d kB", out[i].swapped_kib, PAGES * 4);
		CHECK("readahead_in_turns", back[i].majflt > 0 && back[i].majflt <= PAGES / 3,
		      "%ld major faults reading %d pages back", back[i].majflt, PAGES);
	}
	return check_exit();
}
