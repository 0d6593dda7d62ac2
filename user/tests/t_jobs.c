/*
 * t_jobs - the kernel's half of job control, as on Linux (the same binary
 * passes on the host first):
 *
 *   stop        SIGSTOP stops a child: wait4(WUNTRACED) reports it (WIFSTOPPED,
 *               WSTOPSIG), it makes no progress while stopped, SIGCONT lets it
 *               go on and wait4(WCONTINUED) says so (WIFCONTINUED); the
 *               parent's SIGCHLD handler sees CLD_STOPPED and CLD_CONTINUED,
 *               and none of them with SA_NOCLDSTOP; SIGKILL ends a stopped
 *               child; SIGTSTP with a handler runs it instead of stopping
 *   groups      setpgid, getpgid, getpgrp, setsid, getsid and their errors;
 *               kill(-pgid) reaches every member and nobody else; kill(0)
 *               the sender's own group; wait4(-pgid) waits for that group only
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "check.h"

static void
sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* A child that writes a byte to fd every few ms, for ever. */
static pid_t
ticker(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;) {
			(void)!write(fd, "t", 1);
			sleep_ms(5);
		}
	}
	return pid;
}

/* Bytes waiting in the pipe's read end, drained. */
static long
drain(int fd)
{
	char buf[4096];
	long n = 0, r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		n += r;
	return n;
}

static volatile sig_atomic_t stopped_seen, continued_seen;

static void
on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_code == CLD_STOPPED && si->si_status == SIGSTOP)
		stopped_seen++;
	if (si->si_code == CLD_CONTINUED)
		continued_seen++;
}

static void
catch_chld(int flags)
{
	struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_RESTART | flags };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	stopped_seen = continued_seen = 0;
}

static void
stop_checks(void)
{
	int fds[2], status;
	long before, during;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	catch_chld(0);
	pid = ticker(fds[1]);
	sleep_ms(50);
	kill(pid, SIGSTOP);
	CHECK("stop/wuntraced_reports_stop", waitpid(pid, &status, WUNTRACED) == pid &&
	      WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "status %#x", status);
	drain(fds[0]);
	sleep_ms(100);
	during = drain(fds[0]);
	CHECK("stop/no_progress_while_stopped", during == 0, "%ld bytes while stopped", during);
	CHECK("stop/no_second_report", waitpid(pid, &status, WUNTRACED | WNOHANG) == 0, "reported again");
	kill(pid, SIGCONT);
	CHECK("stop/wcontinued_reports_continue", waitpid(pid, &status, WCONTINUED) == pid &&
	      WIFCONTINUED(status), "status %#x", status);
	sleep_ms(100);
	before = drain(fds[0]);
	CHECK("stop/progress_after_sigcont", before > 0, "no bytes after SIGCONT");
	CHECK("stop/sigchld_cld_stopped_and_continued", stopped_seen == 1 && continued_seen == 1,
	      "stopped %d, continued %d", (int)stopped_seen, (int)continued_seen);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGKILL);
	CHECK("stop/sigkill_ends_stopped_child", waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "status %#x", status);

	catch_chld(SA_NOCLDSTOP);
	pid = ticker(fds[1]);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGCONT);
	waitpid(pid, &status, WCONTINUED);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	CHECK("stop/sa_nocldstop_quiet", stopped_seen == 0 && continued_seen == 0,
	      "stopped %d, continued %d", (int)stopped_seen, (int)continued_seen);
	signal(SIGCHLD, SIG_DFL);
	close(fds[0]);
	close(fds[1]);
}

static volatile sig_atomic_t tstp_handled;

static void
on_tstp(int sig)
{
	(void)sig;
	tstp_handled = 1;
}

static void
tstp_checks(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGTSTP, on_tstp);
		raise(SIGTSTP);
		_exit(tstp_handled ? 0 : 1);
	}
	check_exited_with("stop/sigtstp_handler_runs_instead", waitpid(pid, &status, 0) == pid ?
			  status : -1, 0);
	pid = fork();
	if (pid == 0) {
		raise(SIGTSTP);
		_exit(0);
	}
	CHECK("stop/sigtstp_default_stops", waitpid(pid, &status, WUNTRACED) == pid &&
	      WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP, "status %#x", status);
	kill(pid, SIGCONT);
	check_exited_with("stop/sigtstp_then_continues", waitpid(pid, &status, 0) == pid ? status : -1, 0);
}

/* A child in group pgid (0: a new one of its own) that sleeps until killed. */
static pid_t
member(pid_t pgid)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, pgid);
		for (;;)
			pause();
	}
	setpgid(pid, pgid);                    /* both sides, as shells do: no race */
	return pid;
}

/* A child that leads a new group and exits at once. */
static pid_t
member_that_exits(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(0);
	}
	setpgid(pid, pid);
	return pid;
}

/* Waits (up to 2 s) until /proc/PID/stat says pid is a zombie, not reaping it. */
static bool
wait_until_zombie(pid_t pid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 400; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		char *paren = n > 0 ? (buf[n] = '\0', strrchr(buf, ')')) : NULL;
		if (paren && paren[1] == ' ' && paren[2] == 'Z')
			return true;
		sleep_ms(5);
	}
	return false;
}

static void
group_checks(void)
{
	pid_t a = member(0), b = member(a), other = member(0);
	int status;

	CHECK("groups/setpgid_new_group", getpgid(a) == a && getpgid(b) == a && getpgid(other) == other,
	      "pgids %d %d %d", (int)getpgid(a), (int)getpgid(b), (int)getpgid(other));
	pid_t asker = fork();
	if (asker == 0)                        /* other is its sibling, not its child */
		_exit(setpgid(other, 0) == -1 && errno == ESRCH ? 0 : 1);
	check_exited_with("groups/setpgid_not_child_esrch", waitpid(asker, &status, 0) == asker ? status : -1, 0);
	CHECK("groups/setpgid_missing_group_eperm", setpgid(other, 99999) == -1 && errno == EPERM,
	      "errno %d", errno);
	CHECK("groups/setpgid_negative_einval", setpgid(0, -1) == -1 && errno == EINVAL, "errno %d", errno);
	CHECK("groups/kill_group", kill(-a, SIGTERM) == 0, "errno %d", errno);
	CHECK("groups/wait_group_only", waitpid(-a, &status, 0) > 0 && waitpid(-a, &status, 0) > 0 &&
	      waitpid(-a, &status, WNOHANG) == -1 && errno == ECHILD, "errno %d", errno);
	CHECK("groups/other_group_untouched", waitpid(other, &status, WNOHANG) == 0, "other ended");
	kill(other, SIGKILL);
	waitpid(other, &status, 0);
	CHECK("groups/kill_missing_group_esrch", kill(-a, SIGTERM) == -1 && errno == ESRCH, "errno %d", errno);

	pid_t leader = fork();
	if (leader == 0) {
		pid_t sid = setsid();
		bool ok = sid == getpid() && getsid(0) == sid && getpgrp() == sid;
		/* A session leader cannot start another, nor change its group. */
		ok = ok && setsid() == -1 && errno == EPERM && setpgid(0, 0) == -1 && errno == EPERM;
		/* kill(0): the whole of our own group - ourselves, with a handler to see it. */
		signal(SIGUSR1, on_tstp);
		tstp_handled = 0;
		ok = ok && kill(0, SIGUSR1) == 0 && tstp_handled;
		_exit(ok ? 0 : 1);
	}
	check_exited_with("groups/setsid_getsid_kill0", waitpid(leader, &status, 0) == leader ? status : -1, 0);

	/* A zombie stays in its group until it is reaped (a shell's pipeline
	 * whose first program, the group's leader, ended before the next joined). */
	pid_t gone = member_that_exits();
	bool zombie = wait_until_zombie(gone);
	pid_t joiner = member(gone);
	CHECK("groups/zombie_leader_keeps_group", zombie && getpgid(joiner) == gone,
	      "zombie %d, joiner's group %d, want %d", zombie, (int)getpgid(joiner), (int)gone);
	kill(joiner, SIGKILL);
	waitpid(joiner, &status, 0);
	waitpid(gone, &status, 0);
}

int
main(void)
{
	stop_checks();
	tstp_checks();
	group_checks();
	return check_exit();
}
