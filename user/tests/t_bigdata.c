/*
 * t_bigdata - a program with 8 MiB of initialized data it never touches
 * is not read from the disk: exec maps it, and only the pages it runs
 * and touches come in (pgmajfault, pgpgin and VmRSS stay small).
 *
 * Without arguments it measures: runs itself as "t_bigdata child" and
 * compares /proc/vmstat before and after. On the host Linux the file is
 * read once first, so that it is cached whatever the host's proactive
 * reclaim did to it meanwhile (a host running DAMON dropped it once and
 * read 7876 KiB back), and only the upper bounds are checked there.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/utsname.h>

#include "check.h"
#include "procfs.h"

/* Reads path to its end, so that the host has it in its page cache. */
static void
read_whole_file(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

/* Non-zero, so it is in .data (in the file), not in .bss. */
static char big[8 << 20] = { 1 };

int
main(int argc, char **argv)
{
	long maj, in, rss = -1;
	int fds[2], status;

	if (argc > 1) {                          /* the child: touch one byte, report VmRSS */
		big[4 << 20] = 2;
		rss = proc_get("/proc/self/status", "VmRSS");
		(void)!write(3, &rss, sizeof(rss));
		return big[0] == 1 ? 0 : 1;
	}
	if (!running_on_pagoda())
		read_whole_file(argv[0]);
	maj = proc_get("/proc/vmstat", "pgmajfault");
	in = proc_get("/proc/vmstat", "pgpgin");
	if (pipe(fds) != 0 || maj < 0 || in < 0) {
		CHECK("setup", 0, "pipe or /proc/vmstat failed");
		return check_exit();
	}
	if (fork() == 0) {
		dup2(fds[1], 3);
		execl(argv[0], argv[0], "child", (char *)NULL);
		_exit(99);
	}
	close(fds[1]);
	(void)!read(fds[0], &rss, sizeof(rss));
	wait(&status);
	maj = proc_get("/proc/vmstat", "pgmajfault") - maj;
	in = proc_get("/proc/vmstat", "pgpgin") - in;
	check_exited_with("child_ran", status, 0);
	CHECK("child_rss_small", rss > 0 && rss < 1024, "VmRSS of the child: %ld KiB (8 MiB of data)", rss);
	/* On the host, pgpgin counts every process's reads: a looser bound. */
	bool pagoda = running_on_pagoda();
	CHECK("disk_reads_far_below_file_size", in < (pagoda ? 1024 : 4096),
	      "pgpgin grew by %ld KiB (the file has 8 MiB of data)", in);
	CHECK("few_major_faults", maj < (pagoda ? 64 : 512), "%ld major faults", maj);
	if (pagoda)
		CHECK("some_pages_came_from_disk", maj > 0 && in > 0, "%ld major faults, %ld KiB", maj, in);
	return check_exit();
}
