/*
 * kernel/tty.c - the console: COM1 (and the VGA mirror) as a terminal.
 *
 * Output goes straight to the console. Input is line-buffered the way a
 * Unix terminal in canonical mode does it: characters are echoed as they
 * arrive (QEMU puts the host terminal in raw mode, so nobody else echoes),
 * Backspace erases, and read() returns only once Enter completes a line.
 * Ctrl-D on an empty line is end of file; Ctrl-U erases the line.
 *
 *   serial IRQ --> tty_input() --> line[] --(Enter)--> ready[] --> read()
 *
 * ioctl(TIOCGWINSZ) answers 80x25, so that C libraries see a terminal and
 * line-buffer their output.
 */
#include "kernel/tty.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/uapi.h"
#include "kernel/wait.h"
#include "kernel/x86.h"

#define TTY_BUF 1024
#define CTRL(c) ((c) & 0x1f)

static char line[TTY_BUF];          /* being typed */
static size_t line_len;
static char ready[TTY_BUF];         /* complete lines, waiting for read() */
static size_t ready_len;
static int eof_pending;
static struct wait_queue readers = WAIT_QUEUE_INIT(readers);

static void
echo(const char *s, size_t n)
{
	serial_write(s, n);
	vga_write(s, n);
}

/* Moves the typed line to the ready buffer and wakes readers. */
static void
finish_line(void)
{
	size_t n = MIN(line_len, TTY_BUF - ready_len);

	memcpy(ready + ready_len, line, n);
	ready_len += n;
	line_len = 0;
	wait_wake_all(&readers);
}

/* Interrupt context: one character from the keyboard (serial line). */
static void
tty_input(char c)
{
	if (c == '\r')
		c = '\n';
	if (c == 0x7f || c == '\b') {
		if (line_len > 0) {
			line_len--;
			echo("\b \b", 3);
		}
	} else if (c == CTRL('U')) {
		while (line_len > 0) {
			line_len--;
			echo("\b \b", 3);
		}
	} else if (c == CTRL('D')) {
		if (line_len == 0)
			eof_pending++;
		finish_line();
	} else if (line_len < TTY_BUF - 1) {
		line[line_len++] = c;
		echo(&c, 1);
		if (c == '\n')
			finish_line();
	}
}

static long
tty_read(struct file *f, void *buf, size_t len)
{
	uint64_t flags = irq_save();
	size_t n;

	while (ready_len == 0 && !eof_pending) {
		if (signal_pending(current)) {
			irq_restore(flags);
			return -ERESTARTSYS;
		}
		wait_sleep(&readers);
	}
	if (ready_len == 0) {              /* Ctrl-D on an empty line */
		eof_pending--;
		irq_restore(flags);
		return 0;
	}
	/* One line at most, as a terminal in canonical mode does. */
	n = 0;
	while (n < len && n < ready_len && (n == 0 || ready[n - 1] != '\n'))
		n++;
	memcpy(buf, ready, n);
	memmove(ready, ready + n, ready_len - n);
	ready_len -= n;
	irq_restore(flags);
	return (long)n;
}

static long
tty_write(struct file *f, const void *buf, size_t len)
{
	echo(buf, len);
	return (long)len;
}

static long
tty_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
	if (cmd == TIOCGWINSZ) {
		struct winsize ws = { .ws_row = 25, .ws_col = 80 };
		return copy_to_user_ptr(arg, &ws, sizeof(ws));
	}
	return -ENOTTY;
}

static const struct file_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
};

void
tty_init(void)
{
	serial_set_receiver(tty_input);
}

/* A new open file on the console, or NULL. */
struct file *
tty_open(void)
{
	return file_alloc(&tty_ops, O_RDWR, S_IFCHR | 0620);
}
