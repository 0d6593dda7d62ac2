/*
 * drivers/pic.h - the two 8259A interrupt controllers: IRQ 0-15.
 */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

#include "kernel/trap.h"

#define IRQ_TIMER  0
#define IRQ_COM1   4
#define IRQ_VECTOR(irq) (T_FIRST_IRQ + (irq))
#define NR_IRQS    16

typedef void (*irq_handler_t)(void);

void pic_init(void);
void irq_register(int irq, irq_handler_t handler);
uint64_t irq_count(int irq);

#endif
