/*
 * kernel/signal.c - sending signals and carrying out their default action.
 *
 * A signal is a bit in the target's pending set. It acts when the target
 * is about to return to user mode (return_to_user()): with no handlers
 * supported, the default action is all there is - ignore (SIGCHLD,
 * SIGURG, SIGWINCH, SIGCONT, or anything set to SIG_IGN) or terminate,
 * and wait4() reports the signal number as Linux encodes it. A sleeping
 * target is woken, so that a blocked read or wait4 returns -EINTR and the
 * task reaches the point where it dies. SIGKILL cannot be ignored.
 *
 * CPU exceptions in user mode become signals here: #PF and #GP SIGSEGV,
 * #UD SIGILL, #DE SIGFPE; the kernel prints one line for each (docs/design.md
 * section 7): pid, program, rip, fault address, reason.
 */
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

static const char *const names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGCHLD] = "SIGCHLD",
};

const char *
signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(names) && names[sig])
		return names[sig];
	return "signal";
}

static bool
ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* Marks sig pending for t and wakes t if it sleeps. Returns 0 or -EINVAL. */
int
signal_send(struct task *t, int sig)
{
	uint64_t flags;

	if (sig < 1 || sig >= NSIG)
		return -EINVAL;
	if (sig != SIGKILL && (ignored_by_default(sig) || (t->ignored_signals & (1UL << sig))))
		return 0;
	flags = irq_save();
	t->pending_signals |= 1UL << sig;
	if (t->state == TASK_SLEEPING) {
		list_del(&t->run_link);
		task_make_runnable(t);
	}
	irq_restore(flags);
	return 0;
}

bool
signal_pending(struct task *t)
{
	return t->pending_signals != 0;
}

/* Is t about to die (SIGKILL pending)? Then waiting for memory is pointless. */
bool
fatal_signal_pending(const struct task *t)
{
	return t->pending_signals & (1UL << SIGKILL);
}

/* One line on the console, then the signal. For faults in user mode. */
void
signal_user_fault(struct trap_frame *tf, int sig, vaddr_t addr, const char *why)
{
	pr_info("fault: pid %d (%s): %s at %#lx, rip %#lx: %s\n", current->pid, current->name,
		signal_name(sig), addr, tf->rip, why);
	signal_send(current, sig);
}

/* A CPU exception in user mode (other than a page fault). */
void
signal_from_trap(struct trap_frame *tf)
{
	switch (tf->vector) {
	case T_DIVIDE:
		signal_user_fault(tf, SIGFPE, tf->rip, "divide error");
		break;
	case T_INVALID_OPCODE:
		signal_user_fault(tf, SIGILL, tf->rip, "invalid opcode");
		break;
	case T_BREAKPOINT:
		signal_user_fault(tf, SIGTRAP, tf->rip, "breakpoint");
		break;
	case T_ALIGNMENT:
		signal_user_fault(tf, SIGBUS, tf->rip, "alignment check");
		break;
	case T_X87:
	case T_SIMD:
		signal_user_fault(tf, SIGFPE, tf->rip, "floating-point exception");
		break;
	default:
		signal_user_fault(tf, SIGSEGV, tf->rip, trap_name((int)tf->vector));
	}
}

static int
lowest_pending(uint64_t set)
{
	return __builtin_ctzll(set);
}

/*
 * The last thing before going back to ring 3: give up the CPU if our
 * slice is over, and die of a pending signal. Interrupts off.
 */
void
return_to_user(struct trap_frame *tf)
{
	while (sched_need_resched() || current->pending_signals) {
		if (current->pending_signals) {
			int sig = lowest_pending(current->pending_signals);
			current->pending_signals &= ~(1UL << sig);
			proc_exit(sig);      /* the default action: terminate */
		}
		schedule();
	}
	(void)tf;
}
