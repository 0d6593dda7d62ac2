/*
 * tinysh - pagoda's small shell, enough to drive pagoda by hand or from a script.
 *
 *   tinysh          reads commands from stdin, printing "$ " before each
 *   tinysh -c "LINE" runs LINE and exits with its status
 *
 * A line is split into words at spaces and tabs; double quotes group words
 * ("a b" is one word) and ';' separates commands. Builtins: exit [N], help,
 * echo WORDS, sleep SECONDS, wait (for every background program). Any
 * other first word is a program: a name without '/' is looked up in /bin
 * (or in $PAGODA_BIN if set, so the host tests can point it at a build
 * directory), then run with fork + execve + wait4.
 *
 * After a program, the shell prints nothing if it exited 0, "[exit N]" if
 * it exited N, "[killed by signal N (SIGNAME)]" if a signal killed it; with
 * -c only the signal line. Its status is then N, or 128+N for a signal.
 * A command ending in a lone '&' runs in the background: the shell prints
 * "[PID]" and goes on, and before each prompt says "[PID done]" (or the
 * exit/signal words) for background programs that ended. That is what
 * watching memory needs: "memhog 48M 20 &", then "free" while it runs.
 * On a terminal the shell does job control (user/lib/jobctl.h): Ctrl-C
 * interrupts the program in the foreground and Ctrl-Z stops it, not the
 * shell; "jobs" lists the stopped and background ones, "fg [%N]" and
 * "bg [%N]" continue one, "kill [-N] %N" signals one.
 * "> FILE" (two words, anywhere after the command) sends the command's
 * output to FILE, which is what setting a /proc knob needs:
 * "echo 5 > /proc/fault-injection/failslab/probability".
 * At end of input it exits with the last status. There is no other job
 * control, no pipes and no other redirection.
 *
 * stdin is read one byte per read(2), like real shells do on pipes, so a
 * program it starts reads the input that follows its command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jobctl.h"
#include "sig.h"

#define MAX_LINE 1024
#define MAX_WORDS 64
#define MIN(a, b) ((a) < (b) ? (a) : (b))

extern char **environ;

static int last_status;
static int interactive; /* reading stdin (not -c): report "[exit N]" too */

/* Where programs named without a '/' live. */
static const char *
bin_dir(void)
{
	const char *dir = getenv("PAGODA_BIN");

	return dir && *dir ? dir : "/bin";
}

/*
 * Reads one line from stdin into buf, without its newline. Returns 0, or -1
 * at end of input with nothing read. A too-long line is cut short.
 */
static int
read_line(char *buf, size_t len)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (n == 0)
				return -1;
			break;
		}
		if (c == '\n')
			break;
		if (n + 1 < len)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/*
 * Splits the command starting at *line into words, in place. Stops after
 * a ';' (outside quotes) and leaves *line after it, or at the end of the
 * string, leaving *line NULL. Returns the number of words; argv is NULL
 * terminated.
 */
static int
split(char **line, char **argv)
{
	char *in = *line, *out = *line;
	int argc = 0;

	*line = NULL;
	for (;;) {
		while (*in == ' ' || *in == '\t')
			in++;
		if (*in == '\0')
			break;
		if (*in == ';') {
			*line = in + 1;
			break;
		}
		/* One word: copy it down over itself, dropping the quotes. */
		char *word = out;
		int quoted = 0;
		while (*in && (quoted || (*in != ' ' && *in != '\t' && *in != ';'))) {
			if (*in == '"')
				quoted = !quoted;
			else
				*out++ = *in;
			in++;
		}
		int at_end = *in == '\0', at_semicolon = *in == ';';
		*out++ = '\0';	/* may overwrite the separator: we looked at it */
		if (argc < MAX_WORDS - 1)
			argv[argc++] = word;
		if (at_end)
			break;
		if (at_semicolon) {
			*line = in + 1;
			break;
		}
		in++;
	}
	argv[argc] = NULL;
	return argc;
}

/* Says how a program ended ("" for exit 0) and returns the shell's status for it. */
static int
report_status(int status, char *words, size_t len)
{
	words[0] = '\0';
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		snprintf(words, len, "killed by signal %d (%s)", sig, sig_name(sig));
		return 128 + sig;
	}
	if (WEXITSTATUS(status) != 0)
		snprintf(words, len, "exit %d", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

/*
 * Reports background programs as they end: those that have ended already
 * (flags WNOHANG: before a prompt), or all of them, waiting (flags 0: the
 * wait builtin, which as POSIX's wait without operands returns 0).
 */
static int
reap_background(int flags)
{
	int status;
	pid_t pid;
	char words[64];

	fflush(stdout);
	while ((pid = wait4(-1, &status, flags, NULL)) > 0 || (pid < 0 && errno == EINTR)) {
		if (pid < 0)
			continue;
		report_status(status, words, sizeof(words));
		printf("[%d %s]\n", (int)pid, words[0] ? words : "done");
		job_remove(pid);
	}
	return 0;
}

static int report_foreground(int status);

/*
 * Runs a program; waits for it unless background. Returns its status for
 * the shell (0 for a background start).
 */
static int
run_program(char **argv, int background)
{
	char path[512];
	int status;

	if (strchr(argv[0], '/'))
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		snprintf(path, sizeof(path), "%s/%s", bin_dir(), argv[0]);

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "tinysh: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		job_child(!background);
		execve(path, argv, environ);
		/* As POSIX shells do: 127 "not found", 126 "found, cannot run". */
		int code = errno == ENOENT ? 127 : 126;
		fprintf(stderr, "tinysh: %s: %s\n", path, strerror(errno));
		_exit(code);
	}
	job_parent(pid, !background);
	if (background) {
		job_add(pid, argv[0], false);
		printf("[%d]\n", (int)pid);
		return 0;
	}
	status = wait_foreground(pid, argv[0]);
	return report_foreground(status);
}

/* Reports how a foreground program ended, as the shell does; returns its status for the shell. */
static int
report_foreground(int status)
{
	char words[64];

	if (WIFSTOPPED(status))
		return 128 + WSTOPSIG(status);     /* wait_foreground() said "Stopped" */
	int code = report_status(status, words, sizeof(words));
	if (WIFSIGNALED(status) || (words[0] && interactive))
		printf("[%s]\n", words);
	return code;
}

/* The sleep builtin: SECONDS may have a fraction ("0.5"). */
static int
sleep_seconds(const char *arg)
{
	double secs = arg ? strtod(arg, NULL) : 0;
	struct timespec t = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

	if (!arg || secs < 0) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 1;
	}
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
	return 0;
}

/*
 * The echo builtin: its words in one write(2), so that a file that
 * refuses them (a /proc knob given a bad value) is reported.
 */
static int
echo(int argc, char **argv)
{
	char line[MAX_LINE];
	size_t n = 0;

	for (int i = 1; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", argv[i], i + 1 < argc ? " " : "");
	n = MIN(n, sizeof(line) - 1);
	line[n++] = '\n';
	fflush(stdout);
	if (write(1, line, n) != (ssize_t)n) {
		fprintf(stderr, "tinysh: echo: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* Runs one command (builtin or program). Returns its status. */
static int
run_command(int argc, char **argv)
{
	if (strcmp(argv[0], "exit") == 0) {
		fflush(stdout);
		exit(argc > 1 ? atoi(argv[1]) : last_status);
	}
	if (strcmp(argv[0], "echo") == 0) {
		return echo(argc, argv);
	}
	if (strcmp(argv[0], "help") == 0) {
		printf("builtins: exit [N], help, echo WORDS, sleep SECONDS, wait, jobs, fg [%%N], bg [%%N],\n"
		       "kill [-N] %%N|PID; Ctrl-C interrupts the program, Ctrl-Z stops it\n"
		       "anything else runs a program from %s; \"quotes\" group words,\n"
		       "';' separates commands, a final & runs it in the background,\n"
		       "> FILE sends its output to FILE\n", bin_dir());
		return 0;
	}
	if (strcmp(argv[0], "sleep") == 0)
		return sleep_seconds(argv[1]);
	if (strcmp(argv[0], "wait") == 0)
		return reap_background(0);
	if (strcmp(argv[0], "jobs") == 0)
		return jobs_list();
	if (strcmp(argv[0], "bg") == 0)
		return job_background(argv[1]);
	if (strcmp(argv[0], "kill") == 0)
		return job_kill(argc, argv);
	if (strcmp(argv[0], "fg") == 0) {
		int status;
		return job_foreground(argv[1], &status) < 0 ? 1 : report_foreground(status);
	}
	if (argc > 1 && strcmp(argv[argc - 1], "&") == 0) {
		argv[argc - 1] = NULL;
		return run_program(argv, 1);
	}
	return run_program(argv, 0);
}

/*
 * Takes "> FILE" out of argv (*argc shrinks) and points stdout at FILE.
 * Returns the saved stdout to give back to restore_output(), -1 when there
 * was no redirection, or -2 (after a message) when FILE cannot be opened.
 */
static int
redirect_output(int *argc, char **argv)
{
	for (int i = 1; i + 1 < *argc; i++) {
		if (strcmp(argv[i], ">") != 0)
			continue;
		int fd = open(argv[i + 1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			fprintf(stderr, "tinysh: %s: %s\n", argv[i + 1], strerror(errno));
			return -2;
		}
		for (int j = i + 2; j <= *argc; j++)        /* argv[*argc] is NULL */
			argv[j - 2] = argv[j];
		*argc -= 2;
		fflush(stdout);
		int saved = dup(1);
		dup2(fd, 1);
		close(fd);
		return saved;
	}
	return -1;
}

static void
restore_output(int saved)
{
	if (saved < 0)
		return;
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
}

/* Runs every command of a line. Returns the last one's status. */
static int
run_line(char *line)
{
	char *argv[MAX_WORDS];

	while (line) {
		int argc = split(&line, argv), saved;
		if (argc == 0)
			continue;
		if ((saved = redirect_output(&argc, argv)) == -2) {
			last_status = 1;
			continue;
		}
		last_status = run_command(argc, argv);
		restore_output(saved);
	}
	return last_status;
}

int
main(int argc, char **argv)
{
	char line[MAX_LINE];

	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			fprintf(stderr, "usage: tinysh [-c COMMAND]\n");
			return 2;
		}
		snprintf(line, sizeof(line), "%s", argv[2]);
		int status = run_line(line);
		fflush(stdout);
		return status;
	}

	interactive = 1;
	jobs_init();
	for (;;) {
		reap_background(WNOHANG);
		printf("$ ");
		fflush(stdout);
		if (read_line(line, sizeof(line)) < 0)
			break;
		run_line(line);
	}
	fflush(stdout);
	return last_status;
}
