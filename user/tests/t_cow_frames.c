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
 * which compares free frames before and after every program.
 */
#include <fcntl.h>
#include <sys/mman.h>

#include "check.h"
#include "procfs.h"

#define SIZE (32u << 20)
#define SIZE_KIB (SIZE >> 10)

int
main(void)
{
	char *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before, results[2] = { -1, -1 };
	int fds[2], status;
	pid_t pid;

	if (mem == MAP_FAILED || pipe(fds) != 0 || proc_get("/proc/meminfo", "AnonPages") < 0) {
		CHECK("setup", 0, "mmap, pipe or /proc/meminfo failed");
		return check_exit();
	}
	madvise(mem, SIZE, MADV_NOHUGEPAGE);    /* Linux: plain 4 KiB pages, as on pagoda */
	memset(mem, 0x5a, SIZE);
	before = proc_get("/proc/meminfo", "AnonPages");
	pid = fork();
	if (pid < 0) {
		CHECK("fork", 0, "fork failed");
		return check_exit();
	}
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
	(void)!read(fds[0], results, sizeof(results));
	wait(&status);
	CHECK("fork_shares_frames", results[0] > -2048 && results[0] < 2048,
	      "the child cost %ld KiB before writing (32 MiB shared)", results[0]);
	CHECK("writes_copy_frames", results[1] >= SIZE_KIB * 7 / 8,
	      "the child cost only %ld KiB after writing 32 MiB", results[1]);
	CHECK("parent_data_intact", mem[0] == 0x5a && mem[SIZE - 1] == 0x5a,
	      "the parent's memory changed");
	return check_exit();
}
