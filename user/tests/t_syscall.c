/*
 * t_syscall - the system-call boundary (lab 3, docs/labs/lab3.md).
 *
 * Numbers the kernel has no call for give ENOSYS; the six arguments
 * arrive in their registers (the fourth in R10: `syscall` itself writes
 * the return address into RCX); every register but RAX, RCX and R11
 * comes back unchanged, RSP too; bad buffers give EFAULT.
 *
 * No fork and no signals: this program needs only the system-call path
 * and demand paging. It runs on the host Linux too (tests/user-host.sh),
 * whose answers pagoda must match.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "check.h"

#define PAGE 4096ul
#define KERNEL_TEXT 0xffffffff80100000ul
#define DIRECT_MAP 0xffff800000000000ul
#define USER_END 0x0000800000000000ul	/* the first address past user space */

static const char *self;	/* argv[0]: a file we can surely open */

/* Checks that a raw syscall returned -1 with errno want. */
static void
check_errno(const char *name, long r, int err, int want)
{
	CHECK(name, r == -1 && err == want, "returned %ld, errno %d (%s), expected %s", r,
	      r == -1 ? err : 0, r == -1 ? strerror(err) : "none", strerror(want));
}

/* Past the table, holes Linux keeps unfilled, and "negative" numbers. */
static void
check_enosys(void)
{
	long r = syscall(1000);		/* past any table: Linux's numbers end below 500 */
	check_errno("enosys_past_the_table", r, errno, ENOSYS);
	r = syscall(184);		/* tuxcall */
	check_errno("enosys_hole_in_the_table", r, errno, ENOSYS);
	r = syscall(183);		/* afs_syscall */
	check_errno("enosys_another_hole", r, errno, ENOSYS);
	r = syscall(-1);
	check_errno("enosys_minus_one", r, errno, ENOSYS);
	r = syscall(SYS_getpid);
	CHECK("known_number_still_works", r == getpid() && r > 0, "getpid gave %ld", r);
}

/*
 * pread64(fd, buf, len, off) has its offset in R10, mmap(addr, len, prot,
 * flags, fd, off) its flags in R10, fd in R8 and offset in R9: both must
 * see the bytes that lseek + read sees at offset PAGE of our own file.
 */
static void
check_arguments(void)
{
	unsigned char want[64], got[64];
	int fd = open(self, O_RDONLY);

	if (fd < 0 || lseek(fd, PAGE, SEEK_SET) != (off_t)PAGE || read(fd, want, 64) != 64) {
		CHECK("pread64_offset_in_r10", 0, "cannot read %s at %lu: %s", self, PAGE,
		      strerror(errno));
		return;
	}
	memset(got, 0, sizeof(got));
	long r = syscall(SYS_pread64, fd, got, 64, PAGE);
	CHECK("pread64_offset_in_r10", r == 64 && memcmp(got, want, 64) == 0,
	      "returned %ld (%s)", r, r < 0 ? strerror(errno) : "other bytes");

	unsigned char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	CHECK("mmap_fd_in_r8_offset_in_r9", p != MAP_FAILED && memcmp(p, want, 64) == 0,
	      "%s", p == MAP_FAILED ? strerror(errno) : "other bytes at the mapping");
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	close(fd);
}

/* The registers before and after one getpid, and RSP around it. Global:
 * the assembly below names them. */
uint64_t t_syscall_regs_in[10], t_syscall_regs_out[12];

static void
check_registers_preserved(void)
{
	static const char *names[10] = { "rbx", "rdi", "rsi", "rdx", "r8", "r9", "r10",
					 "r12", "r13", "r14" };

	for (int i = 0; i < 10; i++)
		t_syscall_regs_in[i] = 0x0101010101010101ul * (uint64_t)(i + 1) ^ 0x8000000000000005ul;
	__asm__ volatile(
		"mov t_syscall_regs_in+0(%%rip), %%rbx\n\t"
		"mov t_syscall_regs_in+8(%%rip), %%rdi\n\t"
		"mov t_syscall_regs_in+16(%%rip), %%rsi\n\t"
		"mov t_syscall_regs_in+24(%%rip), %%rdx\n\t"
		"mov t_syscall_regs_in+32(%%rip), %%r8\n\t"
		"mov t_syscall_regs_in+40(%%rip), %%r9\n\t"
		"mov t_syscall_regs_in+48(%%rip), %%r10\n\t"
		"mov t_syscall_regs_in+56(%%rip), %%r12\n\t"
		"mov t_syscall_regs_in+64(%%rip), %%r13\n\t"
		"mov t_syscall_regs_in+72(%%rip), %%r14\n\t"
		"mov %%rsp, t_syscall_regs_out+80(%%rip)\n\t"
		"mov $39, %%eax\n\t"	/* getpid */
		"syscall\n\t"
		"mov %%rsp, t_syscall_regs_out+88(%%rip)\n\t"
		"mov %%rbx, t_syscall_regs_out+0(%%rip)\n\t"
		"mov %%rdi, t_syscall_regs_out+8(%%rip)\n\t"
		"mov %%rsi, t_syscall_regs_out+16(%%rip)\n\t"
		"mov %%rdx, t_syscall_regs_out+24(%%rip)\n\t"
		"mov %%r8, t_syscall_regs_out+32(%%rip)\n\t"
		"mov %%r9, t_syscall_regs_out+40(%%rip)\n\t"
		"mov %%r10, t_syscall_regs_out+48(%%rip)\n\t"
		"mov %%r12, t_syscall_regs_out+56(%%rip)\n\t"
		"mov %%r13, t_syscall_regs_out+64(%%rip)\n\t"
		"mov %%r14, t_syscall_regs_out+72(%%rip)\n\t"
		: : : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
		  "r13", "r14", "memory", "cc");

	int bad = -1;
	for (int i = 0; i < 10 && bad < 0; i++)
		if (t_syscall_regs_out[i] != t_syscall_regs_in[i])
			bad = i;
	CHECK("registers_preserved", bad < 0, "%s was %#lx, came back %#lx", bad < 0 ? "" : names[bad],
	      bad < 0 ? 0 : t_syscall_regs_in[bad], bad < 0 ? 0 : t_syscall_regs_out[bad]);
	CHECK("stack_pointer_preserved", t_syscall_regs_out[80 / 8] == t_syscall_regs_out[88 / 8],
	      "rsp %#lx before, %#lx after", t_syscall_regs_out[10], t_syscall_regs_out[11]);
}

/*
 * Bad buffers, on a pipe (for which Linux, too, answers EFAULT rather than
 * a short count): NULL, the kernel's text and direct map, a range that
 * runs off the end of user space, and one that runs into unmapped memory.
 */
static void
check_bad_buffers(void)
{
	int p[2];
	long r;

	if (pipe(p) < 0) {
		CHECK("pipe", 0, "%s", strerror(errno));
		return;
	}
	r = syscall(SYS_write, p[1], NULL, 1);
	check_errno("write_from_null_efault", r, errno, EFAULT);
	r = syscall(SYS_write, p[1], KERNEL_TEXT, 16);
	check_errno("write_from_kernel_text_efault", r, errno, EFAULT);
	r = syscall(SYS_write, p[1], USER_END - 8, 16);
	check_errno("write_across_user_end_efault", r, errno, EFAULT);

	(void)!write(p[1], "0123456789abcdef", 16);
	r = syscall(SYS_read, p[0], DIRECT_MAP, 16);
	check_errno("read_into_direct_map_efault", r, errno, EFAULT);

	char *page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		CHECK("write_into_hole_efault", 0, "mmap: %s", strerror(errno));
	} else {
		munmap(page + PAGE, PAGE);
		memset(page, 'x', PAGE);
		r = syscall(SYS_write, p[1], page + PAGE - 16, 32);
		check_errno("write_into_hole_efault", r, errno, EFAULT);
		munmap(page, PAGE);
	}
	close(p[0]);
	close(p[1]);
}

int
main(int argc, char **argv)
{
	self = argc > 0 ? argv[0] : "/bin/t_syscall";
	check_enosys();
	check_arguments();
	check_registers_preserved();
	check_bad_buffers();
	return check_exit();
}
