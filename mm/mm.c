/*
 * mm/mm.c - address spaces: create, copy on fork, tear down, switch to.
 *
 * Each process has its own PML4 (its threads share it: users counts them). The lower half (user space) is private;
 * the upper half is a copy of the kernel's PML4 entries 256..511, so the
 * kernel is mapped - supervisor-only - in every address space and a
 * system call needs no CR3 switch (docs/design.md section 4).
 *
 * Every user frame is counted twice in its struct page: refcount (holders,
 * freed at 0) and mapcount (page-table entries mapping it). fork() maps
 * each private writable page read-only in both parent and child, so the
 * first write faults and copies (mm/fault.c): copy-on-write. A shared
 * region (MAP_SHARED: mm/shmem.c) is not copied at all: parent and child
 * map the same object. The child's regions are never locked (mlock), nor
 * is mlockall(MCL_FUTURE) passed on.
 *
 * Switching address spaces is lazy, as Linux's is (its "lazy TLB mode"):
 * a kernel thread or the idle task has no user memory, so it runs on
 * whatever tables are loaded and CR3 stays as it was. Loading CR3 flushes
 * the whole TLB (no PCIDs here), and under QEMU's TCG also its cache of
 * jumps between translated blocks; a process that waits for the disk
 * goes to the idle task and back, and would pay that twice per wait.
 * An address space is unloaded before it is freed (mm_destroy).
 */
#include "mm/mm.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/heap.h"
#include "mm/fault.h"
#include "mm/kas.h"
#include "mm/memcg.h"
#include "mm/mlock.h"
#include "mm/pmm.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mm/writeback.h"
#include "mm/x86/mmu.h"

static struct mm *loaded_mm;     /* whose tables CR3 holds; NULL: the kernel's own */

static void
load_tables(struct mm *mm)
{
	write_cr3(virt_to_phys(mm ? mm->pml4 : kernel_pml4));
	loaded_mm = mm;
	vmstat_inc(NR_TLB_LOCAL_FLUSH_ALL);
}

static void
mm_free(struct mm *mm)
{
	vmm_free_table(mm->pml4);
	memcg_put(mm->memcg);          /* its pages may keep the group a while */
	kfree(mm);
}

/* A new, empty address space, or NULL. */
static struct mm *
mm_alloc(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pml4 = vmm_new_table();
	if (!mm->pml4) {
		kfree(mm);
		return NULL;
	}
	memcpy(&mm->pml4[256], &kernel_pml4[256], 256 * sizeof(pte_t));
	mm->users = 1;
	rwsem_init(&mm->mmap_lock);
	list_init(&mm->vmas);
	mm->mmap_base = USER_MMAP_BASE;
	return mm;
}

/* A new address space with a fork family of its own (exec), or NULL. */
struct mm *
mm_create(void)
{
	struct mm *mm = mm_alloc();
	struct anon_root *root = mm ? anon_root_create() : NULL;

	if (!root) {
		if (mm)
			mm_free(mm);
		return NULL;
	}
	anon_root_join(root, mm);
	return mm;
}

/* The VMM rights a page of this region gets (before copy-on-write). */
unsigned
vma_to_vmm_prot(const struct vma *vma)
{
	unsigned prot = VMM_USER | VMM_READ;

	if (vma->prot & VMA_WRITE)
		prot |= VMM_WRITE;
	if (vma->prot & VMA_EXEC)
		prot |= VMM_EXEC;
	return prot;
}

/*
 * Unmaps every page in [start, end) and drops its frame, and lets go of
 * the swap slots its swapped-out pages held (munmap, exit, madvise
 * DONTNEED). Then frees the page tables left empty.
 */
void
mm_unmap_pages(struct mm *mm, vaddr_t start, vaddr_t end)
{
	pte_t *pte;

	for (vaddr_t va = vmm_next_entry(mm->pml4, start, end, &pte); va < end;
	     va = vmm_next_entry(mm->pml4, va + PAGE_SIZE, end, &pte)) {
		struct vmm_entry e = vmm_clear(pte, va);
		if (e.kind == VMM_SWAP) {
			rmap_remove_swap(mm, e.swap);
			continue;
		}
		struct page *p = phys_to_page(e.pa);
		if (e.dirty)
			set_page_dirty(p);          /* a shared file page stored to: the PTE's D bit */
		rmap_remove(p, mm);
		if (p->mapcount == 0 && (p->flags & PG_SWAPCACHE))
			swap_cache_release(p);      /* nobody will fault its slot in again */
		put_page(p);                        /* the reference the PTE held */
	}
	vmm_free_empty_tables(mm->pml4, start, end - start);
}

/*
 * Removes every mapping and region in [start, end) (page-aligned),
 * splitting regions that straddle the ends. Returns 0 or -ENOMEM.
 */
int
mm_unmap_range(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;

	while ((v = vma_find_intersection(mm, start, end)) != NULL) {
		if (v->start < start) {
			if (vma_split(mm, v, start))
				return -ENOMEM;
			continue;
		}
		if (v->end > end && vma_split(mm, v, end))
			return -ENOMEM;
		if (v->flags & VMA_LOCKED)
			munlock_region(mm, v);     /* its pages may be evicted again if others map them */
		mm_unmap_pages(mm, v->start, v->end);
		vma_remove(mm, v);
	}
	return 0;
}

/* Sets the rights of the region's mapped pages from its own, keeping shared pages read-only. */
static void
reprotect_pages(struct mm *mm, const struct vma *v)
{
	pte_t *pte;

	for (vaddr_t va = vmm_next_entry(mm->pml4, v->start, v->end, &pte); va < v->end;
	     va = vmm_next_entry(mm->pml4, va + PAGE_SIZE, v->end, &pte)) {
		struct vmm_entry e = vmm_read(*pte);
		if (e.kind != VMM_PAGE)
			continue;
		struct page *p = phys_to_page(e.pa);
		unsigned want = vma_to_vmm_prot(v);
		/* A shared frame must stay read-only: the next write copies it.
		 * Not in a shared region: there the write goes to the shared page. */
		if (!(v->flags & VMA_SHARED) && (p->mapcount > 1 || p->refcount > 1))
			want &= ~VMM_WRITE;
		/* A clean page of a file on the disk: the first store must fault
		 * to dirty it (mm/fault_shared.c). */
		if ((v->flags & VMA_SHARED) && !(p->flags & (PG_ANON | PG_SHMEM | PG_DIRTY)))
			want &= ~VMM_WRITE;
		vmm_set_prot(pte, va, want);
	}
}

/*
 * Calls change(mm, v, arg) for each region of [start, end) (page-aligned),
 * split first so that it lies wholly inside the range, then merges it with
 * alike neighbours: the walk mprotect and mlock share. Returns 0, or
 * -ENOMEM if part of the range is not mapped (as Linux) or a split found
 * no memory (nothing is changed if the range has a hole).
 */
int
mm_change_regions(struct mm *mm, vaddr_t start, vaddr_t end,
		  void (*change)(struct mm *mm, struct vma *v, void *arg), void *arg)
{
	for (vaddr_t a = start; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (!v)
			return -ENOMEM;
		a = v->end;
	}
	for (vaddr_t a = start; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (v->start < a) {
			if (vma_split(mm, v, a))
				return -ENOMEM;
			continue;
		}
		if (v->end > end && vma_split(mm, v, end))
			return -ENOMEM;
		change(mm, v, arg);
		a = v->end;
		vma_merge_neighbours(mm, v);
	}
	return 0;
}

static void
set_prot(struct mm *mm, struct vma *v, void *arg)
{
	v->prot = *(unsigned *)arg;
	reprotect_pages(mm, v);
}

/*
 * Gives [start, end) (page-aligned) the rights prot (VMA_*). Returns 0,
 * -ENOMEM if part of the range is not mapped (as Linux) or memory is short.
 */
int
mm_protect(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot)
{
	return mm_change_regions(mm, start, end, set_prot, &prot);
}

/* Frees everything: frames (shared ones lose a reference), tables, regions. */
void
mm_destroy(struct mm *mm)
{
	if (mm == loaded_mm)          /* a kernel thread borrowed it: take the kernel's */
		load_tables(NULL);
	mm_unmap_range(mm, 0, USER_TOP);
	ASSERT(mm->rss == 0 && mm->swap_ents == 0);
	anon_root_leave(mm);
	mm_free(mm);
}

/* One more task uses mm (a thread, a vfork child). */
struct mm *
mm_get(struct mm *mm)
{
	mm->users++;
	return mm;
}

/* One task fewer uses mm; the last one's leaving frees it. */
void
mm_put(struct mm *mm)
{
	if (--mm->users == 0)
		mm_destroy(mm);
}

/*
 * Copies one region's entries into the child: a swapped-out page's slot
 * is now held by both, a present page is mapped by both - read-only in
 * both where it was writable, so that the first write copies it
 * (copy-on-write). Returns 0 or -ENOMEM (no frame for a child's table).
 */
static int
fork_vma(struct mm *child, struct mm *parent, const struct vma *v)
{
	pte_t *pte, *cpte;

	for (vaddr_t va = vmm_next_entry(parent->pml4, v->start, v->end, &pte); va < v->end;
	     va = vmm_next_entry(parent->pml4, va + PAGE_SIZE, v->end, &pte)) {
		struct vmm_entry e = vmm_read(*pte);
		if ((cpte = vmm_walk(child->pml4, va, true)) == NULL)
			return -ENOMEM;
		if (e.kind == VMM_SWAP) {
			vmm_set_swap(cpte, va, e.swap);
			rmap_add_swap(child, e.swap);
			continue;
		}
		/* LAB 5 BEGIN: map the page in the child too, read-only in both; count the new PTE */
		struct page *p = phys_to_page(e.pa);
		if (e.prot & VMM_WRITE) {
			e.prot &= ~VMM_WRITE;
			vmm_set_prot(pte, va, e.prot);   /* flushes the parent's TLB entry */
		}
		vmm_set_page(cpte, va, e.pa, e.prot);
		get_page(p);                         /* the child's PTE's reference */
		if (p->flags & PG_ANON)
			rmap_add_anon(p, child, va);
		else
			rmap_add_file(p, child);
		/* LAB 5 STUB: printk("lab 5: fork_vma not implemented\n"); */
		/* LAB 5 STUB: return -ENOSYS; */
		/* LAB 5 END */
	}
	return 0;
}

/*
 * A copy of parent sharing all its frames copy-on-write (and its swap
 * slots), in the parent's fork family, or NULL.
 */
struct mm *
mm_fork(struct mm *parent)
{
	struct mm *child = mm_alloc();
	struct list_head *pos;

	if (!child)
		return NULL;
	anon_root_join(parent->anon_root, child);
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->mmap_base = parent->mmap_base;
	child->arg_start = parent->arg_start;
	child->arg_end = parent->arg_end;
	child->env_start = parent->env_start;
	child->env_end = parent->env_end;
	memcpy(child->exe_path, parent->exe_path, sizeof(child->exe_path));
	list_for_each(pos, &parent->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		/* A shared region's PTEs are not copied: the child's faults find
		 * the object's pages (as Linux: no copy-on-write to set up). */
		struct vma copy = *v;
		copy.flags &= ~VMA_LOCK_MASK;        /* locks are not inherited (Linux: mlock(2)) */
		if (vma_add(child, &copy) ||
		    (!(v->flags & VMA_SHARED) && fork_vma(child, parent, v))) {
			mm_destroy(child);
			return NULL;
		}
	}
	return child;
}

/* The size of all regions, in bytes (VmSize). */
uint64_t
mm_total_vm(const struct mm *mm)
{
	struct list_head *pos;
	uint64_t total = 0;

	list_for_each(pos, &mm->vmas) {
		const struct vma *v = list_entry(pos, struct vma, link);
		total += v->end - v->start;
	}
	return total;
}

/*
 * Makes mm's tables the loaded ones, for a task that is about to run.
 * NULL (a kernel thread) keeps whatever is loaded: lazy, see the top.
 */
void
mm_activate(struct mm *mm)
{
	if (mm && mm != loaded_mm)
		load_tables(mm);
}

/*
 * Copies len bytes at src in mm, which need not be the active address
 * space, into the kernel (Linux's access_remote_vm(), as /proc/PID/cmdline
 * uses it): a page not present is faulted in as a read would - a
 * swapped-out page comes back - and each is read through the direct map. The caller holds a
 * reference on mm. Returns 0, -EFAULT or -ENOMEM. Sleeps.
 */
int
mm_copy_from(struct mm *mm, void *dst, vaddr_t src, size_t len)
{
	const char *why;

	while (len > 0) {
		size_t chunk = MIN(len, PAGE_SIZE - (src & (PAGE_SIZE - 1)));
		struct fault f = { .addr = src, .user = true };
		paddr_t pa;
		if (!vmm_translate(mm->pml4, src, &pa, NULL)) {
			enum fault_result r = vm_fault(mm, &f, &why);
			if (r != FAULT_OK)
				return r == FAULT_OOM ? -ENOMEM : -EFAULT;
			continue;                /* look again: it may have gone meanwhile */
		}
		memcpy(dst, phys_to_virt(pa), chunk);
		src += chunk;
		dst = (char *)dst + chunk;
		len -= chunk;
	}
	return 0;
}
