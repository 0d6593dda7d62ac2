/*
 * t_cow_frames - after fork, shared pages cost nothing until written.
 *
 * Reads AnonPages (anonymous memory, each frame counted once however
 * many processes map it) from /proc/meminfo around a fork of a process
 * with 32 MiB of touched anonymous memory: right after the fork it has
 * not grown; once the child has written every page, the 32 MiB exist
 * twice. AnonPages, not MemFree: on the host Linux, MemFree lags behind
 * (freed and allocated pages sit in per-CPU lists), while AnonPages is
 * counted as pages are mapped; margins cover other processes. That the
 * copies are freed when the child exits is checked on pagoda by tests/run,
 * which compares free frames before and after every program. AnonPages
 * is the whole system's, so a busy host gets up to three tries.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>

#include "check.h"
#include "procfs.h"

#define SIZE (32u << 20)
#define SIZE_KIB (SIZE >> 10)

/*
 * Forks once: the child reports how much AnonPages grew right after the
 * fork and after writing every page (results[0], results[1], KiB).
 * Returns 0, or -1 if fork failed.
 */
static int
measure(char *mem, long results[2])
{
	long before = proc_get("/proc/meminfo", "AnonPages");
	int fds[2], status;
	pid_t pid;

	results[0] = results[1] = -1;
	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		long shared = proc_get("/proc/meminfo", "AnonPages");
		for (unsigned i = 0; i < SIZE; i += 4096)
			mem[i] = 1;
		long copied = proc_get("/proc/meminfo", "AnonPages");
		long r[2] = { shared - before, copied - before };
		(void)!write(fds[1], r, sizeof(r));
		_exit(0);
	}
	close(fds[1]);          /* a child that dies early gives end of file, not a hang */
	(void)!read(fds[0], results, 2 * sizeof(long));
	close(fds[0]);
	wait(&status);
	return 0;
}

static bool
as_expected(const long results[2])
{
	return results[0] > -2048 && results[0] < 2048 && results[1] >= SIZE_KIB * 7 / 8;
}

int
main(void)
{
	char *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long results[2] = { -1, -1 };

	if (mem == MAP_FAILED || proc_get("/proc/meminfo", "AnonPages") < 0) {
		CHECK("setup", 0, "mmap or /proc/meminfo failed");
		return check_exit();
	}
	madvise(mem, SIZE, MADV_NOHUGEPAGE);    /* Linux: plain 4 KiB pages, as on pagoda */
	memset(mem, 0x5a, SIZE);
	/* AnonPages is the whole system's: on a busy host, other processes
	 * freeing or taking memory meanwhile move it by megabytes. Up to three
	 * tries; on pagoda nothing else runs and the first one decides. */
	for (int try = 0; try < 3; try++) {
		if (measure(mem, results) != 0) {
			CHECK("fork", 0, "fork failed");
			return check_exit();
		}
		if (as_expected(results))
			break;
	}
	CHECK("fork_shares_frames", results[0] > -2048 && results[0] < 2048,
	      "the child cost %ld KiB before writing (32 MiB shared)", results[0]);
	CHECK("writes_copy_frames", results[1] >= SIZE_KIB * 7 / 8,
	      "the child cost only %ld KiB after writing 32 MiB", results[1]);
	CHECK("parent_data_intact", mem[0] == 0x5a && mem[SIZE - 1] == 0x5a,
	      "the parent's memory changed");
	return check_exit();
}
