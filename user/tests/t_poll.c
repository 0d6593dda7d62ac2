/*
 * t_poll - waiting for several files at once: poll, ppoll, select and
 * pselect on pipes, as on Linux (the same binary passes on the host first).
 *
 *   poll     an empty pipe times out (not early); a byte makes it readable;
 *            a write end is writable; no writer left is POLLHUP, no reader
 *            POLLERR; a closed fd POLLNVAL; a negative fd is skipped; a byte
 *            another process writes later wakes an endless poll; a handler
 *            interrupts it (EINTR)
 *   select   the ready descriptor's bit, 0 at a zero timeout, EBADF for a
 *            closed descriptor
 *   masks    ppoll and pselect wait with their own mask: a signal blocked
 *            outside is taken (EINTR) while they wait, and blocked again after
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>

#include "check.h"

static volatile sig_atomic_t hits;

static void
on_usr1(int sig)
{
	(void)sig;
	hits++;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* A child that, after ms, writes a byte into fd (fd >= 0) or sends sig to the parent. */
static pid_t
later(long ms, int fd, int sig)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		sleep_ms(ms);
		if (fd >= 0)
			(void)!write(fd, "x", 1);
		else
			kill(parent, sig);
		_exit(0);
	}
	return pid;
}

static void
poll_checks(void)
{
	int p[2], status, r;
	struct pollfd fds[3];
	double t0;
	char c;

	if (pipe(p) != 0)
		return;
	fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	t0 = now();
	r = poll(fds, 1, 100);
	CHECK("poll/empty_times_out", r == 0 && now() - t0 >= 0.1, "r %d after %.3f s", r, now() - t0);
	(void)!write(p[1], "a", 1);
	r = poll(fds, 1, 1000);
	CHECK("poll/byte_readable", r == 1 && fds[0].revents == POLLIN, "r %d revents %#x", r, fds[0].revents);
	(void)!read(p[0], &c, 1);
	fds[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	fds[1] = (struct pollfd){ .fd = -1, .events = POLLIN };
	fds[2] = (struct pollfd){ .fd = 1000, .events = POLLIN };
	r = poll(fds, 3, 0);
	CHECK("poll/writable_negative_skipped_nval", r == 2 && fds[0].revents == POLLOUT &&
	      fds[1].revents == 0 && fds[2].revents == POLLNVAL, "r %d revents %#x %#x %#x", r,
	      fds[0].revents, fds[1].revents, fds[2].revents);
	pid_t writer = later(100, p[1], 0);
	fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	r = poll(fds, 1, -1);
	CHECK("poll/woken_by_a_later_write", r == 1 && (fds[0].revents & POLLIN), "r %d", r);
	waitpid(writer, &status, 0);
	(void)!read(p[0], &c, 1);
	signal(SIGUSR1, on_usr1);
	pid_t sender = later(100, -1, SIGUSR1);
	r = poll(fds, 1, 5000);
	CHECK("poll/handler_interrupts_eintr", r == -1 && errno == EINTR && hits == 1, "r %d errno %d", r, errno);
	waitpid(sender, &status, 0);
	close(p[1]);
	r = poll(fds, 1, 0);
	CHECK("poll/no_writer_pollhup", r == 1 && (fds[0].revents & POLLHUP), "revents %#x", fds[0].revents);
	close(p[0]);
	if (pipe(p) != 0)
		return;
	close(p[0]);
	fds[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	signal(SIGPIPE, SIG_IGN);
	r = poll(fds, 1, 0);
	CHECK("poll/no_reader_pollerr", r == 1 && (fds[0].revents & POLLERR), "revents %#x", fds[0].revents);
	close(p[1]);
}

static void
select_checks(void)
{
	int p[2], r;
	fd_set rd, wr;
	struct timeval zero = { 0, 0 };

	if (pipe(p) != 0)
		return;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	r = select(p[0] + 1, &rd, NULL, NULL, &zero);
	CHECK("select/nothing_ready_zero", r == 0 && !FD_ISSET(p[0], &rd), "r %d", r);
	(void)!write(p[1], "b", 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	r = select(p[1] + 1, &rd, &wr, NULL, NULL);
	CHECK("select/ready_bits", r == 2 && FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr), "r %d", r);
	close(p[0]);
	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	r = select(p[0] + 1, &rd, NULL, NULL, &zero);
	CHECK("select/closed_fd_ebadf", r == -1 && errno == EBADF, "r %d errno %d", r, errno);
}

static void
mask_checks(void)
{
	int p[2], status, r;
	sigset_t block, none, now_mask;
	struct pollfd fd;
	fd_set rd;
	pid_t sender;

	if (pipe(p) != 0)
		return;
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &block, NULL);
	hits = 0;
	sender = later(100, -1, SIGUSR1);
	fd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	r = ppoll(&fd, 1, NULL, &none);
	sigprocmask(SIG_BLOCK, NULL, &now_mask);
	CHECK("masks/ppoll_takes_blocked_signal", r == -1 && errno == EINTR && hits == 1 &&
	      sigismember(&now_mask, SIGUSR1), "r %d errno %d hits %d", r, errno, (int)hits);
	waitpid(sender, &status, 0);
	sender = later(100, -1, SIGUSR1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	r = pselect(p[0] + 1, &rd, NULL, NULL, NULL, &none);
	sigprocmask(SIG_BLOCK, NULL, &now_mask);
	CHECK("masks/pselect_takes_blocked_signal", r == -1 && errno == EINTR && hits == 2 &&
	      sigismember(&now_mask, SIGUSR1), "r %d errno %d hits %d", r, errno, (int)hits);
	waitpid(sender, &status, 0);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	poll_checks();
	select_checks();
	mask_checks();
	return check_exit();
}
