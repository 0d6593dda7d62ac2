/*
 * mm/fault.c - the page-fault decision tree.
 *
 *   mm/x86/pf.c decodes the fault --> vm_fault(mm, fault)
 *
 *   is there a region at the address?
 *     no  --> just below a stack region, within its limit?  yes: grow it
 *                                                         no:  SEGV "no mapping"
 *   does the region allow this access (read/write/exec)?
 *     no  --> SEGV "protection"
 *   is the page present?
 *     no  --> do_anon_fault: a new zeroed frame
 *     yes, a write to a read-only page of a writable region
 *         --> do_cow_fault: copy it (or just make it writable when this
 *             is the last mapping of the frame)
 *
 * Every frame comes from alloc_user_page() (mm/reclaim.c); when that
 * fails the verdict is FAULT_OOM. The caller turns SEGV into a signal.
 */
#include "mm/fault.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/vmstat.h"

static bool
access_permitted(const struct vma *v, const struct fault *f)
{
	if (f->write)
		return v->prot & VMA_WRITE;
	if (f->exec)
		return v->prot & VMA_EXEC;
	return v->prot & (VMA_READ | VMA_WRITE | VMA_EXEC);
}

/*
 * A fault just below a growing stack extends it downwards, as long as the
 * stack stays within USER_STACK_MAX and keeps STACK_GUARD_GAP free below.
 */
static struct vma *
grow_stack(struct mm *mm, vaddr_t addr)
{
	struct vma *stack = NULL, *below = NULL;
	struct list_head *pos;
	vaddr_t new_start = ALIGN_DOWN(addr, PAGE_SIZE);

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (v->start > addr) {
			stack = v;
			break;
		}
		below = v;
	}
	if (!stack || !(stack->flags & VMA_GROWSDOWN) || stack->end - new_start > USER_STACK_MAX)
		return NULL;
	if (below && new_start < below->end + STACK_GUARD_GAP)
		return NULL;
	stack->start = new_start;
	return stack;
}

static enum fault_result
do_anon_fault(struct mm *mm, struct vma *v, vaddr_t page_va)
{
	struct page *p = alloc_user_page(true);

	if (!p)
		return FAULT_OOM;
	if (vmm_map(mm->pml4, page_va, page_to_phys(p), vma_to_vmm_prot(v))) {
		put_page(p);
		return FAULT_OOM;
	}
	p->mapcount = 1;
	p->flags |= PG_ANON;
	vmstat_inc(NR_ANON_PAGES);
	mm->rss++;
	return FAULT_OK;
}

static enum fault_result
do_cow_fault(struct mm *mm, struct vma *v, vaddr_t page_va, paddr_t old_pa)
{
	struct page *old = phys_to_page(old_pa), *copy;

	if (old->mapcount == 1 && old->refcount == 1) {
		/* The last user of the frame: no copy needed. */
		vmm_protect(mm->pml4, page_va, vma_to_vmm_prot(v));
		return FAULT_OK;
	}
	copy = alloc_user_page(false);
	if (!copy)
		return FAULT_OOM;
	memcpy(page_address(copy), page_address(old), PAGE_SIZE);
	vmm_unmap_keep_tables(mm->pml4, page_va, NULL);
	vmm_map(mm->pml4, page_va, page_to_phys(copy), vma_to_vmm_prot(v));
	copy->mapcount = 1;
	copy->flags |= PG_ANON;
	vmstat_inc(NR_ANON_PAGES);
	old->mapcount--;
	put_page(old);
	return FAULT_OK;
}

/*
 * Handles a fault at f->addr in mm. Returns FAULT_OK when the access can
 * be retried; otherwise *why says why in a few words. Interrupts on or off.
 */
enum fault_result
vm_fault(struct mm *mm, const struct fault *f, const char **why)
{
	vaddr_t page_va = ALIGN_DOWN(f->addr, PAGE_SIZE);
	struct vma *v = vma_find(mm, f->addr);
	paddr_t pa;
	unsigned prot;

	vmstat_inc(PGFAULT);
	if (!v && f->addr < USER_TOP)
		v = grow_stack(mm, f->addr);
	if (!v) {
		*why = "no mapping at this address";
		return FAULT_SEGV;
	}
	if (!access_permitted(v, f)) {
		*why = f->write ? "write to a region that is not writable" :
		       f->exec ? "execute in a region that is not executable" :
				 "read of a region that is not readable";
		return FAULT_SEGV;
	}
	if (!vmm_translate(mm->pml4, page_va, &pa, &prot))
		return do_anon_fault(mm, v, page_va);
	if (f->write && !(prot & VMM_WRITE))
		return do_cow_fault(mm, v, page_va, pa);
	return FAULT_OK;      /* already fixed (e.g. by another fault on the same page) */
}

/*
 * Copies len bytes from the kernel to dst in mm, which need not be the
 * active address space: pages are faulted in as a write would, then
 * written through the direct map. Returns 0, -EFAULT or -ENOMEM.
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
			return -EFAULT;
		memcpy(phys_to_virt(pa), src, chunk);
		dst += chunk;
		src = (const char *)src + chunk;
		len -= chunk;
	}
	return 0;
}
