/*
 * tests/unit/unit.c - the state of the unit test harness (unit.h), linked
 * into every test binary by tests/unit/build.sh: one copy per binary,
 * however many files its cases are in.
 */
#include "unit.h"

int unit_failed_cases;
const char *unit_case;
int unit_case_failed;
jmp_buf unit_panic_jmp;
int unit_panic_armed;

/*
 * The kernel's log and panic(), on the host: kernel code under test may
 * log (a lab's stub says it is not implemented) or panic (an encoding a
 * lab has not written yet). A log line goes to stdout; a panic fails the
 * running case with its message and goes back to RUN (unit.h), which goes
 * on with the next case; outside a case it ends the binary. The log
 * functions are weak: a test may define its own.
 */
#include <stdarg.h>
#include "kernel/printk.h"
#include "kernel/panic.h"

__attribute__((weak)) int
vprintk_level(enum log_level level, const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

__attribute__((weak)) int
printk_level(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_level(level, fmt, ap);
	va_end(ap);
	return n;
}

__attribute__((weak)) int
printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_level(LOGLEVEL_DEFAULT, fmt, ap);
	va_end(ap);
	return n;
}

__noreturn void
panic(const char *fmt, ...)
{
	va_list ap;

	if (!unit_case_failed) {
		printf("not ok %s: panic: ", unit_case ? unit_case : "(no case)");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		unit_case_failed = 1;
	}
	fflush(stdout);
	if (unit_panic_armed)
		longjmp(unit_panic_jmp, 1);
	exit(1);
}
