/*
 * mm/rmap.c - reverse mapping: which page-table entries map this frame?
 *
 * Reclaim starts from a frame (the tail of an LRU list) and must reach
 * every PTE that maps it: to read and clear their accessed bits, and to
 * unmap the frame from all address spaces at once before it is freed.
 *
 *   anonymous page: owner = the anon_root of its fork family, index = its
 *     virtual page. After fork, parent and children map a shared page at
 *     the same address, so we look at that address in each mm of the
 *     family (Linux's anon_vma, flattened to one list of mms).
 *   file page: owner = the file's address_space, index = the page number.
 *     The mapping keeps a list of the regions that map the file (i_mmap);
 *     each gives the address: vma->start + (index - vma->pgoff) pages.
 *
 * A PTE counts only if it really holds this frame (a COW copy at the same
 * address in a sibling is another frame). Callers skip pages with
 * mapcount 0: nothing to find, and an unmapped page's owner may be gone.
 */
#include "mm/rmap.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/swap.h"

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

/* Records where a new anonymous page lives, for rmap walks. */
void
rmap_add_anon(struct page *p, struct mm *mm, vaddr_t va)
{
	p->owner = mm->anon_root;
	p->index = va >> PAGE_SHIFT;
}

typedef bool (*rmap_fn)(struct page *p, struct mm *mm, struct vma *vma, vaddr_t va, void *arg);

static bool
maps_page(struct mm *mm, vaddr_t va, const struct page *p)
{
	paddr_t pa;

	return vmm_translate(mm->pml4, va, &pa, NULL) && (pa >> PAGE_SHIFT) == page_to_pfn(p);
}

/* Calls fn for every (mm, va) mapping p; stops early if fn returns false. */
static void
rmap_walk(struct page *p, rmap_fn fn, void *arg)
{
	struct list_head *pos;

	if (p->mapcount == 0 || !p->owner)
		return;
	if (p->flags & PG_ANON) {
		struct anon_root *root = p->owner;
		vaddr_t va = p->index << PAGE_SHIFT;
		list_for_each(pos, &root->mms) {
			struct mm *mm = list_entry(pos, struct mm, anon_link);
			if (maps_page(mm, va, p) && !fn(p, mm, vma_find(mm, va), va, arg))
				return;
		}
		return;
	}
	struct address_space *mapping = p->owner;
	list_for_each(pos, &mapping->i_mmap) {
		struct vma *v = list_entry(pos, struct vma, mapping_link);
		if (p->index < v->pgoff)
			continue;
		vaddr_t va = v->start + ((p->index - v->pgoff) << PAGE_SHIFT);
		if (va < v->end && maps_page(v->mm, va, p) && !fn(p, v->mm, v, va, arg))
			return;
	}
}

static bool
referenced_one(struct page *p, struct mm *mm, struct vma *v, vaddr_t va, void *arg)
{
	if (vmm_test_and_clear_accessed(mm->pml4, va))
		(*(int *)arg)++;
	return true;
}

/* How many PTEs mapping p were used since the last look (and clears them). */
int
page_referenced(struct page *p)
{
	int n = 0;

	rmap_walk(p, referenced_one, &n);
	return n;
}

static bool
unmap_one(struct page *p, struct mm *mm, struct vma *v, vaddr_t va, void *arg)
{
	if (p->flags & PG_SWAPCACHE) {
		swp_entry_t e = { page_swap_slot(p) };
		if (vmm_test_dirty(mm->pml4, va))
			p->flags |= PG_DIRTY;      /* written since its slot copy was made */
		if (vmm_set_swap(mm->pml4, va, e))
			return false;
		swap_dup(e);
		mm->swap_ents++;
	} else {
		vmm_unmap_keep_tables(mm->pml4, va, NULL);
	}
	mm->rss--;
	p->mapcount--;
	put_page(p);
	return true;
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
	swp_entry_t want = { page_swap_slot(p) }, e;
	vaddr_t va = p->index << PAGE_SHIFT;
	struct anon_root *root = p->owner;
	struct list_head *pos;

	if (swap_count(want) == 0)
		return;
	list_for_each(pos, &root->mms) {
		struct mm *mm = list_entry(pos, struct mm, anon_link);
		struct vma *v = vma_find(mm, va);
		if (!v || !vmm_get_swap(mm->pml4, va, &e) || e.val != want.val ||
		    vmm_map(mm->pml4, va, page_to_phys(p), vma_to_vmm_prot(v) & ~VMM_WRITE))
			continue;
		get_page(p);
		p->mapcount++;
		mm->rss++;
		mm->swap_ents--;
		swap_free(e);               /* this PTE no longer holds the slot */
	}
}

/*
 * Unmaps p from every address space: an anonymous page in the swap cache
 * leaves a swap entry behind, a file page nothing (it is read again). An
 * anonymous page must be in the swap cache first. Returns true if no PTE
 * maps it any more.
 */
bool
try_to_unmap(struct page *p)
{
	rmap_walk(p, unmap_one, NULL);
	return p->mapcount == 0;
}
