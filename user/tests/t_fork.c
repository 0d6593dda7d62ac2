/*
 * t_fork - process creation and death: fork, _exit, wait4, kill, the wait
 * status encoding, getpid/getppid, and exec from a child.
 *
 * Status encoding (Linux, and so pagoda): exit(N) gives N << 8, death by
 * signal S gives S (plus 0x80 if a core was dumped, which only a host with
 * core dumps enabled does, for SIGSEGV).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "check.h"

#define NCHILDREN 50

extern char **environ;

static volatile uintptr_t zero;	/* 0 the compiler cannot see through */

static void
check_fork_50_children(void)
{
	pid_t pids[NCHILDREN];
	int seen[NCHILDREN] = { 0 };
	int started = 0, bad = 0;
	char why[128] = "";

	for (int i = 0; i < NCHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(i);
		if (pids[i] < 0) {
			snprintf(why, sizeof(why), "fork %d failed: %s", i, strerror(errno));
			break;
		}
		started++;
	}
	for (int n = 0; n < started; n++) {
		int status, i;
		pid_t pid = wait4(-1, &status, 0, NULL);
		for (i = 0; i < started && pids[i] != pid; i++)
			;
		if (pid < 0 || i == started || seen[i]) {
			snprintf(why, sizeof(why), "wait4 returned %d (%s)", pid,
				 pid < 0 ? strerror(errno) : "not one of ours, or twice");
			bad++;
			break;
		}
		seen[i] = 1;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != i || status != i << 8) {
			snprintf(why, sizeof(why), "child %d: status 0x%x, expected 0x%x", i,
				 status, i << 8);
			bad++;
		}
	}
	CHECK("fork_50_children", started == NCHILDREN && bad == 0, "%s", why);
}

/* A child forks a grandchild; each one's status reaches its own parent. */
static void
check_fork_tree(void)
{
	pid_t child = fork();

	if (child == 0) {
		int status;
		pid_t grandchild = fork();
		if (grandchild == 0)
			_exit(7);
		if (grandchild < 0 || wait4(grandchild, &status, 0, NULL) != grandchild)
			_exit(2);
		_exit(status == 7 << 8 ? 42 : 3);
	}
	int status = -1;
	if (child < 0 || wait4(child, &status, 0, NULL) != child)
		status = -1;
	char buf[64];
	CHECK("fork_tree", status == 42 << 8,
	      "child %s (42: grandchild ok, 3: grandchild status wrong, 2: fork/wait failed)",
	      describe_status(status, buf, sizeof(buf)));
}

static int
kill_self(void *sig)
{
	/* A runner may have started us with SIGTERM ignored; we want its default. */
	if (*(int *)sig != SIGKILL)
		signal(*(int *)sig, SIG_DFL);
	kill(getpid(), *(int *)sig);
	return 100;	/* the signal did not kill us */
}

static int
null_dereference(void *unused)
{
	(void)unused;
	*(volatile int *)zero = 1;
	return 100;
}

/* Killed by sig, and the raw status is exactly sig (no core dumped). */
static void
check_killed(const char *name, int sig)
{
	int status = run_in_child(kill_self, &sig);
	char buf[64];

	CHECK(name, status == sig, "raw status 0x%x, expected 0x%x: %s", status, sig,
	      describe_status(status, buf, sizeof(buf)));
}

static void
check_null_dereference(void)
{
	int status = run_in_child(null_dereference, NULL);

	check_killed_by("null_dereference_sigsegv", status, SIGSEGV);
	/* 0x80 is the "core dumped" bit: some hosts dump cores, pagoda does not. */
	CHECK("null_dereference_raw_status", (status & ~0x80) == SIGSEGV,
	      "raw status 0x%x, expected 0x%x", status, SIGSEGV);
}

static void
check_exit_status_encoding(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(255);
	if (pid > 0)
		waitpid(pid, &status, 0);
	CHECK("exit_255_raw_status", status == 0xff00, "raw status 0x%x, expected 0xff00",
	      status);
}

/*
 * The child's getppid() is our getpid(), and fork returned the child's
 * getpid() (the child exits with its pid's low byte so we can compare).
 */
static void
check_pids(void)
{
	pid_t me = getpid();
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		if (getppid() != me || getpid() == me)
			_exit(0);
		_exit((getpid() & 0x7f) | 0x80);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	CHECK("getppid_is_parent", pid > 0 && status != 0,
	      "in the child getppid() != parent's getpid(), or getpid() == parent's");
	CHECK("fork_returns_child_pid", pid > 0 && status == (((pid & 0x7f) | 0x80) << 8),
	      "fork returned %d, child reported low byte 0x%x", pid, (status >> 8) & 0xff);
	CHECK("getpid_stable", getpid() == me, "getpid() changed from %d to %d", me, getpid());
}

static void
check_wait_no_children(void)
{
	int status;
	long r = syscall(SYS_wait4, -1, &status, 0, NULL);
	int e = errno;

	CHECK("wait4_no_children_echild", r == -1 && e == ECHILD, "returned %ld, errno %d (%s)",
	      r, e, strerror(e));
	r = syscall(SYS_wait4, 999999, &status, 0, NULL);
	e = errno;
	CHECK("wait4_unknown_pid_echild", r == -1 && e == ECHILD, "returned %ld, errno %d (%s)",
	      r, e, strerror(e));
}

static int
exec_hello(void *unused)
{
	char *argv[] = { "hello", NULL };

	(void)unused;
	execve(hello_path(), argv, environ);
	return 99;
}

static void
check_exec_hello(void)
{
	if (access(hello_path(), X_OK) != 0) {
		say("# skip exec_hello: no %s\n", hello_path());
		return;
	}
	int status = run_in_child(exec_hello, NULL);
	check_exited_with("exec_hello", status, 0);
}

int
main(void)
{
	check_fork_50_children();
	check_fork_tree();
	check_killed("kill_self_sigkill", SIGKILL);
	check_killed("kill_self_sigterm", SIGTERM);
	check_null_dereference();
	check_exit_status_encoding();
	check_pids();
	check_wait_no_children();
	check_exec_hello();
	return check_exit();
}
