/*
 * drivers/serial.c - 16550 UART on COM1 (I/O port 0x3f8), output only.
 *
 * The serial line is the kernel's console: QEMU's -nographic puts it on
 * the terminal, and the test runner reads it from a file. Output polls
 * the Line Status Register's "transmit holding register empty" bit, so it
 * works with interrupts off, in a trap handler and in panic().
 * Registers: National Semiconductor PC16550D datasheet, table 2.
 */
#include "drivers/serial.h"
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

/* 115200 baud (divisor 1), 8 data bits, no parity, one stop bit, FIFOs on. */
void
serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, 1);
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0xc7);   /* enable and clear FIFOs, 14-byte threshold */
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
