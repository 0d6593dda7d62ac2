/*
 * kernel/printk.c - formats log messages and sends them to the consoles.
 *
 * Every message goes to COM1 (the console tests read) and to the VGA
 * mirror. Messages are formatted into a buffer on the stack first, so a
 * message is written whole. printk() without a level logs at LOG_INFO.
 *
 * Every message, shown on the console or not, is also kept in the kernel
 * log: a ring of the last LOG_BUF_SIZE bytes, which syslog(2) reads
 * (kernel/sys_syslog.c, for dmesg). Each line is kept in the form Linux's
 * syslog(2) gives it, level and seconds since boot first:
 *
 *     <6>[    0.052301] timer: PIT at 100 Hz; TSC 2893 MHz
 *
 * A position in the log counts the bytes ever logged, so a reader can
 * tell how much was overwritten since it last looked.
 */
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "drivers/vga.h"
#include "kernel/string.h"
#include "kernel/x86.h"

#define PRINTK_BUF 512

static int console_level = LOGLEVEL_DEFAULT;

static char log_buf[LOG_BUF_SIZE];
static uint64_t log_end;            /* bytes ever logged: the ring holds the last LOG_BUF_SIZE */
static bool log_mid_line;           /* the last message did not end its line */

int
printk_console_level(void)
{
	return console_level;
}

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

static void
log_put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_buf[log_end++ % LOG_BUF_SIZE] = s[i];
}

/* Appends a message to the log, with "<level>[seconds] " before each line it starts. */
static void
log_store(enum log_level level, const char *text, size_t len)
{
	uint64_t us = timer_uptime_ns() / 1000;
	char prefix[40];
	int plen = snprintf(prefix, sizeof(prefix), "<%d>[%5lu.%06lu] ", (int)level,
			    us / 1000000, us % 1000000);
	uint64_t flags = irq_save();         /* interrupt handlers print too */

	for (size_t i = 0; i < len; i++) {
		if (!log_mid_line)
			log_put(prefix, (size_t)plen);
		log_put(&text[i], 1);
		log_mid_line = text[i] != '\n';
	}
	irq_restore(flags);
}

/* The log's end: how many bytes were ever logged. */
uint64_t
printk_log_end(void)
{
	return log_end;
}

/*
 * Copies up to len bytes of the log from position *pos on into dst and
 * moves *pos past them; returns how many. A position already overwritten
 * moves up to the oldest byte held. With whole_lines, a position in the
 * middle of a line moves to the start of the next. Interrupts may be on.
 */
size_t
printk_log_read(uint64_t *pos, char *dst, size_t len, bool whole_lines)
{
	uint64_t flags = irq_save();
	uint64_t start = log_end > LOG_BUF_SIZE ? log_end - LOG_BUF_SIZE : 0;
	size_t n = 0;

	if (*pos < start)
		*pos = start;
	/* A line starts after a '\n', or at 0; the oldest byte held may be mid-line. */
	if (whole_lines && *pos > 0)
		while (*pos < log_end && (*pos == start || log_buf[(*pos - 1) % LOG_BUF_SIZE] != '\n'))
			(*pos)++;
	for (; n < len && *pos < log_end; n++)
		dst[n] = log_buf[(*pos)++ % LOG_BUF_SIZE];
	irq_restore(flags);
	return n;
}

int
vprintk_level(enum log_level level, const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	unsigned long len = n < (int)sizeof(buf) ? (unsigned long)n : sizeof(buf) - 1;

	log_store(level, buf, len);
	if ((int)level >= console_level)
		return 0;
	console_write(buf, len);
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
