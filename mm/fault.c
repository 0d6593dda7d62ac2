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
 *     no, the region maps a file
 *         --> do_file_fault: find the page in the page cache, or read it
 *             (a major fault); map it read-only - or, for a write to a
 *             private mapping, map a copy (which is anonymous from then on)
 *     no, the PTE holds a swap entry
 *         --> do_swap_fault: from the swap cache, or read from swap (major)
 *     no, anonymous
 *         --> do_anon_fault: a new zeroed frame
 *     yes, a write to a read-only page of a writable region
 *         --> do_cow_fault: copy it (or just make it writable when this
 *             is the last mapping of an anonymous frame)
 *
 * Every frame comes from alloc_user_page() (mm/reclaim.c); when that
 * fails the verdict is FAULT_OOM. The caller turns SEGV into a signal.
 * With the kernel argument trace=fault, each fault prints one line:
 *   fault: pid 7 addr 0x401000 file major
 */
#include "mm/fault.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "mm/pagecache.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/lru.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

static bool trace_faults;

void
fault_trace_init(void)
{
	const char *t = karg_get("trace");

	trace_faults = t && strcmp(t, "fault") == 0;
}

static void
trace(const struct fault *f, const char *kind, bool major)
{
	if (trace_faults)
		printk("fault: pid %d addr %#lx %s %s %s\n", current ? current->pid : 0, f->addr,
		       f->write ? "write" : f->exec ? "exec" : "read", kind, major ? "major" : "minor");
}

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

/*
 * Maps the new anonymous frame p at page_va with the region's rights and
 * accounts for it: reverse map, LRU list, counters. On failure p is freed.
 */
static enum fault_result
map_new_anon_page(struct mm *mm, struct vma *v, vaddr_t page_va, struct page *p)
{
	if (vmm_map(mm->pml4, page_va, page_to_phys(p), vma_to_vmm_prot(v))) {
		put_page(p);
		return FAULT_OOM;
	}
	p->mapcount = 1;
	p->flags |= PG_ANON;
	vmstat_inc(NR_ANON_PAGES);
	rmap_add_anon(p, mm, page_va);
	lru_add(p);
	mm->rss++;
	return FAULT_OK;
}

static enum fault_result
do_anon_fault(struct mm *mm, struct vma *v, vaddr_t page_va)
{
	struct page *p = alloc_user_page(true);

	return p ? map_new_anon_page(mm, v, page_va, p) : FAULT_OOM;
}

/* Maps a new anonymous page holding a copy of src (zero-filled after `keep` bytes). */
static enum fault_result
map_private_copy(struct mm *mm, struct vma *v, vaddr_t page_va, const void *src, size_t keep)
{
	struct page *copy = alloc_user_page(false);

	if (!copy)
		return FAULT_OOM;
	memcpy(page_address(copy), src, keep);
	memset((char *)page_address(copy) + keep, 0, PAGE_SIZE - keep);
	return map_new_anon_page(mm, v, page_va, copy);
}

static enum fault_result
do_file_fault(struct mm *mm, struct vma *v, const struct fault *f, vaddr_t page_va)
{
	uint64_t index = v->pgoff + (page_va - v->start) / PAGE_SIZE;
	struct page *p;
	enum fault_result r;
	bool major;
	int err;

	if (page_va >= v->file_end)
		return FAULT_SIGBUS;             /* the page is beyond the end of the file */
	p = pagecache_get_page(v->file->mapping, index, &err, &major);
	if (!p)
		return err == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
	if (major)
		vmstat_inc(PGMAJFAULT);
	trace(f, "file", major);
	/* The file's last page holds bytes past its end, and a private write
	 * must not reach the page cache: both get a copy of their own. */
	if (page_va + PAGE_SIZE > v->file_end || (f->write && (v->prot & VMA_WRITE))) {
		r = map_private_copy(mm, v, page_va, page_address(p),
				     MIN(PAGE_SIZE, v->file_end - page_va));
		put_page(p);
		return r;
	}
	if (vmm_map(mm->pml4, page_va, page_to_phys(p), vma_to_vmm_prot(v) & ~VMM_WRITE)) {
		put_page(p);
		return FAULT_OOM;
	}
	p->mapcount++;                           /* our reference becomes the mapping's */
	mm->rss++;
	return FAULT_OK;
}

static enum fault_result
do_cow_fault(struct mm *mm, struct vma *v, vaddr_t page_va, paddr_t old_pa)
{
	struct page *old = phys_to_page(old_pa), *copy;

	/* The last user of an anonymous frame writes in place; if the frame
	 * still has a copy in swap that no other PTE needs, the copy is about
	 * to be stale: the slot goes. A page-cache page always gets copied:
	 * the file's copy must stay as it is. */
	if ((old->flags & PG_ANON) && old->mapcount == 1 && swap_cache_release(old) &&
	    old->refcount == 1) {
		/* The last user of the frame: no copy needed. */
		vmm_protect(mm->pml4, page_va, vma_to_vmm_prot(v));
		return FAULT_OK;
	}
	get_page(old);                 /* keep it while we may sleep */
	copy = alloc_user_page(false);
	if (!copy) {
		put_page(old);
		return FAULT_OOM;
	}
	/* The allocation may have slept in reclaim, which may have swapped
	 * the old page out: if the PTE changed, let the access fault again. */
	paddr_t now;
	unsigned prot;
	if (!vmm_translate(mm->pml4, page_va, &now, &prot) || now != old_pa || (prot & VMM_WRITE)) {
		put_page(copy);
		put_page(old);
		return FAULT_OK;
	}
	put_page(old);                 /* the PTE still holds its own reference */
	memcpy(page_address(copy), page_address(old), PAGE_SIZE);
	vmm_unmap_keep_tables(mm->pml4, page_va, NULL);
	old->mapcount--;
	mm->rss--;
	put_page(old);                 /* the reference the PTE held */
	return map_new_anon_page(mm, v, page_va, copy);
}

static void
wait_until_unlocked(struct page *p)
{
	while (p->flags & (PG_LOCKED | PG_WRITEBACK)) {
		lock_page(p);           /* sleeps until the reader or writer is done */
		unlock_page(p);
	}
}

/*
 * Readahead by address (Linux's swap_vma_readahead()): the swap entries of
 * the pages around page_va, in the aligned window of the size mm/swap.c's
 * policy gives (1 when readahead has not been paying), inside the region.
 * Pages that are close in the address space are likely to be used
 * together, even when they went to swap at different times and sit in
 * slots far apart. Returns how many entries it put in ahead[].
 */
static int
swap_neighbours(struct mm *mm, const struct vma *v, vaddr_t page_va, swp_entry_t *ahead)
{
	uint64_t win = swap_readahead_window(page_va / PAGE_SIZE);
	vaddr_t lo = ALIGN_DOWN(page_va, win * PAGE_SIZE), hi = lo + win * PAGE_SIZE;
	int n = 0;

	for (vaddr_t va = MAX(lo, v->start); va < MIN(hi, v->end) && n < SWAP_RA_PAGES; va += PAGE_SIZE)
		if (va != page_va && vmm_get_swap(mm->pml4, va, &ahead[n]))
			n++;
	return n;
}

/*
 * The page was swapped out: its PTE holds the slot. Find it in the swap
 * cache (it may be on its way out or in), or read it (a major fault, with
 * readahead). A read maps it read-only and keeps the slot: the page stays
 * clean in the swap cache, and reclaim can drop it again without writing
 * it. A write by the page's only user frees the slot and maps it writable
 * (as does any access when swap is more than half full). A page shared
 * after fork is mapped read-only: the next write copies it.
 */
static enum fault_result
do_swap_fault(struct mm *mm, struct vma *v, const struct fault *f, vaddr_t page_va, swp_entry_t e)
{
	struct page *p;
	unsigned prot = vma_to_vmm_prot(v);
	bool major = false;
	int err = 0;

	while ((p = swap_cache_lookup(e)) == NULL) {
		swp_entry_t ahead[SWAP_RA_PAGES];
		if (swap_slot_bad((uint32_t)e.val))
			return FAULT_SIGBUS;        /* its read failed: the data is gone */
		int nahead = swap_neighbours(mm, v, page_va, ahead);
		p = swap_readin(e, ahead, nahead, &err);
		if (p) {
			major = true;
			break;
		}
		if (err != -EAGAIN)
			return err == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
	}
	wait_until_unlocked(p);
	if (!(p->flags & PG_SWAPCACHE) || page_swap_slot(p) != e.val) {
		put_page(p);                /* its read failed: fault again, read again */
		return FAULT_OK;
	}
	if (major)
		vmstat_inc(PGMAJFAULT);
	trace(f, "swap", major);
	/* Exclusive: no other PTE holds the slot, no other process maps the page. */
	bool exclusive = swap_count(e) == 1 && p->mapcount == 0;
	bool keep_slot = !exclusive || (!f->write && !swap_nearly_full());
	if (keep_slot)
		prot &= ~VMM_WRITE;
	if (vmm_map(mm->pml4, page_va, page_to_phys(p), prot)) {
		put_page(p);
		return FAULT_OOM;
	}
	rmap_add_anon(p, mm, page_va);
	p->mapcount++;
	mm->rss++;
	mm->swap_ents--;
	lru_add(p);
	swap_free(e);               /* this PTE no longer holds the slot */
	if (!keep_slot)
		swap_cache_release(p);  /* nor does anyone else: it goes */
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
	if (!v && f->addr < USER_TOP && (v = grow_stack(mm, f->addr)) != NULL)
		trace(f, "stack", false);
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
	if (!vmm_translate(mm->pml4, page_va, &pa, &prot)) {
		swp_entry_t e;
		if (vmm_get_swap(mm->pml4, page_va, &e))
			return do_swap_fault(mm, v, f, page_va, e);
		if (v->file)
			return do_file_fault(mm, v, f, page_va);
		trace(f, f->addr < v->start + PAGE_SIZE && (v->flags & VMA_GROWSDOWN) ? "stack" : "anon", false);
		return do_anon_fault(mm, v, page_va);
	}
	if (f->write && !(prot & VMM_WRITE)) {
		trace(f, "cow", false);
		return do_cow_fault(mm, v, page_va, pa);
	}
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
