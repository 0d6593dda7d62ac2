/*
 * t_share - two runs of the same program share its text: the second run
 * finds every page in the page cache (no major fault, no new cached page).
 * Runs /bin/hello (or $HELLO) twice, with its output thrown away.
 */
#include <fcntl.h>

#include "check.h"

static long
field(const char *file, const char *name)
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

static int
run_hello(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/proc/meminfo", O_RDONLY);   /* any fd: stdout goes nowhere useful */
		(void)null;
		close(1);
		open("/proc/vmstat", O_RDONLY);               /* fd 1 now read-only: writes fail quietly */
		execl(hello_path(), "hello", (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	return status;
}

int
main(void)
{
	long maj, cached;

	run_hello();                                  /* the first run may read from the disk */
	maj = field("/proc/vmstat", "pgmajfault ");
	cached = field("/proc/meminfo", "Cached:");
	int status = run_hello();
	maj = field("/proc/vmstat", "pgmajfault ") - maj;
	cached = field("/proc/meminfo", "Cached:") - cached;
	check_exited_with("second_run_exits", status, 0);
	CHECK("second_run_no_major_faults", maj == 0, "%ld major faults", maj);
	CHECK("second_run_no_new_cached_pages", cached < 64 && cached > -64, "Cached changed by %ld KiB", cached);
	return check_exit();
}
