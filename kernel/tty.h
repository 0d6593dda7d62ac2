/*
 * kernel/tty.h - the console as a terminal: what fds 0, 1 and 2 of init
 * are. kernel/tty.c is its line discipline, kernel/tty_ioctl.c its
 * termios and job-control ioctls.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel/fs/file.h"

/* struct termios as the kernel's TCGETS/TCSETS carry it (Linux x86-64: 36 bytes). */
#define NCCS 19
struct termios_k {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line;
	uint8_t cc[NCCS];
};

/* c_lflag, c_iflag, c_oflag, c_cflag bits and c_cc indexes, Linux's values. */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000
#define ICRNL   0000400
#define OPOST   0000001
#define ONLCR   0000004
#define CS8     0000060
#define CREAD   0000200
#define B38400  0000017
#define VINTR  0
#define VQUIT  1
#define VERASE 2
#define VKILL  3
#define VEOF   4
#define VTIME  5
#define VMIN   6
#define VSUSP  10

/* The one terminal: its settings and who it belongs to. */
struct tty {
	struct termios_k termios;
	int sid;                 /* the session it is the controlling terminal of (0: none) */
	int fg_pgid;             /* its foreground process group: gets Ctrl-C, may read */
};

extern struct tty console_tty;

void tty_init(void);
struct file *tty_open(void);
void tty_set_session(int sid, int pgid);
long tty_ioctl(struct file *f, unsigned long cmd, unsigned long arg);
void tty_flush_input(void);
long tty_check_background(int sig);

#endif
