/*
 * kernel/backtrace.c - who called whom, from the saved frame pointers.
 *
 * The kernel is built with -fno-omit-frame-pointer, so each function's
 * prologue pushes the caller's RBP and sets RBP to RSP:
 *
 *        [rbp + 8]  return address into the caller
 *        [rbp]      the caller's rbp  --> next frame
 *
 * The walk stops at a zero RBP (boot/entry.asm starts the chain with one)
 * or at any RBP that is not inside a known kernel stack, because a broken
 * chain must never fault inside the fault reporter.
 */
#include "kernel/backtrace.h"
#include "kernel/gdt.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "mm/kas.h"

extern char boot_stack_top[];

#define BOOT_STACK_SIZE 16384

/*
 * Before mm/ has built the kernel's page tables only the boot and IST
 * stacks are known; after, any mapped kernel address may hold a frame.
 */
static bool
frame_readable(vaddr_t rbp)
{
	vaddr_t boot_top = (vaddr_t)boot_stack_top;

	if (rbp & 7)
		return false;
	if (kas_ready())
		return kas_readable(rbp, 16);
	if (rbp >= boot_top - BOOT_STACK_SIZE && rbp + 16 <= boot_top)
		return true;
	return gdt_on_ist_stack(rbp) && gdt_on_ist_stack(rbp + 15);
}

/* Fills pcs with up to max return addresses; returns how many. */
int
backtrace_collect(vaddr_t rbp, vaddr_t *pcs, int max)
{
	int n = 0;

	while (n < max && rbp != 0 && frame_readable(rbp)) {
		const vaddr_t *frame = (const vaddr_t *)rbp;
		if (frame[1] == 0)
			break;
		pcs[n++] = frame[1];
		if (frame[0] <= rbp)   /* stacks grow down: callers are above */
			break;
		rbp = frame[0];
	}
	return n;
}

/*
 * A return address may already belong to the next function when the call
 * was the last instruction (a call to a noreturn function), so the name
 * is looked up for pc - 1; the offset printed is still that of pc.
 */
static void
print_pc(vaddr_t pc, bool is_return_address)
{
	unsigned long off, size;
	const char *name = ksym_lookup(pc - is_return_address, &off, &size);

	if (name)
		printk(" [<%016lx>] %s+%#lx/%#lx\n", pc, name, off + is_return_address, size);
	else
		printk(" [<%016lx>] ?\n", pc);
}

/*
 * Prints rip (the trapping instruction; 0 when there is none), then every
 * return address found from rbp, one per line.
 */
void
backtrace_print(vaddr_t rip, vaddr_t rbp)
{
	vaddr_t pcs[BACKTRACE_MAX];
	int n = backtrace_collect(rbp, pcs, BACKTRACE_MAX);

	printk("Call Trace:\n");
	if (rip)
		print_pc(rip, false);
	for (int i = 0; i < n; i++)
		print_pc(pcs[i], true);
}
