/*
 * kernel/printk.c - formats log messages and sends them to the consoles.
 *
 * Every message goes to COM1 (the console tests read) and to the VGA
 * mirror. Messages are formatted into a buffer on the stack first, so a
 * message is written whole. printk() without a level logs at LOG_INFO.
 */
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "drivers/serial.h"
#include "drivers/vga.h"

#define PRINTK_BUF 512

static int console_level = LOGLEVEL_DEFAULT;

void
printk_set_console_level(int level)
{
	if (level >= 0 && level <= LOGLEVEL_MAX)
		console_level = level;
}

static void
console_write(const char *s, unsigned long len)
{
	serial_write(s, len);
	vga_write(s, len);
}

int
vprintk_level(enum log_level level, const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	int n;

	if ((int)level >= console_level)
		return 0;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	console_write(buf, n < (int)sizeof(buf) ? (unsigned long)n : sizeof(buf) - 1);
	return n;
}

int
printk_level(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_level(level, fmt, ap);
	va_end(ap);
	return n;
}

int
printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_level(LOG_INFO, fmt, ap);
	va_end(ap);
	return n;
}
