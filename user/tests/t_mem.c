/*
 * t_mem - the memory system calls: brk, mmap, munmap, mprotect.
 *
 * New memory must read as zero (also memory given back and taken again),
 * unmapped or read-only memory must fault (checked in a child, which must
 * die of SIGSEGV), and bad arguments must give EINVAL. Raw syscalls show
 * exactly what the kernel returned, with no libc policy in between.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "check.h"

#define PAGE 4096ul
#define MIB (1ul << 20)

/* Returns the offset of the first nonzero byte in [p, p+len), or -1. */
static long
first_nonzero(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return (long)i;
	return -1;
}

/* Writes one byte per page and reads them back. Returns 1 if all stuck. */
static int
write_pages(unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = (unsigned char)(seed + i / PAGE);
	for (size_t i = 0; i < len; i += PAGE)
		if (p[i] != (unsigned char)(seed + i / PAGE))
			return 0;
	return 1;
}

static int
touch(void *addr)
{
	*(volatile unsigned char *)addr = 1;
	return 100;	/* still alive: the write went through */
}

static int
peek(void *addr)
{
	return *(volatile unsigned char *)addr == 0x5a ? 0 : 1;
}

static void
check_brk(void)
{
	uintptr_t start = syscall(SYS_brk, 0);
	uintptr_t top = syscall(SYS_brk, start + MIB);
	unsigned char *p = (unsigned char *)start;

	CHECK("brk_grow_1m", start != 0 && top == start + MIB, "brk(0) = %#lx, brk(+1 MiB) = %#lx",
	      (unsigned long)start, (unsigned long)top);
	if (top != start + MIB)
		return;
	long off = first_nonzero(p, MIB);
	CHECK("brk_new_memory_zero", off < 0, "nonzero byte at +%#lx", off);
	memset(p, 0xa5, MIB);
	CHECK("brk_memory_writable", p[0] == 0xa5 && p[MIB - 1] == 0xa5, "writes did not stick");

	uintptr_t back = syscall(SYS_brk, start);
	CHECK("brk_shrink", back == start, "brk(start) = %#lx, expected %#lx", (unsigned long)back,
	      (unsigned long)start);
	/* Well inside the given-back megabyte, clear of start's own page. */
	check_killed_by("brk_shrunk_memory_faults", run_in_child(touch, p + MIB / 2), SIGSEGV);

	top = syscall(SYS_brk, start + MIB);
	off = top == start + MIB ? first_nonzero(p, MIB) : 0;
	CHECK("brk_regrow_zero", off < 0,
	      "after shrink and regrow: brk %#lx, nonzero byte at +%#lx (old data kept?)",
	      (unsigned long)top, off);
	syscall(SYS_brk, start);
}

static void
check_mmap_anonymous(void)
{
	size_t len = 4 * MIB;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);

	CHECK("mmap_anon_4m", p != MAP_FAILED, "mmap: %s", strerror(errno));
	if (p == MAP_FAILED)
		return;
	long off = first_nonzero(p, len);
	CHECK("mmap_anon_zero", off < 0, "nonzero byte at +%#lx", off);
	CHECK("mmap_anon_writable", write_pages(p, len, 3), "writes did not stick");

	int r = munmap(p, len);
	CHECK("munmap_4m", r == 0, "munmap: %s", strerror(errno));
	check_killed_by("munmap_then_touch_faults", run_in_child(touch, p + len / 2), SIGSEGV);
}

/* Unmap the middle of three pages: a hole between two live pages. */
static void
check_munmap_middle(void)
{
	unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		CHECK("munmap_middle", 0, "mmap: %s", strerror(errno));
		return;
	}
	memset(p, 0x11, 3 * PAGE);
	long r = syscall(SYS_munmap, p + PAGE, PAGE);
	CHECK("munmap_middle", r == 0, "munmap: %s", strerror(errno));
	CHECK("munmap_middle_outer_pages_kept",
	      p[0] == 0x11 && p[PAGE - 1] == 0x11 && p[2 * PAGE] == 0x11 && p[3 * PAGE - 1] == 0x11,
	      "the outer pages lost their contents");
	p[0] = 0x22;
	p[3 * PAGE - 1] = 0x22;
	CHECK("munmap_middle_outer_pages_writable", p[0] == 0x22 && p[3 * PAGE - 1] == 0x22,
	      "writes did not stick");
	check_killed_by("munmap_middle_hole_faults", run_in_child(touch, p + PAGE + 8), SIGSEGV);
	munmap(p, 3 * PAGE);
}

static void
check_mprotect(void)
{
	unsigned char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);

	if (p == MAP_FAILED) {
		CHECK("mprotect_read_only", 0, "mmap: %s", strerror(errno));
		return;
	}
	p[100] = 0x5a;
	long r = syscall(SYS_mprotect, p, PAGE, PROT_READ);
	CHECK("mprotect_read_only", r == 0, "mprotect: %s", strerror(errno));
	check_killed_by("mprotect_write_faults", run_in_child(touch, p + 100), SIGSEGV);
	check_exited_with("mprotect_read_still_works", run_in_child(peek, p + 100), 0);
	CHECK("mprotect_contents_kept", p[100] == 0x5a, "byte is %#x, expected 0x5a", p[100]);
	munmap(p, PAGE);
}

static void
check_bad_arguments(void)
{
	long r = syscall(SYS_mmap, NULL, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	int e = errno;
	CHECK("mmap_length_0_einval", r == -1 && e == EINVAL, "returned %#lx, errno %d (%s)", r,
	      e, strerror(e));

	unsigned char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r = p == MAP_FAILED ? 0 : syscall(SYS_munmap, p + 1, PAGE);
	e = errno;
	CHECK("munmap_unaligned_einval", r == -1 && e == EINVAL, "returned %ld, errno %d (%s)", r,
	      e, strerror(e));
	if (p != MAP_FAILED)
		munmap(p, PAGE);
}

int
main(void)
{
	check_brk();
	check_mmap_anonymous();
	check_munmap_middle();
	check_mprotect();
	check_bad_arguments();
	return check_exit();
}
