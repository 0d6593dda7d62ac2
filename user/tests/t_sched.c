/*
 * t_sched - the timer and the scheduler, seen from user space.
 *
 * A child that spins forever must not stop its parent from running
 * (preemption); nanosleep sleeps at least as long as asked; two busy
 * processes both make progress (round robin); the clocks move forward;
 * sleeping does not reload the page tables (lazy TLB). Runs on the host
 * Linux too.
 */
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <sys/utsname.h>
#include <time.h>

#include "check.h"
#include "procfs.h"

static uint64_t
now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Without preemption the parent would never run again after the fork. */
static void
spinning_child_does_not_starve_parent(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			__asm__ volatile("" ::: "memory");
	sleep_ms(50);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	check_killed_by("spinning_child_does_not_starve_parent", status, SIGKILL);
}

static void
nanosleep_sleeps_long_enough(void)
{
	uint64_t start = now_ns(CLOCK_MONOTONIC), elapsed;

	sleep_ms(120);
	elapsed = now_ns(CLOCK_MONOTONIC) - start;
	CHECK("nanosleep_sleeps_long_enough", elapsed >= 120000000u && elapsed < 2000000000u,
	      "slept %lu ns for 120 ms", (unsigned long)elapsed);
}

static void
nanosleep_rejects_bad_times(void)
{
	struct timespec bad = { 0, 1000000000 };

	CHECK("nanosleep_rejects_bad_times", nanosleep(&bad, NULL) == -1,
	      "nanosleep with tv_nsec = 1e9 succeeded");
}

/* Counts loop iterations for 300 ms of wall time; writes the count to fd. */
static void
busy_count(int fd)
{
	uint64_t end = now_ns(CLOCK_MONOTONIC) + 300000000u, n = 0;

	while (now_ns(CLOCK_MONOTONIC) < end)
		n++;
	(void)!write(fd, &n, sizeof(n));
	_exit(0);
}

static void
two_busy_processes_both_progress(void)
{
	int fds[2];
	uint64_t a = 0, b = 0;

	if (pipe(fds) != 0) {
		CHECK("two_busy_processes_both_progress", 0, "pipe failed");
		return;
	}
	if (fork() == 0)
		busy_count(fds[1]);
	if (fork() == 0)
		busy_count(fds[1]);
	close(fds[1]);
	(void)!read(fds[0], &a, sizeof(a));
	(void)!read(fds[0], &b, sizeof(b));
	close(fds[0]);
	while (wait(NULL) > 0)
		;
	CHECK("two_busy_processes_both_progress", a > 0 && b > 0,
	      "loop counts %lu and %lu", (unsigned long)a, (unsigned long)b);
}

/*
 * Each sleep switches to the idle task and back. The idle task has no
 * user memory and borrows the sleeper's page tables (Linux's lazy TLB
 * mode), so 20 sleeps load CR3 - a whole-TLB flush - not 40 times but
 * hardly at all. nr_tlb_local_flush_all is in Linux's /proc/vmstat only
 * with CONFIG_DEBUG_TLBFLUSH (not in Debian's kernel): on pagoda it must
 * be there, on Linux it is checked where it is.
 */
static void
sleeping_keeps_page_tables_loaded(void)
{
	bool pagoda = running_on_pagoda();
	long before = proc_get("/proc/vmstat", "nr_tlb_local_flush_all"), after;

	if (before < 0 && !pagoda)
		return;
	for (int i = 0; i < 20; i++)
		sleep_ms(5);
	after = proc_get("/proc/vmstat", "nr_tlb_local_flush_all");
	CHECK("sleeping_keeps_page_tables_loaded", before >= 0 && after - before < 10,
	      "nr_tlb_local_flush_all %ld -> %ld over 20 sleeps", before, after);
}

static void
clocks_and_uname(void)
{
	struct utsname u;
	uint64_t m1 = now_ns(CLOCK_MONOTONIC), m2 = now_ns(CLOCK_MONOTONIC);

	CHECK("monotonic_clock_moves_forward", m2 >= m1, "%lu then %lu", (unsigned long)m1,
	      (unsigned long)m2);
	CHECK("realtime_is_after_2020", now_ns(CLOCK_REALTIME) / 1000000000u > 1577836800u,
	      "CLOCK_REALTIME says %lu s", (unsigned long)(now_ns(CLOCK_REALTIME) / 1000000000u));
	CHECK("sched_yield_works", sched_yield() == 0, "sched_yield failed");
	CHECK("uname_machine", uname(&u) == 0 && strcmp(u.machine, "x86_64") == 0,
	      "uname failed or machine is not x86_64");
}

int
main(void)
{
	spinning_child_does_not_starve_parent();
	nanosleep_sleeps_long_enough();
	nanosleep_rejects_bad_times();
	two_busy_processes_both_progress();
	sleeping_keeps_page_tables_loaded();
	clocks_and_uname();
	return check_exit();
}
