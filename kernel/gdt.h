/*
 * kernel/gdt.h - segments and the task state segment.
 *
 * Selector layout (fixed by syscall/sysret, see kernel/gdt.c):
 *   0x08 kernel code   0x10 kernel data
 *   0x18 user code32 (unused)  0x20 user data   0x28 user code64
 *   0x30 TSS
 */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "kernel/types.h"

#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_USER_CODE32 0x18
#define SEL_USER_DATA   0x20
#define SEL_USER_CODE   0x28
#define SEL_TSS         0x30
#define SEL_RPL_USER    3

/* Interrupt Stack Table slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI          2

void gdt_init(void);
void tss_set_kernel_stack(vaddr_t rsp0);
bool gdt_on_ist_stack(vaddr_t addr);

#endif
