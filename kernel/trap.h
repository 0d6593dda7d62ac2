/*
 * kernel/trap.h - interrupts and exceptions: the saved frame and dispatch.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include "kernel/types.h"

/* Laid out by kernel/trapentry.asm: registers it pushed, then the CPU's frame. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

enum {
	T_DIVIDE = 0, T_DEBUG = 1, T_NMI = 2, T_BREAKPOINT = 3, T_OVERFLOW = 4,
	T_BOUND = 5, T_INVALID_OPCODE = 6, T_DEVICE_NA = 7, T_DOUBLE_FAULT = 8,
	T_INVALID_TSS = 10, T_SEGMENT_NP = 11, T_STACK_FAULT = 12,
	T_GENERAL_PROTECTION = 13, T_PAGE_FAULT = 14, T_X87 = 16,
	T_ALIGNMENT = 17, T_MACHINE_CHECK = 18, T_SIMD = 19,
	T_VIRTUALIZATION = 20, T_CONTROL_PROTECTION = 21,
	T_FIRST_IRQ = 32,
};

typedef void (*trap_handler_t)(struct trap_frame *tf);

void idt_init(void);
void trap_set_handler(int vector, trap_handler_t handler);
void trap_dispatch(struct trap_frame *tf);
const char *trap_name(int vector);
void trap_print_frame(const struct trap_frame *tf);
__noreturn void trap_die(struct trap_frame *tf, const char *why);

#endif
