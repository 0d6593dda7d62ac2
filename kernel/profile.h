/*
 * kernel/profile.h - a sampling profiler driven by the timer tick
 * (kernel argument "profile"; kernel/profile.c).
 */
#ifndef KERNEL_PROFILE_H
#define KERNEL_PROFILE_H

#include "kernel/types.h"

void profile_init(void);
void profile_tick(vaddr_t rip, bool user);
void profile_report(unsigned top);

#endif
