/*
 * kernel/power.h - ending the machine with a status.
 */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include "kernel/types.h"

/* tools/qemu.sh's status after a panic (docs/design.md section 6). */
#define EXIT_STATUS_PANIC 125

__noreturn void power_off(int status);
__noreturn void power_halt(void);

#endif
