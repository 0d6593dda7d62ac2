/*
 * t_cow - copy-on-write after fork. A 1 MiB buffer (256 pages, in .bss)
 * holds a pattern; after fork, whoever writes gets a private copy and the
 * other side must still see the old contents, page by page.
 *
 * The pattern mixes a seed with each word's offset, so a page that ends up
 * at the wrong address, or shared when it should be copied, shows up as a
 * mismatch at a precise offset. Where one side must wait for the other's
 * writes, a pipe carries a one-byte "done". Last, pages shared through
 * swap: a store to one is a single fault.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "check.h"

#define PAGE 4096
#define BUF_SIZE (1 << 20)
#define WORDS (BUF_SIZE / 8)

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static uint64_t buf[WORDS] __attribute__((aligned(PAGE)));   /* madvise() takes whole pages */

static uint64_t
pattern(uint64_t seed, size_t i)
{
	return seed * 0x9e3779b97f4a7c15ull ^ (i * 8);
}

static void
fill(uint64_t seed, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		buf[i] = pattern(seed, i);
}

/* Returns the byte offset of the first word not matching, or -1. */
static long
mismatch(uint64_t seed, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (buf[i] != pattern(seed, i))
			return (long)(i * 8);
	return -1;
}

static void
signal_done(int fd)
{
	(void)!write(fd, "x", 1);
}

static void
wait_done(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* Child writes its own pattern; the parent's stays intact. */
static void
check_child_writes(void)
{
	fill(1, 0, WORDS);
	pid_t pid = fork();
	if (pid == 0) {
		fill(2, 0, WORDS);
		_exit(mismatch(2, 0, WORDS) < 0 ? 0 : 1);
	}
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	check_exited_with("cow_child_sees_own_writes", status, 0);
	long off = mismatch(1, 0, WORDS);
	CHECK("cow_parent_intact_after_child_writes", off < 0, "parent's buffer changed at %#lx",
	      off);
}

/* Parent writes its own pattern; the child, reading afterwards, sees the old one. */
static void
check_parent_writes(void)
{
	int done[2];

	fill(3, 0, WORDS);
	if (pipe(done) < 0) {
		CHECK("cow_child_intact_after_parent_writes", 0, "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		wait_done(done[0]);
		_exit(mismatch(3, 0, WORDS) < 0 ? 0 : 1);
	}
	fill(4, 0, WORDS);
	long off = mismatch(4, 0, WORDS);
	signal_done(done[1]);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(done[0]);
	close(done[1]);
	CHECK("cow_parent_sees_own_writes", off < 0, "mismatch at %#lx", off);
	check_exited_with("cow_child_intact_after_parent_writes", status, 0);
}

/*
 * Both write, each its own half, and only then (after a handshake) verify:
 * the child sees [its writes | original], the parent [original | its writes].
 */
static void
check_both_write_halves(void)
{
	int to_parent[2], to_child[2];

	fill(5, 0, WORDS);
	if (pipe(to_parent) < 0 || pipe(to_child) < 0) {
		CHECK("cow_halves_child", 0, "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		fill(6, 0, WORDS / 2);
		signal_done(to_parent[1]);
		wait_done(to_child[0]);
		_exit(mismatch(6, 0, WORDS / 2) < 0 && mismatch(5, WORDS / 2, WORDS) < 0 ? 0 : 1);
	}
	if (pid < 0) {
		CHECK("cow_halves_child", 0, "fork: %s", strerror(errno));
		return;
	}
	fill(7, WORDS / 2, WORDS);
	wait_done(to_parent[0]);
	signal_done(to_child[1]);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	for (int i = 0; i < 2; i++) {
		close(to_parent[i]);
		close(to_child[i]);
	}
	check_exited_with("cow_halves_child", status, 0);
	long first = mismatch(5, 0, WORDS / 2), second = mismatch(7, WORDS / 2, WORDS);
	CHECK("cow_halves_parent", first < 0 && second < 0, "mismatch at %#lx",
	      first >= 0 ? first : second);
}

/* Nobody writes: both read everything; then the parent, alone again, writes. */
static void
check_read_only_sharing(void)
{
	fill(8, 0, WORDS);
	pid_t pid = fork();
	if (pid == 0)
		_exit(mismatch(8, 0, WORDS) < 0 ? 0 : 1);
	long off = mismatch(8, 0, WORDS);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	check_exited_with("cow_shared_read_child", status, 0);
	CHECK("cow_shared_read_parent", off < 0, "mismatch at %#lx", off);

	fill(9, 0, WORDS);
	off = mismatch(9, 0, WORDS);
	CHECK("cow_write_after_child_exit", off < 0, "mismatch at %#lx", off);
}

#define SWAPPED_PAGES 64
#define SWAPPED_WORDS (SWAPPED_PAGES * PAGE / 8)

/* Faults of this process so far, minor and major. */
static long
faults(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt + ru.ru_majflt : -1;
}

/*
 * Pages pushed out to swap (madvise(MADV_PAGEOUT), Linux 5.4) before fork
 * are shared through their slots. The child's first store to each page
 * reads it back and copies it in one fault, as Linux's do_swap_page()
 * calls do_wp_page(): the write does not fault a second time for its
 * copy. The parent's pages keep their contents. (On a host without swap
 * nothing goes out, and each store is one copy-on-write fault all the same.)
 */
static void
check_write_to_swapped_shared(void)
{
	unsigned char vec[SWAPPED_PAGES];
	long out = 0;

	fill(10, 0, SWAPPED_WORDS);
	madvise(buf, SWAPPED_PAGES * PAGE, MADV_PAGEOUT);
	if (mincore(buf, SWAPPED_PAGES * PAGE, vec) == 0)
		for (int p = 0; p < SWAPPED_PAGES; p++)
			out += !(vec[p] & 1);
	if (running_on_pagoda())
		CHECK("cow_swapped_pages_went_out", out == SWAPPED_PAGES, "%ld of %d pages out",
		      out, SWAPPED_PAGES);
	pid_t pid = fork();
	if (pid == 0) {
		long before = faults();
		for (size_t i = 0; i < SWAPPED_WORDS; i += PAGE / 8)
			buf[i] = pattern(11, i);
		long taken = faults() - before;
		say("t_cow: %ld faults for %d stores to swapped shared pages\n", taken, SWAPPED_PAGES);
		_exit(taken == SWAPPED_PAGES ? 0 : 1);
	}
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	check_exited_with("cow_swapped_one_fault_per_write", status, 0);
	long off = mismatch(10, 0, SWAPPED_WORDS);
	CHECK("cow_swapped_parent_intact", off < 0, "mismatch at %#lx", off);
}

int
main(void)
{
	check_child_writes();
	check_parent_writes();
	check_both_write_halves();
	check_read_only_sharing();
	check_write_to_swapped_shared();
	return check_exit();
}
