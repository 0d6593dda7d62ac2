/*
 * kernel/sys_signal.c - the signal system calls, with Linux's arguments
 * and errors (kernel/signal.c acts on the signals; kernel/signal_frame.c
 * runs handlers and rt_sigreturn):
 *
 *   rt_sigaction    a signal's action: SIG_DFL, SIG_IGN or a handler, with
 *                   sa_flags and the mask to block while it runs
 *   rt_sigprocmask  block, unblock, set the mask; rt_sigpending: blocked
 *                   signals waiting
 *   rt_sigsuspend   sleep with another mask until a handler has run; pause
 *   rt_sigtimedwait take a signal of a set without a handler running
 *   sigaltstack     the stack handlers with SA_ONSTACK run on
 *   kill, tkill, tgkill
 *
 * Sets are Linux's sigset_t: 8 bytes, bit n - 1 for signal n; another
 * sigsetsize is EINVAL. SIGKILL and SIGSTOP cannot be caught, ignored or
 * blocked. kill signals a process (one of its threads takes it:
 * kernel/thread.c), or with pid 0 or below -1 a process group
 * (kernel/pgrp.c); tkill and tgkill signal one thread.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/trap.h"
#include "kernel/uapi.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/uaccess.h"

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define MINSIGSTKSZ 2048
#define SS_AUTODISARM (1U << 31)

static bool
valid_signal(int sig)
{
	return sig >= 1 && sig < NSIG;
}

long
sys_rt_sigaction(int sig, const void *uact, void *uold, size_t sigsetsize)
{
	struct k_sigaction act, old;

	if (sigsetsize != sizeof(uint64_t) || !valid_signal(sig) ||
	    (uact && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	old = current->sighand->action[sig];
	if (uact) {
		if (copy_from_user(&act, uact, sizeof(act)))
			return -EFAULT;
		act.mask &= ~UNBLOCKABLE;
		current->sighand->action[sig] = act;
		/* Now ignored: a pending one goes (POSIX). */
		if (act.handler == SIG_IGN || (act.handler == SIG_DFL && sig == SIGCHLD)) {
			current->pending_signals &= ~SIGBIT(sig);
			current->leader->shared_pending &= ~SIGBIT(sig);
		}
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long
sys_rt_sigprocmask(int how, const void *uset, void *uold, size_t sigsetsize)
{
	uint64_t set, old = current->blocked_signals;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		if (how == SIG_BLOCK)
			current->blocked_signals |= set;
		else if (how == SIG_UNBLOCK)
			current->blocked_signals &= ~set;
		else if (how == SIG_SETMASK)
			current->blocked_signals = set;
		else
			return -EINVAL;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long
sys_rt_sigpending(void *uset, size_t sigsetsize)
{
	uint64_t set = signal_pending_set(current) & current->blocked_signals;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	return copy_to_user(uset, &set, sizeof(set)) ? -EFAULT : 0;
}

/* Sleeps until a signal may be acted on (nobody wakes this queue: only a signal does). */
static void
sleep_until_signal(void)
{
	struct wait_queue nobody = WAIT_QUEUE_INIT(nobody);
	uint64_t flags = irq_save();

	while (!signal_pending(current))
		wait_sleep(&nobody);
	irq_restore(flags);
}

long
sys_pause(void)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

/*
 * The caller's mask becomes the user's sigset at umask until it returns
 * to user mode (or a handler has run: the old mask is in the handler's
 * frame), as rt_sigsuspend, ppoll and pselect6 wait. Returns 0, -EINVAL
 * (sigsetsize) or -EFAULT.
 */
long
signal_wait_mask(const void *umask, size_t sigsetsize)
{
	uint64_t mask;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	current->saved_blocked = current->blocked_signals;
	current->restore_blocked = true;
	current->blocked_signals = mask & ~UNBLOCKABLE;
	return 0;
}

/* Sleeps with another mask until a handler has run; the old mask comes back with it. */
long
sys_rt_sigsuspend(const void *umask, size_t sigsetsize)
{
	long err = signal_wait_mask(umask, sigsetsize);

	if (err)
		return err;
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

/* A signal of set, taken off the pending set. */
static int
take_signal(uint64_t set, struct ksiginfo *info)
{
	int sig = __builtin_ctzll(signal_pending_set(current) & set) + 1;

	*info = signal_dequeue(current, sig);
	return sig;
}

/*
 * Waits (up to the timeout, if given) for a signal of the set and returns
 * it, with its siginfo, without running a handler. The set is unblocked
 * while it waits, so that its signals wake it (as Linux does).
 */
long
sys_rt_sigtimedwait(const void *uset, void *uinfo, const struct timespec *utimeout,
		    size_t sigsetsize)
{
	uint64_t set, old = current->blocked_signals, flags, until = 0, ns;
	struct ksiginfo info;
	long err;
	int sig = 0;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (utimeout && (err = timespec_from_user(utimeout, &ns)) != 0)
		return err;
	if (utimeout)                          /* in ticks, rounded up */
		until = jiffies + (ns + 1000000000UL / HZ - 1) / (1000000000UL / HZ);
	set &= ~UNBLOCKABLE;
	flags = irq_save();
	current->blocked_signals &= ~set;
	while (!(signal_pending_set(current) & set) && !signal_pending(current) &&
	       (!utimeout || jiffies < until))
		sched_sleep_until(utimeout ? until : UINT64_MAX);
	current->blocked_signals = old;
	if (signal_pending_set(current) & set)
		sig = take_signal(set, &info);
	irq_restore(flags);
	if (!sig)
		return signal_pending(current) ? -EINTR : -EAGAIN;
	if (uinfo && signal_copy_siginfo(uinfo, sig, &info))
		return -EFAULT;
	return sig;
}

/* stack_t */
struct user_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

long
sys_sigaltstack(const void *uss, void *uold)
{
	struct user_stack ss, old = {
		.sp = current->altstack.sp, .size = current->altstack.size,
		.flags = signal_on_altstack(current, current->user_frame->rsp) ? SS_ONSTACK :
			 current->altstack.size == 0 ? SS_DISABLE : 0,
	};

	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (signal_on_altstack(current, current->user_frame->rsp))
			return -EPERM;                 /* not while running on it */
		if (ss.flags & ~(SS_DISABLE | SS_ONSTACK | (int32_t)SS_AUTODISARM))
			return -EINVAL;
		if (ss.flags & SS_DISABLE) {
			ss.sp = ss.size = 0;
		} else if (ss.size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		current->altstack.sp = ss.sp;
		current->altstack.size = ss.size;
		current->altstack.flags = ss.flags & SS_DISABLE;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* The task (thread or process) pid, if it may receive signals. */
static struct task *
signal_target(int pid)
{
	struct task *t = task_find(pid);

	if (!t || t->is_kernel_thread || t->state == TASK_DEAD)
		return NULL;
	return t->state != TASK_ZOMBIE || (t == t->leader && t->nr_threads > 0) ? t : NULL;
}

static long
send_from_user(struct task *t, int sig, int code)
{
	struct ksiginfo info = { .code = code, .pid = current->leader->pid };

	if (sig == 0)
		return 0;                      /* only: does it exist? */
	return code == SI_TKILL ? signal_send_thread(t, sig, &info) : signal_send_info(t, sig, &info);
}

/* kill(-1): everyone but init and the caller. */
static bool
neither_init_nor_caller(const struct task *t, int unused)
{
	(void)unused;
	return t != current->leader && t->pid != 1;
}

long
sys_kill(int pid, int sig)
{
	struct ksiginfo info = { .code = SI_USER, .pid = current->leader->pid };
	struct task *t;

	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if (pid == -1)
		return signal_each(neither_init_nor_caller, 0, sig, &info) ? 0 : -ESRCH;
	if (pid == 0 || pid < -1)              /* the caller's group, or group -pid */
		return pgrp_signal(pid == 0 ? current->pgid : -pid, sig, &info);
	if ((t = signal_target(pid)) == NULL)
		return -ESRCH;
	return send_from_user(t, sig, SI_USER);
}

long
sys_tkill(int tid, int sig)
{
	struct task *t;

	if (tid <= 0 || sig < 0 || sig >= NSIG)
		return -EINVAL;
	if ((t = signal_target(tid)) == NULL)
		return -ESRCH;
	return send_from_user(t, sig, SI_TKILL);
}

/* tkill, checking that thread tid is one of process tgid's. */
long
sys_tgkill(int tgid, int tid, int sig)
{
	struct task *t;

	if (tgid <= 0 || tid <= 0 || sig < 0 || sig >= NSIG)
		return -EINVAL;
	if ((t = signal_target(tid)) == NULL || t->leader->pid != tgid)
		return -ESRCH;
	return send_from_user(t, sig, SI_TKILL);
}
