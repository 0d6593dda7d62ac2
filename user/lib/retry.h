/*
 * retry.h - system calls that may fail for a moment, tried again.
 *
 * fork(), pipe() and open() need kernel memory. When there is none just
 * now - memory pressure, or fault injection (docs/fault-injection.md) -
 * they fail with ENOMEM (or EAGAIN), on Linux as on pagoda; nothing is
 * wrong with the program, and a robust one waits a little and tries again.
 * These helpers do that, up to RETRY_TIMES times, RETRY_PAUSE_MS apart,
 * then give up with the call's own error. Header-only.
 */
#ifndef USER_RETRY_H
#define USER_RETRY_H

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#define RETRY_TIMES 100        /* one second in all: far beyond a transient failure */
#define RETRY_PAUSE_MS 10

/* Whether a failure with this errno may go away by itself. */
static inline int
retry_worth_it(int err)
{
	return err == ENOMEM || err == EAGAIN;
}

static inline void
retry_pause(void)
{
	struct timespec ts = { 0, RETRY_PAUSE_MS * 1000000L };

	nanosleep(&ts, NULL);
}

static inline pid_t
fork_retrying(void)
{
	pid_t pid;

	for (int i = 0; (pid = fork()) < 0 && retry_worth_it(errno) && i < RETRY_TIMES; i++)
		retry_pause();
	return pid;
}

static inline int
pipe_retrying(int fds[2])
{
	int r;

	for (int i = 0; (r = pipe(fds)) < 0 && retry_worth_it(errno) && i < RETRY_TIMES; i++)
		retry_pause();
	return r;
}

static inline int
open_retrying(const char *path, int flags)
{
	int fd;

	for (int i = 0; (fd = open(path, flags)) < 0 && retry_worth_it(errno) && i < RETRY_TIMES; i++)
		retry_pause();
	return fd;
}

#endif
