/*
 * mm/sys_mm.c - brk, mmap, munmap, mprotect: a process asks for memory.
 *
 * None of these touches a frame: they only change regions (mm/vma.c).
 * Frames come later, one page at a time, when the program touches them
 * (mm/fault.c) - and munmap gives back whatever was touched.
 */
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "mm/layout.h"
#include "mm/mm.h"

#define MMAP_MIN_ADDR 0x10000UL     /* as Linux's vm.mmap_min_addr */

static bool
range_ok(vaddr_t addr, size_t len)
{
	return addr >= MMAP_MIN_ADDR && addr + len > addr && addr + len <= USER_TOP;
}

/*
 * Moves the end of the heap. Returns the new end, or the old one when the
 * request cannot be met (Linux's brk never returns an error code).
 */
long
sys_brk(unsigned long addr)
{
	struct mm *mm = current->mm;
	vaddr_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(addr, PAGE_SIZE);

	if (addr < mm->brk_start || addr >= USER_MMAP_BASE)
		return (long)mm->brk;
	if (new_end > old_end) {
		if (vma_find_intersection(mm, old_end, new_end + STACK_GUARD_GAP) ||
		    vma_insert(mm, old_end, new_end, VMA_READ | VMA_WRITE, VMA_ANON | VMA_HEAP))
			return (long)mm->brk;
	} else if (new_end < old_end) {
		mm_unmap_range(mm, new_end, old_end);
	}
	mm->brk = addr;
	return (long)mm->brk;
}

/* Anonymous private mappings (files come with demand paging of files). */
long
sys_mmap(unsigned long addr, size_t len, int prot, int flags, int fd, int64_t off)
{
	struct mm *mm = current->mm;
	unsigned vprot = (unsigned)prot & (VMA_READ | VMA_WRITE | VMA_EXEC);
	int err;

	if (len == 0 || (addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;
	if ((flags & (MAP_SHARED | MAP_PRIVATE)) != MAP_PRIVATE)
		return -EINVAL;              /* shared memory is not supported */
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!range_ok(addr, len))
			return -ENOMEM;
		if (vma_find_intersection(mm, addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			err = mm_unmap_range(mm, addr, addr + len);
			if (err)
				return err;
		}
	} else if (!addr || !range_ok(addr, len) || vma_find_intersection(mm, addr, addr + len)) {
		addr = vma_find_free(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	err = vma_insert(mm, addr, addr + len, vprot, VMA_ANON);
	return err ? err : (long)addr;
}

long
sys_munmap(unsigned long addr, size_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || len == 0)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr + len < addr || addr + len > USER_TOP)
		return -EINVAL;
	return mm_unmap_range(current->mm, addr, addr + len);
}

long
sys_mprotect(unsigned long addr, size_t len, int prot)
{
	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return 0;
	if (addr + len < addr || addr + len > USER_TOP)
		return -ENOMEM;
	return mm_protect(current->mm, addr, addr + len, (unsigned)prot);
}
