/*
 * mm/x86/pf.c - where page faults enter memory management.
 *
 * The IDT stub saves the registers; pf_handler() reads CR2 and decodes the
 * error code into a struct fault, which is all the rest of mm/ ever sees
 * of the hardware. Faults on user addresses go to vm_fault() (mm/fault.c).
 * Any other fault in kernel mode is a kernel bug and fatal: the report
 * says what the address is (kernel text? rodata? a stack guard?) so that
 * "write to rodata" or "stack overflow" is plain to read.
 *
 * A kernel stack overflow arrives as a double fault: the page fault on
 * the guard page cannot push its frame onto the stack it overflowed, so
 * the CPU raises #DF, which runs on its own IST stack. CR2 still holds the
 * guard address, and that is how we recognise it.
 */
#include "mm/x86/pf.h"
#include "kernel/signal.h"
#include "kernel/task.h"
#include "kernel/trap.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/kas.h"
#include "mm/layout.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "mm/x86/mmu.h"

#define PF_PRESENT  (1u << 0)
#define PF_WRITE    (1u << 1)
#define PF_USER     (1u << 2)
#define PF_RESERVED (1u << 3)
#define PF_FETCH    (1u << 4)

static struct fault
decode(const struct trap_frame *tf)
{
	return (struct fault){
		.addr = read_cr2(),
		.present = tf->error & PF_PRESENT,
		.write = tf->error & PF_WRITE,
		.user = tf->error & PF_USER,
		.exec = tf->error & PF_FETCH,
		.reserved = tf->error & PF_RESERVED,
	};
}

/* One sentence on why this kernel fault happened. */
static const char *
diagnose(const struct fault *f)
{
	if (f->reserved)
		return "a page-table entry has a reserved bit set (page-table corruption)";
	if (!f->present)
		return "the address is not mapped";
	if (f->exec)
		return "instruction fetch from a no-execute page (NX)";
	if (f->write)
		return "write to a read-only page (write-protect)";
	return "access not allowed by the page's protection";
}

/*
 * A fault in user memory: from ring 3, or from the kernel's user-copy
 * instruction (mm/uaccess.c) working for a system call. vm_fault()
 * decides; an access it cannot allow becomes SIGSEGV for a user program,
 * or -EFAULT for the system call (the copy stops at the fixup).
 */
static void
user_memory_fault(struct trap_frame *tf, const struct fault *f, bool in_uaccess)
{
	const char *why = "no address space";
	enum fault_result r = FAULT_SEGV;

	if (current->mm) {
		if (tf->rflags & RFLAGS_IF)
			sti();              /* resolving may sleep (disk I/O, later) */
		r = vm_fault(current->mm, f, &why);
		cli();
	}
	/* No memory just now (Linux's pagefault_out_of_memory() does the
	 * same): the door already reclaimed or called the OOM killer, so try
	 * the access again - unless this task is the one being killed. */
	if (r == FAULT_OK || (r == FAULT_OOM && !fatal_signal_pending(current)))
		return;
	if (in_uaccess) {
		uaccess_fixup(&tf->rip);
		return;
	}
	if (r == FAULT_SIGBUS)
		signal_user_fault(tf, SIGBUS, BUS_ADRERR, f->addr, why);
	else if (r == FAULT_SEGV)       /* a region there: not allowed; none: not mapped */
		signal_user_fault(tf, SIGSEGV, current->mm && vma_find(current->mm, f->addr) ?
				  SEGV_ACCERR : SEGV_MAPERR, f->addr, why);
	/* FAULT_OOM: SIGKILL is pending; the task dies on its way out. */
}

static void
pf_handler(struct trap_frame *tf)
{
	struct fault f = decode(tf);
	vaddr_t rip = tf->rip;
	bool in_uaccess = !(tf->cs & 3) && uaccess_fixup(&rip);
	char why[192];

	if (!f.reserved && f.addr < USER_TOP && (f.user || in_uaccess)) {
		user_memory_fault(tf, &f, in_uaccess);
		return;
	}
	if (f.user) {            /* ring 3 touched the kernel half */
		signal_user_fault(tf, SIGSEGV, SEGV_MAPERR, f.addr, f.present ?
				  "kernel memory is not accessible from user mode" :
				  "address not mapped (kernel half)");
		return;
	}
	snprintf(why, sizeof(why), "%s; the address is in %s", diagnose(&f), kas_describe(f.addr));
	trap_die(tf, why);
}

static void
double_fault_handler(struct trap_frame *tf)
{
	vaddr_t cr2 = read_cr2();
	char why[192];

	if (kas_is_stack_guard(cr2) || !kas_readable(tf->rsp - 8, 8))
		snprintf(why, sizeof(why), "kernel stack overflow: CR2 %#lx, RSP %#lx; %s",
			 cr2, tf->rsp, kas_describe(cr2));
	else
		snprintf(why, sizeof(why), "double fault (CR2 %#lx)", cr2);
	trap_die(tf, why);
}

void
pf_init(void)
{
	trap_set_handler(T_PAGE_FAULT, pf_handler);
	trap_set_handler(T_DOUBLE_FAULT, double_fault_handler);
}
