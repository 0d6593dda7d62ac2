/*
 * tests/unit/unit_panic.h - panic() for host tests of kernel code that
 * may call it (a lab skeleton's stubs do: "lab 2: buddy_alloc: ... not
 * implemented").
 *
 * A panic inside a case run by RUN_CATCHING_PANIC fails that case with
 * the panic's message and goes on with the next case, so one missing
 * function costs only the cases that need it; outside such a case it
 * ends the test. This header defines panic() itself: include it from
 * exactly one file of a test binary, after unit.h.
 */
#ifndef TESTS_UNIT_PANIC_H
#define TESTS_UNIT_PANIC_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include "kernel/panic.h"

static jmp_buf unit_panic_jmp;
static bool unit_panic_armed;

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

/* RUN(fn) of unit.h, except that a panic in fn fails only this case. */
#define RUN_CATCHING_PANIC(fn)                                                   \
	do {                                                                     \
		unit_case = #fn;                                                 \
		unit_case_failed = 0;                                            \
		unit_panic_armed = true;                                         \
		if (setjmp(unit_panic_jmp) == 0)                                 \
			fn();                                                    \
		unit_panic_armed = false;                                        \
		if (unit_case_failed)                                            \
			unit_failed_cases++;                                     \
		else                                                             \
			printf("ok %s\n", #fn);                                  \
	} while (0)

#endif
