/*
 * t_swapreaderr - a page that cannot be read back from swap: every process
 * that touches it gets SIGBUS, as on Linux; the others carry on.
 *
 * t_swapreaderr SWAPDEV    (the swap disk: hdb or vdb)
 *
 * The shared region: 64 pages, filled, then sent to swap at once with
 * madvise(MADV_PAGEOUT), then shared by three children (fork):
 *
 *   reader     touches page TARGET while every read from the swap disk
 *              is made to fail (/proc/fault-injection): SIGBUS
 *   toucher    touches TARGET after the failure, reads working again:
 *              still SIGBUS - the slot is marked bad, the data is gone
 *   neighbour  maps the same region but touches only pages far from
 *              TARGET (beyond any readahead window): they read back
 *              intact, it exits 0
 *   bystander  (forked first, its own memory, also swapped out) checks
 *              its pages after the failure: intact, it exits 0
 *
 * Each child waits on a pipe for its turn, so nothing else reads from swap
 * while the failure is on. When all is done the kernel checks that every
 * frame and every (good) slot is free again (tests/run).
 *
 * On Linux (not pagoda) there is nothing to inject: every child must read
 * its pages intact and exit 0 - the same program, minus the failure.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "check.h"
#include "procfs.h"

#define PAGE 4096
#define NPAGES 64
#define TARGET 10
#define FAR 32                 /* pages from FAR on are beyond TARGET's readahead */
#define MADV_PAGEOUT_ 21       /* madvise(MADV_PAGEOUT), Linux 5.4 */

static bool on_pagoda;
static const char *swapdev;

static uint64_t
word(size_t page, int who)
{
	return (uint64_t)page * 0x9e3779b97f4a7c15ull + (uint64_t)who;
}

static char *
filled_region(int who)
{
	char *m = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	for (size_t p = 0; p < NPAGES; p++)
		*(uint64_t *)(m + p * PAGE) = word(p, who);
	madvise(m, NPAGES * PAGE, MADV_PAGEOUT_);
	return m;
}

/* Pages of m[from, to) whose word is wrong. */
static int
wrong_pages(char *m, size_t from, size_t to, int who)
{
	int bad = 0;

	for (size_t p = from; p < to; p++)
		bad += *(volatile uint64_t *)(m + p * PAGE) != word(p, who);
	return bad;
}

static int
resident_pages(char *m)
{
	unsigned char vec[NPAGES];
	int n = 0;

	if (mincore(m, NPAGES * PAGE, vec) != 0)
		return -1;
	for (int i = 0; i < NPAGES; i++)
		n += vec[i] & 1;
	return n;
}

/* Writes text to /proc/fault-injection/NAME; true if it was taken. */
static bool
knob(const char *name, const char *text)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/fault-injection/%s", name);
	fd = open(path, O_WRONLY);
	bool ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Every read from the swap disk fails (on), or none (off). */
static bool
swap_reads_fail(bool on)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "%s %s", swapdev, on ? "read" : "0");
	return knob("fail_make_request/probability", on ? "100" : "0") &&
	       knob("fail_make_request/times", "-1") && knob("fail_make_request/interval", "1") &&
	       knob("fail_make_request/space", "0") && knob("make-it-fail", cmd);
}

struct child {
	pid_t pid;
	int go[2];
};

/* Forks a child that waits for its turn, then runs fn(m) and exits with its result. */
static struct child
spawn(int (*fn)(char *m), char *m)
{
	struct child c;
	char token;

	if (pipe(c.go) != 0)
		exit(2);
	c.pid = fork();
	if (c.pid == 0) {
		close(c.go[1]);
		if (read(c.go[0], &token, 1) != 1)
			_exit(3);
		_exit(fn(m));
	}
	close(c.go[0]);
	return c;
}

/* Gives c its turn and returns its wait status. */
static int
run(struct child c)
{
	int status = 0;

	(void)!write(c.go[1], "g", 1);
	close(c.go[1]);
	waitpid(c.pid, &status, 0);
	return status;
}

static int
touch_target(char *m)
{
	return wrong_pages(m, TARGET, TARGET + 1, 0) ? 1 : 0;
}

static int
touch_far_pages(char *m)
{
	return wrong_pages(m, FAR, NPAGES, 0) ? 1 : 0;
}

/* The bystander's own region, swapped out before it waited: it reads back intact. */
static int
check_own_pages(char *own)
{
	return wrong_pages(own, 0, NPAGES, 7) ? 1 : 0;
}

/* /proc/fault-injection/fail_make_request/injected, or -1. */
static long
injected(void)
{
	char buf[32];

	proc_load("/proc/fault-injection/fail_make_request/injected", buf, sizeof(buf));
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

static bool
sigbus(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS;
}

static bool
clean_exit(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int
main(int argc, char **argv)
{

	on_pagoda = running_on_pagoda();
	swapdev = argc > 1 ? argv[1] : "vdb";

	/* The bystander's region is in swap before it is forked; then it alone maps it. */
	char *own = filled_region(7);
	if (!own)
		return 2;
	struct child by = spawn(check_own_pages, own);
	munmap(own, NPAGES * PAGE);
	char *m = filled_region(0);
	CHECK("pageout_sent_pages_to_swap", m && (!on_pagoda || resident_pages(m) == 0),
	      "%d of %d pages still resident after MADV_PAGEOUT", m ? resident_pages(m) : -1, NPAGES);
	if (!m)
		return check_exit();
	struct child reader = spawn(touch_target, m);
	struct child toucher = spawn(touch_target, m);
	struct child neighbour = spawn(touch_far_pages, m);

	if (on_pagoda)
		CHECK("injection_on", swap_reads_fail(true), "the /proc/fault-injection knobs refused");
	long before = injected();
	int rs = run(reader);
	if (on_pagoda) {
		CHECK("injection_off", swap_reads_fail(false), "the knobs refused");
		CHECK("reads_were_failed", injected() > before, "injected %ld -> %ld", before, injected());
	}
	int ts = run(toucher), ns = run(neighbour), bs = run(by);

	if (on_pagoda) {
		CHECK("reader_gets_sigbus", sigbus(rs), "wait status %#x", rs);
		CHECK("later_toucher_gets_sigbus", sigbus(ts), "wait status %#x", ts);
	} else {
		CHECK("reader_reads_intact", clean_exit(rs), "wait status %#x", rs);
		CHECK("later_toucher_reads_intact", clean_exit(ts), "wait status %#x", ts);
	}
	CHECK("neighbour_not_touching_it_carries_on", clean_exit(ns), "wait status %#x", ns);
	CHECK("bystander_carries_on", clean_exit(bs), "wait status %#x", bs);
	CHECK("far_pages_intact_here_too", wrong_pages(m, FAR, NPAGES, 0) == 0, "wrong pages");
	munmap(m, NPAGES * PAGE);
	return check_exit();
}
