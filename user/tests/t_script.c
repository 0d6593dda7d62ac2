/*
 * t_script - "#!" scripts run through their interpreters, as Linux's
 * binfmt_script does (kernel/exec_script.c).
 *
 * Usage: t_script DIR BINDIR   (the scripts tools/mkscripts.sh wrote into
 * DIR with interpreters in BINDIR; pagoda's root disk has /test/scripts
 * and /bin). Each script is run in a child with its output in a pipe; the
 * arguments the interpreter got (t_args prints them) and the exit status
 * are compared with what Linux gives, and so are the errors of scripts
 * that cannot run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static const char *dir, *bin;

/* Runs path with argv; its output (up to size-1 bytes) into out. Returns the wait status. */
static int
run(const char *path, char *const argv[], char *out, size_t size)
{
	int fds[2], status = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execv(path, argv);
		_exit(100 + errno);            /* the error, for the parent to see */
	}
	close(fds[1]);
	while (got < size - 1 && (n = read(fds[0], out + got, size - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

/* The path of a script in DIR. */
static const char *
script(const char *name)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void
check_args_script(void)
{
	char out[1024], want[1024];
	char *argv[] = { "anything", "one", "two words", NULL };
	int status = run(script("args"), argv, out, sizeof(out));

	snprintf(want, sizeof(want), "arg[0]=%s/t_args\narg[1]=-x  y\narg[2]=%s\narg[3]=one\narg[4]=two words\n",
		 bin, script("args"));
	CHECK("interpreter_gets_one_argument_then_the_path", status == 0 && strstr(out, want) != NULL,
	      "status %#x, output:\n%s\nwanted:\n%s", status, out, want);
}

static void
check_nested_script(void)
{
	char out[1024], want[1024];
	char *argv[] = { "nested", "z", NULL };
	int status = run(script("nested"), argv, out, sizeof(out));

	snprintf(want, sizeof(want), "arg[0]=%s/t_args\narg[1]=-x  y\narg[2]=%s\narg[3]=%s\narg[4]=z\n",
		 bin, script("args"), script("nested"));
	CHECK("script_as_interpreter", status == 0 && strstr(out, want) != NULL,
	      "status %#x, output:\n%s\nwanted:\n%s", status, out, want);
}

static void
check_shell_script(void)
{
	char out[512], want[300];
	char *argv[] = { "hello", NULL };
	int status = run(script("hello"), argv, out, sizeof(out));

	snprintf(want, sizeof(want), "hello from %s\n", script("hello"));
	CHECK("bin_sh_script_runs", strcmp(out, want) == 0, "output \"%s\", wanted \"%s\"", out, want);
	CHECK("bin_sh_script_exit_status", WIFEXITED(status) && WEXITSTATUS(status) == 5,
	      "status %#x", status);
}

/* Scripts that cannot run: execve's error, which the child turns into 100 + errno. */
static void
check_error(const char *name, const char *file, int err)
{
	char out[64];
	char *argv[] = { (char *)file, NULL };
	int status = run(script(file), argv, out, sizeof(out));

	CHECK(name, WIFEXITED(status) && WEXITSTATUS(status) == 100 + err,
	      "status %#x, wanted exit %d (errno %d: %s)", status, 100 + err, err, strerror(err));
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		say("usage: t_script DIR BINDIR\n");
		return 2;
	}
	dir = argv[1];
	bin = argv[2];
	check_args_script();
	check_nested_script();
	check_shell_script();
	check_error("script_loop_is_eloop", "loop", ELOOP);
	check_error("no_interpreter_is_enoexec", "empty", ENOEXEC);
	check_error("missing_interpreter_is_enoent", "missing", ENOENT);
	return check_exit();
}
