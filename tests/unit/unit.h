/*
 * tests/unit/unit.h - a tiny harness for host unit tests of pure kernel code.
 *
 * Each test binary is built with the host compiler and sanitizers
 * (tests/unit/build.sh) and prints "ok NAME" or "not ok NAME: why" per
 * test case, like the in-kernel tests; tests/run counts the lines.
 * A test may be more than one file (tests/unit/build.sh lists the rest).
 */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The harness's state: one copy per test binary (tests/unit/unit.c), so a
 * test whose cases are spread over several files counts them all. */
extern int unit_failed_cases;           /* cases that failed so far */
extern const char *unit_case;           /* the case RUN is running */
extern int unit_case_failed;            /* it has printed its "not ok" line */
extern jmp_buf unit_panic_jmp;          /* where panic() goes back to, in RUN */
extern int unit_panic_armed;            /* RUN is in a case: panic() may go back */

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond) && !unit_case_failed) {                              \
			printf("not ok %s: %s:%d: %s\n", unit_case, __FILE__,    \
			       __LINE__, #cond);                                 \
			unit_case_failed = 1;                                    \
		}                                                                \
	} while (0)

#define CHECK_STR(got, want)                                                     \
	do {                                                                     \
		if (strcmp((got), (want)) != 0 && !unit_case_failed) {           \
			printf("not ok %s: %s:%d: got \"%s\", want \"%s\"\n",    \
			       unit_case, __FILE__, __LINE__, (got), (want));    \
			unit_case_failed = 1;                                    \
		}                                                                \
	} while (0)

/*
 * Runs one case. A panic() of the kernel code under test (unit.c's host
 * panic: a lab's stub says it is not implemented) fails this case with its
 * message and goes on with the next, so one missing function costs only
 * the cases that need it.
 */
#define RUN(fn)                                                                  \
	do {                                                                     \
		unit_case = #fn;                                                 \
		unit_case_failed = 0;                                            \
		unit_panic_armed = 1;                                            \
		if (setjmp(unit_panic_jmp) == 0)                                 \
			fn();                                                    \
		unit_panic_armed = 0;                                            \
		if (unit_case_failed)                                            \
			unit_failed_cases++;                                     \
		else                                                             \
			printf("ok %s\n", #fn);                                  \
	} while (0)

#define UNIT_EXIT() return unit_failed_cases ? 1 : 0

/* xorshift64 with a fixed seed: random tests that fail the same way every run. */
static inline unsigned long long
unit_xorshift(unsigned long long *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif
