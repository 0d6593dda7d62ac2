/*
 * workload.h - what the memory programs share: reading /proc counters,
 * the page contents they write and verify, a seeded random generator,
 * and the "result ..." line the swap benchmarks end with.
 *
 * Used by free and vmstat (only proc_load/proc_field), memhog and the
 * swap workloads seqtouch, rand, hotcold and forkswap.
 *
 * A page written by these programs holds:
 *
 *   bytes 0..7      the page number (so a page swapped back in at the
 *                   wrong address is caught)
 *   bytes 8..4095   511 words derived from (page number, tag)
 *
 * where the tag says which write this is (a pass number, a per-page
 * version, a process). page_check() compares all 4096 bytes, so a wrong
 * byte anywhere in the page is found.
 *
 * WORKLOAD_TRACE=FILE (meant for the host) writes every touch of the
 * working set, in order, to FILE as a reference string: "17w" for a page
 * written (perhaps after a check), "17" for a page only checked
 * (user/lib/refstring.h). tools/policysim.c simulates FIFO, clock, LRU
 * and OPT on it; the same seed makes the same trace on pagoda, so
 * `make policy-lab` compares the kernel's fault counts with it. The
 * programs keep their other arrays (versions, a permutation) out of
 * mmap'd memory, so that an RLIMIT_RSS counts the working set alone.
 *
 * Test-only: if the environment has WORKLOAD_CORRUPT=1, maybe_corrupt()
 * flips one byte of the middle page after the first fill, to prove that
 * the verification notices (the program must then exit 1).
 *
 * Header-only, like check.h (whose say() prints with one write(2), so
 * forked children never duplicate buffered output).
 */
#ifndef USER_WORKLOAD_H
#define USER_WORKLOAD_H

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#include "check.h"
#include "procfs.h"

#define WL_PAGE 4096
#define WL_WORDS (WL_PAGE / 8)
#define WL_DEFAULT_MIB 38
#define WL_MAX_MIB 4096
#define WL_MAX_PAGES ((size_t)WL_MAX_MIB << 20 >> 12)

/* The /proc/vmstat counters a workload reports, as deltas. */
struct wl_counters {
	long pswpin, pswpout, pgmajfault, pgfault;
};

static inline struct wl_counters
wl_counters_now(void)
{
	static char buf[16384];
	struct wl_counters c;

	proc_load("/proc/vmstat", buf, sizeof(buf));
	c.pswpin = proc_field(buf, "pswpin");
	c.pswpout = proc_field(buf, "pswpout");
	c.pgmajfault = proc_field(buf, "pgmajfault");
	c.pgfault = proc_field(buf, "pgfault");
	return c;
}

/* Seconds since some fixed point (CLOCK_MONOTONIC). */
static inline double
wl_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The splitmix64 finalizer: scrambles x into a well-mixed 64-bit value. */
static inline uint64_t
wl_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* xorshift64: the next value of a seeded generator (state never 0). */
static inline uint64_t
wl_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* A generator state for seed: mixed, so seeds 1 and 2 differ at once. */
static inline uint64_t
wl_seed(uint64_t seed)
{
	uint64_t s = wl_mix(seed + 0x9e3779b97f4a7c15ULL);

	return s ? s : 1;
}

/* Word i (1..511) of page pageno written with tag. */
static inline uint64_t
page_word(uint64_t pageno, uint32_t tag, unsigned i)
{
	return wl_mix(pageno << 20 ^ tag) ^ (i * 0x9e3779b97f4a7c15ULL);
}

/* Writes the content of page pageno for tag into page. */
static inline void
page_fill(void *page, uint64_t pageno, uint32_t tag)
{
	uint64_t *w = page;

	w[0] = pageno;
	for (unsigned i = 1; i < WL_WORDS; i++)
		w[i] = page_word(pageno, tag, i);
}

/*
 * Checks all 4096 bytes of page against page_fill(pageno, tag). Returns
 * 0 if they match; else 1 (one error), after describing the first wrong
 * word (for the first 5 corrupt pages of the process: *reported counts).
 */
static inline int
page_check(const void *page, uint64_t pageno, uint32_t tag, int *reported)
{
	const uint64_t *w = page;

	for (unsigned i = 0; i < WL_WORDS; i++) {
		uint64_t want = i ? page_word(pageno, tag, i) : pageno;

		if (w[i] == want)
			continue;
		if ((*reported)++ < 5)
			say("corrupt: page %lu (tag %u), word at byte %u: 0x%016lx, expected 0x%016lx\n",
			    (unsigned long)pageno, tag, i * 8, (unsigned long)w[i],
			    (unsigned long)want);
		return 1;
	}
	return 0;
}

static FILE *wl_trace_file;

/* Opens WORKLOAD_TRACE's file, if it is set. Exits 1 if it cannot be written. */
static inline void
wl_trace_open(const char *prog)
{
	const char *path = getenv("WORKLOAD_TRACE");

	if (path && !(wl_trace_file = fopen(path, "w"))) {
		say("%s: cannot write the trace to %s\n", prog, path);
		exit(1);
	}
}

/* Records a touch of page p of the working set (write: it was rewritten). */
static inline void
wl_touch(size_t p, int write)
{
	if (wl_trace_file)
		fprintf(wl_trace_file, write ? "%zuw\n" : "%zu\n", p);
}

/* With WORKLOAD_CORRUPT=1, flips a byte in the middle page of mem. */
static inline void
maybe_corrupt(char *mem, size_t npages)
{
	const char *env = getenv("WORKLOAD_CORRUPT");

	if (!env || strcmp(env, "1") != 0)
		return;
	mem[(npages / 2) * WL_PAGE + 1234] ^= 0xff;
	say("WORKLOAD_CORRUPT: flipped byte 1234 of page %lu\n", (unsigned long)(npages / 2));
}

/*
 * Maps len bytes of private anonymous memory, in 4 KiB pages on Linux
 * too (no transparent huge pages, as on pagoda). Exits 1 on failure; a
 * failure for want of kernel memory is tried again first (retry.h).
 */
static inline char *
wl_map(size_t len, const char *prog)
{
	char *mem;

	for (int i = 0; (mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				    -1, 0)) == MAP_FAILED && retry_worth_it(errno) && i < RETRY_TIMES; i++)
		retry_pause();
	if (mem == MAP_FAILED) {
		say("%s: mmap of %lu KiB failed\n", prog, (unsigned long)(len >> 10));
		exit(1);
	}
	madvise(mem, len, MADV_NOHUGEPAGE);
	return mem;
}

/*
 * Argument i of argv as a positive number, or def if absent (argument 1,
 * the working set in MiB, at most WL_MAX_MIB). Exits 2 with usage on
 * anything else.
 */
static inline long
wl_arg(int argc, char **argv, int i, long def, const char *usage)
{
	char *end;
	long v;

	if (i >= argc)
		return def;
	v = strtol(argv[i], &end, 10);
	if (end == argv[i] || *end || v <= 0 || (i == 1 && v > WL_MAX_MIB)) {
		say("usage: %s\n", usage);
		exit(2);
	}
	return v;
}

/*
 * Prints the machine-readable summary line, the last line of output,
 * with the counter deltas since start. Returns the exit status: 0 if
 * errors is 0, else 1.
 */
static inline int
wl_result(const char *name, long mib, double t0, struct wl_counters start, long errors)
{
	double secs = wl_seconds() - t0;
	struct wl_counters end = wl_counters_now();

	if (wl_trace_file && fclose(wl_trace_file) != 0) {
		say("%s: the trace could not be written\n", name);
		errors++;
	}
	say("%s: %ld MiB in %.3f s, %ld errors; pgfault=%ld\n", name, mib, secs, errors,
	    end.pgfault - start.pgfault);
	say("result workload=%s mib=%ld seconds=%.3f pswpin=%ld pswpout=%ld pgmajfault=%ld errors=%ld\n",
	    name, mib, secs, end.pswpin - start.pswpin, end.pswpout - start.pswpout,
	    end.pgmajfault - start.pgmajfault, errors);
	return errors ? 1 : 0;
}

#endif
