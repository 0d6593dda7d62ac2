/*
 * t_signal - signals delivered to handlers, as Linux delivers them: the
 * same binary passes on the host first (docs/user-mode.md).
 *
 *   faults      each synchronous fault reaches its handler with Linux's
 *               si_signo, si_code and si_addr: SIGSEGV (SEGV_MAPERR,
 *               SEGV_ACCERR), SIGFPE (FPE_INTDIV), SIGILL (ILL_ILLOPN),
 *               SIGTRAP (int3: SI_KERNEL; the trap flag: TRAP_TRACE)
 *   context     a handler that moves uc_mcontext's RIP past the faulting
 *               instruction resumes there, registers and FPU intact
 *   restart     a pipe read interrupted by a handler: restarted with
 *               SA_RESTART, -1/EINTR without
 *   mask        a blocked signal waits (rt_sigpending) and runs once on
 *               unblock; sa_mask and SA_NODEFER; SA_RESETHAND
 *   altstack    a stack overflow's SIGSEGV runs on the sigaltstack
 *   sigchld     SIGCHLD for each child, CLD_EXITED and the status; reaped
 *               in the handler while the parent waits in sigsuspend
 *   defaults    wait statuses of default actions (terminate, core bit
 *               only where RLIMIT_CORE allows a core, ignore)
 *   kill        kill, tkill, tgkill: errors (EINVAL, ESRCH), sig 0,
 *               SI_USER and si_pid; rt_sigtimedwait takes a blocked signal
 *   forged      a forged rt_sigreturn frame: IOPL and a cleared IF in
 *               RFLAGS are ignored; a kernel code segment gains nothing
 *               (Linux: SIGSEGV; pagoda keeps the user's); a kernel RIP
 *               is SIGSEGV
 *
 * Every check that crashes or could hang runs in a child: pid 1 gets no
 * signal it has no handler for (as in Linux), and the parent survives.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <ucontext.h>

#include "check.h"

static volatile sig_atomic_t hits;
static siginfo_t last;
static sigjmp_buf back;

static void
sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* Installs fn for sig with flags (SA_SIGINFO added). */
static void
catch(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Records the siginfo and jumps back out of the faulting code. */
static void
record_and_jump(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	last = *si;
	hits++;
	siglongjmp(back, 1);
}

static volatile uintptr_t unmapped = 16;
static void do_segv_maperr(void) { *(volatile int *)unmapped = 1; }
static void
do_fpe(void)
{
	__asm__ volatile("xor %%ecx, %%ecx; mov $1, %%eax; cltd; idivl %%ecx" ::: "eax", "ecx", "edx", "cc");
}
static void do_ill(void) { __asm__ volatile("ud2"); }
static void do_int3(void) { __asm__ volatile("int3"); }

static char *readonly_page;
static void do_segv_accerr(void) { *(volatile char *)readonly_page = 1; }

/* The instruction after `popfq` that sets TF traps: #DB, SIGTRAP TRAP_TRACE. */
static void
do_single_step(void)
{
	__asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq; nop" ::: "memory", "cc");
}

/* Runs fn in a child; the handler for sig reports what it saw through the exit status. */
static void
fault_case(const char *name, int sig, void (*fn)(void), int code, void *addr, bool check_addr)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		catch(sig, record_and_jump, 0);
		if (sigsetjmp(back, 1) == 0) {
			fn();
			_exit(10);                       /* no signal at all */
		}
		if (last.si_signo != sig)
			_exit(11);
		if (last.si_code != code)
			_exit(12);
		if (check_addr && last.si_addr != addr)
			_exit(13);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK(name, WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "status %#x (10: no signal, 11: signo, 12: si_code, 13: si_addr)", status);
}

static void
fault_checks(void)
{
	readonly_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fault_case("faults/segv_maperr_addr", SIGSEGV, do_segv_maperr, SEGV_MAPERR, (void *)16, true);
	fault_case("faults/segv_accerr_addr", SIGSEGV, do_segv_accerr, SEGV_ACCERR, readonly_page, true);
	fault_case("faults/fpe_intdiv", SIGFPE, do_fpe, FPE_INTDIV, NULL, false);
	fault_case("faults/ill_illopn", SIGILL, do_ill, ILL_ILLOPN, NULL, false);
	fault_case("faults/trap_int3_si_kernel", SIGTRAP, do_int3, SI_KERNEL, NULL, false);
	fault_case("faults/trap_single_step", SIGTRAP, do_single_step, TRAP_TRACE, NULL, false);
}

/* Skips the 2-byte ud2 by moving the saved RIP: execution resumes after it. */
static void
skip_ud2(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	uc->uc_mcontext.gregs[REG_RBX] = 0x1234;       /* a register the handler hands back */
	hits++;
}

static int
context_child(void)
{
	volatile double x = 1.5;
	long rbx_after;

	catch(SIGILL, skip_ud2, 0);
	__asm__ volatile("mov $7, %%rbx; ud2; mov %%rbx, %0" : "=r"(rbx_after) : : "rbx");
	return hits == 1 && rbx_after == 0x1234 && x * 2 == 3.0 ? 0 : 1;
}

static void
context_checks(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(context_child());
	waitpid(pid, &status, 0);
	check_exited_with("context/resume_after_changed_rip", status, 0);
}

static void
count_hit(int sig)
{
	(void)sig;
	hits++;
}

/* A child that sends SIGUSR1 to parent after a while, then writes a byte into fd. */
static pid_t
poke_later(pid_t parent, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		sleep_ms(100);
		kill(parent, SIGUSR1);
		sleep_ms(100);
		(void)!write(fd, "x", 1);
		_exit(0);
	}
	return pid;
}

/* A read of an empty pipe, interrupted by a handler with or without SA_RESTART. */
static void
restart_case(const char *name, int flags, bool restarts)
{
	struct sigaction sa = { .sa_handler = count_hit, .sa_flags = flags };
	int fds[2], status;
	char c;
	ssize_t n;
	pid_t poker;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	if (pipe(fds) != 0)
		return;
	hits = 0;
	poker = poke_later(getpid(), fds[1]);
	n = read(fds[0], &c, 1);
	if (restarts)
		CHECK(name, n == 1 && hits == 1, "read returned %zd (errno %d), %d handler runs", n, errno,
		      (int)hits);
	else
		CHECK(name, n == -1 && errno == EINTR && hits == 1, "read returned %zd (errno %d)", n, errno);
	waitpid(poker, &status, 0);
	close(fds[0]);
	close(fds[1]);
	signal(SIGUSR1, SIG_DFL);
}

static void
mask_checks(void)
{
	sigset_t set, pending;
	struct sigaction sa = { .sa_handler = count_hit };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	hits = 0;
	raise(SIGUSR2);
	raise(SIGUSR2);
	sigpending(&pending);
	CHECK("mask/blocked_waits", hits == 0 && sigismember(&pending, SIGUSR2), "hits %d", (int)hits);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK("mask/runs_once_on_unblock", hits == 1, "hits %d", (int)hits);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &sa);
	CHECK("mask/sa_resethand", hits == 2 && sa.sa_handler == SIG_DFL, "hits %d", (int)hits);
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	CHECK("mask/ignored_does_nothing", hits == 2, "hits %d", (int)hits);
	signal(SIGUSR2, SIG_DFL);
	CHECK("mask/sigkill_not_catchable", signal(SIGKILL, count_hit) == SIG_ERR && errno == EINVAL,
	      "errno %d", errno);
}

/* Inside the handler: is the signal blocked (no SA_NODEFER) and sa_mask's SIGUSR2? */
static volatile int nodefer_seen, mask_seen;

static void
look_at_mask(int sig)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	nodefer_seen = !sigismember(&now, sig);
	mask_seen = sigismember(&now, SIGUSR2);
}

static void
handler_mask_checks(void)
{
	struct sigaction sa = { .sa_handler = look_at_mask };

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK("mask/handler_blocks_itself_and_sa_mask", !nodefer_seen && mask_seen,
	      "nodefer %d, mask %d", nodefer_seen, mask_seen);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK("mask/sa_nodefer", nodefer_seen, "SIGUSR1 blocked in its SA_NODEFER handler");
	signal(SIGUSR1, SIG_DFL);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK("mask/restored_after_handler", !sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2),
	      "the mask was not restored");
}

static char *altstack;

static void
on_altstack(int sig, siginfo_t *si, void *uc)
{
	char here;

	(void)sig;
	(void)si;
	(void)uc;
	_exit(&here >= altstack && &here < altstack + 65536 ? 0 : 2);
}

static int
recurse(int depth)
{
	volatile char pad[1024];

	pad[0] = (char)depth;
	if (depth > 1000000)                    /* never: the stack ends long before */
		return 0;
	return recurse(depth + 1) + pad[0];
}

static void
altstack_checks(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit r = { 256 * 1024, 256 * 1024 };
		stack_t ss = { .ss_size = 65536 };
		altstack = ss.ss_sp = malloc(65536);
		setrlimit(RLIMIT_STACK, &r);
		if (sigaltstack(&ss, NULL) != 0)
			_exit(3);
		catch(SIGSEGV, on_altstack, SA_ONSTACK);
		_exit(recurse(0) ? 4 : 5);
	}
	waitpid(pid, &status, 0);
	check_exited_with("altstack/overflow_handled_on_altstack", status, 0);
	stack_t small = { .ss_sp = malloc(1024), .ss_size = 1024 };
	CHECK("altstack/too_small_enomem", sigaltstack(&small, NULL) == -1 && errno == ENOMEM,
	      "errno %d", errno);
}

static volatile sig_atomic_t reaped, bad_info;

static void
reap(int sig, siginfo_t *si, void *uc)
{
	int status;

	(void)sig;
	(void)uc;
	if (si->si_code != CLD_EXITED || si->si_status != 7)
		bad_info++;
	while (waitpid(-1, &status, WNOHANG) > 0)
		reaped++;
}

static void
sigchld_checks(void)
{
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	catch(SIGCHLD, reap, SA_RESTART);
	for (int i = 0; i < 3; i++)
		if (fork() == 0)
			_exit(7);
	while (reaped < 3)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGCHLD, SIG_DFL);
	CHECK("sigchld/each_child_reaped_in_handler", reaped == 3 && bad_info == 0,
	      "reaped %d, bad siginfo %d", (int)reaped, (int)bad_info);
}

/* The wait status of a child that dies of sig by default (core_limit: its RLIMIT_CORE). */
static int
dies_of(int sig, rlim_t core_limit)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit r = { core_limit, core_limit };
		setrlimit(RLIMIT_CORE, &r);
		signal(sig, SIG_DFL);
		raise(sig);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void
default_checks(void)
{
	int term = dies_of(SIGTERM, 0), quit = dies_of(SIGQUIT, 0);

	check_killed_by("defaults/sigterm_terminates", term, SIGTERM);
	CHECK("defaults/no_core_bit_without_rlimit_core", WIFSIGNALED(quit) && WTERMSIG(quit) == SIGQUIT &&
	      !WCOREDUMP(quit), "status %#x", quit);
	if (running_on_pagoda()) {                      /* the host would write a core file */
		int core = dies_of(SIGQUIT, RLIM_INFINITY);
		CHECK("defaults/core_bit_with_rlimit_core", WIFSIGNALED(core) && WCOREDUMP(core),
		      "status %#x", core);
	}
	int ign = dies_of(SIGCHLD, 0);
	check_exited_with("defaults/sigchld_ignored", ign, 99);
}

static void
kill_checks(void)
{
	sigset_t set;
	siginfo_t si;
	struct timespec none = { 0, 0 };

	CHECK("kill/sig0_probes", kill(getpid(), 0) == 0, "errno %d", errno);
	CHECK("kill/bad_signal_einval", kill(getpid(), 65) == -1 && errno == EINVAL, "errno %d", errno);
	CHECK("kill/no_such_pid_esrch", kill(99999, SIGUSR1) == -1 && errno == ESRCH, "errno %d", errno);
	CHECK("kill/tgkill_wrong_thread_esrch",
	      syscall(SYS_tgkill, getpid(), 99999, SIGUSR1) == -1 && errno == ESRCH, "errno %d", errno);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	int got = sigtimedwait(&set, &si, &none);
	CHECK("kill/sigtimedwait_si_user_and_pid", got == SIGUSR1 && si.si_code == SI_USER &&
	      si.si_pid == getpid(), "got %d, si_code %d, si_pid %d", got, si.si_code, (int)si.si_pid);
	got = sigtimedwait(&set, &si, &none);
	CHECK("kill/sigtimedwait_nothing_eagain", got == -1 && errno == EAGAIN, "got %d errno %d", got, errno);
	syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
	got = sigtimedwait(&set, &si, &none);
	CHECK("kill/tgkill_si_tkill", got == SIGUSR1 && si.si_code == SI_TKILL, "si_code %d", si.si_code);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Handlers that forge their frame: RFLAGS with IOPL 3 and IF clear; a kernel CS; a kernel RIP. */
static void
forge_flags(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_EFL] = (uc->uc_mcontext.gregs[REG_EFL] | 0x3000) & ~0x200L;
}

static void
forge_cs(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_CSGSFS] = (uc->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffL) | 0x08;
}

static void
forge_rip(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)0xffffffff80000000UL;
}

/* After a forged frame: still ring 3, IOPL 0, interrupts on? Exit 0 if so. */
static int
after_forged(void (*fn)(int, siginfo_t *, void *))
{
	unsigned long flags;
	unsigned short cs;

	catch(SIGUSR1, fn, 0);
	raise(SIGUSR1);
	__asm__ volatile("pushfq; popq %0; mov %%cs, %1" : "=r"(flags), "=r"(cs));
	return (cs & 3) == 3 && (flags & 0x3000) == 0 && (flags & 0x200) ? 0 : 1;
}

static int
forged_status(void (*fn)(int, siginfo_t *, void *))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(after_forged(fn));
	waitpid(pid, &status, 0);
	return status;
}

static void
forged_checks(void)
{
	int flags = forged_status(forge_flags), cs = forged_status(forge_cs);

	check_exited_with("forged/iopl_and_if_ignored", flags, 0);
	/* Linux takes the CS and the return faults (SIGSEGV); pagoda keeps the user's: both safe. */
	CHECK("forged/kernel_cs_gains_nothing", (WIFEXITED(cs) && WEXITSTATUS(cs) == 0) ||
	      (WIFSIGNALED(cs) && WTERMSIG(cs) == SIGSEGV), "status %#x", cs);
	check_killed_by("forged/kernel_rip_is_sigsegv", forged_status(forge_rip), SIGSEGV);
}

int
main(void)
{
	fault_checks();
	context_checks();
	restart_case("restart/sa_restart_read_continues", SA_RESTART, true);
	restart_case("restart/no_sa_restart_eintr", 0, false);
	mask_checks();
	handler_mask_checks();
	altstack_checks();
	sigchld_checks();
	default_checks();
	kill_checks();
	forged_checks();
	return check_exit();
}
