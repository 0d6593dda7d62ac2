/*
 * tests/ktest/lab_as.h - a test address space for the labs' in-kernel
 * tests (tests/ktest/lab4.c, lab5.c): faults raised by hand with
 * vm_fault(), PTEs read back, a file of the root disk to map.
 *
 * The tests never switch to the test address space: they look at its
 * PTEs with vmm_walk()/vmm_read() and at its frames through the direct
 * map, so the student's fault handlers run on objects that nothing else
 * in the kernel uses (init's stack, say, would hide a broken handler).
 */
#ifndef TESTS_KTEST_LAB_AS_H
#define TESTS_KTEST_LAB_AS_H

#include "kernel/fs/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/fault.h"
#include "mm/mm.h"
#include "mm/pmm.h"

/* Where the tests put their regions: ordinary user addresses, far from the stack. */
#define LAB_VA      0x0000000010000000UL
#define LAB_FILE    "/bin/tinysh"   /* a file of the root disk, several pages long */

static const char *lab_why;    /* what the last vm_fault() said of a SEGV or SIGBUS */

/* An access at addr in mm, as pf.c would decode it: a user read or write of a missing page. */
static inline enum fault_result
lab_touch(struct mm *mm, vaddr_t addr, bool write)
{
	struct fault f = { .addr = addr, .write = write, .user = true };

	return vm_fault(mm, &f, &lab_why);
}

/* A user write to a page that is mapped read-only (a write-protect fault). */
static inline enum fault_result
lab_write_protected(struct mm *mm, vaddr_t addr)
{
	struct fault f = { .addr = addr, .present = true, .write = true, .user = true };

	return vm_fault(mm, &f, &lab_why);
}

static inline const char *
lab_result_name(enum fault_result r)
{
	switch (r) {
	case FAULT_OK:
		return "FAULT_OK";
	case FAULT_SEGV:
		return "FAULT_SEGV";
	case FAULT_OOM:
		return "FAULT_OOM";
	case FAULT_SIGBUS:
		return "FAULT_SIGBUS";
	}
	return "an unknown result";
}

/*
 * Fails the test unless the fault `call` (lab_touch(), lab_write_protected())
 * gave `want`; the message names both results, and the reason vm_fault() gave.
 */
#define LAB_FAULT(call, want)                                                         \
	do {                                                                          \
		enum fault_result lab_r_ = (call);                                    \
		if (lab_r_ != (want)) {                                               \
			ktest_fail(__FILE__, __LINE__, "%s gave %s, not %s%s%s", #call, \
				   lab_result_name(lab_r_), lab_result_name(want),    \
				   lab_why ? ": " : "", lab_why ? lab_why : "");      \
			return;                                                       \
		}                                                                     \
	} while (0)

/* What the PTE of va in mm holds (VMM_NONE when there is not even a page table). */
static inline struct vmm_entry
lab_pte(struct mm *mm, vaddr_t va)
{
	pte_t *pte = vmm_walk(mm->pml4, va, false);
	struct vmm_entry none = { .kind = VMM_NONE };

	return pte ? vmm_read(*pte) : none;
}

/* The frame mapped at va, or NULL. */
static inline struct page *
lab_page(struct mm *mm, vaddr_t va)
{
	struct vmm_entry e = lab_pte(mm, va);

	return e.kind == VMM_PAGE ? phys_to_page(e.pa) : NULL;
}

static inline bool
lab_all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * Takes n free frames, fills them with a pattern and gives them back: the
 * allocator hands them out again next, so a handler that forgets to zero
 * a new anonymous page shows the pattern.
 */
static inline void
lab_dirty_free_frames(int n)
{
	struct page *held[64];

	n = MIN(n, 64);
	for (int i = 0; i < n; i++) {
		held[i] = pmm_alloc_pages(0);
		if (held[i])
			memset(page_address(held[i]), 0xa5, PAGE_SIZE);
	}
	for (int i = n - 1; i >= 0; i--)
		if (held[i])
			pmm_free_pages(held[i], 0);
}

/* Opens LAB_FILE of the root disk (ext2: it has a page cache). NULL if it cannot. */
static inline struct file *
lab_open_file(void)
{
	struct file *f;

	if (!ext2fs_mounted() || vfs_open(LAB_FILE, O_RDONLY, &f) != 0)
		return NULL;
	if (!f->mapping || f->size < 3 * PAGE_SIZE) {
		file_put(f);
		return NULL;
	}
	return f;
}

/* Closes the file and drops its cached pages (and inode), so every frame comes back. */
static inline void
lab_close_file(struct file *f)
{
	file_put(f);
	ext2fs_drop_caches();
}

/*
 * A private mapping of f's pages from pgoff on, `pages` pages long at
 * start, with the rights prot (VMA_*); the file's data ends where f ends.
 */
static inline int
lab_map_file(struct mm *mm, vaddr_t start, uint64_t pages, unsigned prot, struct file *f,
	     uint64_t pgoff)
{
	struct vma tmpl = {
		.start = start, .end = start + pages * PAGE_SIZE, .prot = prot, .file = f,
		.pgoff = pgoff, .file_end = start + (f->size - pgoff * PAGE_SIZE),
	};

	return vma_add(mm, &tmpl);
}

#endif
