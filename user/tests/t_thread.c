/*
 * t_thread - POSIX threads, as musl builds them on clone, futex,
 * set_tid_address, exit and exit_group. The same static binary passes on
 * the host Linux first, then on pagoda: musl's pthread_create, join, exit,
 * mutexes and condition variables must work unchanged, and the memory
 * manager must stay correct while several threads fault, swap and unmap
 * pages of one address space at once.
 *
 *   threads    one pid, a tid each; a mutex counts 400000 increments; a
 *              condition variable ping-pong; join values; __thread; detached
 *   memory     four threads fill and verify one mapping (twice RAM on a small
 *              machine, so it swaps); munmap while three threads fault on it
 *
 * What a process of several threads does as a whole (fork, exit_group,
 * signals, masks) is t_thread_proc's. Every check runs in its own child
 * under an alarm and a deadline (threadcheck.h), so a kernel that loses a
 * wakeup prints "not ok", never hangs. [swap=MiB]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "check.h"
#include "procfs.h"
#include "threadcheck.h"

#define PAGE 4096
#define MIB (1024L * 1024)
#define SWAP_SECONDS 600      /* twice RAM through swap on an emulated disk is slow */

static long swap_mib;         /* the workload's size from argv; 0: chosen from MemTotal */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* threads: getpid() names the process, gettid() the thread; the main thread's tid is the pid. */
static void *
pid_and_tid(void *arg)
{
	(void)arg;
	return (void *)((intptr_t)getpid() << 32 | my_tid());
}

static void
ids_body(const char *name)
{
	void *ids[4];
	pid_t pid = getpid();
	int shared = 0, distinct = 0;

	run_threads(4, pid_and_tid, ids);
	for (int i = 0; i < 4; i++) {
		pid_t tid = (pid_t)(intptr_t)ids[i];
		bool unique = tid > 0 && tid != pid;
		for (int j = 0; j < 4; j++)
			unique = unique && (j == i || (pid_t)(intptr_t)ids[j] != tid);
		shared += (intptr_t)ids[i] >> 32 == pid;
		distinct += unique;
	}
	CHECK(name, my_tid() == pid && shared == 4 && distinct == 4,
	      "main tid %d, pid %d; %d of 4 threads share the pid, %d have their own tid", (int)my_tid(),
	      (int)pid, shared, distinct);
}

/* threads: a mutex and condition variables, which musl builds on futex wait and wake. */
#define ADDS 100000
#define TURNS 10000
static volatile long counter;
static pthread_cond_t turn_changed[2] = { PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };
static volatile int turn, turns_taken, turns_by[2];

static void *
add_under_lock(void *arg)
{
	(void)arg;
	for (int i = 0; i < ADDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void
mutex_body(const char *name)
{
	run_threads(4, add_under_lock, NULL);
	CHECK(name, counter == 4 * ADDS, "counter %ld, expected %d", counter, 4 * ADDS);
}

/* Player me (0 or 1) waits for its turn, takes it and hands over, until TURNS are taken. */
static void *
play(void *arg)
{
	int me = (int)(long)arg;

	pthread_mutex_lock(&lock);
	while (turns_taken < TURNS) {
		while (turn != me && turns_taken < TURNS)
			pthread_cond_wait(&turn_changed[me], &lock);
		if (turns_taken == TURNS)
			break;
		turns_taken++;
		turns_by[me]++;
		turn = 1 - me;
		pthread_cond_signal(&turn_changed[1 - me]);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void
ping_pong_body(const char *name)
{
	run_threads(2, play, NULL);
	CHECK(name, turns_taken == TURNS && turns_by[0] == TURNS / 2 && turns_by[1] == TURNS / 2 &&
	      turn == 0, "%d turns (%d + %d), final turn %d", turns_taken, turns_by[0], turns_by[1], turn);
}

/* threads: join gets each thread's value, returned or passed to pthread_exit (times_seven, threadcheck.h). */
static void
join_body(const char *name)
{
	void *values[4];
	int right = 0;

	run_threads(4, times_seven, values);
	for (intptr_t i = 0; i < 4; i++)
		right += values[i] == (void *)((i + 1) * 7);
	CHECK(name, right == 4, "values %p %p %p %p, expected 7 14 21 28 (hex)", values[0], values[1],
	      values[2], values[3]);
}

/* threads: each starts from the initial 5 and keeps what it wrote, whatever the others write. */
static __thread volatile int tls_value = 5;
static pthread_barrier_t all_written;
static long tls_wrong;

static void *
use_tls(void *arg)
{
	int mine = (int)(long)arg * 11 + 1, started = tls_value;

	tls_value = mine;
	pthread_barrier_wait(&all_written);     /* everyone has written before anyone reads */
	if (started != 5 || tls_value != mine)
		__atomic_add_fetch(&tls_wrong, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void
tls_body(const char *name)
{
	tls_value = 1000;
	pthread_barrier_init(&all_written, NULL, 4);
	run_threads(4, use_tls, NULL);
	CHECK(name, tls_wrong == 0 && tls_value == 1000, "%ld threads saw a wrong value, main sees %d",
	      tls_wrong, tls_value);
}

/* threads: no join; a detached musl thread unmaps its own stack as it exits. */
static long finished;

static void *
finish(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void
detached_body(const char *name)
{
	pthread_attr_t attr;
	pthread_t t;
	int started = 0;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 8; i++)
		started += pthread_create(&t, &attr, finish, NULL) == 0;
	bool all = wait_until(&finished, 8, 5000);
	CHECK(name, started == 8 && all, "%d of 8 started, %ld finished within 5 s", started,
	      __atomic_load_n(&finished, __ATOMIC_SEQ_CST));
}

/*
 * memory, the swap workload: each of 4 workers fills its quarter of one
 * mapping, twice, then checks every page of all four. All checkers start
 * at page 0, so they often fault on the same swapped-out page at once.
 */
#define PATTERN(page, pass) (((uint64_t)(page) << 8 | (uint64_t)(pass)) * 0x9e3779b97f4a7c15ull)
static uint64_t *area;
static long area_pages, bad_pages;
static pthread_barrier_t pass_done;

static bool
page_holds(long page, int pass)
{
	for (int i = 0; i < PAGE / 8; i++)
		if (area[page * (PAGE / 8) + i] != (PATTERN(page, pass) ^ (uint64_t)i))
			return false;
	return true;
}

static void *
fill_then_verify(void *arg)
{
	long quarter = (long)arg, per = area_pages / 4, bad = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (long p = quarter * per; p < (quarter + 1) * per; p++)
			for (int i = 0; i < PAGE / 8; i++)
				area[p * (PAGE / 8) + i] = PATTERN(p, pass) ^ (uint64_t)i;
		pthread_barrier_wait(&pass_done);
	}
	for (long p = 0; p < area_pages; p++)
		bad += !page_holds(p, 1);
	__atomic_add_fetch(&bad_pages, bad, __ATOMIC_SEQ_CST);
	return NULL;
}

/* swap=N from argv; else twice MemTotal on a small machine (it must swap), 64 MiB on a big one. */
static long
workload_mib(void)
{
	long mem_kb = proc_get("/proc/meminfo", "MemTotal");

	if (swap_mib > 0)
		return swap_mib;
	return mem_kb > 0 && mem_kb <= 256 * 1024 ? 2 * mem_kb / 1024 : 64;
}

static void
swap_body(const char *name)
{
	long mib = workload_mib();

	say("info: swap workload %ld MiB\n", mib);
	area_pages = mib * MIB / PAGE;
	area = mmap(NULL, (size_t)(mib * MIB), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		CHECK(name, false, "mmap of %ld MiB: %s", mib, strerror(errno));
		return;
	}
	pthread_barrier_init(&pass_done, NULL, 4);
	run_threads(4, fill_then_verify, NULL);
	CHECK(name, bad_pages == 0, "%ld bad pages in 4 checks of %ld pages", bad_pages, area_pages);
}

/*
 * memory, munmap under faults: three threads touch page after page while
 * main unmaps all of it. Each must get SIGSEGV (none may go on using a
 * freed frame through a stale TLB entry) and escape by its own sigjmp_buf.
 */
#define TARGET_SIZE (16 * MIB)
static volatile char *target;
static volatile int unmapped, stop_touching;
static long touches, segv_seen[2];      /* SIGSEGVs [before, after] the unmap */
static __thread sigjmp_buf toucher_escape;

static void
escape_fault(int sig)
{
	(void)sig;
	siglongjmp(toucher_escape, 1);
}

/* Reads and writes page after page, round and round, until a fault or stop_touching. */
static void *
toucher(void *arg)
{
	if (sigsetjmp(toucher_escape, 1) != 0) {
		__atomic_add_fetch(&segv_seen[unmapped], 1, __ATOMIC_SEQ_CST);
		return NULL;
	}
	for (long i = (long)arg * 1000; !stop_touching; i++) {
		volatile char *p = target + (i % (TARGET_SIZE / PAGE)) * PAGE;
		*p = (char)(*p + 1);
		__atomic_add_fetch(&touches, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Maps the range at the old address again; returns its nonzero words, or -1 if not mapped there. */
static long
remapped_nonzero_words(void)
{
	uint64_t *again = mmap((void *)target, TARGET_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	long nonzero = 0;

	if (again != (void *)target)
		return -1;
	for (long i = 0; i < TARGET_SIZE / 8; i++)
		nonzero += again[i] != 0;
	return nonzero;
}

static void
munmap_body(const char *name)
{
	pthread_t t[3];

	signal(SIGSEGV, escape_fault);
	target = mmap(NULL, TARGET_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (target == MAP_FAILED) {
		CHECK(name, false, "mmap: %s", strerror(errno));
		return;
	}
	for (long i = 0; i < 3; i++)
		t[i] = spawn(toucher, (void *)i);
	wait_until(&touches, 600, 5000);         /* a few hundred pages faulted in */
	unmapped = 1;
	int r = munmap((void *)target, TARGET_SIZE);
	bool all_faulted = wait_until(&segv_seen[1], 3, 5000);
	stop_touching = 1;                      /* frees a thread that never faulted, to report it */
	for (int i = 0; i < 3; i++)
		join(t[i]);
	long nonzero = remapped_nonzero_words();
	CHECK(name, r == 0 && all_faulted && segv_seen[0] == 0 && nonzero == 0,
	      "munmap %d; %ld of 3 threads faulted after it, %ld before, %ld touches; remapped: %ld nonzero words",
	      r, segv_seen[1], segv_seen[0], touches, nonzero);
}

/* only=NAME on the command line runs that check alone (to look at one under a debugger). */
static const char *only;

static void
run(const char *name, void (*check)(const char *name), int seconds)
{
	if (!only || strcmp(only, name) == 0)
		in_child(name, check, seconds);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "swap=", 5) == 0)
			swap_mib = strtol(argv[i] + 5, NULL, 10);
		else if (strncmp(argv[i], "only=", 5) == 0)
			only = argv[i] + 5;
	}
	run("threads_share_pid_distinct_tids", ids_body, CHECK_SECONDS);
	run("mutex_4x100000_increments", mutex_body, CHECK_SECONDS);
	run("condvar_ping_pong", ping_pong_body, CHECK_SECONDS);
	run("join_returns_value", join_body, CHECK_SECONDS);
	run("tls_is_per_thread", tls_body, CHECK_SECONDS);
	run("detached_threads_finish", detached_body, CHECK_SECONDS);
	run("shared_mapping_swap_workload", swap_body, SWAP_SECONDS);
	run("munmap_while_faulting", munmap_body, CHECK_SECONDS);
	return check_exit();
}
