/*
 * kernel/trap.c - where every interrupt and exception lands.
 *
 * trapentry.asm saves the registers and calls trap_dispatch(), which
 * hands the frame to the handler registered for its vector (the timer,
 * a disk, the page-fault entry in mm/x86/). A vector nobody handles is a
 * bug: the report below names the vector, decodes the error code, shows
 * CR2 and every register, and symbolizes the call chain, so that a
 * student sees at once which function did what.
 */
#include "kernel/trap.h"
#include "kernel/backtrace.h"
#include "kernel/cputime.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/profile.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/vsprintf.h"
#include "mm/kas.h"
#include "mm/x86/mmu.h"

static trap_handler_t handlers[256];

static const char *const exception_names[32] = {
	[0] = "#DE divide error",         [1] = "#DB debug",
	[2] = "NMI",                      [3] = "#BP breakpoint",
	[4] = "#OF overflow",             [5] = "#BR bound range exceeded",
	[6] = "#UD invalid opcode",       [7] = "#NM device not available",
	[8] = "#DF double fault",         [9] = "coprocessor segment overrun",
	[10] = "#TS invalid TSS",         [11] = "#NP segment not present",
	[12] = "#SS stack-segment fault", [13] = "#GP general protection",
	[14] = "#PF page fault",          [15] = "reserved",
	[16] = "#MF x87 floating-point",  [17] = "#AC alignment check",
	[18] = "#MC machine check",       [19] = "#XM SIMD floating-point",
	[20] = "#VE virtualization",      [21] = "#CP control protection",
};

const char *
trap_name(int vector)
{
	if (vector < 32)
		return exception_names[vector] ? exception_names[vector] : "reserved";
	return "interrupt";
}

/* Registers a handler for vector; a later call replaces the earlier one. */
void
trap_set_handler(int vector, trap_handler_t handler)
{
	handlers[vector] = handler;
}

/* Page-fault error code bits (Intel SDM Vol. 3A 4.7), in plain words. */
static void
describe_pf_error(uint64_t err, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s %s%s%s",
		 err & 1 ? "protection-violation" : "not-present",
		 err & 2 ? "write" : "read",
		 err & 4 ? "user-mode" : "kernel-mode",
		 err & 16 ? " instruction-fetch" : "",
		 err & 8 ? " reserved-bit-set" : "");
}

void
trap_print_frame(const struct trap_frame *tf)
{
	char sym[96];

	ksym_format(sym, sizeof(sym), tf->rip);
	pr_emerg("RIP: %04lx:%016lx <%s>  RFLAGS: %08lx\n", tf->cs, tf->rip, sym, tf->rflags);
	pr_emerg("RSP: %04lx:%016lx\n", tf->ss, tf->rsp);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx\n", tf->rax, tf->rbx, tf->rcx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx\n", tf->rdx, tf->rsi, tf->rdi);
	pr_emerg("RBP: %016lx R08: %016lx R09: %016lx\n", tf->rbp, tf->r8, tf->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx\n", tf->r10, tf->r11, tf->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx\n", tf->r13, tf->r14, tf->r15);
}

/*
 * A RIP outside the kernel's text usually means a call through a bad
 * pointer. The callee never pushed a frame, so the frame-pointer walk
 * would skip the caller; the return address is still on top of the stack.
 */
static void
explain_jump_outside_text(const struct trap_frame *tf)
{
	unsigned long off, size;
	char sym[96];

	if (ksym_lookup(tf->rip, &off, &size) || (tf->cs & 3) ||
	    !kas_readable(tf->rsp, sizeof(vaddr_t)))
		return;
	vaddr_t ret = *(const vaddr_t *)tf->rsp;
	if (!ksym_lookup(ret, &off, &size))
		return;
	ksym_format(sym, sizeof(sym), ret);
	pr_emerg("trap: RIP is outside the kernel's text; the return address at RSP is %#lx <%s>\n",
		 ret, sym);
}

/*
 * Reports a fatal trap and stops the kernel (see kernel/panic.c for how).
 * why, if not NULL, is one line of explanation from the caller.
 */
__noreturn void
trap_die(struct trap_frame *tf, const char *why)
{
	char err[96];

	if (panic_begin()) {
		pr_emerg("trap: %s (vector %lu) in %s mode\n", trap_name((int)tf->vector),
			 tf->vector, (tf->cs & 3) ? "user" : "kernel");
		if (why)
			pr_emerg("trap: %s\n", why);
		if (tf->vector == T_PAGE_FAULT) {
			describe_pf_error(tf->error, err, sizeof(err));
			pr_emerg("trap: error code %#lx: %s\n", tf->error, err);
			pr_emerg("trap: CR2 (fault address) 0x%016lx\n", read_cr2());
		} else {
			pr_emerg("trap: error code %#lx\n", tf->error);
		}
		trap_print_frame(tf);
		explain_jump_outside_text(tf);
		backtrace_print(tf->rip, tf->rbp);
	}
	panic_stop();
}

/*
 * Every interrupt and exception. A CPU exception in user mode that no
 * handler takes becomes a signal for the process (kernel/signal.c); in
 * kernel mode it is fatal. On the way back to ring 3, pending signals
 * act and the scheduler may switch tasks.
 */
void
trap_dispatch(struct trap_frame *tf)
{
	trap_handler_t h = handlers[tf->vector & 0xff];
	bool from_user = tf->cs & 3;

	if (tf->vector == T_FIRST_IRQ) {    /* IRQ 0, the timer: a profiler sample, a tick of CPU time */
		profile_tick(tf->rip, from_user);
		cputime_tick(from_user);
	}
	if (h)
		h(tf);
	else if (from_user && tf->vector < T_FIRST_IRQ)
		signal_from_trap(tf);
	else
		trap_die(tf, tf->vector >= T_FIRST_IRQ ? "unexpected interrupt: no handler registered" : NULL);
	if (from_user)
		return_to_user(tf);
}
