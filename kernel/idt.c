/*
 * kernel/idt.c - the Interrupt Descriptor Table (Intel SDM Vol. 3A 6.14.1).
 *
 * Every one of the 256 vectors gets a gate to its stub in trapentry.asm,
 * so an unexpected interrupt is reported rather than becoming a triple
 * fault. All gates are interrupt gates (IF cleared on entry) reachable
 * only from ring 0 - except int3 and into, which a program may execute
 * (DPL 3: a debugger's breakpoint becomes SIGTRAP, not #GP) - and the
 * double fault and NMI run on their own IST stacks (see kernel/gdt.c).
 */
#include "kernel/trap.h"
#include "kernel/gdt.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __packed;

#define GATE_INTERRUPT 0x8e   /* present, DPL 0, 64-bit interrupt gate */
#define GATE_USER      0x60   /* or'd in: DPL 3, an `int N` from ring 3 may use it */

extern const uint64_t trap_stubs[256];
static struct idt_gate idt[256];

static void
set_gate(int vector, uint64_t handler, int ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = handler & 0xffff,
		.selector = SEL_KERNEL_CODE,
		.ist = (uint8_t)ist,
		.type_attr = GATE_INTERRUPT,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void
idt_init(void)
{
	struct idt_pointer p = { sizeof(idt) - 1, (uint64_t)idt };

	for (int v = 0; v < 256; v++)
		set_gate(v, trap_stubs[v], 0);
	set_gate(T_DOUBLE_FAULT, trap_stubs[T_DOUBLE_FAULT], IST_DOUBLE_FAULT);
	set_gate(T_NMI, trap_stubs[T_NMI], IST_NMI);
	idt[T_BREAKPOINT].type_attr |= GATE_USER;
	idt[T_OVERFLOW].type_attr |= GATE_USER;
	__asm__ volatile("lidt %0" : : "m"(p));
}
