/*
 * mm/uaccess.c - copy_from_user, copy_to_user, strncpy_from_user.
 *
 * A pointer from user space is checked twice. First its range: it must
 * lie wholly in the user half (a buffer that starts in user space and
 * runs into the kernel half is refused, not partly copied). Then the copy
 * itself may fault - a page not yet touched, a copy-on-write page, or no
 * mapping at all - and mm/x86/uaccess.asm turns an unfixable fault into a
 * short copy, which we return as -EFAULT. Never a kernel crash.
 *
 * With SMAP on, the kernel may only touch user pages between stac and
 * clac (EFLAGS.AC set), and only here does it.
 */
#include "mm/uaccess.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "mm/layout.h"

uint64_t uaccess_copy(void *dst, const void *src, uint64_t n);
extern char uaccess_copy_insn[], uaccess_copy_fixup[];

/* True if [uaddr, uaddr+len) is wholly inside the user half. */
bool
access_ok(vaddr_t uaddr, size_t len)
{
	return uaddr + len >= uaddr && uaddr + len <= USER_TOP;
}

static uint64_t
copy_with_user_access(void *dst, const void *src, size_t len)
{
	uint64_t left;

	if (cpu.smap)
		__asm__ volatile("stac" ::: "memory");
	left = uaccess_copy(dst, src, len);
	if (cpu.smap)
		__asm__ volatile("clac" ::: "memory");
	return left;
}

/* Returns 0, or -EFAULT if any byte of the user buffer is not readable. */
int
copy_from_user(void *dst, const void *usrc, size_t len)
{
	if (!access_ok((vaddr_t)usrc, len))
		return -EFAULT;
	return copy_with_user_access(dst, usrc, len) ? -EFAULT : 0;
}

/* Returns 0, or -EFAULT if any byte of the user buffer is not writable. */
int
copy_to_user(void *udst, const void *src, size_t len)
{
	if (!access_ok((vaddr_t)udst, len))
		return -EFAULT;
	return copy_with_user_access(udst, src, len) ? -EFAULT : 0;
}

/*
 * Copies a NUL-terminated string of at most size-1 characters. Returns its
 * length, -EFAULT, or -ENAMETOOLONG if no NUL comes within size bytes.
 */
long
strncpy_from_user(char *dst, const char *usrc, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (copy_from_user(&dst[i], usrc + i, 1))
			return -EFAULT;
		if (dst[i] == '\0')
			return (long)i;
	}
	return -ENAMETOOLONG;
}

/* For the page-fault handler: if *rip is the user copy, move it to the fixup. */
bool
uaccess_fixup(vaddr_t *rip)
{
	if (*rip != (vaddr_t)uaccess_copy_insn)
		return false;
	*rip = (vaddr_t)uaccess_copy_fixup;
	return true;
}
