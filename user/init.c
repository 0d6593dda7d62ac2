/*
 * init - process 1.
 *
 *   init                  runs /bin/tinysh, pagoda's small shell
 *   init PROG ARGS...     runs PROG instead (a name without '/' is looked
 *                         up in /bin, or in $PAGODA_BIN if set)
 *
 * It then waits for children forever: its own child and every orphan the
 * kernel re-parents to it, so no zombie is left behind. When its main
 * child ends, init exits with that child's status (128+N if it was killed
 * by signal N); on pagoda that becomes the machine's power-off status.
 *
 * On a host Linux, where this is not pid 1, it asks to be a "child
 * subreaper" so orphans come to it just as they would on pagoda.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Where programs named without a '/' live. */
static const char *
bin_dir(void)
{
	const char *dir = getenv("PAGODA_BIN");

	return dir && *dir ? dir : "/bin";
}

/* Starts argv[0] in a child. Returns its pid, or -1 if fork failed. */
static pid_t
start(char **argv)
{
	char path[512];
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	if (strchr(argv[0], '/'))
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		snprintf(path, sizeof(path), "%s/%s", bin_dir(), argv[0]);
	execve(path, argv, environ);
	fprintf(stderr, "init: cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

int
main(int argc, char **argv)
{
	static char *shell[] = { "tinysh", NULL };
	char **prog = argc > 1 ? argv + 1 : shell;
	int status;

	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (argc <= 1) {
		printf("init: starting %s/tinysh\n", bin_dir());
		fflush(stdout);
	}

	pid_t main_child = start(prog);
	if (main_child < 0) {
		perror("init: fork");
		return 1;
	}

	/* Reap everything; only the main child's end matters. */
	for (;;) {
		pid_t pid = wait4(-1, &status, 0, NULL);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0) {
			perror("init: wait4");
			return 1;
		}
		if (pid != main_child)
			continue;
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
		return WEXITSTATUS(status);
	}
}
