/*
 * kernel/panic.h - stopping the kernel when an invariant is broken.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/types.h"

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
__noreturn void panic_stop(void);
bool panic_begin(void);

/* Cheap invariant checks, left on in every build: they name what broke. */
#define ASSERT(cond)                                                        \
	do {                                                                \
		if (!(cond))                                                \
			panic("%s:%d: %s: assertion failed: %s", __FILE__,  \
			      __LINE__, __func__, #cond);                   \
	} while (0)

#endif
