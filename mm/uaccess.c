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
 *
 * mm_copy_to() is the other way into a process's memory: into an address
 * space that need not be the active one (exec, clone's child tid), through
 * page faults and the direct map.
 *
 * A kernel thread has no user memory, although it runs on the tables of
 * the last process (mm_activate() is lazy): its user copies all fail.
 */
#include "mm/uaccess.h"
#include "kernel/task.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/fault.h"
#include "mm/layout.h"
#include "mm/mm.h"
#include "mm/pmm.h"

uint64_t uaccess_copy(void *dst, const void *src, uint64_t n);
extern char uaccess_copy_insn[], uaccess_copy_fixup[];

/* True if [uaddr, uaddr+len) is wholly inside the user half. */
bool
access_ok(vaddr_t uaddr, size_t len)
{
	/* LAB 3 BEGIN: the range must end at or below USER_TOP, and uaddr + len must not wrap around */
	return uaddr + len >= uaddr && uaddr + len <= USER_TOP;
	/* LAB 3 STUB: static bool warned; */
	/* LAB 3 STUB: (void)uaddr; (void)len; */
	/* LAB 3 STUB: if (!warned) printk("lab 3: access_ok not implemented\n"); */
	/* LAB 3 STUB: warned = true; */
	/* LAB 3 STUB: return false; */
	/* LAB 3 END */
}

static uint64_t
copy_with_user_access(void *dst, const void *src, size_t len)
{
	uint64_t left;

	if (!current->mm)               /* a kernel thread: the loaded tables are not its */
		return len;
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
	/* LAB 3 BEGIN: check the range, then copy with user access allowed; any byte not copied is -EFAULT */
	if (!access_ok((vaddr_t)usrc, len))
		return -EFAULT;
	return copy_with_user_access(dst, usrc, len) ? -EFAULT : 0;
	/* LAB 3 STUB: static bool warned; */
	/* LAB 3 STUB: (void)dst; (void)usrc; (void)len; (void)copy_with_user_access; */
	/* LAB 3 STUB: if (!warned) printk("lab 3: copy_from_user not implemented\n"); */
	/* LAB 3 STUB: warned = true; */
	/* LAB 3 STUB: return -EFAULT; */
	/* LAB 3 END */
}

/* Returns 0, or -EFAULT if any byte of the user buffer is not writable. */
int
copy_to_user(void *udst, const void *src, size_t len)
{
	/* LAB 3 BEGIN: the same in the other direction */
	if (!access_ok((vaddr_t)udst, len))
		return -EFAULT;
	return copy_with_user_access(udst, src, len) ? -EFAULT : 0;
	/* LAB 3 STUB: static bool warned; */
	/* LAB 3 STUB: (void)udst; (void)src; (void)len; (void)copy_with_user_access; */
	/* LAB 3 STUB: if (!warned) printk("lab 3: copy_to_user not implemented\n"); */
	/* LAB 3 STUB: warned = true; */
	/* LAB 3 STUB: return -EFAULT; */
	/* LAB 3 END */
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
	/* LAB 3 BEGIN: only a fault at uaccess_copy_insn is ours: then resume at uaccess_copy_fixup */
	if (*rip != (vaddr_t)uaccess_copy_insn)
		return false;
	*rip = (vaddr_t)uaccess_copy_fixup;
	return true;
	/* LAB 3 STUB: printk("lab 3: uaccess_fixup not implemented: a fault at %#lx is fatal\n", *rip); */
	/* LAB 3 STUB: return false; */
	/* LAB 3 END */
}

/*
 * Copies len bytes from the kernel to dst in mm, which need not be the
 * active address space: pages are faulted in as a write would, then
 * written through the direct map. Returns 0, -EFAULT or -ENOMEM. Sleeps.
 */
int
mm_copy_to(struct mm *mm, vaddr_t dst, const void *src, size_t len)
{
	const char *why;

	while (len > 0) {
		size_t chunk = MIN(len, PAGE_SIZE - (dst & (PAGE_SIZE - 1)));
		struct fault f = { .addr = dst, .write = true, .user = true };
		paddr_t pa;
		enum fault_result r = vm_fault(mm, &f, &why);
		if (r != FAULT_OK)
			return r == FAULT_OOM ? -ENOMEM : -EFAULT;
		if (!vmm_translate(mm->pml4, dst, &pa, NULL))
			continue;                /* the fault was undone meanwhile: again */
		memcpy(phys_to_virt(pa), src, chunk);
		dst += chunk;
		src = (const char *)src + chunk;
		len -= chunk;
	}
	return 0;
}
