/*
 * kernel/tty_ioctl.c - the terminal's ioctls: its settings (termios,
 * what tcgetattr and tcsetattr use) and job control's foreground group
 * (tcgetpgrp, tcsetpgrp), with Linux's numbers and errors.
 *
 *   TCGETS, TCSETS, TCSETSW, TCSETSF   struct termios (TCSETSF also drops typed input)
 *   TIOCGPGRP, TIOCSPGRP               the foreground process group
 *   TIOCGSID, TIOCSCTTY                its session; become it (a session leader)
 *   TIOCGWINSZ                         80 x 25
 *
 * A process of a background group that changes the settings or the
 * foreground group gets SIGTTOU (its group is stopped) unless it ignores
 * or blocks it, as shells do when they hand the terminal to a job.
 */
#include "kernel/errno.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/tty.h"
#include "kernel/uapi.h"
#include "mm/uaccess.h"

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGSID   0x5429

static long
set_termios(unsigned long arg, bool flush)
{
	struct termios_k t;
	long err;

	if (copy_from_user(&t, (const void *)arg, sizeof(t)))
		return -EFAULT;
	if ((err = tty_check_background(SIGTTOU)) != 0)
		return err;
	console_tty.termios = t;
	if (flush)
		tty_flush_input();
	return 0;
}

/* tcsetpgrp: pgid must be a group of the caller's session, which the terminal must be of. */
static long
set_foreground(unsigned long arg)
{
	int pgid;
	long err;

	if (copy_from_user(&pgid, (const void *)arg, sizeof(pgid)))
		return -EFAULT;
	if (!console_tty.sid || current->sid != console_tty.sid)
		return -ENOTTY;
	if (pgid <= 0)
		return -EINVAL;
	if (pgrp_session(pgid) != current->sid)
		return -EPERM;
	if ((err = tty_check_background(SIGTTOU)) != 0)
		return err;
	console_tty.fg_pgid = pgid;
	return 0;
}

static long
put_int(unsigned long arg, int v)
{
	return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
}

long
tty_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
	(void)f;
	switch (cmd) {
	case TCGETS:
		return copy_to_user((void *)arg, &console_tty.termios, sizeof(console_tty.termios)) ?
		       -EFAULT : 0;
	case TCSETS:
	case TCSETSW:                 /* output is never queued: nothing to drain */
		return set_termios(arg, false);
	case TCSETSF:
		return set_termios(arg, true);
	case TIOCGPGRP:
		if (!console_tty.sid || current->sid != console_tty.sid)
			return -ENOTTY;
		return put_int(arg, console_tty.fg_pgid);
	case TIOCSPGRP:
		return set_foreground(arg);
	case TIOCGSID:
		if (!console_tty.sid || current->sid != console_tty.sid)
			return -ENOTTY;
		return put_int(arg, console_tty.sid);
	case TIOCSCTTY:
		if (current->sid != current->leader->pid)
			return -EPERM;                /* only a session leader */
		tty_set_session(current->sid, current->pgid);
		return 0;
	case TIOCGWINSZ: {
		struct winsize ws = { .ws_row = 25, .ws_col = 80 };
		return copy_to_user_ptr(arg, &ws, sizeof(ws));
	}
	default:
		return -ENOTTY;
	}
}
