/*
 * kernel/vsprintf.h - printf-style formatting into a buffer.
 */
#ifndef KERNEL_VSPRINTF_H
#define KERNEL_VSPRINTF_H

#include "kernel/types.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
