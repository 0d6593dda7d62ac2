/*
 * kernel/sys_syslog.c - syslog(2), Linux's klogctl: reading the kernel log
 * (kernel/printk.c keeps it) for dmesg, and setting the console level.
 *
 * Two positions in the log belong to this call, as in Linux:
 *   read_pos   where SYSLOG_ACTION_READ goes on (it consumes what it reads)
 *   clear_pos  where SYSLOG_ACTION_READ_ALL starts (moved by CLEAR, READ_CLEAR)
 * READ_ALL never consumes: `dmesg` twice prints the same lines. Lines come
 * as "<level>[seconds] text"; busybox dmesg drops the "<level>" unless -r.
 *
 * Everyone is root, so no action is refused (Linux: CAP_SYSLOG, and
 * dmesg_restrict for the reading ones).
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

enum syslog_action {                 /* Linux's numbers (include/linux/syslog.h) */
	SYSLOG_ACTION_CLOSE,             /* 0: nothing */
	SYSLOG_ACTION_OPEN,              /* 1: nothing */
	SYSLOG_ACTION_READ,              /* 2: wait for unread text, read it */
	SYSLOG_ACTION_READ_ALL,          /* 3: the newest len bytes of whole lines */
	SYSLOG_ACTION_READ_CLEAR,        /* 4: READ_ALL, then CLEAR */
	SYSLOG_ACTION_CLEAR,             /* 5: READ_ALL starts from now on */
	SYSLOG_ACTION_CONSOLE_OFF,       /* 6: only emergencies on the console */
	SYSLOG_ACTION_CONSOLE_ON,        /* 7: the level before CONSOLE_OFF again */
	SYSLOG_ACTION_CONSOLE_LEVEL,     /* 8: console level = len (1..8) */
	SYSLOG_ACTION_SIZE_UNREAD,       /* 9: bytes READ would return */
	SYSLOG_ACTION_SIZE_BUFFER,       /* 10: the log's size */
};

#define CONSOLE_LEVEL_MIN 1          /* Linux's minimum_console_loglevel: emergencies still show */

static uint64_t read_pos;
static uint64_t clear_pos;
static int saved_console_level = -1; /* CONSOLE_OFF's, for CONSOLE_ON; -1: none saved */

/* Copies up to len bytes from *pos on to ubuf, through a kernel buffer. Returns bytes, -ENOMEM, -EFAULT. */
static long
copy_log(uint64_t *pos, char *ubuf, size_t len, bool whole_lines)
{
	size_t n;
	long ret;
	char *kbuf;

	len = MIN(len, (size_t)LOG_BUF_SIZE);
	if ((kbuf = kmalloc(len)) == NULL)
		return -ENOMEM;
	n = printk_log_read(pos, kbuf, len, whole_lines);
	ret = copy_to_user(ubuf, kbuf, n) ? -EFAULT : (long)n;
	kfree(kbuf);
	return ret;
}

/* SYSLOG_ACTION_READ: sleeps (a tick at a time) until there is unread text, or -EINTR. */
static long
read_unread(char *ubuf, size_t len)
{
	while (read_pos >= printk_log_end()) {
		if (signal_pending(current))
			return -EINTR;
		sched_sleep_until(jiffies + 1);
	}
	return copy_log(&read_pos, ubuf, len, false);
}

/* SYSLOG_ACTION_READ_ALL: the newest whole lines that fit in len, from clear_pos on. */
static long
read_all(char *ubuf, size_t len)
{
	uint64_t end = printk_log_end();
	uint64_t from = end > len ? end - len : 0;

	if (from < clear_pos)
		from = clear_pos;
	return copy_log(&from, ubuf, len, true);
}

static long
set_console_level(int level)
{
	if (level < 1 || level > LOGLEVEL_MAX)
		return -EINVAL;
	printk_set_console_level(level < CONSOLE_LEVEL_MIN ? CONSOLE_LEVEL_MIN : level);
	saved_console_level = -1;
	return 0;
}

/* The reading actions' checks, Linux's order: -EINVAL for no buffer or len < 0, then -EFAULT. */
static long
check_buffer(const char *ubuf, int len)
{
	if (!ubuf || len < 0)
		return -EINVAL;
	return access_ok((vaddr_t)ubuf, (size_t)len) ? 0 : -EFAULT;
}

/*
 * syslog(type, buf, len): see the action list above. Returns bytes read
 * (the READs), a size (SIZE_*), or 0; -EINVAL for an unknown type.
 */
long
sys_syslog(int type, char *ubuf, int len)
{
	long err, n;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
		if ((err = check_buffer(ubuf, len)) != 0 || len == 0)
			return err;
		return read_unread(ubuf, (size_t)len);
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if ((err = check_buffer(ubuf, len)) != 0 || len == 0)
			return err;
		n = read_all(ubuf, (size_t)len);
		if (n >= 0 && type == SYSLOG_ACTION_READ_CLEAR)
			clear_pos = printk_log_end();
		return n;
	case SYSLOG_ACTION_CLEAR:
		clear_pos = printk_log_end();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_level < 0)
			saved_console_level = printk_console_level();
		printk_set_console_level(CONSOLE_LEVEL_MIN);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_level >= 0)
			printk_set_console_level(saved_console_level);
		saved_console_level = -1;
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return set_console_level(len);
	case SYSLOG_ACTION_SIZE_UNREAD: {
		uint64_t end = printk_log_end();
		uint64_t from = end > LOG_BUF_SIZE && read_pos < end - LOG_BUF_SIZE ? end - LOG_BUF_SIZE : read_pos;
		return (long)(end - from);
	}
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_SIZE;
	default:
		return -EINVAL;
	}
}
