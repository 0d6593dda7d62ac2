/*
 * sh - a small shell, enough to drive pagoda by hand or from a script.
 *
 *   sh              reads commands from stdin, printing "$ " before each
 *   sh -c "LINE"    runs LINE and exits with its status
 *
 * A line is split into words at spaces and tabs; double quotes group words
 * ("a b" is one word) and ';' separates commands. Builtins: exit [N], help,
 * echo WORDS. Any other first word is a program: a name without '/' is
 * looked up in /bin (or in $PAGODA_BIN if set, so the host tests can point
 * it at a build directory), then run with fork + execve + wait4.
 *
 * After a program, the shell prints nothing if it exited 0, "[exit N]" if
 * it exited N, "[killed by signal N (SIGNAME)]" if a signal killed it; with
 * -c only the signal line. Its status is then N, or 128+N for a signal.
 * At end of input it exits with the last status. There is no job control,
 * no pipes and no redirection: a teaching kernel needs none to be tested.
 *
 * stdin is read one byte per read(2), like real shells do on pipes, so a
 * program it starts reads the input that follows its command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sig.h"

#define MAX_LINE 1024
#define MAX_WORDS 64

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

/* Runs a program and waits for it. Returns its status for the shell. */
static int
run_program(char **argv)
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
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execve(path, argv, environ);
		/* As POSIX shells do: 127 "not found", 126 "found, cannot run". */
		int code = errno == ENOENT ? 127 : 126;
		fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
		_exit(code);
	}
	while (wait4(pid, &status, 0, NULL) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sh: wait4: %s\n", strerror(errno));
			return 1;
		}
	}

	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		printf("[killed by signal %d (%s)]\n", sig, sig_name(sig));
		return 128 + sig;
	}
	if (WEXITSTATUS(status) != 0 && interactive)
		printf("[exit %d]\n", WEXITSTATUS(status));
	return WEXITSTATUS(status);
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
		for (int i = 1; i < argc; i++)
			printf("%s%s", argv[i], i + 1 < argc ? " " : "");
		printf("\n");
		return 0;
	}
	if (strcmp(argv[0], "help") == 0) {
		printf("builtins: exit [N], help, echo WORDS\n"
		       "anything else runs a program from %s; \"quotes\" group words,\n"
		       "';' separates commands\n", bin_dir());
		return 0;
	}
	return run_program(argv);
}

/* Runs every command of a line. Returns the last one's status. */
static int
run_line(char *line)
{
	char *argv[MAX_WORDS];

	while (line) {
		int argc = split(&line, argv);
		if (argc > 0)
			last_status = run_command(argc, argv);
	}
	return last_status;
}

int
main(int argc, char **argv)
{
	char line[MAX_LINE];

	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			fprintf(stderr, "usage: sh [-c COMMAND]\n");
			return 2;
		}
		snprintf(line, sizeof(line), "%s", argv[2]);
		int status = run_line(line);
		fflush(stdout);
		return status;
	}

	interactive = 1;
	for (;;) {
		printf("$ ");
		fflush(stdout);
		if (read_line(line, sizeof(line)) < 0)
			break;
		run_line(line);
	}
	fflush(stdout);
	return last_status;
}
