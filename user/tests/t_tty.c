/*
 * t_tty - the terminal's line discipline, driven by a person at the
 * keyboard: termios settings (tcgetattr/tcsetattr: ICANON, ECHO, ISIG,
 * VMIN, VTIME) and what read() returns under each, as termios(3) says.
 *
 * Standard input must be a terminal. The program prints "type: WHAT" and
 * reads; tests/run types the answer when it sees the prompt (on pagoda
 * into the console, on the host into a pseudo-terminal made by script(1)),
 * so the same binary checks pagoda against Linux. What is typed:
 *
 *   line    "hello world\n"       canonical: one whole line
 *   erase   "abX<DEL>c\n"          canonical: DEL erased the X
 *   secret  "s3cr3t\n"             ECHO off: read, but never shown
 *   raw     "xyz"                  ICANON off, VMIN 3: no Enter needed
 *   gap     "pq"                   VMIN 10, VTIME 5: the pause ends the read
 *   ctrl-c  Ctrl-C                 ISIG off: just a byte (3)
 *   intr    Ctrl-C                 ISIG on: SIGINT, the read is interrupted
 *
 * tests/run also checks that the secret never appeared on the screen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>

#include "check.h"

static struct termios original;

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The terminal as it started, with lflag bits cleared and VMIN/VTIME set. */
static int
set_mode(tcflag_t clear_lflag, int vmin, int vtime)
{
	struct termios t = original;

	t.c_lflag &= ~clear_lflag;
	t.c_cc[VMIN] = (cc_t)vmin;
	t.c_cc[VTIME] = (cc_t)vtime;
	return tcsetattr(0, TCSANOW, &t);
}

/* Asks for input and reads once into buf (NUL-terminated); returns read()'s result. */
static long
prompt_and_read(const char *what, char *buf, size_t size)
{
	long n;

	say("type: %s\n", what);
	n = read(0, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void
check_defaults(void)
{
	struct winsize ws;

	CHECK("termios_defaults", (original.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG) &&
	      original.c_cc[VMIN] == 1 && original.c_cc[VTIME] == 0,
	      "lflag %#x, VMIN %d, VTIME %d", original.c_lflag, original.c_cc[VMIN], original.c_cc[VTIME]);
	CHECK("winsize_ioctl", ioctl(0, TIOCGWINSZ, &ws) == 0, "TIOCGWINSZ: %s", strerror(errno));
}

static void
check_set_reads_back(void)
{
	struct termios now;
	int err = set_mode(ECHO, 1, 0);

	tcgetattr(0, &now);
	CHECK("tcsetattr_reads_back", err == 0 && !(now.c_lflag & ECHO) && (now.c_lflag & ICANON),
	      "tcsetattr %d, lflag now %#x", err, now.c_lflag);
	tcsetattr(0, TCSANOW, &original);
}

static void
check_canonical(void)
{
	char buf[64];
	long n = prompt_and_read("line", buf, sizeof(buf));

	CHECK("canonical_reads_one_line", n == 12 && strcmp(buf, "hello world\n") == 0,
	      "read %ld: \"%s\"", n, buf);
	n = prompt_and_read("erase", buf, sizeof(buf));
	CHECK("canonical_erase", n == 4 && strcmp(buf, "abc\n") == 0, "read %ld: \"%s\"", n, buf);
	set_mode(ECHO, 1, 0);
	n = prompt_and_read("secret", buf, sizeof(buf));
	tcsetattr(0, TCSANOW, &original);
	CHECK("echo_off_still_reads", n == 7 && strncmp(buf, "s3cr3t", 6) == 0, "read %ld", n);
}

static void
check_raw_timing(void)
{
	char buf[16];
	long start, n;

	set_mode(ICANON | ECHO, 0, 0);
	n = read(0, buf, sizeof(buf));
	CHECK("raw_vmin0_vtime0_returns_what_is_there", n == 0, "read %ld (nothing was typed)", n);
	set_mode(ICANON | ECHO, 0, 3);
	start = now_ms();
	n = read(0, buf, sizeof(buf));
	CHECK("raw_vtime_waits_then_returns_0", n == 0 && now_ms() - start >= 250,
	      "read %ld after %ld ms (VTIME 3: 300 ms)", n, now_ms() - start);
	tcsetattr(0, TCSANOW, &original);
}

static void
check_raw_input(void)
{
	char buf[32];
	long n;

	set_mode(ICANON | ECHO, 3, 0);     /* no echo: the result line must start its line */
	n = prompt_and_read("raw", buf, sizeof(buf));
	CHECK("raw_vmin3_reads_without_enter", n == 3 && strcmp(buf, "xyz") == 0,
	      "read %ld: \"%s\"", n, buf);
	set_mode(ICANON | ECHO, 10, 5);
	n = prompt_and_read("gap", buf, sizeof(buf));
	CHECK("raw_vtime_gap_ends_the_read", n == 2 && strcmp(buf, "pq") == 0,
	      "read %ld: \"%s\" (VMIN 10, VTIME 5)", n, buf);
	set_mode(ICANON | ECHO | ISIG, 1, 0);
	n = prompt_and_read("ctrl-c", buf, sizeof(buf));
	CHECK("isig_off_ctrl_c_is_a_byte", n == 1 && buf[0] == 3, "read %ld, first byte %d", n, buf[0]);
	tcsetattr(0, TCSANOW, &original);
}

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* With ISIG, Ctrl-C is SIGINT for the foreground group: a handler runs, the read says EINTR. */
static void
check_intr(void)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	char buf[16];
	long n;

	sigaction(SIGINT, &sa, NULL);             /* no SA_RESTART */
	set_mode(ECHO, 1, 0);                     /* no "^C" before the result line */
	n = prompt_and_read("intr", buf, sizeof(buf));
	CHECK("ctrl_c_interrupts_the_read", n == -1 && errno == EINTR && interrupted,
	      "read %ld (%s), handler %s", n, n < 0 ? strerror(errno) : "-",
	      interrupted ? "ran" : "did not run");
	signal(SIGINT, SIG_DFL);
}

int
main(void)
{
	if (tcgetattr(0, &original) != 0) {
		say("not ok t_tty: standard input is not a terminal (%s)\n", strerror(errno));
		return 1;
	}
	check_defaults();
	check_set_reads_back();
	check_canonical();
	check_raw_timing();
	check_raw_input();
	check_intr();
	tcsetattr(0, TCSANOW, &original);
	say("t_tty: done\n");
	return check_exit();
}
