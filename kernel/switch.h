/*
 * kernel/switch.h - running code on another stack.
 */
#ifndef KERNEL_SWITCH_H
#define KERNEL_SWITCH_H

#include "kernel/types.h"

void call_on_stack(void (*fn)(void *), void *arg, vaddr_t stack_top);

#endif
