/*
 * check.h - the tiny test harness shared by the programs in user/tests/.
 *
 * A test program is a list of small checks. Each prints exactly one line,
 * "ok NAME" or "not ok NAME: why", and main() ends with
 * "return check_exit();" (0 if every check passed, 1 otherwise).
 *
 * Output goes straight to write(2), never through stdio's buffer, so a
 * fork() cannot duplicate half-printed lines and a child that dies of a
 * signal loses nothing. Checks that must crash (a fault, a signal) run in
 * a child with run_in_child() and the parent judges the wait status.
 *
 * Header-only: everything is static inline, so a program pays only for
 * what it uses and -Wunused-function stays quiet.
 */
#ifndef USER_CHECK_H
#define USER_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sig.h"

static int check_failures __attribute__((unused));

/* Whether this runs on pagoda rather than on the host Linux (uname's sysname). */
static inline bool
running_on_pagoda(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.sysname, "pagoda") == 0;
}

/* Formats like printf and writes the result to stdout in one write(2). */
static inline void
say(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	(void)!write(1, line, n);
}

/*
 * Prints "ok name", or "not ok name: why" (why is a printf format) and
 * counts the failure. Use through CHECK().
 */
static inline void
check_report(const char *name, int passed, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	if (passed) {
		say("ok %s\n", name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	say("not ok %s: %s\n", name, why);
	check_failures++;
}

/* CHECK(name, condition, "why it failed, printf-style", args...) */
#define CHECK(name, cond, ...) check_report((name), !!(cond), __VA_ARGS__)

/* The exit status for main(): 0 if every check passed, 1 otherwise. */
static inline int
check_exit(void)
{
	return check_failures ? 1 : 0;
}

/*
 * Describes a wait status in words into buf: "exited 3",
 * "killed by signal 11 (SIGSEGV)". Returns buf.
 */
static inline const char *
describe_status(int status, char *buf, size_t len)
{
	if (status == -1)
		snprintf(buf, len, "fork or wait4 failed");
	else if (WIFEXITED(status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 sig_name(WTERMSIG(status)));
	else
		snprintf(buf, len, "raw wait status 0x%x", status);
	return buf;
}

/*
 * Runs fn(arg) in a forked child, which exits with fn's return value, and
 * waits for it. Returns the child's wait status, or -1 if fork or wait4
 * failed.
 */
static inline int
run_in_child(int (*fn)(void *arg), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* Checks that a wait status says "killed by signal sig". */
static inline void
check_killed_by(const char *name, int status, int sig)
{
	char buf[64];

	CHECK(name, status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig,
	      "expected to be killed by %s, but %s", sig_name(sig),
	      describe_status(status, buf, sizeof(buf)));
}

/* Checks that a wait status says "exited with code". */
static inline void
check_exited_with(const char *name, int status, int code)
{
	char buf[64];

	CHECK(name, status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code,
	      "expected exit %d, but %s", code, describe_status(status, buf, sizeof(buf)));
}

/*
 * Where the "hello" program is: $HELLO if set (the host script points it
 * into the build directory), else /bin/hello as on pagoda.
 */
static inline const char *
hello_path(void)
{
	const char *path = getenv("HELLO");

	return path && *path ? path : "/bin/hello";
}

#endif
