/*
 * t_gdb - a workload for GDB to watch: the guided session of
 * docs/debugging.md (tools/gdb/swap-tour.gdb) and the GDB helpers' test
 * (tests/gdb.sh) stop the kernel while it serves this program.
 *
 * t_gdb [MIB]   (default 12: more than pagoda has free at MEM=8M)
 *
 *   1. writes MIB MiB at the fixed address 0x10000000, page by page (each
 *      page holds its number), so that the first pages go out to swap
 *   2. prints /proc/self/maps, /proc/self/status and /proc/meminfo, each
 *      between "--- NAME" and "--- end": GDB stops in the kernel's
 *      generators of those files (gen_maps, gen_status, gen_meminfo), and
 *      the test compares the helpers' output with what the kernel printed
 *   3. reads the first page back: a swap-in (GDB stops in vm_fault for it)
 *   4. prints /proc/self/status again
 *
 * It checks nothing itself; it exits 0 unless the memory came back wrong.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096
#define REGION ((char *)0x10000000)   /* fixed, so that GDB scripts can name it */

static char buf[16384];

/* Prints a /proc file between "--- NAME" and "--- end". */
static void
dump(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = 0, r;

	while (fd >= 0 && (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	if (fd >= 0)
		close(fd);
	say("--- %s\n", path);
	if (write(1, buf, (size_t)n) != n)
		exit(2);
	say("--- end\n");
}

int
main(int argc, char **argv)
{
	long pages = (argc > 1 ? atol(argv[1]) : 12) * 1024 * 1024 / PAGE;
	unsigned char vec;
	char *m = mmap(REGION, (size_t)pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (m == MAP_FAILED) {
		say("t_gdb: mmap at %p failed\n", (void *)REGION);
		return 1;
	}
	for (long i = 0; i < pages; i++)
		*(long *)(m + i * PAGE) = i;
	mincore(m, PAGE, &vec);
	say("t_gdb: region %p, %ld pages written; page %p resident: %s\n", (void *)m, pages,
	    (void *)m, (vec & 1) ? "yes" : "no");
	dump("/proc/self/maps");
	dump("/proc/self/status");
	dump("/proc/meminfo");
	long first = *(volatile long *)m;
	say("t_gdb: page %p read back: %ld\n", (void *)m, first);
	dump("/proc/self/status");
	return first == 0 ? 0 : 1;
}
