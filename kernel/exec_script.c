/*
 * kernel/exec_script.c - "#!" scripts, as Linux's binfmt_script runs them.
 *
 * A file that starts with "#!" names its interpreter on that first line:
 *
 *   #!/bin/sh -e            execve("./s", ["s", "x"], env)
 *                     runs  /bin/sh with ["/bin/sh", "-e", "./s", "x"]
 *
 * The interpreter is the first word; everything after it up to the end of
 * the line, trimmed, is ONE optional argument (Linux does not split it);
 * then comes the script's path as execve was given it, in place of the old
 * argv[0], then the rest of the old arguments. Only the first 256 bytes are
 * looked at (Linux's BINPRM_BUF_SIZE). The interpreter may itself be a
 * script, up to 4 levels deep (then ELOOP, as Linux).
 */
#include "kernel/exec_args.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "mm/heap.h"

#define SCRIPT_HEAD   256      /* Linux's BINPRM_BUF_SIZE */
#define SCRIPT_DEPTH  4

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Reads the start of path into head (NUL-terminated at the end of the
 * first line). Returns 1 if it is a "#!" script, 0 if not, or -errno.
 */
static int
read_first_line(const char *path, char *head)
{
	struct file *f;
	long n;
	int err = vfs_open(path, O_RDONLY, &f);

	if (err)
		return err;
	n = (f->mode & S_IFMT) == S_IFREG ? file_read_at(f, head, SCRIPT_HEAD - 1, 0) : 0;
	file_put(f);
	if (n < 0)
		return (int)n;
	head[n] = '\0';
	if (n < 2 || head[0] != '#' || head[1] != '!')
		return 0;
	for (long i = 0; i < n; i++)
		if (head[i] == '\n')
			head[i] = '\0';
	return 1;
}

/*
 * Rebuilds a's arguments: interp, [arg], path, then the old argv[1..] and
 * the environment.
 */
static int
prepend(struct exec_args *a, const char *interp, const char *arg, const char *path)
{
	struct exec_args *old = kmalloc(sizeof(*old));
	const char *s;
	int err = 0;

	if (!old)
		return -ENOMEM;
	memcpy(old, a, sizeof(*old));
	a->used = 0;
	a->argc = a->envc = 0;
	err = exec_args_add(a, interp, strlen(interp), false);
	if (!err && arg[0])
		err = exec_args_add(a, arg, strlen(arg), false);
	if (!err)
		err = exec_args_add(a, path, strlen(path), false);
	s = old->strings + strlen(old->strings) + 1;          /* skip the old argv[0] */
	for (int i = 1; i < old->argc + old->envc && !err; i++) {
		err = exec_args_add(a, s, strlen(s), i >= old->argc);
		s += strlen(s) + 1;
	}
	kfree(old);
	return err;
}

/* One level: if path is a script, a and path become its interpreter's. 1 if it was. */
static int
resolve_once(char *path, size_t size, struct exec_args *a)
{
	char head[SCRIPT_HEAD], *interp, *arg, *end;
	int r = read_first_line(path, head);

	if (r <= 0)
		return r;
	for (interp = head + 2; is_blank(*interp); interp++)
		;
	if (!*interp)
		return -ENOEXEC;                      /* "#!" and nothing: Linux's answer */
	for (arg = interp; *arg && !is_blank(*arg); arg++)
		;
	if (*arg)
		*arg++ = '\0';
	while (is_blank(*arg))
		arg++;
	for (end = arg + strlen(arg); end > arg && is_blank(end[-1]); end--)
		end[-1] = '\0';
	r = prepend(a, interp, arg, path);
	if (r)
		return r;
	if (strlen(interp) >= size)
		return -ENAMETOOLONG;
	strlcpy(path, interp, size);
	return 1;
}

/*
 * While path is a "#!" script, replaces it (a buffer of size bytes) with
 * its interpreter and rewrites the arguments. 0 when path is a program to
 * load (or not a script at all: the ELF loader then judges it), or -errno.
 */
int
exec_script_resolve(char *path, size_t size, struct exec_args *a)
{
	for (int depth = 0; depth <= SCRIPT_DEPTH; depth++) {
		int r = resolve_once(path, size, a);
		if (r <= 0)
			return r;
	}
	return -ELOOP;
}
