/*
 * t_shmem - shared anonymous memory (mmap MAP_SHARED | MAP_ANONYMOUS), as
 * on Linux: the same binary passes on the host first, then on pagoda,
 * where it is mm/shmem.c's pages.
 *
 *   counters   parent and 3 children increment one shared word in turns
 *              (a token passed round a ring of pipes) and a word each:
 *              the parent sees every increment
 *   fork       what a child writes after fork the parent reads: no COW,
 *              also for a page nobody had touched before the fork
 *   futex      a child sleeps on a shared word; the parent's FUTEX_WAKE
 *              reaches it (the key is the object and offset, not the mm)
 *   proc       /proc/self/maps shows the region "rw-s ... /dev/zero
 *              (deleted)"; RssShmem and meminfo's Shmem count its pages;
 *              Shmem goes back when the last mapper (an exited child) is gone
 *   munmap     unmapping the middle keeps both other parts' data (the
 *              upper part keeps its offset into the object), in a child too
 *   mprotect   PROT_READ then a write: SIGSEGV (in a child); the data is
 *              intact, and writable again after PROT_READ|PROT_WRITE
 *   dontneed   MADV_DONTNEED unmaps, but the data stays in the object
 *   swap       a region twice the RAM on a small machine (pagoda at 32
 *              MiB; 64 MiB on a big host), a pattern per page, verified by
 *              a child and then by the parent: on pagoda pswpout grew,
 *              Shmem grew while mapped and comes back after munmap, as does
 *              SwapFree
 *   errors     length 0, MAP_SHARED|MAP_PRIVATE, an unaligned offset: EINVAL
 *              (an aligned one is ignored, as Linux)
 *
 * meminfo and vmstat are the whole machine's: on a Linux host other
 * processes move them, so the exact figures are checked on pagoda only
 * (it has /proc/memsnap, which Linux has not).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "check.h"
#include "procfs.h"

#define PAGE 4096L
#define MIB (1024L * 1024)
#define NPROCS 4               /* the parent and 3 children */
#define ROUNDS 200             /* turns each process takes at the shared counter */

static bool on_pagoda;

static void *
map_shared(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

static long
meminfo(const char *name)
{
	return proc_get("/proc/meminfo", name);
}

static long
vmstat(const char *name)
{
	return proc_get("/proc/vmstat", name);
}

/* The word pattern of page p: different on every page and for every seed. */
static uint64_t
pattern(long p, uint64_t seed)
{
	return (uint64_t)p * 0x9E3779B97F4A7C15ull ^ seed;
}

/* Writes page p's pattern at 8 places in the page (the page is dirtied whole, as far as paging is concerned). */
static void
fill_page(char *base, long p, uint64_t seed)
{
	uint64_t *w = (uint64_t *)(base + p * PAGE);

	for (int k = 0; k < 8; k++)
		w[k * 64] = pattern(p, seed) + (uint64_t)k;
}

static bool
page_holds(const char *base, long p, uint64_t seed)
{
	const uint64_t *w = (const uint64_t *)(base + p * PAGE);

	for (int k = 0; k < 8; k++)
		if (w[k * 64] != pattern(p, seed) + (uint64_t)k)
			return false;
	return true;
}

/* How many of pages [first, first+n) do not hold their pattern. */
static long
bad_pages(const char *base, long first, long n, uint64_t seed)
{
	long bad = 0;

	for (long p = first; p < first + n; p++)
		bad += !page_holds(base, p, seed);
	return bad;
}

/* ---- counters: 4 processes take turns round a ring of pipes ---- */

struct counters {
	long total;            /* every process increments it, one at a time */
	long own[NPROCS];      /* each its own */
};

static int ring[NPROCS][2];    /* ring[i]: process i waits for the token here */

/* Process i's part: ROUNDS turns, each incrementing the shared and its own counter. */
static void
take_turns(struct counters *c, int i)
{
	char token;

	for (int r = 0; r < ROUNDS; r++) {
		if (read(ring[i][0], &token, 1) != 1)
			_exit(2);
		c->total++;                     /* not atomic: the token is the only lock */
		c->own[i]++;
		if (write(ring[(i + 1) % NPROCS][1], &token, 1) != 1)
			_exit(3);
	}
}

static void
check_counters(void)
{
	struct counters *c = map_shared(sizeof(*c));
	pid_t kids[NPROCS];
	int failed = 0;

	if (c == MAP_FAILED) {
		CHECK("counters_shared_by_4_processes", false, "mmap: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < NPROCS; i++)
		if (pipe(ring[i]) != 0)
			failed++;
	for (int i = 1; i < NPROCS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			take_turns(c, i);
			_exit(0);
		}
	}
	(void)!write(ring[0][1], "t", 1);       /* the parent starts */
	take_turns(c, 0);
	for (int i = 1; i < NPROCS; i++) {
		int status;
		if (waitpid(kids[i], &status, 0) != kids[i] || !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	CHECK("counters_shared_by_4_processes", !failed && c->total == NPROCS * ROUNDS,
	      "total %ld, expected %d (%d failures)", c->total, NPROCS * ROUNDS, failed);
	CHECK("counters_each_process_seen", c->own[0] == ROUNDS && c->own[1] == ROUNDS &&
	      c->own[2] == ROUNDS && c->own[3] == ROUNDS, "own counts %ld %ld %ld %ld",
	      c->own[0], c->own[1], c->own[2], c->own[3]);
	for (int i = 0; i < NPROCS; i++)
		close(ring[i][0]), close(ring[i][1]);
	munmap(c, sizeof(*c));
}

/* ---- fork: the child's writes reach the parent ---- */

static void
check_fork_sharing(void)
{
	char *m = map_shared(2 * PAGE);
	int status;
	pid_t pid;

	if (m == MAP_FAILED) {
		CHECK("child_write_seen_by_parent", false, "mmap: %s", strerror(errno));
		return;
	}
	strcpy(m, "parent");                    /* page 0 touched before fork, page 1 not */
	pid = fork();
	if (pid == 0) {
		strcpy(m, "child");
		strcpy(m + PAGE, "child too");
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK("child_write_seen_by_parent", strcmp(m, "child") == 0,
	      "parent reads \"%.16s\" (copy-on-write?)", m);
	CHECK("child_write_to_untouched_page_seen", strcmp(m + PAGE, "child too") == 0,
	      "parent reads \"%.16s\"", m + PAGE);
	munmap(m, 2 * PAGE);
}

/* ---- futex: a word of a shared region, between processes ---- */

#define FUTEX_WAIT 0           /* Linux's values (<linux/futex.h>, which musl does not ship) */
#define FUTEX_WAKE 1

static long
futex(uint32_t *word, int op, uint32_t val, const struct timespec *timeout)
{
	return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

/* The child sleeps on the shared word (a shared futex, keyed by object and offset); the parent's wake must reach it. */
static void
check_futex(void)
{
	uint32_t *word = map_shared(PAGE);
	struct timespec pause = { 0, 300 * 1000 * 1000 };
	int status;
	long woken;
	pid_t pid;

	if (word == MAP_FAILED) {
		CHECK("futex_wake_reaches_other_process", false, "mmap: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct timespec limit = { 20, 0 };
		while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == 0)
			if (futex(word, FUTEX_WAIT, 0, &limit) != 0 && errno == ETIMEDOUT)
				_exit(1);
		_exit(0);
	}
	nanosleep(&pause, NULL);                /* time for the child to fall asleep */
	__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
	woken = futex(word, FUTEX_WAKE, 1, NULL);
	waitpid(pid, &status, 0);
	CHECK("futex_wake_reaches_other_process", woken == 1, "FUTEX_WAKE woke %ld", woken);
	check_exited_with("futex_waiter_woken_not_timed_out", status, 0);
	munmap(word, PAGE);
}

/* ---- /proc: maps, RssShmem, Shmem ---- */

/* The line of /proc/self/maps for the region at addr, in line (empty if none). */
static void
maps_line(void *addr, char *line, size_t size)
{
	static char buf[16384];
	char start[32];
	const char *p;

	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	proc_load("/proc/self/maps", buf, sizeof(buf));
	line[0] = '\0';
	for (p = buf; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (strncmp(p, start, strlen(start)) == 0) {
			size_t n = strcspn(p, "\n");
			snprintf(line, size, "%.*s", (int)(n < size - 1 ? n : size - 1), p);
			return;
		}
}

static void
check_proc(void)
{
	long npages = 256, shmem0 = meminfo("Shmem");
	char *m = map_shared((size_t)(npages * PAGE));
	char line[256];
	int status;
	pid_t pid;

	if (m == MAP_FAILED) {
		CHECK("maps_shows_dev_zero_deleted", false, "mmap: %s", strerror(errno));
		return;
	}
	maps_line(m, line, sizeof(line));
	CHECK("maps_shows_dev_zero_deleted", strstr(line, " rw-s 00000000 ") &&
	      strstr(line, "/dev/zero (deleted)"), "line \"%s\"", line);
	for (long p = 0; p < npages; p++)
		m[p * PAGE] = 1;
	CHECK("rss_shmem_counts_mapped_pages", proc_get("/proc/self/status", "RssShmem") >= npages * 4,
	      "RssShmem %ld kB for %ld pages", proc_get("/proc/self/status", "RssShmem"), npages);
	CHECK("meminfo_shmem_grows", meminfo("Shmem") >= shmem0 + npages * 4 * 9 / 10,
	      "Shmem %ld kB, was %ld, %ld pages touched", meminfo("Shmem"), shmem0, npages);
	munmap(m, (size_t)(npages * PAGE));
	if (on_pagoda)
		CHECK("meminfo_shmem_back_after_munmap", meminfo("Shmem") == shmem0,
		      "Shmem %ld kB, was %ld", meminfo("Shmem"), shmem0);
	/* The last mapper an exiting child: its exit frees the object. */
	pid = fork();
	if (pid == 0) {
		char *c = map_shared((size_t)(npages * PAGE));
		for (long p = 0; c != MAP_FAILED && p < npages; p++)
			c[p * PAGE] = 1;
		_exit(c == MAP_FAILED);
	}
	waitpid(pid, &status, 0);
	if (on_pagoda)
		CHECK("meminfo_shmem_back_after_exit", WIFEXITED(status) && meminfo("Shmem") == shmem0,
		      "Shmem %ld kB, was %ld", meminfo("Shmem"), shmem0);
}

/* ---- munmap of part of a region ---- */

static void
check_partial_munmap(void)
{
	long npages = 8;
	char *m = map_shared((size_t)(npages * PAGE));
	int status;
	pid_t pid;

	if (m == MAP_FAILED) {
		CHECK("munmap_middle_keeps_lower_part", false, "mmap: %s", strerror(errno));
		return;
	}
	for (long p = 0; p < npages; p++)
		fill_page(m, p, 0x5117);
	CHECK("munmap_middle_succeeds", munmap(m + 2 * PAGE, 2 * PAGE) == 0, "munmap: %s",
	      strerror(errno));
	CHECK("munmap_middle_keeps_lower_part", bad_pages(m, 0, 2, 0x5117) == 0, "pages 0-1 changed");
	CHECK("munmap_middle_keeps_upper_part", bad_pages(m, 4, 4, 0x5117) == 0,
	      "pages 4-7 lost their data (offset into the object?)");
	pid = fork();
	if (pid == 0)
		_exit(bad_pages(m, 4, 4, 0x5117) != 0);   /* a child's faults, through the offset */
	waitpid(pid, &status, 0);
	check_exited_with("munmap_middle_child_reads_upper_part", status, 0);
	munmap(m, (size_t)(npages * PAGE));
}

/* ---- mprotect ---- */

static char *ro_page;

static int
write_ro_page(void *arg)
{
	(void)arg;
	ro_page[0] = 'x';
	return 0;
}

static void
check_mprotect(void)
{
	char *m = map_shared(2 * PAGE);
	int status;

	if (m == MAP_FAILED) {
		CHECK("mprotect_read_then_write_segv", false, "mmap: %s", strerror(errno));
		return;
	}
	strcpy(m, "kept");
	CHECK("mprotect_read_only", mprotect(m, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	ro_page = m;
	status = run_in_child(write_ro_page, NULL);
	check_killed_by("mprotect_read_then_write_segv", status, SIGSEGV);
	CHECK("mprotect_read_only_data_kept", strcmp(m, "kept") == 0, "reads \"%.8s\"", m);
	CHECK("mprotect_read_write_again", mprotect(m, PAGE, PROT_READ | PROT_WRITE) == 0,
	      "mprotect: %s", strerror(errno));
	status = run_in_child(write_ro_page, NULL);
	check_exited_with("mprotect_writable_child_writes", status, 0);
	CHECK("mprotect_writable_write_shared", m[0] == 'x', "parent reads '%c', not the child's 'x'",
	      m[0]);
	munmap(m, 2 * PAGE);
}

/* ---- MADV_DONTNEED ---- */

static void
check_dontneed(void)
{
	long npages = 16;
	char *m = map_shared((size_t)(npages * PAGE));
	long rss;

	if (m == MAP_FAILED) {
		CHECK("dontneed_keeps_data", false, "mmap: %s", strerror(errno));
		return;
	}
	for (long p = 0; p < npages; p++)
		fill_page(m, p, 0xd0);
	rss = proc_get("/proc/self/status", "RssShmem");
	CHECK("dontneed_succeeds", madvise(m, (size_t)(npages * PAGE), MADV_DONTNEED) == 0,
	      "madvise: %s", strerror(errno));
	CHECK("dontneed_unmaps", proc_get("/proc/self/status", "RssShmem") <= rss - npages * 4,
	      "RssShmem %ld kB, was %ld", proc_get("/proc/self/status", "RssShmem"), rss);
	CHECK("dontneed_keeps_data", bad_pages(m, 0, npages, 0xd0) == 0,
	      "pages read back without their data (zeroes, as private memory would?)");
	munmap(m, (size_t)(npages * PAGE));
}

/* ---- a region bigger than memory: through swap ---- */

/* Twice MemTotal on a small machine (it must swap), but within 3/4 of RAM and free swap; 64 MiB on a big one. */
static long
swap_workload_mib(void)
{
	long mem_kb = meminfo("MemTotal"), room_kb = (mem_kb + meminfo("SwapFree")) / 4 * 3;

	if (mem_kb <= 0 || mem_kb > 256 * 1024)
		return 64;
	return (2 * mem_kb < room_kb ? 2 * mem_kb : room_kb) / 1024;
}

static void
check_swap(void)
{
	long mib = swap_workload_mib(), npages = mib * MIB / PAGE, peak = 0;
	long out0 = vmstat("pswpout"), in0 = vmstat("pswpin");
	long shmem0 = meminfo("Shmem"), swapfree0 = meminfo("SwapFree");
	struct timespec t0, t1;
	char *m = map_shared((size_t)(mib * MIB));
	int status;
	pid_t pid;

	say("info: shared region %ld MiB, MemTotal %ld kB\n", mib, meminfo("MemTotal"));
	if (m == MAP_FAILED) {
		CHECK("swap_region_holds_pattern", false, "mmap of %ld MiB: %s", mib, strerror(errno));
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long p = 0; p < npages; p++) {
		fill_page(m, p, 0xabc);
		if (p % 1024 == 0)
			if (meminfo("Shmem") > peak)
				peak = meminfo("Shmem");
	}
	pid = fork();
	if (pid == 0)
		_exit(bad_pages(m, 0, npages, 0xabc) != 0 ? 1 : 0);
	waitpid(pid, &status, 0);
	check_exited_with("swap_child_reads_pattern", status, 0);
	CHECK("swap_region_holds_pattern", bad_pages(m, 0, npages, 0xabc) == 0,
	      "pages lost their data");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	say("info: shared %ld MiB: pswpout +%ld, pswpin +%ld, Shmem peak %ld kB, %.1f s\n", mib,
	    vmstat("pswpout") - out0, vmstat("pswpin") - in0, peak,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	CHECK("swap_meminfo_shmem_grew", peak > shmem0, "Shmem peak %ld kB, was %ld", peak, shmem0);
	if (on_pagoda)
		CHECK("swap_pswpout_grew", vmstat("pswpout") - out0 >= npages / 2,
		      "pswpout +%ld for %ld pages, twice the RAM", vmstat("pswpout") - out0, npages);
	munmap(m, (size_t)(mib * MIB));
	if (on_pagoda) {
		CHECK("swap_shmem_back_after_munmap", meminfo("Shmem") == shmem0,
		      "Shmem %ld kB, was %ld", meminfo("Shmem"), shmem0);
		/* Our own anonymous pages (stack, data) may have gone to swap
		 * meanwhile, or come back keeping their slot: those slots are ours. */
		long own_kb = proc_get("/proc/self/status", "VmSwap") + meminfo("SwapCached");
		CHECK("swap_slots_back_after_munmap", swapfree0 - meminfo("SwapFree") <= own_kb &&
		      vmstat("nr_shmem_swapped") == 0, "SwapFree %ld kB, was %ld; own VmSwap and "
		      "SwapCached %ld kB; nr_shmem_swapped %ld", meminfo("SwapFree"), swapfree0, own_kb,
		      vmstat("nr_shmem_swapped"));
	}
}

/* ---- bad arguments ---- */

static void
check_errors(void)
{
	void *m = mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK("error_length_0_einval", m == MAP_FAILED && errno == EINVAL, "got %p, %s", m,
	      strerror(errno));
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("error_shared_and_private_einval", m == MAP_FAILED && errno == EINVAL, "got %p, %s", m,
	      strerror(errno));
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 1);
	CHECK("error_unaligned_offset_einval", m == MAP_FAILED && errno == EINVAL, "got %p, %s", m,
	      strerror(errno));
	/* An aligned offset is ignored: the region maps a new object from its start (Linux). */
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 2 * PAGE);
	CHECK("aligned_offset_ignored", m != MAP_FAILED && ((char *)m)[0] == 0, "got %p, %s", m,
	      strerror(errno));
	if (m != MAP_FAILED)
		munmap(m, PAGE);
}

int
main(void)
{
	on_pagoda = access("/proc/memsnap", F_OK) == 0;
	check_counters();
	check_fork_sharing();
	check_futex();
	check_proc();
	check_partial_munmap();
	check_mprotect();
	check_dontneed();
	check_errors();
	check_swap();
	return check_exit();
}
