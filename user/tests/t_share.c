/*
 * t_share - two runs of the same program share its text: the second run
 * finds every page in the page cache (no major fault, no new cached page).
 * Runs /bin/hello (or $HELLO) twice, with its output thrown away.
 * Cached is one figure for the whole machine: on a Linux host other
 * processes' file I/O moves it, so the cached-page check is pagoda's only.
 */
#include <fcntl.h>
#include <sys/utsname.h>

#include "check.h"
#include "procfs.h"

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
	maj = proc_get("/proc/vmstat", "pgmajfault");
	cached = proc_get("/proc/meminfo", "Cached");
	int status = run_hello();
	maj = proc_get("/proc/vmstat", "pgmajfault") - maj;
	cached = proc_get("/proc/meminfo", "Cached") - cached;
	check_exited_with("second_run_exits", status, 0);
	CHECK("second_run_no_major_faults", maj == 0, "%ld major faults", maj);
	if (running_on_pagoda())
		CHECK("second_run_no_new_cached_pages", cached < 64 && cached > -64,
		      "Cached changed by %ld KiB", cached);
	return check_exit();
}
