/*
 * t_thread_proc - a process of several threads, as a whole: what happens
 * to the other threads when one of them forks, exits or is signalled.
 * The same static binary (musl) runs unchanged on the host Linux first,
 * then on pagoda, which must agree with Linux on each point:
 *
 *   fork       fork from a thread copies the caller only (a spinning
 *              thread stands still in the child), with a working pthreads
 *   exit       exit() in a thread is exit_group and ends every thread;
 *              a raw SYS_exit ends only its thread; SIGTERM kills them all
 *   signals    a signal to a thread (pthread_kill: tgkill) runs in that
 *              thread; a signal to the process runs in a thread that does
 *              not block it; one that every thread blocks waits for any of
 *              them (sigwait in one thread takes it); each thread has its
 *              own signal mask
 *   exec       execve in a thread: the others go, the pid stays, one thread
 *   vfork      the parent waits for its child, which used its memory;
 *              posix_spawn (clone with CLONE_VM | CLONE_VFORK) runs a program
 *
 * The threads themselves (mutexes, joins, TLS, memory under threads) are
 * t_thread's. Every check runs in its own child under an alarm and a
 * deadline (threadcheck.h), so a kernel that loses a thread or a signal
 * prints "not ok", never hangs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "check.h"
#include "retry.h"
#include "threadcheck.h"

/*
 * process, fork from a thread: while one thread spins writing memory and
 * one sleeps, a third forks. The child is a copy of the caller alone (the
 * spinner's counter stands still there) with a sane thread library.
 */
static long spins;
static pid_t forked;
static int fork_status;

static void *
spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		__atomic_add_fetch(&spins, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void *
block_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* In the forked child: a bit for each thing wrong (see fork_body's message). */
static int
forked_child_problems(pid_t parent, pthread_t forker)
{
	long spins_at_fork = __atomic_load_n(&spins, __ATOMIC_SEQ_CST);

	usleep(20 * 1000);
	return (getpid() == parent) | !pthread_equal(pthread_self(), forker) << 1 |
	       (join(spawn(times_seven, (void *)2)) != (void *)21) << 2 |
	       (__atomic_load_n(&spins, __ATOMIC_SEQ_CST) != spins_at_fork) << 3;
}

static void *
fork_and_wait(void *arg)
{
	pid_t parent = getpid();

	(void)arg;
	forked = fork();
	if (forked == 0) {
		alarm(CHECK_SECONDS);
		_exit(forked_child_problems(parent, pthread_self()));
	}
	fork_status = forked > 0 ? wait_deadline(forked, CHECK_SECONDS) : -1;
	return NULL;
}

/* The spinner and the sleeper are never joined: they end with the check's process. */
static void
fork_body(const char *name)
{
	char buf[80];

	spawn(spin_forever, NULL);
	spawn(block_forever, NULL);
	wait_until(&spins, 1, 5000);
	join(spawn(fork_and_wait, NULL));
	CHECK(name, fork_status == 0 && forked != getpid(),
	      "fork gave %d (parent %d), the child %s (bits: 1 pid is the parent's, 2 pthread_self is "
	      "not the forker, 4 no thread of its own, 8 the spinner runs in it too)", (int)forked,
	      (int)getpid(), describe_status(fork_status, buf, sizeof(buf)));
}

/* process: exit() in one thread is exit_group: it ends the threads asleep in pause() too. */
static void *
exit_42_soon(void *arg)
{
	(void)arg;
	usleep(50 * 1000);
	exit(42);
}

static void
exit_group_body(const char *name)
{
	(void)name;
	for (int i = 0; i < 3; i++)
		spawn(block_forever, NULL);
	spawn(exit_42_soon, NULL);
	block_forever(NULL);
}

/* process: a raw SYS_exit ends only the calling thread; main lives on and can still make threads. */
static long flag_set;

static void *
set_flag_then_exit_alone(void *arg)
{
	(void)arg;
	__atomic_store_n(&flag_set, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_exit, 0);
	return NULL;
}

static void
thread_exit_body(const char *name)
{
	(void)name;
	spawn(set_flag_then_exit_alone, NULL);
	if (!wait_until(&flag_set, 1, 5000))
		_exit(3);
	usleep(100 * 1000);                     /* by now the thread has gone */
	_exit(join(spawn(times_seven, NULL)) == (void *)7 ? 7 : 4);
}

/* process: SIGTERM's default action ends every thread (a child left alive dies of its SIGALRM). */
static void
kill_check(const char *name)
{
	char c;
	int ready[2];
	pid_t pid;

	if (pipe_retrying(ready) != 0 || (pid = fork_retrying()) < 0) {
		CHECK(name, false, "pipe or fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		alarm(CHECK_SECONDS);
		for (int i = 0; i < 3; i++)
			spawn(block_forever, NULL);
		(void)!write(ready[1], "r", 1);
		block_forever(NULL);
	}
	close(ready[1]);
	struct pollfd p = { .fd = ready[0], .events = POLLIN };
	if (poll(&p, 1, 5000) == 1)             /* the threads are there (or the child died) */
		(void)!read(ready[0], &c, 1);
	close(ready[0]);
	kill(pid, SIGTERM);
	check_killed_by(name, wait_deadline(pid, 5), SIGTERM);
}

/* signals: the handler records which thread it ran in. */
static volatile pid_t handler_tid, target_tid;
static long target_ready, handled;

static void
record_handler_tid(int sig)
{
	(void)sig;
	handler_tid = my_tid();
	__atomic_store_n(&handled, 1, __ATOMIC_SEQ_CST);
}

/* The target: unblocks SIGUSR2 (main may block it), says who it is, waits up to 5 s for the handler. */
static void *
wait_for_signal(void *arg)
{
	sigset_t usr2;

	(void)arg;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
	target_tid = my_tid();
	__atomic_store_n(&target_ready, 1, __ATOMIC_SEQ_CST);
	wait_until(&handled, 1, 5000);
	return NULL;
}

static void
tgkill_body(const char *name)
{
	signal(SIGUSR1, record_handler_tid);
	pthread_t t = spawn(wait_for_signal, NULL);
	wait_until(&target_ready, 1, 5000);
	int err = pthread_kill(t, SIGUSR1);
	join(t);
	CHECK(name, err == 0 && handler_tid == target_tid,
	      "pthread_kill %d; the handler ran in tid %d, the target is %d, main %d", err,
	      (int)handler_tid, (int)target_tid, (int)my_tid());
}

/* signals: main blocks SIGUSR2 (the worker inherits that mask, then unblocks it) and signals its process. */
static void
process_signal_body(const char *name)
{
	sigset_t usr2;

	(void)name;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	signal(SIGUSR2, record_handler_tid);
	pthread_sigmask(SIG_BLOCK, &usr2, NULL);
	pthread_t t = spawn(wait_for_signal, NULL);
	if (!wait_until(&target_ready, 1, 5000))
		_exit(3);
	kill(getpid(), SIGUSR2);
	join(t);
	_exit(handler_tid == target_tid ? 0 : handler_tid ? 1 : 2);
}

/* signals: thread 1 blocks SIGUSR1, thread 2 SIGUSR2; each sees only its own in its mask. */
static pthread_barrier_t masks_set;
static long mask_bits[3];       /* [main, thread 1, thread 2]: bit 0 SIGUSR1 blocked, bit 1 SIGUSR2 */

static long
blocked_bits(void)
{
	sigset_t now;

	pthread_sigmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, SIGUSR1) | sigismember(&now, SIGUSR2) << 1;
}

static void *
block_own_signal(void *arg)
{
	long who = (long)arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, who == 1 ? SIGUSR1 : SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_barrier_wait(&masks_set);       /* both have blocked before anyone looks */
	mask_bits[who] = blocked_bits();
	return NULL;
}

static void
sigmask_body(const char *name)
{
	pthread_barrier_init(&masks_set, NULL, 3);
	pthread_t one = spawn(block_own_signal, (void *)1), two = spawn(block_own_signal, (void *)2);
	pthread_barrier_wait(&masks_set);
	mask_bits[0] = blocked_bits();
	join(one);
	join(two);
	CHECK(name, mask_bits[0] == 0 && mask_bits[1] == 1 && mask_bits[2] == 2,
	      "blocked (bit 0 SIGUSR1, bit 1 SIGUSR2): main %ld, thread 1 %ld, thread 2 %ld; want 0 1 2",
	      mask_bits[0], mask_bits[1], mask_bits[2]);
}

/*
 * signals, the sigwait pattern: every thread blocks SIGUSR1 (the mask is
 * inherited) and one waits for it with sigwait; a SIGUSR1 sent to the
 * process is pending for all of them, and the waiter takes it. Another
 * thread sees it in sigpending meanwhile.
 */
static volatile int waited_sig, seen_pending;

static void *
wait_for_usr1(void *arg)
{
	sigset_t set;
	int sig = 0;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigwait(&set, &sig) == 0)
		waited_sig = sig;
	return NULL;
}

static void
sigwait_body(const char *name)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);    /* before the thread: it inherits the mask */
	pthread_t waiter = spawn(wait_for_usr1, NULL);
	usleep(100000);                            /* let it reach sigwait */
	kill(getpid(), SIGUSR1);
	join(waiter);
	kill(getpid(), SIGUSR1);                   /* nobody waits now: it stays pending */
	sigpending(&pending);
	seen_pending = sigismember(&pending, SIGUSR1);
	CHECK(name, waited_sig == SIGUSR1 && seen_pending == 1,
	      "sigwait got %d (want %d), a second one pending in main: %d", waited_sig, SIGUSR1,
	      seen_pending);
}

/*
 * process, execve from a thread: the other threads go, and the new program
 * runs as the same process (same pid) with one thread. It is this program
 * again, with "after-exec PID" as arguments: after_exec() checks and exits.
 */
static const char *self_path;

static int
thread_count(void)
{
	char buf[2048];
	int fd = open("/proc/self/status", O_RDONLY), n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf) - 1);
	const char *line;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	line = strstr(buf, "Threads:");
	return line ? atoi(line + 8) : -1;
}

static int
after_exec(const char *pid_before)
{
	if (getpid() != atoi(pid_before))
		return 3;
	return thread_count() == 1 ? 0 : 4;
}

static void *
exec_self(void *arg)
{
	char pid[16];

	(void)arg;
	snprintf(pid, sizeof(pid), "%d", getpid());
	execl(self_path, self_path, "after-exec", pid, (char *)NULL);
	_exit(2);
}

static void
exec_body(const char *name)
{
	(void)name;
	spawn(block_forever, NULL);
	spawn(block_forever, NULL);
	join(spawn(exec_self, NULL));     /* never returns: the exec ends this thread too */
	_exit(5);
}

/* process, vfork: the child borrows the parent's memory, which waits until the child is gone. */
static volatile int written_by_child;

static void
vfork_body(const char *name)
{
	int status = -1;
	pid_t pid = vfork();

	if (pid == 0) {
		written_by_child = 1;     /* the parent's own memory: it sees this */
		_exit(5);
	}
	waitpid(pid, &status, 0);
	CHECK(name, pid > 0 && written_by_child == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 5,
	      "vfork %d, the child's write %s, status %#x", (int)pid,
	      written_by_child ? "seen" : "not seen", status);
}

/* process, posix_spawn (musl: clone with CLONE_VM | CLONE_VFORK on a stack of its own, then execve). */
static void
spawn_body(const char *name)
{
	char *argv[] = { (char *)self_path, "exit-with", "3", NULL };
	int status = -1, err;
	pid_t pid;

	err = posix_spawn(&pid, self_path, NULL, NULL, argv, NULL);
	if (!err)
		waitpid(pid, &status, 0);
	CHECK(name, !err && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	      "posix_spawn: %s, status %#x", err ? strerror(err) : "ok", status);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "after-exec") == 0)
		return after_exec(argv[2]);
	if (argc == 3 && strcmp(argv[1], "exit-with") == 0)
		return atoi(argv[2]);
	self_path = argv[0];
	in_child("fork_from_thread_copies_caller_only", fork_body, CHECK_SECONDS);
	expect_exit("exit_group_from_thread_ends_process", exit_group_body, 42, "");
	expect_exit("thread_exit_leaves_process_running", thread_exit_body, 7,
		    " (3: the thread never ran, 4: no new thread after its exit)");
	kill_check("kill_process_kills_all_threads");
	in_child("signal_to_thread_with_tgkill", tgkill_body, CHECK_SECONDS);
	expect_exit("process_signal_reaches_unblocking_thread", process_signal_body, 0,
		    " (1: the handler ran in a thread that blocks it, 2: it never ran, 3: no worker)");
	in_child("sigmask_is_per_thread", sigmask_body, CHECK_SECONDS);
	in_child("process_signal_blocked_everywhere_goes_to_sigwait", sigwait_body, CHECK_SECONDS);
	expect_exit("exec_from_thread_leaves_one_thread_same_pid", exec_body, 0,
		    " (2: execve failed, 3: another pid, 4: more than one thread, 5: the exec returned)");
	in_child("vfork_parent_waits_and_sees_child_write", vfork_body, CHECK_SECONDS);
	in_child("posix_spawn_runs_a_program", spawn_body, CHECK_SECONDS);
	return check_exit();
}
