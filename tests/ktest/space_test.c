/*
 * tests/ktest/space_test.c - the test address space of the labs' kernel
 * tests (space_test.h draws it and says who uses it).
 */
#include "tests/ktest/space_test.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/x86.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"

vaddr_t
space_va(int i)
{
	return SPACE_BASE + (vaddr_t)i * PAGE_SIZE;
}

/* Gives s's address space its one region, read-write and anonymous. 0 or -ENOMEM. */
static int
add_region(struct test_space *s, int npages)
{
	s->npages = npages;
	if (vma_insert(s->mm, SPACE_BASE, space_va(npages), VMA_READ | VMA_WRITE, VMA_ANON)) {
		space_destroy(s);
		return -ENOMEM;
	}
	return 0;
}

/* A new address space with an anonymous region of npages pages, none mapped. 0 or -ENOMEM. */
int
space_create(struct test_space *s, int npages)
{
	ASSERT(npages <= SPACE_MAX_PAGES);
	if ((s->mm = mm_create()) == NULL)
		return -ENOMEM;
	return add_region(s, npages);
}

/*
 * A new address space in the fork family of parent's, with the same
 * region and nothing mapped: what fork makes, before it copies the
 * entries (space_copy_entry() copies one). 0 or -ENOMEM.
 */
int
space_share(struct test_space *s, const struct test_space *parent)
{
	if ((s->mm = mm_create()) == NULL)
		return -ENOMEM;
	anon_root_leave(s->mm);               /* its own family, empty: freed */
	anon_root_join(parent->mm->anon_root, s->mm);
	return add_region(s, parent->npages);
}

/* Frees everything s maps or holds: frames, swap slots, tables. */
void
space_destroy(struct test_space *s)
{
	if (s->mm)
		mm_destroy(s->mm);
	s->mm = NULL;
}

/*
 * Maps a new frame filled with fill at page i, as do_anon_fault
 * would (read-write, reverse mapped), but not on the replacement policy's
 * lists: the test puts it where it wants (evict_add(), or lists of its
 * own). Returns the page, or NULL if no frame or table could be had.
 */
struct page *
space_map_new(struct test_space *s, int i, uint8_t fill)
{
	vaddr_t va = space_va(i);
	struct page *p = alloc_user_page(false);
	pte_t *pte = p ? vmm_walk(s->mm->pml4, va, true) : NULL;

	if (!pte) {
		if (p)
			put_page(p);
		return NULL;
	}
	memset(page_address(p), fill, PAGE_SIZE);
	vmm_set_page(pte, va, page_to_phys(p), vma_to_vmm_prot(vma_find(s->mm, va)));
	rmap_add_new_anon(p, s->mm, va);
	return p;
}

/* What page i's PTE holds (VMM_NONE if it has no page table yet). */
struct vmm_entry
space_entry(const struct test_space *s, int i)
{
	pte_t *pte = vmm_walk(s->mm->pml4, space_va(i), false);

	return pte ? vmm_read(*pte) : (struct vmm_entry){ .kind = VMM_NONE };
}

/*
 * Reads a byte of page i through s's page tables, as a program would: the
 * MMU sets the PTE's accessed bit. The page must be present (the kernel
 * would take a fault on it otherwise): a test failure if it is not.
 * Interrupts are off while s is loaded.
 */
void
space_touch(struct test_space *s, int i)
{
	const volatile uint8_t *va = (const volatile uint8_t *)space_va(i);
	uint64_t flags;

	if (space_entry(s, i).kind != VMM_PAGE) {
		ktest_fail(__FILE__, __LINE__, "space_touch: page %d is not present", i);
		return;
	}
	flags = irq_save();
	mm_activate(s->mm);
	if (cpu.smap)
		__asm__ volatile("stac" ::: "memory");     /* SMAP: the kernel may read user pages */
	(void)*va;
	if (cpu.smap)
		__asm__ volatile("clac" ::: "memory");
	mm_activate(current->mm);
	irq_restore(flags);
}

/*
 * to's PTE for page i gets the swap entry from's holds, as fork copies a
 * swapped-out page: one more holder of the slot. 0, or -EINVAL if from's
 * page i is not swapped out, -ENOMEM if no page table could be had.
 */
int
space_copy_entry(struct test_space *to, const struct test_space *from, int i)
{
	struct vmm_entry e = space_entry(from, i);
	pte_t *pte;

	if (e.kind != VMM_SWAP)
		return -EINVAL;
	if ((pte = vmm_walk(to->mm->pml4, space_va(i), true)) == NULL)
		return -ENOMEM;
	vmm_set_swap(pte, space_va(i), e.swap);
	rmap_add_swap(to->mm, e.swap);
	return 0;
}

/* A fault at page i of s, a read or a write from user mode: vm_fault()'s verdict. Sleeps. */
enum fault_result
space_fault(struct test_space *s, int i, bool write, const char **why)
{
	struct fault f = { .addr = space_va(i), .write = write, .user = true };

	*why = NULL;
	return vm_fault(s->mm, &f, why);
}

/* Does every byte of p hold fill? */
bool
page_filled_with(const struct page *p, uint8_t fill)
{
	const uint8_t *b = page_address(p);

	for (size_t k = 0; k < PAGE_SIZE; k++)
		if (b[k] != fill)
			return false;
	return true;
}
