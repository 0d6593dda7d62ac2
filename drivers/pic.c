/*
 * drivers/pic.c - the legacy 8259A PIC pair (Intel 8259A datasheet).
 *
 * At power-on the master PIC delivers IRQs 0-7 on vectors 8-15, which
 * clash with CPU exceptions; pic_init() moves IRQ 0-15 to vectors 32-47
 * and masks them all. irq_register() installs a handler and unmasks its
 * line. The handler runs with interrupts off; the end-of-interrupt goes
 * to the PIC after it returns, so a level-triggered device that still
 * asserts its line interrupts again. (PCI INTx lines are level-triggered.)
 */
#include "drivers/pic.h"
#include "kernel/x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01

static irq_handler_t irq_handlers[NR_IRQS];
static uint64_t irq_counts[NR_IRQS];      /* interrupts taken per line: /proc/stat's "intr" */
static uint16_t mask = 0xffff;

static void
write_mask(void)
{
	outb(PIC1_DATA, mask & 0xff);
	outb(PIC2_DATA, mask >> 8);
}

static void
irq_trap(struct trap_frame *tf)
{
	int irq = (int)tf->vector - T_FIRST_IRQ;

	irq_counts[irq]++;
	if (irq_handlers[irq])
		irq_handlers[irq]();
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

void
pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, IRQ_VECTOR(0));    /* ICW2: vector offsets */
	outb(PIC2_DATA, IRQ_VECTOR(8));
	outb(PIC1_DATA, 4);                /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	write_mask();
	for (int irq = 0; irq < 16; irq++)
		trap_set_handler(IRQ_VECTOR(irq), irq_trap);
}

/* Installs handler for irq and unmasks the line (and the cascade for 8-15). */
void
irq_register(int irq, irq_handler_t handler)
{
	uint64_t flags = irq_save();

	irq_handlers[irq] = handler;
	mask &= (uint16_t)~(1u << irq);
	if (irq >= 8)
		mask &= (uint16_t)~(1u << 2);
	write_mask();
	irq_restore(flags);
}

/* How many interrupts line irq has raised since boot. */
uint64_t
irq_count(int irq)
{
	return irq_counts[irq];
}
