/*
 * drivers/serial.c - 16550 UART on COM1 (I/O port 0x3f8), output only.
 *
 * The serial line is the kernel's console: QEMU's -nographic puts it on
 * the terminal, and the test runner reads it from a file. Input arrives
 * by interrupt (IRQ 4) and goes to the console (kernel/tty.c). Output polls
 * the Line Status Register's "transmit holding register empty" bit, so it
 * works with interrupts off, in a trap handler and in panic().
 * Registers: National Semiconductor PC16550D datasheet, table 2.
 */
#include "drivers/serial.h"
#include "drivers/pic.h"
#include "kernel/x86.h"

#define COM1         0x3f8
#define REG_DATA     0   /* with DLAB=1: divisor low byte */
#define REG_IER      1   /* with DLAB=1: divisor high byte */
#define REG_FCR      2
#define REG_LCR      3
#define REG_MCR      4
#define REG_LSR      5
#define LCR_DLAB     0x80
#define LCR_8N1      0x03
#define LSR_THR_EMPTY 0x20
#define LSR_DATA_READY 0x01
#define IER_RX        0x01

static void (*receiver)(char c);

/* 115200 baud (divisor 1), 8 data bits, no parity, one stop bit. */
void
serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, 1);
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	/* FIFOs stay off: turning them on empties them, losing what was typed
	 * during boot; QEMU holds further input until we read. */
	outb(COM1 + REG_FCR, 0x00);
	outb(COM1 + REG_MCR, 0x03);   /* DTR, RTS */
}

void
serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
		pause();
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void
serial_write(const char *s, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++)
		serial_putc(s[i]);
}

static void
serial_irq(void)
{
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY) {
		char c = (char)inb(COM1 + REG_DATA);
		if (receiver)
			receiver(c);
	}
}

/* Calls rx(c), in interrupt context, for every character typed. */
void
serial_set_receiver(void (*rx)(char c))
{
	receiver = rx;
	irq_register(IRQ_COM1, serial_irq);
	outb(COM1 + REG_MCR, 0x0b);        /* DTR, RTS, OUT2: OUT2 gates the IRQ line */
	outb(COM1 + REG_IER, IER_RX);
}
