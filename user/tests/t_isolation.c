/*
 * t_isolation - user space cannot touch the kernel, and the kernel does
 * not trust user pointers (docs/design.md section 7).
 *
 * Faults: reading kernel text, writing the direct map, jumping into the
 * kernel, dereferencing NULL and executing the stack (NX) must each kill
 * a child with SIGSEGV. Syscalls: a bad buffer (kernel half, NULL, or one
 * that runs off the end of mapped memory) must give -EFAULT, never a
 * kernel fault and never a partial copy.
 *
 * The addresses follow pagoda's layout: kernel text at 0xffffffff80100000,
 * the direct map from 0xffff800000000000. On a host Linux they are kernel
 * addresses too, so the same checks hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "check.h"

#define KERNEL_TEXT 0xffffffff80100000ul
#define DIRECT_MAP 0xffff800000000000ul
#define PAGE 4096ul

static volatile uintptr_t zero;	/* 0 the compiler cannot see through */
static const char *self;	/* argv[0]: a file we can surely open */

static int
read_kernel_text(void *unused)
{
	(void)unused;
	return *(volatile char *)KERNEL_TEXT;
}

static int
write_direct_map(void *unused)
{
	(void)unused;
	*(volatile char *)(DIRECT_MAP + PAGE) = 1;
	return 100;
}

static int
call_kernel_text(void *unused)
{
	void (*fn)(void) = (void (*)(void))KERNEL_TEXT;

	(void)unused;
	fn();
	return 100;
}

static int
null_dereference(void *unused)
{
	(void)unused;
	return *(volatile char *)zero;
}

/* A 'ret' instruction on the stack: calling it must fault, the stack is NX. */
static int
execute_stack(void *unused)
{
	volatile unsigned char code[16] = { 0xc3 };
	void (*fn)(void) = (void (*)(void))(uintptr_t)code;

	(void)unused;
	fn();
	return 100;
}

static void
check_faults(void)
{
	check_killed_by("read_kernel_text_sigsegv", run_in_child(read_kernel_text, NULL), SIGSEGV);
	check_killed_by("write_direct_map_sigsegv", run_in_child(write_direct_map, NULL), SIGSEGV);
	check_killed_by("call_kernel_text_sigsegv", run_in_child(call_kernel_text, NULL), SIGSEGV);
	check_killed_by("null_dereference_sigsegv", run_in_child(null_dereference, NULL), SIGSEGV);
	check_killed_by("execute_stack_sigsegv", run_in_child(execute_stack, NULL), SIGSEGV);
}

/* Checks that a raw syscall returned -1 with errno EFAULT. */
static void
check_efault(const char *name, long r, int err)
{
	CHECK(name, r == -1 && err == EFAULT, "returned %ld, errno %d (%s)", r,
	      r == -1 ? err : 0, r == -1 ? strerror(err) : "none");
}

/*
 * Bad buffers handed to write(1, ...). Linux checks the range first
 * (access_ok) and then copies as the file needs: stdout must be a file,
 * pipe or terminal, since /dev/null never reads the buffer and so "writes"
 * NULL without complaint.
 */
static void
check_write_bad_buffers(void)
{
	long r = syscall(SYS_write, 1, KERNEL_TEXT, 16);
	check_efault("write_from_kernel_text_efault", r, errno);
	r = syscall(SYS_write, 1, NULL, 1);
	check_efault("write_from_null_efault", r, errno);
}

/*
 * read() into the direct map, from something that has data to give, so the
 * kernel really gets to the copy: our own program file and a pipe.
 */
static void
check_read_into_kernel(void)
{
	int fd = open(self, O_RDONLY);
	long r = fd < 0 ? -2 : syscall(SYS_read, fd, DIRECT_MAP, 16);
	check_efault("read_file_into_direct_map_efault", r, errno);
	if (fd >= 0)
		close(fd);

	int p[2];
	if (pipe(p) < 0) {
		CHECK("read_pipe_into_direct_map_efault", 0, "pipe: %s", strerror(errno));
		return;
	}
	(void)!write(p[1], "0123456789abcdef", 16);
	r = syscall(SYS_read, p[0], DIRECT_MAP, 16);
	check_efault("read_pipe_into_direct_map_efault", r, errno);
	close(p[0]);
	close(p[1]);
}

/*
 * A 32-byte buffer whose first 16 bytes are the last bytes of the highest
 * user page: the rest lies beyond user space. That page is 0x7ffffffff000
 * on pagoda; Linux keeps it as a guard, and its highest user page is
 * 0x7fffffffe000. We map the page if it is free (MAP_FIXED_NOREPLACE, so a
 * stack already there is not clobbered) or use it as it is if it is already
 * mapped (EEXIST).
 */
static void
check_write_straddling_user_end(void)
{
	static const uintptr_t tops[] = { 0x7ffffffff000ul, 0x7fffffffe000ul };
	char *page = NULL;
	int mapped_here = 0;

	for (size_t i = 0; i < 2 && !page; i++) {
		void *p = mmap((void *)tops[i], PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == (void *)tops[i]) {
			page = p;
			mapped_here = 1;
		} else if (p == MAP_FAILED && errno == EEXIST) {
			page = (char *)tops[i];
		} else if (p != MAP_FAILED) {
			munmap(p, PAGE);	/* a kernel that took it as a hint */
		}
	}
	if (!page) {
		CHECK("write_straddling_user_end_efault", 0,
		      "cannot map 0x7ffffffff000 or 0x7fffffffe000: %s", strerror(errno));
		return;
	}
	if (mapped_here)
		memset(page, '\n', PAGE);
	long r = syscall(SYS_write, 1, page + PAGE - 16, 32);
	check_efault("write_straddling_user_end_efault", r, errno);
	if (mapped_here)
		munmap(page, PAGE);
}

/*
 * The same with an ordinary page followed by a hole: map two pages, unmap
 * the second, write 32 bytes starting 16 bytes before the hole. This one
 * writes into a pipe, not stdout: for a terminal or a file, Linux copies the
 * 16 readable bytes and returns 16 (a short write, not EFAULT); for a pipe
 * it returns EFAULT, which is what pagoda promises for every descriptor.
 */
static void
check_write_straddling_hole(void)
{
	int p[2];
	char *page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED || pipe(p) < 0) {
		CHECK("write_straddling_hole_efault", 0, "mmap or pipe: %s", strerror(errno));
		return;
	}
	munmap(page + PAGE, PAGE);
	memset(page, 'x', PAGE);
	long r = syscall(SYS_write, p[1], page + PAGE - 16, 32);
	check_efault("write_straddling_hole_efault", r, errno);
	munmap(page, PAGE);
	close(p[0]);
	close(p[1]);
}

int
main(int argc, char **argv)
{
	self = argc > 0 ? argv[0] : "/bin/t_isolation";
	check_faults();
	check_write_bad_buffers();
	check_read_into_kernel();
	check_write_straddling_user_end();
	check_write_straddling_hole();
	return check_exit();
}
