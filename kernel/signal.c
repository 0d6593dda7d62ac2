/*
 * kernel/signal.c - signals: sending one, and acting on it, as Linux does.
 *
 * A signal is a bit in the target's pending set, with a little siginfo
 * (who sent it, the faulting address). It acts when the target is about
 * to return to user mode (return_to_user()), lowest number first, unless
 * the target blocks it (rt_sigprocmask: it stays pending):
 *
 *   its action (rt_sigaction)      what happens
 *   SIG_IGN                        nothing
 *   SIG_DFL                        the default: terminate (SIGSEGV and
 *                                  friends with the core bit in the wait
 *                                  status if RLIMIT_CORE allows a core,
 *                                  though none is written), stop (SIGSTOP,
 *                                  SIGTSTP, SIGTTIN, SIGTTOU: until SIGCONT
 *                                  or SIGKILL; the parent hears of both),
 *                                  or nothing (SIGCHLD, SIGURG, SIGWINCH,
 *                                  SIGCONT)
 *   a handler                      kernel/signal_frame.c saves the user's
 *                                  registers on its stack and makes it call
 *                                  the handler; rt_sigreturn puts them back
 *
 * A slow system call that a signal interrupts (a read of an empty pipe,
 * wait4) returns -ERESTARTSYS: if a handler runs it becomes -EINTR, or the
 * call starts again after the handler when the action has SA_RESTART; if
 * no handler runs, it simply starts again.
 *
 * A signal for a process is pending for the whole process: the first of
 * its threads that does not block it acts on it (kernel/thread.c wakes
 * one); SIGKILL goes to every thread; a signal for a thread (tgkill, a
 * fault) is its own. Sending to a sleeping target wakes it,
 * so that it reaches the point where it acts. A signal the target ignores is thrown away on arrival,
 * unless it is blocked (its action may change before it is unblocked).
 * pid 1 gets only the signals it has a handler for, as in Linux, except
 * those its own faults force on it. CPU exceptions in user mode become
 * signals here with Linux's si_code; the kernel prints one line for each
 * (docs/design.md section 7): pid, program, rip, fault address, reason.
 */
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "kernel/trap.h"
#include "kernel/uapi.h"
#include "kernel/wait.h"
#include "kernel/x86.h"

#define WCOREFLAG 0x80                 /* wait status: terminated with a core dump */

static const char *const names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
	[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",
	[SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO",
	[SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
};

const char *
signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(names) && names[sig])
		return names[sig];
	return "signal";
}

enum default_action { TERMINATE, CORE, IGNORE, STOP };

/* signal(7)'s table. SIGCONT's continuing happens when it is sent; then it is ignored. */
static enum default_action
default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT:
		return IGNORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return STOP;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return CORE;
	default:
		return TERMINATE;
	}
}

/* Is sig thrown away on arrival at t (Linux's sig_ignored())? */
static bool
discarded(const struct task *t, int sig)
{
	uint64_t handler = t->sighand->action[sig].handler;

	if (t->blocked_signals & SIGBIT(sig))
		return false;
	if (handler == SIG_IGN)
		return true;
	/* init (process 1, every thread of it) is protected from every signal it has no handler for (SIGKILL too). */
	return handler == SIG_DFL && (default_action(sig) == IGNORE || t->leader->pid == 1);
}

/*
 * t's parent hears that t stopped or went on (why: CLD_STOPPED or
 * CLD_CONTINUED): SIGCHLD unless its action has SA_NOCLDSTOP, and a
 * wake-up for a wait4 with WUNTRACED or WCONTINUED.
 */
static void
notify_parent(struct task *t, int why, int sig)
{
	struct task *p = t->leader->parent;
	struct ksiginfo info = { .code = why, .pid = t->leader->pid, .status = sig };

	if (!p)
		return;
	if (!(p->sighand->action[SIGCHLD].flags & SA_NOCLDSTOP))
		signal_send_info(p, SIGCHLD, &info);
	wait_wake_all(&p->child_exited);
}

/* SIGCONT or SIGKILL for a stopped process: its threads run again (and SIGCONT is reported to the parent). */
static void
resume(struct task *leader, int sig)
{
	if (!thread_resume_group(leader))
		return;
	if (sig == SIGCONT) {
		leader->stop_report = 0;
		leader->continued_report = true;
		notify_parent(leader, CLD_CONTINUED, SIGCONT);
	}
}

/* A stop signal's default action: the process stops here until resume(). Interrupts off. */
static void
stop_current(int sig)
{
	struct task *leader = current->leader;

	thread_stop_others();
	leader->stop_report = sig;
	leader->continued_report = false;
	current->state = TASK_STOPPED;
	notify_parent(leader, CLD_STOPPED, sig);
	schedule();
}

/*
 * Stopping and continuing cancel each other, and act when sent (Linux's
 * prepare_signal()), for every thread. Returns false if sig is thrown
 * away at once (SIGKILL for init).
 */
static bool
prepare_signal(struct task *leader, int sig)
{
	uint64_t cancel = sig == SIGCONT ? STOP_SIGNALS : (STOP_SIGNALS & SIGBIT(sig)) ? SIGBIT(SIGCONT) : 0;

	leader->shared_pending &= ~cancel;
	for (struct task *t = thread_first(leader); t; t = thread_next(leader, t))
		t->pending_signals &= ~cancel;
	if (sig == SIGKILL && discarded(leader, sig))
		return false;
	if (sig == SIGCONT || sig == SIGKILL)
		resume(leader, sig);
	return true;
}

/* sig becomes pending for thread t unless t throws it away; wakes t to act on it. */
static void
queue_signal(struct task *t, int sig, const struct ksiginfo *info)
{
	if (discarded(t, sig) || (t->pending_signals & SIGBIT(sig)))
		return;                          /* standard signals do not queue twice */
	t->pending_signals |= SIGBIT(sig);
	t->siginfo[sig] = *info;
	if (signal_pending(t))
		task_wake(t);
}

/*
 * sig becomes pending for the whole process (Linux's shared_pending):
 * whichever thread does not block it takes it, so the one
 * thread_pick_for_signal() chooses is woken to.
 */
static void
queue_shared(struct task *leader, int sig, const struct ksiginfo *info)
{
	struct task *to = thread_pick_for_signal(leader, sig);

	if (!to || discarded(to, sig) || (leader->shared_pending & SIGBIT(sig)))
		return;
	leader->shared_pending |= SIGBIT(sig);
	leader->shared_siginfo[sig] = *info;
	if (signal_pending(to))
		task_wake(to);
}

/*
 * Sends sig to t's process: SIGKILL to every thread, any other signal to
 * the process's shared pending set. info: what the handler sees.
 */
int
signal_send_info(struct task *t, int sig, const struct ksiginfo *info)
{
	struct task *leader = t->leader, *to;
	uint64_t flags;

	if (sig < 1 || sig >= NSIG)
		return -EINVAL;
	flags = irq_save();
	if (prepare_signal(leader, sig)) {
		if (sig == SIGKILL)
			for (to = thread_first(leader); to; to = thread_next(leader, to))
				queue_signal(to, sig, info);
		else
			queue_shared(leader, sig, info);
	}
	irq_restore(flags);
	return 0;
}

/* Sends sig to thread t alone (tkill, tgkill). */
int
signal_send_thread(struct task *t, int sig, const struct ksiginfo *info)
{
	uint64_t flags;

	if (sig < 1 || sig >= NSIG)
		return -EINVAL;
	flags = irq_save();
	if (prepare_signal(t->leader, sig))
		queue_signal(t, sig, info);
	irq_restore(flags);
	return 0;
}

struct each {
	bool (*match)(const struct task *t, int arg);
	int arg, sig, count;
	const struct ksiginfo *info;
};

static void
send_if_matching(struct task *t, void *arg)
{
	struct each *e = arg;

	/* One call per process: its leader stands for it (even if only its other threads live). */
	if (t->is_kernel_thread || t != t->leader || t->nr_threads == 0 || !e->match(t, e->arg))
		return;
	if (e->sig)
		signal_send_info(t, e->sig, e->info);
	e->count++;
}

/*
 * sig (0: none, they are only counted) for every live process that
 * match(t, arg) accepts: kill() of a process group, or of everyone.
 * Returns how many there were.
 */
int
signal_each(bool (*match)(const struct task *t, int arg), int arg, int sig,
	    const struct ksiginfo *info)
{
	struct each e = { match, arg, sig, 0, info };

	task_for_each(send_if_matching, &e);
	return e.count;
}

/* A signal from the kernel itself (the OOM killer's SIGKILL, SIGPIPE). */
int
signal_send(struct task *t, int sig)
{
	struct ksiginfo info = { .code = SI_KERNEL };

	return signal_send_info(t, sig, &info);
}

/*
 * A signal t cannot refuse (its own fault): unblocked, and back to the
 * default action if it was ignored (Linux's force_sig_info()).
 */
void
signal_force(struct task *t, int sig, const struct ksiginfo *info)
{
	uint64_t flags = irq_save();

	t->blocked_signals &= ~SIGBIT(sig);
	if (t->sighand->action[sig].handler == SIG_IGN)
		t->sighand->action[sig].handler = SIG_DFL;
	t->pending_signals |= SIGBIT(sig);
	t->siginfo[sig] = *info;
	task_wake(t);
	irq_restore(flags);
}

/* The signals pending for thread t: its own and its process's. */
uint64_t
signal_pending_set(const struct task *t)
{
	return t->pending_signals | t->leader->shared_pending;
}

/* Takes sig off t's own pending set, or else its process's; returns what it carries. */
struct ksiginfo
signal_dequeue(struct task *t, int sig)
{
	struct task *leader = t->leader;

	if (t->pending_signals & SIGBIT(sig)) {
		t->pending_signals &= ~SIGBIT(sig);
		return t->siginfo[sig];
	}
	leader->shared_pending &= ~SIGBIT(sig);
	return leader->shared_siginfo[sig];
}

/* Has t a signal to act on (pending and not blocked), or a stop of its process to join? */
bool
signal_pending(const struct task *t)
{
	return (signal_pending_set(t) & ~t->blocked_signals) != 0 || t->stop_requested;
}

/*
 * Is t about to die (SIGKILL pending, or its process is exiting as a
 * whole)? Then waiting for memory is pointless - and an exiting thread
 * that writes its clear_child_tid word must not call the OOM killer.
 */
bool
fatal_signal_pending(const struct task *t)
{
	return (t->pending_signals & SIGBIT(SIGKILL)) || t->leader->group_exiting;
}

/*
 * The signal for a fault in user mode, forced; one line on the console
 * when no handler will take it (as Linux's show_unhandled_signals): a
 * program that handles its own faults - a user-level pager - is quiet.
 */
void
signal_user_fault(struct trap_frame *tf, int sig, int code, vaddr_t addr, const char *why)
{
	struct ksiginfo info = { .code = code, .addr = addr };
	uint64_t handler = current->sighand->action[sig].handler;

	if (handler == SIG_DFL || handler == SIG_IGN || (current->blocked_signals & SIGBIT(sig)))
		pr_info("fault: pid %d (%s): %s at %#lx, rip %#lx: %s\n", current->pid, current->name,
			signal_name(sig), addr, tf->rip, why);
	signal_force(current, sig, &info);
}

/* A CPU exception in user mode (other than a page fault). */
void
signal_from_trap(struct trap_frame *tf)
{
	switch (tf->vector) {
	case T_DIVIDE:
		signal_user_fault(tf, SIGFPE, FPE_INTDIV, tf->rip, "divide error");
		break;
	case T_INVALID_OPCODE:
		signal_user_fault(tf, SIGILL, ILL_ILLOPN, tf->rip, "invalid opcode");
		break;
	case T_BREAKPOINT:
		signal_user_fault(tf, SIGTRAP, SI_KERNEL, 0, "breakpoint");
		break;
	case T_DEBUG:
		tf->rflags &= ~RFLAGS_TF;
		signal_user_fault(tf, SIGTRAP, TRAP_TRACE, tf->rip, "single step");
		break;
	case T_ALIGNMENT:
		signal_user_fault(tf, SIGBUS, BUS_ADRALN, tf->rip, "alignment check");
		break;
	case T_X87:
	case T_SIMD:
		signal_user_fault(tf, SIGFPE, FPE_FLTINV, tf->rip, "floating-point exception");
		break;
	default:
		signal_user_fault(tf, SIGSEGV, SI_KERNEL, 0, trap_name((int)tf->vector));
	}
}

/*
 * The child inherits its parent's mask and, unless it shares the address
 * space without vfork (a thread: its stack would be another's), its
 * alternate stack; nothing pending. Actions: thread_tables_clone().
 */
void
signal_fork(struct task *child, const struct task *parent, bool reset_altstack)
{
	child->blocked_signals = parent->blocked_signals;
	child->altstack = parent->altstack;
	if (reset_altstack)
		child->altstack = (typeof(child->altstack)){ .flags = SS_DISABLE };
	child->pending_signals = 0;
}

/* A new program: handlers go back to the default (their code is gone); ignored stays ignored. */
void
signal_exec(struct task *t)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (t->sighand->action[sig].handler != SIG_IGN)
			t->sighand->action[sig] = (struct k_sigaction){ .handler = SIG_DFL };
	t->altstack.sp = 0;
	t->altstack.size = 0;
	t->altstack.flags = SS_DISABLE;
}

/* child (a process) has ended: its exit signal (SIGCHLD, unless clone said otherwise) for its parent. */
void
signal_child_exited(struct task *child)
{
	int status = child->exit_status;
	struct ksiginfo info = { .pid = child->pid };

	if (!child->parent || !child->exit_signal)
		return;
	if (status & 0x7f) {
		info.code = (status & WCOREFLAG) ? CLD_DUMPED : CLD_KILLED;
		info.status = status & 0x7f;
	} else {
		info.code = CLD_EXITED;
		info.status = (status >> 8) & 0xff;
	}
	signal_send_info(child->parent, child->exit_signal, &info);
}

/* The lowest-numbered signal t may act on now (SIGKILL before any other). */
static int
next_signal(const struct task *t)
{
	uint64_t set = signal_pending_set(t) & ~t->blocked_signals;

	if (set & SIGBIT(SIGKILL))
		return SIGKILL;
	return __builtin_ctzll(set) + 1;
}

/*
 * A system call interrupted with -ERESTART*: starts again (its number back
 * in RAX, RIP back over the 2-byte syscall instruction) or returns -EINTR,
 * as the handler about to run says (act NULL: none runs).
 */
static void
restart_syscall(struct trap_frame *tf, const struct k_sigaction *act)
{
	long ret = (long)tf->rax;

	if (tf->vector != SYSCALL_VECTOR ||
	    (ret != -ERESTARTSYS && ret != -ERESTARTNOINTR && ret != -ERESTARTNOHAND))
		return;
	if (act && (ret == -ERESTARTNOHAND || (ret == -ERESTARTSYS && !(act->flags & SA_RESTART)))) {
		tf->rax = (uint64_t)-EINTR;
		return;
	}
	tf->rax = tf->error;              /* syscall_dispatch() kept the number there */
	tf->rip -= 2;
}

/* Runs sig's handler: a frame on the user stack, the mask widened. */
static void
run_handler(struct trap_frame *tf, int sig, const struct ksiginfo *info)
{
	struct k_sigaction *act = &current->sighand->action[sig];

	restart_syscall(tf, act);
	if (signal_frame_push(tf, sig, act, info) != 0) {
		/* No room for the frame (a bad stack): SIGSEGV, which cannot use it either. */
		struct ksiginfo segv = { .code = SI_KERNEL };
		pr_info("fault: pid %d (%s): cannot push the frame for %s: SIGSEGV\n", current->pid,
			current->name, signal_name(sig));
		if (sig == SIGSEGV)
			current->sighand->action[SIGSEGV].handler = SIG_DFL;
		signal_force(current, SIGSEGV, &segv);
		return;
	}
	current->blocked_signals |= act->mask;
	if (!(act->flags & SA_NODEFER))
		current->blocked_signals |= SIGBIT(sig);
	current->blocked_signals &= ~UNBLOCKABLE;
	if (act->flags & SA_RESETHAND)
		*act = (struct k_sigaction){ .handler = SIG_DFL };
}

/* Acts on the next deliverable signal: its handler, or its default action. */
static void
act_on_signal(struct trap_frame *tf)
{
	int sig = next_signal(current);
	struct ksiginfo info = signal_dequeue(current, sig);
	uint64_t handler = current->sighand->action[sig].handler;

	if (sig != SIGKILL && handler == SIG_IGN)
		return;
	if (sig != SIGKILL && handler != SIG_DFL) {
		run_handler(tf, sig, &info);
		return;
	}
	switch (sig == SIGKILL ? TERMINATE : default_action(sig)) {
	case IGNORE:
		return;
	case STOP:
		stop_current(sig);
		return;
	case CORE:                           /* no core file is written: the bit says one would be */
		proc_exit_group(sig | (current->rlim[RLIMIT_CORE].rlim_cur ? WCOREFLAG : 0));
	case TERMINATE:
		proc_exit_group(sig);
	}
}

/*
 * The last thing before going back to ring 3: give up the CPU if our
 * slice is over, and act on the signals we may act on. Interrupts off.
 */
void
return_to_user(struct trap_frame *tf)
{
	while (sched_need_resched() || signal_pending(current)) {
		if (current->stop_requested) {     /* another thread stopped the process */
			current->stop_requested = false;
			current->state = TASK_STOPPED;
			schedule();
			continue;
		}
		if (signal_pending(current)) {
			act_on_signal(tf);
			continue;
		}
		schedule();
	}
	restart_syscall(tf, NULL);          /* no handler ran: interrupted calls start again */
	if (current->restore_blocked) {      /* rt_sigsuspend's mask, when no handler took it */
		current->blocked_signals = current->saved_blocked;
		current->restore_blocked = false;
	}
}
