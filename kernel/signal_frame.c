/*
 * kernel/signal_frame.c - calling a signal handler in user mode, and
 * coming back from it (rt_sigreturn), with Linux x86-64's frame, so that
 * musl's sigaction() and its restorer work unchanged.
 *
 * The kernel cannot call user code, so it makes the user's registers
 * look as if the interrupted code had called the handler: below the
 * stack pointer (past the 128-byte red zone, or at the top of the
 * alternate stack with SA_ONSTACK) it writes
 *
 *   high   the FPU/SSE registers (fxsave, 512 bytes, 64-aligned)
 *          siginfo                    rsi points here
 *          ucontext: flags, link, the stack, every general register
 *                    (uc_mcontext), the signal mask to restore
 *                                     rdx points here
 *   low    return address = sa_restorer   <- rsp, 16-aligned + 8 as after a call
 *
 * and sets rip = handler, rdi = the signal. The handler's `ret` goes to
 * the restorer (musl's __restore_rt), which makes the rt_sigreturn call:
 * the registers, the mask and the FPU come back from the frame. Nothing
 * in the frame is trusted: the code and stack segments stay the user's,
 * only the flags a program may change are taken, and a return address
 * outside user space is refused (SIGSEGV) - a forged frame gains nothing.
 */
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/trap.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "mm/uaccess.h"

#define RED_ZONE 128
#define FPU_AREA 512
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

/* The flags a program may set (Linux's FIX_EFLAGS): CF PF AF ZF SF TF DF OF AC RF. */
#define USER_RFLAGS 0x50dd5UL

/* struct sigcontext (x86-64): the general registers, in the order of mcontext_t's gregs. */
struct user_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;                /* user address of the fxsave area, or 0 */
	uint64_t reserved[8];
};

struct user_stack {                      /* stack_t */
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

struct user_ucontext {
	uint64_t flags;
	uint64_t link;
	struct user_stack stack;
	struct user_sigcontext mcontext;
	uint64_t sigmask;
};

struct user_siginfo {
	int32_t signo, errno_, code, pad;
	union {
		struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad; } chld;
		struct { int32_t pid; uint32_t uid; } kill;
		uint64_t addr;
		uint8_t bytes[112];
	};
};

struct rt_sigframe {
	uint64_t pretcode;               /* the handler returns here: sa_restorer */
	struct user_ucontext uc;
	struct user_siginfo info;
};

_Static_assert(sizeof(struct user_sigcontext) == 256, "struct sigcontext is 256 bytes");
_Static_assert(sizeof(struct user_siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(sizeof(struct user_ucontext) == 304, "struct ucontext is 304 bytes");

/* Is sp on t's alternate signal stack? */
bool
signal_on_altstack(const struct task *t, vaddr_t sp)
{
	return t->altstack.size && sp > t->altstack.sp && sp <= t->altstack.sp + t->altstack.size;
}

/* The registers of tf, as uc_mcontext holds them. */
static void
save_registers(const struct trap_frame *tf, struct user_sigcontext *sc)
{
	*sc = (struct user_sigcontext){
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11, .r12 = tf->r12,
		.r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15, .rdi = tf->rdi, .rsi = tf->rsi,
		.rbp = tf->rbp, .rbx = tf->rbx, .rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx,
		.rsp = tf->rsp, .rip = tf->rip, .eflags = tf->rflags, .cs = (uint16_t)tf->cs,
		.ss = (uint16_t)tf->ss, .err = tf->vector == T_PAGE_FAULT ? tf->error : 0,
		.trapno = tf->vector < 32 ? tf->vector : 0,
	};
}

static void
fill_siginfo(struct user_siginfo *si, int sig, const struct ksiginfo *info)
{
	memset(si, 0, sizeof(*si));
	si->signo = sig;
	si->code = info->code;
	if (sig == SIGCHLD) {
		si->chld.pid = info->pid;
		si->chld.status = info->status;
	} else if (info->addr || sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
		   sig == SIGFPE || sig == SIGTRAP) {
		si->addr = info->addr;
	} else {
		si->kill.pid = info->pid;
	}
}

/* siginfo_t for sig, at user address uaddr (rt_sigtimedwait). Returns 0 or -EFAULT. */
int
signal_copy_siginfo(void *uaddr, int sig, const struct ksiginfo *info)
{
	struct user_siginfo si;

	fill_siginfo(&si, sig, info);
	return copy_to_user(uaddr, &si, sizeof(si)) ? -EFAULT : 0;
}

/* Where the frame goes: below the red zone, or at the top of the alternate stack. */
static vaddr_t
frame_top(const struct trap_frame *tf, const struct k_sigaction *act)
{
	const struct task *t = current;

	if ((act->flags & SA_ONSTACK) && t->altstack.size && !(t->altstack.flags & SS_DISABLE) &&
	    !signal_on_altstack(t, tf->rsp))
		return t->altstack.sp + t->altstack.size;
	return tf->rsp - RED_ZONE;
}

/*
 * Makes tf call act's handler for sig with the frame above. Returns 0, or
 * -EFAULT if the frame could not be written (the caller sends SIGSEGV).
 */
int
signal_frame_push(struct trap_frame *tf, int sig, const struct k_sigaction *act,
		  const struct ksiginfo *info)
{
	uint8_t fpu[FPU_AREA] __attribute__((aligned(16)));
	struct rt_sigframe f;
	vaddr_t top = frame_top(tf, act);
	vaddr_t fp = ALIGN_DOWN(top - FPU_AREA, 64);
	vaddr_t sp = ALIGN_DOWN(fp - sizeof(f), 16) - 8;

	if (!(act->flags & SA_RESTORER))
		return -EFAULT;                  /* x86-64 has no default restorer */
	memset(&f, 0, sizeof(f));
	f.pretcode = act->restorer;
	f.uc.flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.stack = (struct user_stack){ .sp = current->altstack.sp, .size = current->altstack.size,
		.flags = current->altstack.size == 0 ? SS_DISABLE :
			 signal_on_altstack(current, tf->rsp) ? SS_ONSTACK : 0 };
	save_registers(tf, &f.uc.mcontext);
	f.uc.mcontext.fpstate = fp;
	f.uc.mcontext.oldmask = current->restore_blocked ? current->saved_blocked : current->blocked_signals;
	f.uc.mcontext.cr2 = info->addr;
	f.uc.sigmask = f.uc.mcontext.oldmask;
	fill_siginfo(&f.info, sig, info);
	fpu_save(fpu);
	if (copy_to_user((void *)fp, fpu, FPU_AREA) || copy_to_user((void *)sp, &f, sizeof(f)))
		return -EFAULT;
	current->restore_blocked = false;    /* rt_sigsuspend's old mask is in the frame now */
	tf->rdi = (uint64_t)sig;
	tf->rsi = sp + offsetof(struct rt_sigframe, info);
	tf->rdx = sp + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rsp = sp;
	tf->rip = act->handler;
	tf->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	fpu_init_state(fpu);                 /* the handler starts with a clean FPU */
	fpu_restore(fpu);
	return 0;
}

/* The FPU area at uaddr (0: a clean one), checked so that fxrstor cannot fault. */
static int
restore_fpu(uint64_t uaddr)
{
	uint8_t fpu[FPU_AREA] __attribute__((aligned(16)));
	uint32_t mxcsr;

	if (!uaddr) {
		fpu_init_state(fpu);
	} else {
		if (copy_from_user(fpu, (const void *)uaddr, FPU_AREA))
			return -EFAULT;
		memcpy(&mxcsr, fpu + 24, sizeof(mxcsr));
		mxcsr &= 0xffff;                 /* reserved bits set would fault in fxrstor */
		memcpy(fpu + 24, &mxcsr, sizeof(mxcsr));
	}
	fpu_restore(fpu);
	return 0;
}

/* The registers uc_mcontext holds, where a program may set them. */
static void
restore_registers(struct trap_frame *tf, const struct user_sigcontext *sc)
{
	tf->r8 = sc->r8; tf->r9 = sc->r9; tf->r10 = sc->r10; tf->r11 = sc->r11;
	tf->r12 = sc->r12; tf->r13 = sc->r13; tf->r14 = sc->r14; tf->r15 = sc->r15;
	tf->rdi = sc->rdi; tf->rsi = sc->rsi; tf->rbp = sc->rbp; tf->rbx = sc->rbx;
	tf->rdx = sc->rdx; tf->rax = sc->rax; tf->rcx = sc->rcx;
	tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	tf->rflags = (tf->rflags & ~USER_RFLAGS) | (sc->eflags & USER_RFLAGS);
	tf->vector = SIGRETURN_VECTOR;       /* no longer a system call to restart */
}

/*
 * rt_sigreturn: back from a handler, to where the signal interrupted.
 * The frame is at the stack pointer minus the return address the
 * handler's `ret` popped. Returns the restored RAX (the dispatcher puts
 * the return value there). A frame that cannot be read, or that would
 * return outside user space, is SIGSEGV.
 */
long
sys_rt_sigreturn(void)
{
	struct trap_frame *tf = current->user_frame;
	vaddr_t at = tf->rsp - 8;
	struct ksiginfo segv = { .code = SI_KERNEL };
	struct rt_sigframe f;

	if (copy_from_user(&f, (const void *)at, sizeof(f)) || f.uc.mcontext.rip >= USER_TOP - PAGE_SIZE ||
	    restore_fpu(f.uc.mcontext.fpstate) != 0) {
		pr_info("fault: pid %d (%s): bad frame in rt_sigreturn at %#lx: SIGSEGV\n",
			current->pid, current->name, at);
		signal_force(current, SIGSEGV, &segv);
		return (long)tf->rax;
	}
	restore_registers(tf, &f.uc.mcontext);
	current->blocked_signals = f.uc.sigmask & ~UNBLOCKABLE;
	if (!signal_on_altstack(current, tf->rsp) && (f.uc.stack.flags & ~SS_DISABLE) == 0) {
		current->altstack.sp = f.uc.stack.sp;
		current->altstack.size = f.uc.stack.size;
		current->altstack.flags = f.uc.stack.flags;
	}
	return (long)tf->rax;
}
