/*
 * kernel/printk.h - the kernel log, with Linux's log levels.
 *
 * pr_err("swap: ...") and friends prepend a level; the console shows a
 * message when its level is below the console level (loglevel=N on the
 * command line, 7 by default: everything but debug), as Linux does.
 * By convention a message starts with its subsystem: "fault: ", "swap: ".
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include "kernel/types.h"

enum log_level {
	LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR,
	LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG,
};

#define LOGLEVEL_DEFAULT 7
#define LOGLEVEL_MAX     8      /* every message, debug too */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk_level(enum log_level level, const char *fmt, va_list ap);
int printk_level(enum log_level level, const char *fmt, ...) __printf(2, 3);
void printk_set_console_level(int level);
int printk_console_level(void);

/* The kernel log (dmesg): the last LOG_BUF_SIZE bytes printed, in Linux's "<level>[time] text" lines. */
#define LOG_BUF_SIZE (64 * 1024)
uint64_t printk_log_end(void);
size_t printk_log_read(uint64_t *pos, char *dst, size_t len, bool whole_lines);

#define pr_emerg(...)  printk_level(LOG_EMERG, __VA_ARGS__)
#define pr_err(...)    printk_level(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)   printk_level(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...) printk_level(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)   printk_level(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)  printk_level(LOG_DEBUG, __VA_ARGS__)

#endif
