/*
 * t_pagecache - two processes reading the same file at the same moment
 * cause one disk read per page, not two.
 *
 * t_pagecache [FILE] (default /test/size_3146505, which nothing else has
 * read yet). Both children wait at a pipe, then read the whole file;
 * pgpgin in /proc/vmstat (KiB read from disks) must grow by about the
 * file's size once - plus a little metadata - and never twice. On the host
 * Linux the file may already be cached (then pgpgin barely moves): only
 * the upper bound is checked there; pagoda must also show the reads.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "check.h"
#include "procfs.h"

static void
reader(const char *path, int go)
{
	static char buf[65536];
	char c;
	int fd = open(path, O_RDONLY);

	(void)!read(go, &c, 1);              /* wait until both are ready */
	while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	_exit(fd >= 0 ? 0 : 1);
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/test/size_3146505";
	struct stat st;
	int go[2], status, ok = 1;
	long before, after, kib;

	if (stat(path, &st) != 0 || pipe(go) != 0 || (before = proc_get("/proc/vmstat", "pgpgin")) < 0) {
		CHECK("setup", 0, "stat %s, pipe or /proc/vmstat failed", path);
		return check_exit();
	}
	for (int i = 0; i < 2; i++)
		if (fork() == 0)
			reader(path, go[0]);
	(void)!write(go[1], "gg", 2);
	for (int i = 0; i < 2; i++) {
		wait(&status);
		ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	after = proc_get("/proc/vmstat", "pgpgin");
	kib = st.st_size / 1024;
	CHECK("both_readers_succeed", ok, "a reader failed");
	CHECK("each_page_read_once", after - before < kib + kib / 4,
	      "pgpgin grew by %ld KiB for a %ld KiB file read twice", after - before, kib);
	if (running_on_pagoda())
		CHECK("pages_came_from_disk", after - before >= kib,
		      "pgpgin grew by only %ld KiB for a %ld KiB file", after - before, kib);
	return check_exit();
}
