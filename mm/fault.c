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
 *   find the PTE (one walk) and read it once: what does it hold?
 *     nothing, the region maps a file
 *         --> do_file_fault: find the page in the page cache, or read it
 *             (a major fault); map it read-only - or, for a write to a
 *             private mapping, map a copy (which is anonymous from then on)
 *     nothing, the region maps a shared memory object (mm/shmem.c)
 *         --> do_shmem_fault: the object's page, maybe read back from swap
 *     nothing, anonymous
 *         --> do_anon_fault: a new zeroed frame
 *     a swap entry
 *         --> do_swap_fault (mm/fault_swap.c): from the swap cache, or
 *             read from swap (major); a write that finds the page shared
 *             goes on to do_wp_fault in the same fault
 *     a page, and this is a write to it while it is read-only
 *         --> do_wp_fault: write in place if this is its only user (and
 *             let its swap slot go), or write to a copy (copy-on-write)
 *     a page, access allowed
 *         --> nothing to do: another fault fixed it meanwhile
 *
 * Every frame comes from alloc_user_page() (mm/reclaim.c), which may
 * sleep. A page of an mmap'd anonymous region of a process with an
 * RLIMIT_RSS is charged to its memory group, which first evicts one of
 * its own pages if it is full (local replacement, mm/memcg.c). A handler that slept looks at the PTE again before it changes
 * it: if the entry is no longer what vm_fault() read (reclaim swapped the
 * page out meanwhile, say), it gives up and the access faults again
 * (docs/memory.md, "Concurrency"). The PTE itself stays where it is: page
 * tables and regions are freed only by munmap and friends, which wait for
 * the address space's lock that every fault holds to read (vm_fault()).
 *
 * With the kernel argument trace=fault, each fault prints one line:
 *   fault: pid 7 addr 0x401000 read file major
 * (or the faults a filter picks: mm/fault_trace.c).
 */
#include "mm/fault.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "mm/evict.h"
#include "mm/fault_internal.h"
#include "mm/fault_shared.h"
#include "mm/fault_trace.h"
#include "mm/memcg.h"
#include "mm/mlock.h"
#include "mm/mm.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
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
	/* LAB 4 BEGIN: find the stack region above addr and extend it down to addr's page */
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
	/* LAB 4 STUB: (void)mm; */
	/* LAB 4 STUB: (void)addr; */
	/* LAB 4 STUB: printk("lab 4: grow_stack not implemented\n"); */
	/* LAB 4 STUB: return NULL; */
	/* LAB 4 END */
}

/*
 * Maps p, a new anonymous frame, at the fault's address with the region's
 * rights, and accounts for it: reverse map, the eviction policy, counters.
 */
static void
map_new_anon_page(struct fault_ctx *c, struct page *p)
{
	/* LAB 4 BEGIN: map p with the region's rights; count it (rmap, memory group, eviction lists) */
	vmm_set_page(c->pte, c->va, page_to_phys(p), vma_to_vmm_prot(c->vma));
	rmap_add_new_anon(p, c->mm, c->va);
	if (c->memcg)
		memcg_charge(c->memcg, p);
	evict_add(p);
	/* LAB 4 STUB: (void)c; */
	/* LAB 4 STUB: (void)p; */
	/* LAB 4 STUB: panic("lab 4: map_new_anon_page: mapping a new anonymous page not implemented"); */
	/* LAB 4 END */
}

/*
 * Gets a frame (sleeping perhaps): with an RLIMIT_RSS, one of the
 * process's own pages is evicted first if it has no frame to spare; in a
 * cgroup at its memory.max, the group reclaims (or OOM-kills) first.
 * NULL if none, or if the PTE changed meanwhile (*r says which).
 */
static struct page *
frame_for(struct fault_ctx *c, bool zeroed, enum fault_result *r)
{
	struct page *p;

	if (c->memcg && !memcg_make_room(c->memcg)) {
		*r = FAULT_OOM;                   /* the group's OOM victim: we are dying */
		return NULL;
	}
	p = alloc_user_page(zeroed);

	*r = p ? FAULT_OK : FAULT_OOM;
	if (p && pte_changed(c)) {
		put_page(p);
		p = NULL;
	}
	return p;
}

static enum fault_result
do_anon_fault(struct fault_ctx *c)
{
	/* LAB 4 BEGIN: give the page a new zero-filled frame (frame_for, map_new_anon_page) */
	bool stack = c->f->addr < c->vma->start + PAGE_SIZE && (c->vma->flags & VMA_GROWSDOWN);
	enum fault_result r;
	struct page *p;

	trace(c, stack ? "stack" : "anon", false);
	if ((p = frame_for(c, true, &r)) != NULL)
		map_new_anon_page(c, p);
	return r;
	/* LAB 4 STUB: (void)frame_for; (void)map_new_anon_page; */
	/* LAB 4 STUB: c->why = "lab 4: do_anon_fault not implemented"; */
	/* LAB 4 STUB: printk("%s\n", c->why); */
	/* LAB 4 STUB: return FAULT_SEGV; */
	/* LAB 4 END */
}

/* LAB 4 BEGIN: a helper for do_file_fault: map a private copy of a page */
/* Maps a new anonymous page holding a copy of src (zero-filled after `keep` bytes). */
static enum fault_result
map_private_copy(struct fault_ctx *c, const void *src, size_t keep)
{
	enum fault_result r;
	struct page *copy = frame_for(c, false, &r);

	if (copy) {
		memcpy(page_address(copy), src, keep);
		memset((char *)page_address(copy) + keep, 0, PAGE_SIZE - keep);
		map_new_anon_page(c, copy);
	}
	return r;
}
/* LAB 4 END */

static enum fault_result
do_file_fault(struct fault_ctx *c)
{
	/* LAB 4 BEGIN: map the file's page from the page cache, or a private copy of it */
	struct vma *v = c->vma;
	uint64_t index = v->pgoff + (c->va - v->start) / PAGE_SIZE;
	enum fault_result r = FAULT_OK;
	struct page *p;
	bool major;
	int err;

	if (c->va >= v->file_end) {
		c->why = "the page lies beyond the end of the mapped file";
		return FAULT_SIGBUS;
	}
	p = pagecache_get_page(v->file->mapping, index, &err, &major);    /* may sleep */
	if (!p) {
		c->why = "the file's data could not be read";
		return err == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
	}
	if (major)
		count_major_fault();
	trace(c, "file", major);
	if (pte_changed(c)) {
		put_page(p);
		return FAULT_OK;
	}
	/* The file's last page holds bytes past its end, and a private write
	 * must not reach the page cache: both get a copy of their own. */
	if (c->va + PAGE_SIZE > v->file_end || (c->f->write && (v->prot & VMA_WRITE))) {
		r = map_private_copy(c, page_address(p), MIN(PAGE_SIZE, v->file_end - c->va));
		put_page(p);
		return r;
	}
	vmm_set_page(c->pte, c->va, page_to_phys(p), vma_to_vmm_prot(v) & ~VMM_WRITE);
	rmap_add_file(p, c->mm);              /* our reference becomes the mapping's */
	return FAULT_OK;
	/* LAB 4 STUB: c->why = "lab 4: do_file_fault not implemented"; */
	/* LAB 4 STUB: printk("%s\n", c->why); */
	/* LAB 4 STUB: return FAULT_SIGBUS; */
	/* LAB 4 END */
}

/*
 * A write to a present page mapped read-only in a writable region. If
 * this PTE is the page's only user (an anonymous page, mapped once,
 * nobody else holding it), the write happens in place: the page becomes
 * writable, and a copy it still has on swap - about to be stale - is let
 * go (Linux's reuse in do_wp_page()). Otherwise the writer gets a copy of
 * its own: copy-on-write after fork, or a private write to a shared page
 * of a file.
 */
static enum fault_result
do_wp_fault(struct fault_ctx *c)
{
	/* LAB 5 BEGIN: write in place if this PTE is the page's only user, else give the writer a copy */
	struct page *old = phys_to_page(c->entry.pa), *copy;
	enum fault_result r;

	if ((old->flags & PG_ANON) && old->mapcount == 1 && swap_cache_release(old) &&
	    old->refcount == 1) {
		trace(c, "reuse", false);
		vmm_set_prot(c->pte, c->va, vma_to_vmm_prot(c->vma));
		return FAULT_OK;
	}
	trace(c, "cow", false);
	get_page(old);                 /* keep it while we may sleep */
	copy = frame_for(c, false, &r);
	if (copy) {
		memcpy(page_address(copy), page_address(old), PAGE_SIZE);
		vmm_clear(c->pte, c->va);
		rmap_remove(old, c->mm);
		put_page(old);             /* the reference the PTE held */
		map_new_anon_page(c, copy);
	}
	put_page(old);
	return r;
	/* LAB 5 STUB: c->why = "lab 5: do_wp_fault not implemented"; */
	/* LAB 5 STUB: printk("%s\n", c->why); */
	/* LAB 5 STUB: return FAULT_SEGV; */
	/* LAB 5 END */
}

/*
 * A shared region over a shared memory object (mm/shmem.c): the object's
 * page at this index - resident, read back from swap (major), or new and
 * zeroed - is mapped with the region's rights. Writes go to the object,
 * which every mapper sees: no copy-on-write.
 */
static enum fault_result
do_shmem_fault(struct fault_ctx *c, struct shmem_object *obj)
{
	uint64_t index = c->vma->pgoff + (c->va - c->vma->start) / PAGE_SIZE;
	struct page *p;
	bool major;
	int err = shmem_getpage(obj, index, &p, &major);     /* may sleep */

	if (err) {
		c->why = err == -EINVAL ? "the page lies beyond the end of the shared memory object" :
					  "the shared memory page could not be read back from swap";
		return err == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
	}
	if (major)
		vmstat_inc(PGMAJFAULT);
	trace(c, "shmem", major);
	if (pte_changed(c)) {
		put_page(p);
		return FAULT_OK;
	}
	vmm_set_page(c->pte, c->va, page_to_phys(p), vma_to_vmm_prot(c->vma));
	rmap_add_file(p, c->mm);              /* our reference becomes the mapping's */
	return FAULT_OK;
}

/* A fault in a file region mapped MAP_SHARED (mm/fault_shared.c). */
static enum fault_result
do_shared_file_fault(struct fault_ctx *c)
{
	struct shared_fault sf = { .mm = c->mm, .vma = c->vma, .va = c->va, .pte = c->pte,
				   .seen = c->seen, .write = c->f->write };
	enum fault_result r = shared_file_fault(&sf);

	if (sf.major)
		count_major_fault();
	trace(c, "shared", sf.major);
	c->why = sf.why;
	return r;
}

/* Finds the region for the fault, growing the stack if that is what it needs. */
static struct vma *
region_of(struct fault_ctx *c)
{
	struct vma *v = vma_find(c->mm, c->f->addr);

	if (!v && c->f->addr < USER_TOP)
		v = grow_stack(c->mm, c->f->addr);     /* do_anon_fault traces it: "stack" */
	return v;
}

/* A swap-in: the task is stalled on memory while it waits (kernel/psi.c). */
static enum fault_result
swap_fault_stalled(struct fault_ctx *c)
{
	bool stalled = psi_memstall_enter();
	enum fault_result r = do_swap_fault(c);

	psi_memstall_leave(stalled);
	return r;
}

static enum fault_result dispatch(struct fault_ctx *c);

/*
 * A write that swapped its page in but found it shared (after fork: other
 * PTEs hold the slot) got it mapped read-only; the PTE, read again, goes
 * through the decision once more, which gives the write its copy now, in
 * the same fault, as Linux's do_swap_page() calls do_wp_page(), instead of
 * returning to the process only for its store to fault again. (forkswap's
 * children rewrite half their pages so: a fault less for each.)
 */
static enum fault_result
write_after_swap_in(struct fault_ctx *c)
{
	c->seen = *c->pte;
	c->entry = vmm_read(c->seen);
	return c->entry.kind == VMM_PAGE ? dispatch(c) : FAULT_OK;
}

/* What the PTE holds decides the handler. */
static enum fault_result
dispatch(struct fault_ctx *c)
{
	struct shmem_object *obj = c->vma->file ? shmem_of_mapping(c->vma->file->mapping) : NULL;

	switch (c->entry.kind) {
	case VMM_NONE:
		if (obj)
			return do_shmem_fault(c, obj);
		if (fault_is_shared_file(c->vma))
			return do_shared_file_fault(c);
		return c->vma->file ? do_file_fault(c) : do_anon_fault(c);
	case VMM_SWAP: {
		enum fault_result r = swap_fault_stalled(c);
		if (r != FAULT_OK || !c->f->write)
			return r;
		return write_after_swap_in(c);
	}
	case VMM_PAGE:
		if (c->f->write && !(c->entry.prot & VMM_WRITE) && obj)   /* shared: in place */
			vmm_set_prot(c->pte, c->va, vma_to_vmm_prot(c->vma));
		else if (c->f->write && !(c->entry.prot & VMM_WRITE) && fault_is_shared_file(c->vma))
			return do_shared_file_fault(c);    /* the first store since writeback */
		else if (c->f->write && !(c->entry.prot & VMM_WRITE))
			return do_wp_fault(c);
		return FAULT_OK;     /* already fixed (e.g. by another fault on the same page) */
	}
	return FAULT_OK;
}

/*
 * No frame for a page table: vmm_walk() takes them from the allocator
 * directly, which neither reclaims nor calls the OOM killer, so a fault at
 * a new 2 MiB range retried for ever once the frames were gone (with one
 * left and two tables to make, the last frame came and went, and the
 * "none left: the allocating task dies" rule of the door never held).
 * So the door is asked for as many frames as a walk may need - reclaim,
 * the OOM killer, and with nothing left and nobody to kill, this task's
 * own SIGKILL - and they are given back at once: the retried fault finds
 * room for its tables, or the task is dying. Sleeps.
 */
#define TABLES_PER_WALK 3            /* below the PML4: a PDPT, a PD and a PT */

static enum fault_result
make_room_for_tables(void)
{
	struct page *held[TABLES_PER_WALK];
	int n;

	for (n = 0; n < TABLES_PER_WALK; n++) {
		held[n] = alloc_user_page(false);
		if (!held[n])
			break;
	}
	while (n > 0)
		put_page(held[--n]);
	return FAULT_OOM;
}

/*
 * Handles a fault at f->addr in mm. Returns FAULT_OK when the access can
 * be retried, FAULT_OOM when no memory could be had just now (the caller
 * retries unless the task is being killed); for FAULT_SEGV and
 * FAULT_SIGBUS, *why says why in a few words. May sleep (disk reads,
 * reclaim); interrupts on.
 */
static enum fault_result
handle_fault(struct mm *mm, const struct fault *f, const char **why)
{
	struct fault_ctx c = { .mm = mm, .f = f, .va = ALIGN_DOWN(f->addr, PAGE_SIZE) };
	enum fault_result r;

	vmstat_inc(PGFAULT);
	current->acct.min_flt++;
	if ((c.vma = region_of(&c)) == NULL) {
		*why = "no mapping at this address";
		return FAULT_SEGV;
	}
	if (!access_permitted(c.vma, f)) {
		*why = f->write ? "write to a region that is not writable" :
		       f->exec ? "execute in a region that is not executable" :
				 "read of a region that is not readable";
		return FAULT_SEGV;
	}
	if ((c.pte = vmm_walk(mm->pml4, c.va, true)) == NULL)
		return make_room_for_tables();
	c.memcg = memcg_for_fault(mm, c.vma);
	memcg_count_fault(memcg_current(), false);
	c.seen = *c.pte;
	c.entry = vmm_read(c.seen);
	r = dispatch(&c);
	if (r == FAULT_OK && (c.vma->flags & VMA_LOCKED))
		mlock_fault_done(mm, c.va, &c.entry);    /* a locked region's page stays in RAM */
	*why = c.why;
	return r;
}

/*
 * The fault holds the address space's lock to read: another thread's
 * munmap or mprotect (writers) cannot take the region or page tables from
 * under a fault that sleeps. Two faults may run together; each looks at
 * its PTE again after sleeping (pte_changed()). Never inlined: it is where
 * a debugger stops for every fault (docs/debugging.md).
 */
__noinline enum fault_result
vm_fault(struct mm *mm, const struct fault *f, const char **why)
{
	enum fault_result r;

	down_read(&mm->mmap_lock);
	r = handle_fault(mm, f, why);
	up_read(&mm->mmap_lock);
	return r;
}

/*
 * Brings the page whose swap entry mm's PTE at va holds back into memory
 * and maps it there, as a read fault would, whatever the region lets the
 * process do (a PROT_NONE region's page comes back too, still
 * inaccessible): swapoff's way to empty an area (mm/swapoff.c). The page
 * is charged to the group its slot was charged to (memory.swap.current),
 * as Linux does, not to the task calling swapoff. Returns FAULT_OK (also
 * when the PTE no longer holds a swap entry), FAULT_OOM, or FAULT_SIGBUS
 * (the slot cannot be read). Sleeps.
 */
enum fault_result
vm_swapin(struct mm *mm, vaddr_t va)
{
	struct fault f = { .addr = va, .user = true };
	struct fault_ctx c = { .mm = mm, .f = &f, .va = ALIGN_DOWN(va, PAGE_SIZE) };
	enum fault_result r = FAULT_OK;

	down_read(&mm->mmap_lock);
	c.vma = vma_find(mm, c.va);
	c.pte = c.vma ? vmm_walk(mm->pml4, c.va, false) : NULL;
	if (c.pte) {
		c.seen = *c.pte;
		c.entry = vmm_read(c.seen);
	}
	if (c.pte && c.entry.kind == VMM_SWAP) {
		struct mem_cgroup **owner = swap_slot_owner(c.entry.swap);
		c.memcg = owner && *owner ? *owner : memcg_for_fault(mm, c.vma);
		r = swap_fault_stalled(&c);
	}
	up_read(&mm->mmap_lock);
	return r;
}
