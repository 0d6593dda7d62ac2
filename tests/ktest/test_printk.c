/*
 * tests/ktest/test_printk.c - the kernel log (kernel/printk.c) that
 * syslog(2) and dmesg read: Linux's "<level>[seconds] text" lines, the
 * newest LOG_BUF_SIZE bytes kept when more was printed, and readers that
 * start at a whole line.
 */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define LINES 1500                     /* about 70 bytes each: more than the ring holds */
#define LAST_LINE "] ktest: printk ring line 1499 of 1500\n"

static char buf[LOG_BUF_SIZE];

KTEST(printk_log_wraps_keeping_whole_lines)
{
	uint64_t end0 = printk_log_end(), pos = 0, end;
	size_t n;

	for (int i = 0; i < LINES; i++)
		pr_debug("ktest: printk ring line %d of %d\n", i, LINES);
	end = printk_log_end();
	KT_ASSERT(end - end0 > LOG_BUF_SIZE);

	/* Everything from the start: the oldest whole line held, up to the newest. */
	n = printk_log_read(&pos, buf, sizeof(buf), true);
	KT_ASSERT_EQ(pos, end);
	KT_ASSERT(n > 0 && n < LOG_BUF_SIZE);
	KT_ASSERT(buf[0] == '<' && buf[n - 1] == '\n');
	KT_ASSERT(strncmp(buf, "<7>[", 4) == 0);
	KT_ASSERT(n > strlen(LAST_LINE) && memcmp(buf + n - strlen(LAST_LINE), LAST_LINE, strlen(LAST_LINE)) == 0);

	/* From the middle of a line: the next line. */
	pos = end - 100;
	n = printk_log_read(&pos, buf, sizeof(buf), true);
	KT_ASSERT(n > 0 && n < 100 && buf[0] == '<');

	/* Byte by byte (SYSLOG_ACTION_READ): from the oldest byte held, at most len. */
	pos = 0;
	n = printk_log_read(&pos, buf, 10, false);
	KT_ASSERT_EQ(n, 10);
	KT_ASSERT_EQ(pos, end - LOG_BUF_SIZE + 10);
}
