/*
 * kernel/panic.c - report a fatal error with a backtrace, then stop.
 *
 * How the machine stops is chosen on the command line:
 *   panic=poweroff  (default) QEMU exits with EXIT_STATUS_PANIC, so a script
 *                   or a test never hangs on a dead kernel;
 *   panic=halt      the CPU halts with the report on screen, for GDB
 *                   (`make debug` passes it).
 * A second fatal error while reporting the first only prints one line:
 * the reporter itself may be what is broken.
 */
#include "kernel/panic.h"
#include "kernel/backtrace.h"
#include "kernel/cmdline.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"

static volatile int panicking;

/* Returns false if a panic is already being reported (a nested failure). */
bool
panic_begin(void)
{
	cli();
	if (panicking++) {
		pr_emerg("panic: fault while reporting a fault; stopping\n");
		return false;
	}
	return true;
}

__noreturn void
panic_stop(void)
{
	const char *how = karg_get("panic");

	if (how && strcmp(how, "halt") == 0) {
		pr_emerg("panic: halted (panic=halt)\n");
		power_halt();
	}
	power_off(EXIT_STATUS_PANIC);
}

__noreturn void
panic(const char *fmt, ...)
{
	va_list ap;

	if (panic_begin()) {
		pr_emerg("Kernel panic - not syncing: ");
		va_start(ap, fmt);
		vprintk_level(LOG_EMERG, fmt, ap);
		va_end(ap);
		pr_emerg("\n");
		backtrace_print(0, (vaddr_t)__builtin_frame_address(0));
	}
	panic_stop();
}
