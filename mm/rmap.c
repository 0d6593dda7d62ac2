/*
 * mm/rmap.c - reverse mapping: which page-table entries map this frame?
 * And the accounting every PTE change goes with.
 *
 * Reclaim starts from a frame (chosen by the eviction policy) and must
 * reach every PTE that maps it: to read and clear their accessed bits,
 * and to unmap the frame from all address spaces at once before it is
 * freed.
 *
 *   anonymous page: owner = the anon_root of its fork family, index = the
 *     virtual page it was first mapped at. After fork, parent and children
 *     map a shared page at the same address, so we look at that address in
 *     each mm of the family (Linux's anon_vma, flattened to one list of
 *     mms). mremap() moves pages without touching them: a region it moved
 *     remembers by how many pages (vma->moved_by), and its page at va has
 *     index va/4096 - moved_by - Linux's linear_page_index() with vm_pgoff
 *     kept across a move. So the walk asks each region of each mm where
 *     the index would be in it (anon_address()).
 *   file page: owner = the file's address_space, index = the page number.
 *     The mapping keeps a list of the regions that map the file (i_mmap);
 *     each gives the address: vma->start + (index - vma->pgoff) pages.
 *     A shared memory page (mm/shmem.c) is found the same way: its owner
 *     is its object's address_space. Unmapping one just clears its PTEs -
 *     it is not in the swap cache then: its object keeps its slot.
 *
 * A PTE counts only if it really holds this frame (a COW copy at the same
 * address in a sibling is another frame). Walks skip pages with mapcount
 * 0: nothing to find, and an unmapped page's owner may be gone. Each
 * (mm, address) costs one page-table walk: the callback gets the entry.
 *
 * Accounting: whenever a PTE starts or stops mapping a page, or holding a
 * swap entry, one of the rmap_add_* / rmap_remove* functions below keeps
 * the three counts in step - the page's mapcount, the mm's rss and its
 * swap entries (with the slot's count in mm/swap.c). Nothing else touches
 * them. None of these functions sleeps.
 */
#include "mm/rmap.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mm/writeback.h"

struct anon_root *
anon_root_create(void)
{
	struct anon_root *r = kzalloc(sizeof(*r));

	if (r)
		list_init(&r->mms);
	return r;
}

void
anon_root_join(struct anon_root *root, struct mm *mm)
{
	mm->anon_root = root;
	root->refcount++;
	list_add_tail(&mm->anon_link, &root->mms);
}

void
anon_root_leave(struct mm *mm)
{
	struct anon_root *root = mm->anon_root;

	list_del(&mm->anon_link);
	mm->anon_root = NULL;
	if (--root->refcount == 0)
		kfree(root);
}

/* ---- Accounting: a PTE of mm starts or stops mapping a page or holding a slot ---- */

/* p, a frame fresh from the allocator, is now mapped once, at va in mm: anonymous memory. */
void
rmap_add_new_anon(struct page *p, struct mm *mm, vaddr_t va)
{
	p->flags |= PG_ANON;
	vmstat_inc(NR_ANON_PAGES);
	p->mapcount = 0;
	rmap_add_anon(p, mm, va);
}

/* The index of the anonymous page at va in region v (never moved: va's page number). */
static uint64_t
anon_index(const struct vma *v, vaddr_t va)
{
	return (va >> PAGE_SHIFT) - (uint64_t)v->moved_by;
}

/* Where region v would map the anonymous page of this index: true and *va, or false. */
static bool
anon_address(const struct vma *v, uint64_t index, vaddr_t *va)
{
	*va = (index + (uint64_t)v->moved_by) << PAGE_SHIFT;
	return *va >= v->start && *va < v->end;
}

/*
 * One more PTE, at va in mm, maps the anonymous page p (a swap-in, fork,
 * an undone swap-out). The region is looked up for its index: callers
 * inside the lab markers keep their (p, mm, va).
 */
void
rmap_add_anon(struct page *p, struct mm *mm, vaddr_t va)
{
	struct vma *v = vma_find(mm, va);

	ASSERT(v != NULL);
	p->owner = mm->anon_root;
	p->index = anon_index(v, va);
	p->mapcount++;
	mm->rss++;
}

/* One more PTE of mm maps p, a page-cache or shared memory page (its owner is the file or object). */
void
rmap_add_file(struct page *p, struct mm *mm)
{
	p->mapcount++;
	mm->rss++;
	if (p->flags & PG_SHMEM)
		mm->rss_shmem++;
}

/* A PTE of mm no longer maps p. The reference it held is the caller's to drop. */
void
rmap_remove(struct page *p, struct mm *mm)
{
	p->mapcount--;
	mm->rss--;
	if (p->flags & PG_SHMEM)
		mm->rss_shmem--;
}

/* A PTE of mm now holds swap entry e: one more holder of the slot. */
void
rmap_add_swap(struct mm *mm, swp_entry_t e)
{
	swap_duplicate(e);
	mm->swap_ents++;
}

/* A PTE of mm no longer holds swap entry e (swapped in, unmapped, or exit). */
void
rmap_remove_swap(struct mm *mm, swp_entry_t e)
{
	mm->swap_ents--;
	swap_put(e);
}

/* ---- Walking from a page to its PTEs ---- */

typedef bool (*rmap_fn)(struct page *p, struct mm *mm, struct vma *vma, vaddr_t va,
			pte_t *pte, void *arg);

/* The entry at va in mm if it maps p, else NULL. */
static pte_t *
pte_mapping(struct mm *mm, vaddr_t va, const struct page *p)
{
	pte_t *pte = vmm_walk(mm->pml4, va, false);
	struct vmm_entry e;

	if (!pte)
		return NULL;
	e = vmm_read(*pte);
	return e.kind == VMM_PAGE && e.pa == page_to_phys(p) ? pte : NULL;
}

/* Calls fn for every (mm, va, pte) mapping p; stops early if fn returns false. */
static void
rmap_walk(struct page *p, rmap_fn fn, void *arg)
{
	struct list_head *pos;
	pte_t *pte;

	if (p->mapcount == 0 || !p->owner)
		return;
	if (p->flags & PG_ANON) {
		struct anon_root *root = p->owner;
		list_for_each(pos, &root->mms) {
			struct mm *mm = list_entry(pos, struct mm, anon_link);
			struct list_head *vpos;
			vaddr_t va;
			list_for_each(vpos, &mm->vmas) {
				struct vma *v = list_entry(vpos, struct vma, link);
				if (anon_address(v, p->index, &va) && (pte = pte_mapping(mm, va, p)) &&
				    !fn(p, mm, v, va, pte, arg))
					return;
			}
		}
		return;
	}
	struct address_space *mapping = p->owner;
	list_for_each(pos, &mapping->i_mmap) {
		struct vma *v = list_entry(pos, struct vma, mapping_link);
		if (p->index < v->pgoff)
			continue;
		vaddr_t va = v->start + ((p->index - v->pgoff) << PAGE_SHIFT);
		if (va < v->end && (pte = pte_mapping(v->mm, va, p)) && !fn(p, v->mm, v, va, pte, arg))
			return;
	}
}

static bool
first_mapper(struct page *p, struct mm *mm, struct vma *v, vaddr_t va, pte_t *pte, void *arg)
{
	*(struct mm **)arg = mm;
	return false;                          /* one is enough */
}

/*
 * The first address space whose page tables map p, or NULL if none does:
 * whose page it is, for a picture of memory (mm/memsnap.c). Of a fork
 * family, only the PTEs tell a child's private copy from its parent's page.
 */
struct mm *
rmap_first_mapper(struct page *p)
{
	struct mm *mm = NULL;

	rmap_walk(p, first_mapper, &mm);
	return mm;
}

static bool
referenced_one(struct page *p, struct mm *mm, struct vma *v, vaddr_t va, pte_t *pte, void *arg)
{
	if (vmm_test_and_clear_accessed(pte, va))
		(*(int *)arg)++;
	return true;
}

/* How many PTEs mapping p were used since the last look (and clears their bits). */
int
page_referenced(struct page *p)
{
	int n = 0;

	rmap_walk(p, referenced_one, &n);
	return n;
}

static bool
unmap_one(struct page *p, struct mm *mm, struct vma *v, vaddr_t va, pte_t *pte, void *arg)
{
	if (p->flags & PG_SWAPCACHE) {
		/* LAB 7 BEGIN: the PTE holds the page's swap entry instead, and holds its slot */
		if (vmm_set_swap(pte, va, p->swap).dirty)
			p->flags |= PG_DIRTY;      /* written since its slot copy was made */
		rmap_add_swap(mm, p->swap);
		/* LAB 7 STUB: static bool warned; */
		/* LAB 7 STUB: if (!warned) */
		/* LAB 7 STUB: 	pr_warn("lab 7: unmap_one not implemented: swapped pages stay mapped\n"); */
		/* LAB 7 STUB: warned = true; */
		/* LAB 7 STUB: return false; */
		/* LAB 7 END */
	} else if (vmm_clear(pte, va).dirty) {
		set_page_dirty(p);         /* a store through a shared file mapping */
	}
	rmap_remove(p, mm);
	put_page(p);                           /* the reference the PTE held */
	return true;
}

static bool
mkclean_one(struct page *p, struct mm *mm, struct vma *v, vaddr_t va, pte_t *pte, void *arg)
{
	if (vmm_mkclean(pte, va))
		*(bool *)arg = true;
	return true;
}

/*
 * Write-protects and cleans every PTE that maps p, a file page about to
 * be written back (Linux's page_mkclean): the next store through any of
 * them faults, and the fault marks the page dirty again. Returns whether
 * some PTE was dirty: stores the page's flags have not seen yet.
 */
bool
rmap_mkclean(struct page *p)
{
	bool dirty = false;

	if (!(p->flags & PG_ANON))
		rmap_walk(p, mkclean_one, &dirty);
	return dirty;
}

static bool
locked_one(struct page *p, struct mm *mm, struct vma *v, vaddr_t va, pte_t *pte, void *arg)
{
	if (!(v->flags & VMA_LOCKED))
		return true;
	*(bool *)arg = true;
	return false;                          /* one is enough */
}

/* Does a locked region (mlock) map p? Then p must stay in memory. */
bool
rmap_page_mlocked(struct page *p)
{
	bool locked = false;

	rmap_walk(p, locked_one, &locked);
	return locked;
}

/*
 * Unmaps p from every address space: an anonymous page in the swap cache
 * leaves its swap entry behind, a file page nothing (it is read again).
 * An anonymous page must be in the swap cache first. Returns true if no
 * PTE maps it any more; false, unmapping nothing, if a locked region
 * maps it (Linux's try_to_unmap_one() refuses VM_LOCKED too). Such a page
 * is PG_MLOCKED (mm/mlock.c): the flag saves a second walk per victim.
 */
bool
try_to_unmap(struct page *p)
{
	if (p->flags & PG_MLOCKED)
		return false;
	rmap_walk(p, unmap_one, NULL);
	return p->mapcount == 0;
}

/* If the PTE at va in v holds p's swap entry, it maps p again (read-only) instead. */
static void
restore_one(struct page *p, struct mm *mm, const struct vma *v, vaddr_t va)
{
	pte_t *pte = vmm_walk(mm->pml4, va, false);
	struct vmm_entry e = pte ? vmm_read(*pte) : (struct vmm_entry){ .kind = VMM_NONE };

	if (e.kind != VMM_SWAP || !swp_same(e.swap, p->swap))
		return;
	vmm_set_page(pte, va, page_to_phys(p), vma_to_vmm_prot(v) & ~VMM_WRITE);
	get_page(p);                           /* the PTE's reference */
	rmap_add_anon(p, mm, va);
	rmap_remove_swap(mm, e.swap);
}

/*
 * Maps p again wherever a PTE holds its swap entry: undoes a swap-out
 * whose write failed (mm/reclaim.c). Each such PTE becomes a read-only
 * mapping of p (a write faults and finds it as the only user) and stops
 * holding the slot. p must be an anonymous page in the swap cache, not
 * locked. A slot nobody holds means the family may be gone: nothing to do.
 */
void
rmap_restore_swapped(struct page *p)
{
	struct anon_root *root = p->owner;
	struct list_head *pos, *vpos;

	if (swap_count(p->swap) == 0)
		return;
	list_for_each(pos, &root->mms) {
		struct mm *mm = list_entry(pos, struct mm, anon_link);
		list_for_each(vpos, &mm->vmas) {
			struct vma *v = list_entry(vpos, struct vma, link);
			vaddr_t va;
			if (anon_address(v, p->index, &va))
				restore_one(p, mm, v, va);
		}
	}
}
