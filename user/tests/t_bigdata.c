/*
 * t_bigdata - a program with 8 MiB of initialized data it never touches
 * is not read from the disk: exec maps it, and only the pages it runs
 * and touches come in (pgmajfault, pgpgin and VmRSS stay small).
 *
 * Without arguments it measures: runs itself as "t_bigdata child" and
 * compares /proc/vmstat before and after. On the host Linux the file is
 * probably cached already, so only the upper bounds are checked there.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/utsname.h>

#include "check.h"

/* Non-zero, so it is in .data (in the file), not in .bss. */
static char big[8 << 20] = { 1 };

static long
read_field(const char *file, const char *name)
{
	static char buf[8192];
	int fd = open(file, O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	size_t len = strlen(name);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, name, len) == 0)
			return strtol(p + len, NULL, 10);
	return -1;
}

int
main(int argc, char **argv)
{
	long maj, in, rss = -1;
	int fds[2], status;
	struct utsname u;

	if (argc > 1) {                          /* the child: touch one byte, report VmRSS */
		big[4 << 20] = 2;
		rss = read_field("/proc/self/status", "VmRSS:");
		(void)!write(3, &rss, sizeof(rss));
		return big[0] == 1 ? 0 : 1;
	}
	maj = read_field("/proc/vmstat", "pgmajfault ");
	in = read_field("/proc/vmstat", "pgpgin ");
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
	maj = read_field("/proc/vmstat", "pgmajfault ") - maj;
	in = read_field("/proc/vmstat", "pgpgin ") - in;
	check_exited_with("child_ran", status, 0);
	CHECK("child_rss_small", rss > 0 && rss < 1024, "VmRSS of the child: %ld KiB (8 MiB of data)", rss);
	/* On the host, pgpgin counts every process's reads: a looser bound. */
	bool pagoda = uname(&u) == 0 && strcmp(u.sysname, "pagoda") == 0;
	CHECK("disk_reads_far_below_file_size", in < (pagoda ? 1024 : 4096),
	      "pgpgin grew by %ld KiB (the file has 8 MiB of data)", in);
	CHECK("few_major_faults", maj < (pagoda ? 64 : 512), "%ld major faults", maj);
	if (pagoda)
		CHECK("some_pages_came_from_disk", maj > 0 && in > 0, "%ld major faults, %ld KiB", maj, in);
	return check_exit();
}
