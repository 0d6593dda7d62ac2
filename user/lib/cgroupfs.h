/*
 * cgroupfs.h - the small things every program that drives cgroup v2 at
 * /sys/fs/cgroup does: write a knob, read a file or a number back, make
 * and remove groups, start a child inside a group. Header-only, for the
 * test programs (t_cgroup, t_memqos).
 */
#ifndef USER_CGROUPFS_H
#define USER_CGROUPFS_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procfs.h"

#define CG "/sys/fs/cgroup"

/* Writes text to the file path. Returns 0 or the errno of the open or write. */
static inline int
put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* The whole of file path in buf ("" if missing), without a trailing newline. */
static inline char *
get(const char *path, char *buf, size_t size)
{
	size_t n = strlen(proc_load(path, buf, size));

	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

/* The number in file path (or in its line "name N" if name is given); -1 if missing. */
static inline long
num(const char *path, const char *name)
{
	char buf[1024];

	if (name)
		return proc_get(path, name);
	get(path, buf, sizeof(buf));
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

/* CG/group/file, in a buffer of its own (valid until the next call). */
static inline const char *
file_of(const char *group, const char *file)
{
	static char path[256];

	snprintf(path, sizeof(path), CG "/%s/%s", group, file);
	return path;
}

/* errno of mkdir or rmdir (0 if it worked). */
static inline int
mkdir_err(const char *path)
{
	return mkdir(path, 0755) == 0 ? 0 : errno;
}

static inline int
rmdir_err(const char *path)
{
	return rmdir(path) == 0 ? 0 : errno;
}

/* A tag for page p of a working set, written then checked. */
static inline uint64_t
tag(size_t p)
{
	return (uint64_t)p * 0x9e3779b97f4a7c15ull + 1;
}

/*
 * Forks a child that waits until the parent has moved it into group
 * (cgroup.procs) and says go: then it runs fn and exits with what it
 * returns. Returns its pid, or -1; *go is the pipe end to write one byte
 * to (spawn_release()) once the caller has looked at the group with the child
 * in it but not yet running fn: the child may run before the parent again
 * at any time after that (a woken task preempts its waker).
 */
static inline pid_t
spawn_held(const char *group, int (*fn)(void), int *go_fd)
{
	int go[2];
	char pid_text[16], c;
	pid_t pid;

	if (pipe(go) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? fn() : 101);
	}
	close(go[0]);
	snprintf(pid_text, sizeof(pid_text), "%d", pid);
	if (put(file_of(group, "cgroup.procs"), pid_text) != 0)
		dprintf(1, "# could not move %d into %s\n", pid, group);
	*go_fd = go[1];
	return pid;
}

/* Lets a child of spawn_held() run its function. */
static inline void
spawn_release(int go_fd)
{
	(void)!write(go_fd, "g", 1);
	close(go_fd);
}

/* spawn_held(), released at once. */
static inline pid_t
spawn_in(const char *group, int (*fn)(void))
{
	int go;
	pid_t pid = spawn_held(group, fn, &go);

	if (pid > 0)
		spawn_release(go);
	return pid;
}

#endif
