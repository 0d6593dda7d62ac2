/*
 * threadcheck.h - the harness of the threads tests (t_thread, t_thread_proc),
 * on top of check.h. Plain POSIX threads as musl builds them, so the same
 * static binary runs on the host Linux and on pagoda.
 *
 * A threads check can hang where a single-threaded one cannot: a kernel
 * that loses a futex wakeup leaves a join or a condition wait asleep for
 * good. So every check runs in a child of its own under an alarm, and the
 * parent gives up on it at a deadline (wait_deadline) and kills it: such a
 * check prints "not ok", never hangs the whole program.
 *
 *   in_child      a check that prints its own line; only a crash or a hang
 *                 of its process is reported here
 *   expect_exit   a check of a whole process's fate: its exit code is the
 *                 verdict (exit_group, a signal that ends the process)
 *   spawn, join, run_threads, wait_until   the small steps of a check body
 *
 * The including file defines _GNU_SOURCE before any #include (syscall(),
 * MAP_ANONYMOUS). Header-only: everything is static inline, so a program
 * pays only for what it uses and -Wunused-function stays quiet.
 */
#ifndef USER_THREADCHECK_H
#define USER_THREADCHECK_H

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "retry.h"

#define CHECK_SECONDS 10      /* a check takes milliseconds: after 10 s it is stuck */
#define THREAD_FAILED 99      /* a child's exit code: pthread_create failed */

/* The calling thread's id (the kernel's tid, not a pthread_t). */
static inline pid_t
my_tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static inline long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Polls until *value >= at_least; false if ms pass first. */
static inline bool
wait_until(long *value, long at_least, long ms)
{
	long deadline = now_ms() + ms;

	while (__atomic_load_n(value, __ATOMIC_SEQ_CST) < at_least) {
		if (now_ms() > deadline)
			return false;
		sched_yield();
		usleep(1000);
	}
	return true;
}

/* Starts fn(arg) in a thread. If it cannot, the check cannot go on: its process ends. */
static inline pthread_t
spawn(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, fn, arg);

	if (err != 0) {
		say("info: pthread_create: %s\n", strerror(err));
		_exit(THREAD_FAILED);
	}
	return t;
}

/* The value t ended with; NULL if the join fails (every check expects a value or ignores it). */
static inline void *
join(pthread_t t)
{
	void *value = NULL;

	pthread_join(t, &value);
	return value;
}

/* Runs fn((void *)i) in n threads (i = 0..n-1) and joins them; values, if not NULL, gets their results. */
static inline void
run_threads(int n, void *(*fn)(void *), void **values)
{
	pthread_t t[8];

	for (long i = 0; i < n; i++)
		t[i] = spawn(fn, (void *)i);
	for (int i = 0; i < n; i++) {
		void *value = join(t[i]);
		if (values)
			values[i] = value;
	}
}

/*
 * A thread body with a known result: thread i ends with (i + 1) * 7, by
 * return if i is even, by pthread_exit if odd.
 */
static inline void *
times_seven(void *arg)
{
	intptr_t i = (intptr_t)arg;

	if (i % 2)
		pthread_exit((void *)((i + 1) * 7));
	return (void *)((i + 1) * 7);
}

/*
 * Waits up to seconds for pid to end, then kills it: "killed by SIGKILL"
 * means it outlived its deadline. Returns the wait status, or -1. Never
 * blocks for good: if even SIGKILL fails, the child is left behind.
 */
static inline int
wait_deadline(pid_t pid, int seconds)
{
	long deadline = now_ms() + seconds * 1000L;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r != 0)
			return r == pid ? status : -1;
		if (now_ms() > deadline + 2000)
			return -1;
		if (now_ms() > deadline)
			kill(pid, SIGKILL);
		usleep(5000);
	}
}

/*
 * Runs check(name) in a child under an alarm; the child exits with
 * check_exit(), unless check ends the process itself. Returns the wait status.
 */
static inline int
run_body(const char *name, void (*check)(const char *name), int seconds)
{
	pid_t pid = fork_retrying();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		check_failures = 0;
		alarm(seconds);
		check(name);
		_exit(check_exit());
	}
	return wait_deadline(pid, seconds + 2);
}

/* A check that prints its own line; here only its crash or hang is reported. */
static inline void
in_child(const char *name, void (*check)(const char *name), int seconds)
{
	char buf[80];
	int status = run_body(name, check, seconds);

	if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) <= 1) {
		check_failures += WEXITSTATUS(status);
		return;
	}
	CHECK(name, false, "its process %s", describe_status(status, buf, sizeof(buf)));
}

/* A check of a whole process's fate: check's process must end with exit code (codes: what others mean). */
static inline void
expect_exit(const char *name, void (*check)(const char *name), int code, const char *codes)
{
	char buf[80];
	int status = run_body(name, check, CHECK_SECONDS);

	CHECK(name, status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code,
	      "expected exit %d, but %s%s", code, describe_status(status, buf, sizeof(buf)), codes);
}

#endif
