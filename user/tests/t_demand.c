/*
 * t_demand - demand paging, seen from user space (Linux too).
 *
 * Nothing is in RAM until touched: a 64 MiB mapping costs one page after
 * one touch (VmRSS, mincore). Regions split and merge (munmap of the
 * middle leaves two, as /proc/self/maps shows). A file mapping shows the
 * file; a private write to it is the writer's alone. A segment's last page
 * is the file's page, bytes after the segment included, unless a bss
 * follows (then they read as zero). The stack grows on
 * demand, but not across the guard gap. MADV_DONTNEED gives pages back.
 */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "check.h"
#include "procfs.h"

#define MIB (1024 * 1024)

static int
resident_pages(void *addr, size_t len)
{
	static unsigned char vec[64 * MIB / 4096];
	int n = 0;

	if (mincore(addr, len, vec) != 0)
		return -1;
	for (size_t i = 0; i < len / 4096; i++)
		n += vec[i] & 1;
	return n;
}

static void
touch_one_page_of_64mib(void)
{
	char *p = mmap(NULL, 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before, after;

	if (p == MAP_FAILED) {
		CHECK("mmap_64mib", 0, "mmap failed");
		return;
	}
	CHECK("untouched_mapping_not_resident", resident_pages(p, 64 * MIB) == 0,
	      "%d pages resident before any touch", resident_pages(p, 64 * MIB));
	proc_get("/proc/self/status", "VmRSS");                /* the reading code itself is paged in now */
	before = proc_get("/proc/self/status", "VmRSS");
	p[12345678] = 1;
	after = proc_get("/proc/self/status", "VmRSS");
	CHECK("one_touch_one_page", resident_pages(p, 64 * MIB) == 1, "mincore says %d pages",
	      resident_pages(p, 64 * MIB));
	CHECK("vmrss_grows_by_a_page", after - before >= 4 && after - before < 64,
	      "VmRSS grew by %ld KiB", after - before);
	CHECK("madvise_dontneed_drops_it", madvise(p, 64 * MIB, MADV_DONTNEED) == 0 &&
	      resident_pages(p, 64 * MIB) == 0 && p[12345678] == 0, "after MADV_DONTNEED");
	munmap(p, 64 * MIB);
}

/* Counts the lines of /proc/self/maps that start inside [lo, hi). */
static int
maps_lines_in(uintptr_t lo, uintptr_t hi)
{
	static char buf[16384];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	long len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : 0) {
		uintptr_t start = strtoul(line, NULL, 16);
		if (start >= lo && start < hi)
			n++;
	}
	return n;
}

static int
touch(void *arg)
{
	*(volatile char *)arg = 1;
	return 0;
}

static void
munmap_middle_splits(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK("one_region_before", maps_lines_in((uintptr_t)p, (uintptr_t)p + 3 * 4096) == 1,
	      "%d lines", maps_lines_in((uintptr_t)p, (uintptr_t)p + 3 * 4096));
	munmap(p + 4096, 4096);
	CHECK("two_regions_after_munmap_middle",
	      maps_lines_in((uintptr_t)p, (uintptr_t)p + 3 * 4096) == 2, "%d lines",
	      maps_lines_in((uintptr_t)p, (uintptr_t)p + 3 * 4096));
	check_killed_by("hole_faults", run_in_child(touch, p + 4096), SIGSEGV);
	munmap(p, 3 * 4096);
}

static void
file_mapping(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *buf, *a, *b;

	if (fd < 0 || fstat(fd, &st) != 0) {
		CHECK("open_file", 0, "%s", path);
		return;
	}
	buf = malloc((size_t)st.st_size);
	(void)!read(fd, buf, (size_t)st.st_size);
	a = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	b = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED) {
		CHECK("mmap_file", 0, "mmap of %s failed", path);
		return;
	}
	CHECK("file_mapping_equals_read", memcmp(a, buf, (size_t)st.st_size) == 0, "contents differ");
	a[100] ^= 0xff;
	CHECK("private_write_stays_private", b[100] == buf[100] && a[100] != buf[100],
	      "the other mapping saw the write");
	char c;
	CHECK("private_write_not_in_file", pread(fd, &c, 1, 100) == 1 && c == buf[100],
	      "read() saw the private write");
	check_killed_by("write_to_read_only_mapping", run_in_child(touch, b + 5), SIGSEGV);
	munmap(a, (size_t)st.st_size);
	munmap(b, (size_t)st.st_size);
	free(buf);
	close(fd);
}

extern const char __ehdr_start[];   /* the linker's: our ELF header, as mapped */

/*
 * The last page of each of our read-only segments against our file, as
 * Linux maps it: the file's page, bytes after the segment included (here
 * the next segment's, where one follows in the file). Only a segment
 * with a bss reads as zero after its file bytes; those are writable, and
 * the program has written to them since, so they are not compared.
 */
static void
segment_tails(const char *self)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(__ehdr_start + eh->e_phoff);
	static char page[4096];
	int fd = open(self, O_RDONLY), checked = 0, bad = 0;

	for (int i = 0; fd >= 0 && i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || (ph[i].p_flags & PF_W) || ph[i].p_filesz == 0)
			continue;
		uintptr_t last = (ph[i].p_vaddr + ph[i].p_filesz - 1) & ~4095ul;
		ssize_t n = pread(fd, page, sizeof(page), (off_t)(ph[i].p_offset + (last - ph[i].p_vaddr)));
		if (n <= 0)
			continue;
		bad += memcmp((const void *)last, page, (size_t)n) != 0;
		checked++;
	}
	CHECK("segment_tails_as_linux_maps_them", fd >= 0 && checked > 0 && bad == 0,
	      "%d of %d read-only segments' last pages differ from the file", bad, checked);
	if (fd >= 0)
		close(fd);
}

static int
recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	return depth == 0 ? frame[0] : recurse(depth - 1) + frame[0];
}

static int
grow_stack(void *arg)
{
	(void)arg;
	return recurse(1100) == 0 ? 0 : 0;   /* ~1.1 MiB of frames */
}

static int
jump_past_guard(void *arg)
{
	/* Far below the stack, past the guard gap and the growth limit. */
	volatile char *far = (volatile char *)((uintptr_t)arg - 64 * MIB);

	*far = 1;
	return 0;
}

int
main(int argc, char **argv)
{
	touch_one_page_of_64mib();
	munmap_middle_splits();
	file_mapping(argc > 1 ? argv[1] : "/test/size_65536");
	segment_tails(argv[0]);
	check_exited_with("stack_grows_to_1mib", run_in_child(grow_stack, NULL), 0);
	char here;
	check_killed_by("far_below_stack_faults", run_in_child(jump_past_guard, &here), SIGSEGV);
	return check_exit();
}
