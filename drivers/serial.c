/*
 * drivers/serial.c - 16550 UARTs: COM1 (I/O port 0x3f8), the console, and
 * COM2 (0x2f8), an output-only data channel (memory snapshots, mm/memsnapd.c).
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
#define COM2         0x2f8
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
#define REG_SCRATCH  7
#define FCR_FIFO_ON  0x07   /* enable the FIFOs, empty both */
#define FIFO_SIZE    16     /* bytes the 16550's transmit FIFO holds */

static void (*receiver)(char c);

static bool com2_present;

/* 115200 baud (divisor 1), 8 data bits, no parity, one stop bit. */
static void
uart_init(uint16_t port)
{
	outb(port + REG_IER, 0x00);
	outb(port + REG_LCR, LCR_DLAB);
	outb(port + REG_DATA, 1);
	outb(port + REG_IER, 0);
	outb(port + REG_LCR, LCR_8N1);
	/* FIFOs stay off: turning them on empties them, losing what was typed
	 * during boot; QEMU holds further input until we read. */
	outb(port + REG_FCR, 0x00);
	outb(port + REG_MCR, 0x03);   /* DTR, RTS */
}

static void
uart_putc(uint16_t port, char c)
{
	while (!(inb(port + REG_LSR) & LSR_THR_EMPTY))
		pause();
	outb(port + REG_DATA, (uint8_t)c);
}

void
serial_init(void)
{
	uart_init(COM1);
}

void
serial_putc(char c)
{
	if (c == '\n')
		uart_putc(COM1, '\r');
	uart_putc(COM1, c);
}

/*
 * Sets up COM2 if the machine has one: a UART keeps what is written to
 * its scratch register, where no device reads back 0xff. Returns whether
 * it is there (QEMU has it when given a second -serial).
 */
bool
serial_aux_init(void)
{
	outb(COM2 + REG_SCRATCH, 0x5a);
	com2_present = inb(COM2 + REG_SCRATCH) == 0x5a;
	if (com2_present) {
		uart_init(COM2);
		outb(COM2 + REG_FCR, FCR_FIFO_ON);   /* output only: nothing to lose */
	}
	return com2_present;
}

/*
 * Writes len bytes to COM2 as they are (no \r added); nothing without a
 * COM2. With its FIFO on, "transmit holding register empty" means the
 * whole FIFO is: 16 bytes go for one look at the status register, which
 * halves the port accesses (each one costs QEMU about half a microsecond).
 */
void
serial_aux_write(const char *s, unsigned long len)
{
	for (unsigned long i = 0; com2_present && i < len; i++) {
		if (i % FIFO_SIZE == 0)
			while (!(inb(COM2 + REG_LSR) & LSR_THR_EMPTY))
				pause();
		outb(COM2 + REG_DATA, (uint8_t)s[i]);
	}
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
