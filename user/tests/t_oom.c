/*
 * t_oom - the OOM killer picks the process that deserves it most.
 *
 * t_oom HOG_MIB [exempt]
 * A small process (2 MiB, touched, then checked) and a hog that touches
 * HOG_MIB - more than RAM and swap together - run side by side. The hog
 * must be killed (SIGKILL), the small one must survive with its data
 * intact, and /proc/vmstat's oom_kill must grow. With "exempt", the hog
 * first writes -1000 to /proc/self/oom_score_adj: then the small one is
 * the OOM killer's choice (and the hog dies later anyway, when no memory
 * and nobody killable is left).
 * On Linux (not pagoda) it only checks the /proc interface: no host's
 * memory is exhausted on purpose.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "check.h"
#include "procfs.h"

static int
write_adj(const char *value)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	int ok = fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value);

	if (fd >= 0)
		close(fd);
	return ok;
}

static void
proc_interface(void)
{
	char buf[32] = "";
	int fd = open("/proc/self/oom_score", O_RDONLY);

	CHECK("oom_score_readable", fd >= 0 && read(fd, buf, sizeof(buf)) > 0, "no /proc/self/oom_score");
	if (fd >= 0)
		close(fd);
	CHECK("oom_score_adj_writable", write_adj("5"), "write to /proc/self/oom_score_adj failed");
	fd = open("/proc/self/oom_score_adj", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	CHECK("oom_score_adj_reads_back", fd >= 0 && read(fd, buf, sizeof(buf)) > 0 && atoi(buf) == 5,
	      "read back '%s'", buf);
	if (fd >= 0)
		close(fd);
	CHECK("oom_score_adj_rejects_2000", !write_adj("2000"), "2000 was accepted");
	write_adj("0");
}

static void
small(int ready, int go)
{
	size_t size = 2u << 20;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char c;

	for (size_t i = 0; i < size; i++)
		m[i] = (char)(i * 7);
	(void)!write(ready, "r", 1);
	(void)!read(go, &c, 1);                 /* wait until the hog is done */
	for (size_t i = 0; i < size; i++)
		if (m[i] != (char)(i * 7))
			_exit(3);
	_exit(0);
}

static void
hog(size_t mib, bool exempt)
{
	size_t size = mib << 20;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (exempt)
		write_adj("-1000");
	for (size_t i = 0; m != MAP_FAILED && i < size; i += 4096)
		m[i] = 1;
	_exit(0);                                /* not expected: it should have been killed */
}

int
main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	bool exempt = argc > 2 && strcmp(argv[2], "exempt") == 0;
	int ready[2], go[2], small_status, hog_status;
	long kills;
	pid_t s, h;
	char c;

	proc_interface();
	if (!running_on_pagoda())
		return check_exit();
	kills = proc_get("/proc/vmstat", "oom_kill");
	if (pipe(ready) || pipe(go))
		return 1;
	if ((s = fork()) == 0)
		small(ready[1], go[0]);
	(void)!read(ready[0], &c, 1);
	if ((h = fork()) == 0)
		hog(mib, exempt);
	waitpid(h, &hog_status, 0);
	(void)!write(go[1], "g", 1);
	waitpid(s, &small_status, 0);
	if (exempt) {
		check_killed_by("exempt_hog_spares_itself_small_one_killed", small_status, SIGKILL);
	} else {
		check_killed_by("hog_killed", hog_status, SIGKILL);
		check_exited_with("small_survives_intact", small_status, 0);
	}
	CHECK("oom_kill_counted", proc_get("/proc/vmstat", "oom_kill") > kills, "oom_kill did not grow");
	return check_exit();
}
