/*
 * t_exec_bad - execve of malformed ELF files must fail cleanly: an error
 * from execve, or (Linux, once past its point of no return) the process
 * killed, but never a kernel fault or a program that runs anyway.
 *
 * The files come from user/tools/gen_bad_elf.c and live in $BAD_DIR
 * (default /bin/bad). "control" is the same tiny program unbroken: it
 * must run and exit 42, which shows the defects, not the base file, are
 * what the kernel refuses. At the end a normal program (hello) must still
 * run, to show the system carries on.
 *
 * The names are a fixed list rather than a directory listing, so this
 * test does not need getdents.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>

#include "check.h"

extern char **environ;

static const char *const bad_files[] = {
	"bad_magic", "truncated", "kernel_segment", "huge_segment",
	"phdrs_out_of_file", "zero_phnum", "not_exec",
};

/* The errors a refusing execve may give; the child exits with the errno. */
static const struct {
	int err;
	const char *name;
} refusals[] = {
	{ ENOEXEC, "ENOEXEC" }, { EFAULT, "EFAULT" }, { ENOMEM, "ENOMEM" }, { EINVAL, "EINVAL" },
	{ E2BIG, "E2BIG" },     { EIO, "EIO" },       { EACCES, "EACCES" },
};

static int
exec_path(void *path)
{
	char *argv[] = { path, NULL };

	execve(path, argv, environ);
	return errno;
}

static const char *
refusal_name(int status)
{
	if (!WIFEXITED(status))
		return NULL;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (refusals[i].err == WEXITSTATUS(status))
			return refusals[i].name;
	return NULL;
}

static void
check_bad_file(const char *dir, const char *file)
{
	char path[512], name[64], buf[64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(name, sizeof(name), "exec_%s", file);
	if (access(path, F_OK) != 0) {
		CHECK(name, 0, "%s is missing", path);
		return;
	}
	int status = run_in_child(exec_path, path);
	const char *err = refusal_name(status);
	int killed = status != -1 && WIFSIGNALED(status) &&
		     (WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGSEGV);
	if (err)
		say("# %s: execve failed with %s\n", file, err);
	else if (killed)
		say("# %s: killed by %s after the point of no return\n", file,
		    sig_name(WTERMSIG(status)));
	CHECK(name, err || killed, "%s (42 means the broken program ran)",
	      describe_status(status, buf, sizeof(buf)));
}

/* execve with an empty argv: Linux 5.18 and later give the program argc 1 and argv[0] "". */
static const char *self;

static int
exec_self_empty_argv(void *unused)
{
	char *const argv[] = { NULL }, *const envp[] = { "T_EXEC_EMPTY_ARGV=1", NULL };

	(void)unused;
	execve(self, argv, envp);
	return 100;
}

/*
 * Close-on-exec: pipe2(O_CLOEXEC)'s descriptors are gone in the new
 * program, a plain dup of one is not (F_DUPFD; F_GETFD says which is which).
 */
static int
exec_self_check_fds(void *unused)
{
	int fds[2], kept;
	char env[64], *const argv[] = { (char *)self, NULL };

	(void)unused;
	if (pipe2(fds, O_CLOEXEC) != 0 || (kept = fcntl(fds[0], F_DUPFD, 10)) < 10 ||
	    fcntl(fds[0], F_GETFD) != FD_CLOEXEC || fcntl(kept, F_GETFD) != 0)
		return 101;
	snprintf(env, sizeof(env), "T_EXEC_FDS=%d,%d", fds[1], kept);
	char *const envp[] = { env, NULL };
	execve(self, argv, envp);
	return 100;
}

/* The new program's side: the first descriptor closed, the second open. */
static int
check_fds(const char *spec)
{
	int closed, kept;

	if (sscanf(spec, "%d,%d", &closed, &kept) != 2)
		return 2;
	return fcntl(closed, F_GETFD) == -1 && errno == EBADF && fcntl(kept, F_GETFD) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("BAD_DIR");
	char control[512];

	if (getenv("T_EXEC_FDS"))               /* the program exec_closes_cloexec_fds ran */
		return check_fds(getenv("T_EXEC_FDS"));
	if (getenv("T_EXEC_EMPTY_ARGV"))        /* the child of exec_empty_argv_gets_argc_1 */
		return argc == 1 && argv[0] && argv[0][0] == '\0' && !argv[1] ? 0 : 1;
	self = argv[0];

	if (!dir || !*dir)
		dir = "/bin/bad";
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++)
		check_bad_file(dir, bad_files[i]);

	snprintf(control, sizeof(control), "%s/control", dir);
	check_exited_with("exec_control_runs", run_in_child(exec_path, control), 42);
	check_exited_with("exec_hello_after_bad", run_in_child(exec_path, (void *)hello_path()), 0);
	check_exited_with("exec_empty_argv_gets_argc_1", run_in_child(exec_self_empty_argv, NULL), 0);
	check_exited_with("exec_closes_cloexec_fds", run_in_child(exec_self_check_fds, NULL), 0);
	return check_exit();
}
