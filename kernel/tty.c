/*
 * kernel/tty.c - the console: COM1 (and the VGA mirror) as a terminal,
 * with a line discipline as a Unix terminal has one (termios(3)).
 *
 * Output goes straight to the console. Input, in canonical mode (ICANON,
 * the default), is line-buffered: characters are echoed as they arrive
 * (ECHO; QEMU puts the host terminal in raw mode, so nobody else echoes),
 * Backspace erases, Ctrl-U erases the line, and read() returns only once
 * Enter completes a line; Ctrl-D on an empty line is end of file. Without
 * ICANON every character is ready at once (an editor's raw mode), and
 * VMIN and VTIME say when a read returns (read_may_return()).
 *
 *   serial IRQ --> tty_input() --> line[] --(Enter)--> ready[] --> read()
 *
 * Job control (ISIG): Ctrl-C sends SIGINT, Ctrl-\ SIGQUIT and Ctrl-Z
 * SIGTSTP to the foreground process group, and drops the typed input.
 * Only the foreground group may read: a process of a background group of
 * the terminal's session that reads gets SIGTTIN (its group stops), or EIO
 * if it ignores or blocks it. The settings and the foreground group are
 * kernel/tty_ioctl.c's. The terminal starts as init's: session 1.
 */
#include "kernel/tty.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "drivers/vga.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"
#include "kernel/wait.h"
#include "kernel/x86.h"

#define TTY_BUF 1024
#define CTRL(c) ((c) & 0x1f)

struct tty console_tty = {
	.termios = {
		.iflag = ICRNL, .oflag = OPOST | ONLCR, .cflag = B38400 | CS8 | CREAD,
		.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
		.cc = { [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f, [VKILL] = CTRL('U'),
			[VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1, [VSUSP] = CTRL('Z') },
	},
};

static char line[TTY_BUF];          /* being typed */
static size_t line_len;
static char ready[TTY_BUF];         /* complete lines, waiting for read() */
static size_t ready_len;
static int eof_pending;
static uint64_t last_input;         /* timer_uptime_ns(): when the last character became ready (VTIME) */
static struct wait_queue readers = WAIT_QUEUE_INIT(readers);

/*
 * Echoes typed while a write() is on the screen wait for its end, so that
 * they never split its text (Linux's n_tty writes both under one output
 * lock). The serial interrupt echoes; a write runs with interrupts on.
 */
static bool writing;
static char echo_held[TTY_BUF];
static size_t echo_held_len;

static void
show(const char *s, size_t n)
{
	serial_write(s, n);
	vga_write(s, n);
}

static void
echo(const char *s, size_t n)
{
	if (!(console_tty.termios.lflag & ECHO))
		return;
	if (writing && echo_held_len + n <= sizeof(echo_held)) {
		memcpy(echo_held + echo_held_len, s, n);
		echo_held_len += n;
	} else {
		show(s, n);
	}
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

/* Drops everything typed and not yet read (TCSETSF, and a signal key). */
void
tty_flush_input(void)
{
	uint64_t flags = irq_save();

	line_len = ready_len = 0;
	eof_pending = 0;
	irq_restore(flags);
}

/* Ctrl-C, Ctrl-\, Ctrl-Z (ISIG): the signal for the foreground group, or 0 for another key. */
static int
signal_key(char c)
{
	const uint8_t *cc = console_tty.termios.cc;

	if (!(console_tty.termios.lflag & ISIG) || c == 0)
		return 0;
	return c == cc[VINTR] ? SIGINT : c == cc[VQUIT] ? SIGQUIT : c == cc[VSUSP] ? SIGTSTP : 0;
}

/* Canonical mode: line editing, and Enter or Ctrl-D hands the line over. */
static void
edit_line(char c)
{
	const uint8_t *cc = console_tty.termios.cc;

	if ((uint8_t)c == cc[VERASE] || c == '\b') {
		if (line_len > 0) {
			line_len--;
			echo("\b \b", 3);
		}
	} else if ((uint8_t)c == cc[VKILL]) {
		while (line_len > 0) {
			line_len--;
			echo("\b \b", 3);
		}
	} else if ((uint8_t)c == cc[VEOF]) {
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

/* Interrupt context: one character from the keyboard (serial line). */
static void
tty_input(char c)
{
	int sig;

	if (c == '\r' && (console_tty.termios.iflag & ICRNL))
		c = '\n';
	if ((sig = signal_key(c)) != 0) {
		struct ksiginfo info = { .code = SI_KERNEL };
		char shown[4] = { '^', (char)(c + '@'), '\n', 0 };
		echo(shown, 3);
		line_len = ready_len = 0;
		if (console_tty.fg_pgid)
			pgrp_signal(console_tty.fg_pgid, sig, &info);
		wait_wake_all(&readers);
		return;
	}
	if (console_tty.termios.lflag & ICANON) {
		edit_line(c);
	} else if (ready_len < TTY_BUF) {
		ready[ready_len++] = c;
		last_input = timer_uptime_ns();
		echo(&c, 1);
		wait_wake_all(&readers);
	}
}

/*
 * Job control's check before the caller uses the terminal (Linux's
 * __tty_check_change()): 0 if it may - it is not in a background group of
 * the terminal's session. Else sig (SIGTTIN for a read, SIGTTOU for a
 * change of settings) goes to its group, which stops, and the call starts
 * again once it is continued (-ERESTARTSYS). A caller that ignores or
 * blocks sig could never be stopped: a read is EIO, a change goes ahead.
 */
long
tty_check_background(int sig)
{
	struct ksiginfo info = { .code = SI_KERNEL };

	if (!console_tty.sid || current->sid != console_tty.sid ||
	    current->pgid == console_tty.fg_pgid)
		return 0;
	if (current->sighand->action[sig].handler == SIG_IGN || (current->blocked_signals & SIGBIT(sig)))
		return sig == SIGTTIN ? -EIO : 0;
	pgrp_signal(current->pgid, sig, &info);
	return -ERESTARTSYS;
}

/* Is there something for read() to return? */
static bool
input_ready(void)
{
	if (console_tty.termios.lflag & ICANON)
		return ready_len > 0 || eof_pending;
	return ready_len >= MAX(console_tty.termios.cc[VMIN], 1) || console_tty.termios.cc[VMIN] == 0;
}

/*
 * May a read of len bytes that started at started (timer_uptime_ns())
 * return now? In canonical mode once a line is there; otherwise as VMIN
 * and VTIME say (termios(3); VTIME counts tenths of a second). Time is
 * the clock's, as nanosleep's: ticks come in bursts when the host is
 * busy, and VTIME must not end early by the clock a program reads.
 *
 *   VMIN > 0, VTIME = 0   once VMIN characters are there (len, if fewer)
 *   VMIN = 0, VTIME = 0   at once, with whatever is there
 *   VMIN = 0, VTIME > 0   at the first character, or VTIME after the start
 *   VMIN > 0, VTIME > 0   at VMIN characters, or VTIME after the last one
 */
static bool
read_may_return(size_t len, uint64_t started)
{
	const uint8_t *cc = console_tty.termios.cc;
	size_t want = MIN((size_t)cc[VMIN], len);
	uint64_t time = (uint64_t)cc[VTIME] * (NSEC_PER_SEC / 10), now = timer_uptime_ns();

	if (console_tty.termios.lflag & ICANON)
		return ready_len > 0 || eof_pending;
	if (cc[VTIME] == 0)
		return ready_len >= want;
	if (cc[VMIN] == 0)
		return ready_len > 0 || now >= started + time;
	return ready_len >= want || (ready_len > 0 && now >= MAX(last_input, started) + time);
}

static long
tty_read(struct file *f, void *buf, size_t len)
{
	uint64_t flags = irq_save(), started = timer_uptime_ns();
	size_t n;
	long err;

	while (!read_may_return(len, started)) {
		if ((err = tty_check_background(SIGTTIN)) != 0 || (err = signal_pending(current) ? -ERESTARTSYS : 0)) {
			irq_restore(flags);
			return err;
		}
		if (console_tty.termios.cc[VTIME] && !(console_tty.termios.lflag & ICANON))
			sched_sleep_until(jiffies + 1);     /* a timer runs: look again every tick */
		else
			wait_sleep(&readers);
	}
	if ((err = tty_check_background(SIGTTIN)) != 0) {
		irq_restore(flags);
		return err;
	}
	if (ready_len == 0 && eof_pending) {    /* Ctrl-D on an empty line */
		eof_pending--;
		irq_restore(flags);
		return 0;
	}
	/* Canonical: one line at most. Raw: whatever is there. */
	n = 0;
	while (n < len && n < ready_len &&
	       (!(console_tty.termios.lflag & ICANON) || n == 0 || ready[n - 1] != '\n'))
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
	uint64_t flags = irq_save();
	bool nested = writing;        /* a write from an interrupt's signal path, say */

	writing = true;
	irq_restore(flags);
	show(buf, len);
	flags = irq_save();
	if (!nested) {
		writing = false;
		show(echo_held, echo_held_len);
		echo_held_len = 0;
	}
	irq_restore(flags);
	return (long)len;
}

/* The terminal becomes session sid's, with pgid in the foreground. */
void
tty_set_session(int sid, int pgid)
{
	console_tty.sid = sid;
	console_tty.fg_pgid = pgid;
}

/* poll: readable when a read would not wait; always writable. */
static unsigned
tty_poll(struct file *f)
{
	(void)f;
	return (input_ready() ? POLLIN : 0) | POLLOUT;
}

static const struct file_ops tty_ops = {
	.poll = tty_poll,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.stream = true,
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
