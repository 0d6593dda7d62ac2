/*
 * tests/ktest/lab3.c - lab 3 (docs/labs/lab3.md): copies to and from user
 * memory, and the system-call dispatcher, called directly.
 *
 * The tests run before init exists, on the boot task, so nothing the
 * kernel did for itself can stand in for the code under test. Each copy
 * test builds an address space of its own and makes it the current one
 * for the test's length:
 *
 *   TEST_BASE             two pages, read-write, anonymous
 *   TEST_BASE + 2 pages   a hole: no region
 *   TEST_RO               one page, read-only, anonymous
 *   TOP_PAGE              the highest user page, read-write, right below
 *                         USER_TOP (the non-canonical hole begins there)
 *
 * What the tests put into user memory or read back from it goes through
 * mm_copy_to() and the direct map, never through the code under test.
 */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/trap.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define TEST_BASE  0x0000000040000000UL
#define TEST_HOLE  (TEST_BASE + 2 * PAGE_SIZE)
#define TEST_RO    (TEST_BASE + 4 * PAGE_SIZE)
#define TOP_PAGE   (USER_TOP - PAGE_SIZE)

#define NR_GETPID  39
#define NR_MMAP    9

static struct mm *space;           /* the test's address space, while it runs */

/* Three pages, so that even a copy that runs past both test pages reads only this. */
static unsigned char pattern[3 * PAGE_SIZE];

static void
fill_pattern(void)
{
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i * 7 + 3);
}

/* The byte at user address va of the test space, read through the direct map; -1 if unmapped. */
static int
user_byte(vaddr_t va)
{
	paddr_t pa;

	if (!vmm_translate(space->pml4, va, &pa, NULL))
		return -1;
	return *(unsigned char *)phys_to_virt(pa);
}

/* Whether [va, va+len) in the test space holds exactly buf. */
static bool
user_bytes_equal(vaddr_t va, const void *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (user_byte(va + i) != ((const unsigned char *)buf)[i])
			return false;
	return true;
}

static bool
all_bytes_are(const void *buf, size_t len, unsigned char b)
{
	for (size_t i = 0; i < len; i++)
		if (((const unsigned char *)buf)[i] != b)
			return false;
	return true;
}

/*
 * Runs body with the test address space current (current->mm and CR3),
 * then puts the boot task's back and frees the space, whatever body's
 * checks said.
 */
static void
in_test_space(void (*body)(void))
{
	struct mm *saved = current->mm;

	space = mm_create();
	if (!space) {
		ktest_fail(__FILE__, __LINE__, "no memory for a test address space");
		return;
	}
	if (vma_insert(space, TEST_BASE, TEST_BASE + 2 * PAGE_SIZE, VMA_READ | VMA_WRITE, VMA_ANON) ||
	    vma_insert(space, TEST_RO, TEST_RO + PAGE_SIZE, VMA_READ, VMA_ANON) ||
	    vma_insert(space, TOP_PAGE, USER_TOP, VMA_READ | VMA_WRITE, VMA_ANON)) {
		ktest_fail(__FILE__, __LINE__, "cannot add the test regions");
	} else {
		fill_pattern();
		current->mm = space;
		mm_activate(space);
		body();
		current->mm = saved;
		mm_activate(saved);
	}
	mm_destroy(space);
	space = NULL;
}

/* access_ok(): inside the user half, up to its very end, with no wrap-around. */
KTEST_GROUP(lab3_access_ok_ranges, "lab3")
{
	KT_ASSERT(access_ok(TEST_BASE, PAGE_SIZE));
	KT_ASSERT(access_ok(0x1000, USER_TOP - 0x1000));          /* all of it but page 0 */
	KT_ASSERT(access_ok(USER_TOP - 8, 8));                    /* ends right at USER_TOP */
	KT_ASSERT(!access_ok(USER_TOP - 8, 9));                   /* one byte too far */
	KT_ASSERT(!access_ok(USER_TOP - 8, 16));
	KT_ASSERT(!access_ok(USER_TOP, 1));
	KT_ASSERT(!access_ok(KERNEL_VMA, 8));                     /* the kernel image */
	KT_ASSERT(!access_ok(DIRECT_MAP_BASE, PAGE_SIZE));        /* all of RAM */
	KT_ASSERT(!access_ok((vaddr_t)pattern, 1));               /* a kernel buffer */
	KT_ASSERT(!access_ok(0x1000, (size_t)-0x800));            /* wraps around to 0x800 */
	KT_ASSERT(!access_ok(TEST_BASE, (size_t)0 - TEST_BASE + 16));
	KT_ASSERT(!access_ok((vaddr_t)-16, 32));
}

static void
copy_roundtrip(void)
{
	const vaddr_t at = TEST_BASE + PAGE_SIZE - 100;      /* crosses into the second page */
	unsigned char buf[300];

	KT_ASSERT_EQ(mm_copy_to(space, TEST_BASE, pattern, 2 * PAGE_SIZE), 0);

	memset(buf, 0, sizeof(buf));
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)at, sizeof(buf)), 0);
	KT_ASSERT(memcmp(buf, pattern + PAGE_SIZE - 100, sizeof(buf)) == 0);

	KT_ASSERT_EQ(copy_to_user((void *)(TEST_BASE + 10), pattern + 5000, 6000), 0);
	KT_ASSERT(user_bytes_equal(TEST_BASE + 10, pattern + 5000, 6000));
	KT_ASSERT_EQ(user_byte(TEST_BASE + 9), pattern[9]);           /* not a byte more */
	KT_ASSERT_EQ(user_byte(TEST_BASE + 6010), pattern[6010]);

	KT_ASSERT_EQ(copy_to_user_ptr(TEST_BASE + 1, "x", 1), 0);     /* the syscall-argument form */
	KT_ASSERT_EQ(user_byte(TEST_BASE + 1), 'x');
	KT_ASSERT_EQ(copy_from_user_ptr(buf, TEST_BASE + 1, 1), 0);
	KT_ASSERT_EQ(buf[0], 'x');
}

/* Present pages, copied both ways: every byte arrives, and no byte more. */
KTEST_GROUP(lab3_copy_roundtrip, "lab3")
{
	in_test_space(copy_roundtrip);
}

static void
copy_faults_in_pages(void)
{
	unsigned char buf[64];

	KT_ASSERT_EQ(user_byte(TEST_BASE), -1);                       /* not there yet */
	memset(buf, 0xaa, sizeof(buf));
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)(TEST_BASE + 8), sizeof(buf)), 0);
	KT_ASSERT(all_bytes_are(buf, sizeof(buf), 0));                /* a fresh page is zero */

	KT_ASSERT_EQ(user_byte(TEST_BASE + PAGE_SIZE), -1);
	KT_ASSERT_EQ(copy_to_user((void *)(TEST_BASE + PAGE_SIZE + 40), pattern, 100), 0);
	KT_ASSERT(user_bytes_equal(TEST_BASE + PAGE_SIZE + 40, pattern, 100));
	KT_ASSERT_EQ(user_byte(TEST_BASE + PAGE_SIZE), 0);

	KT_ASSERT_EQ(user_byte(TOP_PAGE), -1);                        /* the last user page */
	KT_ASSERT_EQ(copy_to_user((void *)(USER_TOP - 8), pattern, 8), 0);
	KT_ASSERT(user_bytes_equal(USER_TOP - 8, pattern, 8));
}

/*
 * Pages not touched yet: the copy itself faults, and the fault must be
 * resolved (demand paging) and the copy go on, not end in -EFAULT.
 */
KTEST_GROUP(lab3_copy_faults_in_pages, "lab3")
{
	in_test_space(copy_faults_in_pages);
}

static uint64_t kernel_victim = 0x1122334455667788UL;

static void
bad_pointers(void)
{
	unsigned char buf[32];
	uint64_t v;

	KT_ASSERT_EQ(mm_copy_to(space, TEST_BASE, pattern, 2 * PAGE_SIZE), 0);
	KT_ASSERT_EQ(mm_copy_to(space, TOP_PAGE, pattern, PAGE_SIZE), 0);

	/* NULL: page 0 is never mapped, so the copy faults and stops. */
	KT_ASSERT_EQ(copy_from_user(buf, NULL, 8), -EFAULT);
	KT_ASSERT_EQ(copy_to_user(NULL, pattern, 8), -EFAULT);

	/* Kernel addresses: refused before a byte moves, though the kernel could reach them. */
	memset(buf, 0xaa, sizeof(buf));
	KT_ASSERT_EQ(copy_from_user(buf, &kernel_victim, 8), -EFAULT);
	KT_ASSERT(all_bytes_are(buf, sizeof(buf), 0xaa));
	v = 0;
	KT_ASSERT_EQ(copy_to_user(&kernel_victim, &v, 8), -EFAULT);
	KT_ASSERT_EQ(kernel_victim, 0x1122334455667788UL);
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)KERNEL_VMA, 8), -EFAULT);
	KT_ASSERT_EQ(copy_from_user(buf, phys_to_virt(0x100000), 8), -EFAULT);
	KT_ASSERT(all_bytes_are(buf, sizeof(buf), 0xaa));

	/* A range that starts in the last user page and runs into the kernel half;
	 * its first half alone is good. */
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)(USER_TOP - 8), 16), -EFAULT);
	KT_ASSERT(all_bytes_are(buf, sizeof(buf), 0xaa));
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)(USER_TOP - 8), 8), 0);
	KT_ASSERT(memcmp(buf, pattern + PAGE_SIZE - 8, 8) == 0);
	memset(buf, 0xaa, sizeof(buf));
	KT_ASSERT_EQ(copy_to_user((void *)(USER_TOP - 8), &buf[8], 16), -EFAULT);
	KT_ASSERT(user_bytes_equal(USER_TOP - 8, pattern + PAGE_SIZE - 8, 8));

	/* A length so large that the end wraps around: nothing may be written. */
	KT_ASSERT_EQ(copy_to_user((void *)TEST_BASE, pattern + PAGE_SIZE, (size_t)0 - TEST_BASE + 16),
		     -EFAULT);
	KT_ASSERT(user_bytes_equal(TEST_BASE, pattern, 2 * PAGE_SIZE));
	KT_ASSERT_EQ(copy_to_user((void *)TEST_BASE, pattern + PAGE_SIZE, 16), 0);
	KT_ASSERT(user_bytes_equal(TEST_BASE, pattern + PAGE_SIZE, 16));
}

/* NULL, kernel addresses, ranges that run into the kernel half or wrap around. */
KTEST_GROUP(lab3_bad_pointers_efault, "lab3")
{
	in_test_space(bad_pointers);
}

static void
unmapped_and_readonly(void)
{
	unsigned char buf[32];

	/* No region at all. */
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)TEST_HOLE, 8), -EFAULT);
	KT_ASSERT_EQ(copy_to_user((void *)(TEST_HOLE + 100), pattern, 8), -EFAULT);
	KT_ASSERT_EQ(user_byte(TEST_HOLE), -1);

	/* A range that starts in a region and runs off its end into the hole. */
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)(TEST_HOLE - 16), 32), -EFAULT);
	KT_ASSERT_EQ(copy_to_user((void *)(TEST_HOLE - 16), pattern, 32), -EFAULT);
	KT_ASSERT_EQ(user_byte(TEST_HOLE), -1);

	/* A read-only region: readable, but never written. */
	memset(buf, 0xaa, sizeof(buf));
	KT_ASSERT_EQ(copy_from_user(buf, (const void *)TEST_RO, sizeof(buf)), 0);
	KT_ASSERT(all_bytes_are(buf, sizeof(buf), 0));
	KT_ASSERT_EQ(copy_to_user((void *)(TEST_RO + 64), pattern, 16), -EFAULT);
	for (int i = 0; i < 16; i++)
		KT_ASSERT_EQ(user_byte(TEST_RO + 64 + (vaddr_t)i), 0);
}

/* Addresses with no region behind them, and a region the copy may not write. */
KTEST_GROUP(lab3_unmapped_and_readonly_efault, "lab3")
{
	in_test_space(unmapped_and_readonly);
}

/* Runs system call nr through the dispatcher as syscall_entry would; returns RAX. */
static long
dispatch(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	 uint64_t a5, uint64_t rcx)
{
	struct trap_frame tf;

	memset(&tf, 0, sizeof(tf));
	tf.rax = nr;
	tf.rdi = a0;
	tf.rsi = a1;
	tf.rdx = a2;
	tf.r10 = a3;
	tf.r8 = a4;
	tf.r9 = a5;
	tf.rcx = rcx;                      /* the user's RIP, as `syscall` leaves it */
	syscall_dispatch(&tf);
	sti();                             /* it returns with interrupts off, for sysretq */
	return (long)tf.rax;
}

/* Numbers with no entry: past the table, holes in it, "negative" ones. */
KTEST_GROUP(lab3_dispatch_unknown_is_enosys, "lab3")
{
	static const uint64_t unknown[] = {
		1000,                         /* past the table (faccessat2 is 439) */
		184,                          /* tuxcall: a hole in it */
		183,                          /* afs_syscall: another, never to be filled */
		(uint64_t)-1,                 /* what syscall(-1) puts in RAX */
		1UL << 63,
	};

	for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
		long r = dispatch(unknown[i], 1, 2, 3, 4, 5, 6, 0x401000);
		if (r != -ENOSYS) {
			ktest_fail(__FILE__, __LINE__, "system call %#lx returned %ld, not -ENOSYS (%d)",
				   unknown[i], r, -ENOSYS);
			return;
		}
	}
	KT_ASSERT_EQ(dispatch(NR_GETPID, 0, 0, 0, 0, 0, 0, 0x401000), current->pid);
}

static void
dispatch_arguments(void)
{
	const uint64_t flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	const vaddr_t a = 0x50000000UL, b = 0x60000000UL;
	struct vma *v;

	/* mmap(addr, len, prot, flags, fd, off): RDI RSI RDX R10 R8 R9. RCX holds junk. */
	KT_ASSERT_EQ(dispatch(NR_MMAP, a, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, flags, (uint64_t)-1, 0,
			      0x401000), (long)a);
	v = vma_find(space, a);
	KT_ASSERT(v != NULL);
	KT_ASSERT_EQ(v->start, a);
	KT_ASSERT_EQ(v->end, a + 3 * PAGE_SIZE);
	KT_ASSERT_EQ(v->prot, VMA_READ | VMA_WRITE);

	KT_ASSERT_EQ(dispatch(NR_MMAP, b, PAGE_SIZE, PROT_READ, flags, (uint64_t)-1, 0, 0x401000), (long)b);
	v = vma_find(space, b);
	KT_ASSERT(v != NULL);
	KT_ASSERT_EQ(v->prot, VMA_READ);

	/* The fourth argument is R10, not RCX (which `syscall` overwrote with the RIP). */
	KT_ASSERT_EQ(dispatch(NR_MMAP, b + 16 * PAGE_SIZE, PAGE_SIZE, PROT_READ, 0, (uint64_t)-1, 0, flags),
		     -EINVAL);
	KT_ASSERT(vma_find(space, b + 16 * PAGE_SIZE) == NULL);
}

/* The six argument registers reach the system call, in their order. */
KTEST_GROUP(lab3_dispatch_passes_arguments, "lab3")
{
	in_test_space(dispatch_arguments);
}
