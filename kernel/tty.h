/*
 * kernel/tty.h - the console as a file: what fds 0, 1 and 2 of init are.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel/fs/file.h"

void tty_init(void);
struct file *tty_open(void);

#endif
