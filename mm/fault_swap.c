/*
 * mm/fault_swap.c - a fault on a page that is out on swap: its PTE holds
 * the swap entry (mm/fault.c's decision tree sends it here).
 *
 * The page may still be in the swap cache - on its way out, read ahead,
 * or kept clean after an earlier read - and then it is only mapped again
 * (a minor fault). Otherwise it is read from its slot, with the
 * swapped-out pages around it in the region (readahead, the window from
 * mm/swap.c's policy), and the fault waited for a disk (major). Mapped
 * for a read, it keeps its slot: reclaim can drop it again without a
 * write.
 */
#include "kernel/errno.h"
#include "mm/evict.h"
#include "mm/fault_internal.h"
#include "mm/memcg.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/rmap.h"
#include "mm/swap.h"

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
 * the pages around the fault, in the window mm/swap.c's policy gives (1
 * when readahead has not been paying; ahead of a forward scan), inside
 * the region. Pages that are close in the address space are likely to be
 * used together, even when they went to swap at different times and sit
 * in slots far apart. Returns how many entries it put in ahead[].
 */
static int
swap_neighbours(const struct fault_ctx *c, swp_entry_t *ahead)
{
	uint64_t first, win = swap_readahead_window(&c->vma->swap_ra, c->va / PAGE_SIZE, &first);
	vaddr_t lo = first * PAGE_SIZE, end = MIN(lo + win * PAGE_SIZE, c->vma->end);
	pte_t *pte;
	int n = 0;

	for (vaddr_t va = vmm_next_entry(c->mm->pml4, MAX(lo, c->vma->start), end, &pte);
	     va < end && n < SWAP_RA_PAGES; va = vmm_next_entry(c->mm->pml4, va + PAGE_SIZE, end, &pte)) {
		struct vmm_entry e = vmm_read(*pte);
		if (va != c->va && e.kind == VMM_SWAP)
			ahead[n++] = e.swap;
	}
	return n;
}

/*
 * The swapped-out page of entry e, with a reference: from the swap cache
 * (on its way out or in, or kept clean after an earlier read), or read
 * from swap with readahead (*major). NULL with r set when it cannot be
 * had: FAULT_SIGBUS (its read failed: the slot is bad), FAULT_OOM.
 * Sleeps.
 */
static struct page *
find_swapped_page(struct fault_ctx *c, swp_entry_t e, bool *major, enum fault_result *r)
{
	/* LAB 7 BEGIN: the swap cache first; else read the slot (and its neighbours) */
	struct page *p;
	int err = 0;

	*major = false;
	while ((p = swap_cache_lookup(e)) == NULL) {
		swp_entry_t ahead[SWAP_RA_PAGES];
		if (swap_entry_bad(e)) {
			c->why = "the page could not be read back from swap (a bad slot)";
			*r = FAULT_SIGBUS;
			return NULL;
		}
		p = swap_readin(e, ahead, swap_neighbours(c, ahead), &err);
		if (p) {
			*major = true;
			return p;
		}
		if (err != -EAGAIN) {     /* -EAGAIN: someone else is reading it: look again */
			c->why = "the page could not be read back from swap";
			*r = err == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
			return NULL;
		}
	}
	return p;
	/* LAB 7 STUB: (void)e; (void)swap_neighbours; */
	/* LAB 7 STUB: *major = false; */
	/* LAB 7 STUB: c->why = "lab 7: find_swapped_page not implemented"; */
	/* LAB 7 STUB: *r = FAULT_SIGBUS; */
	/* LAB 7 STUB: return NULL; */
	/* LAB 7 END */
}

/*
 * A swapped-in page the fault will not map after all (another thread of
 * the process mapped the address meanwhile): it must not stay in the swap
 * cache where nothing finds it. Out of the cache if its slot is no longer
 * held; else on the policy's lists, where reclaim can drop it. Drops our
 * reference.
 */
static void
give_back_unused(struct page *p)
{
	if (p->mapcount == 0 && !swap_cache_release(p) && !(p->flags & PG_LRU))
		evict_add(p);
	put_page(p);
}

/*
 * The page was swapped out: its PTE holds its swap entry. A read maps it
 * read-only and keeps the slot: the page stays clean in the swap cache,
 * and reclaim can drop it again without writing it. A write by the
 * page's only user lets the slot go and maps it writable (as does any
 * access when swap is more than half full). A page shared after fork is
 * mapped read-only: a write copies it next, in the same fault
 * (mm/fault.c's write_after_swap_in()).
 */
enum fault_result
do_swap_fault(struct fault_ctx *c)
{
	swp_entry_t e = c->entry.swap;
	enum fault_result r = FAULT_OK;
	struct page *p;
	bool major;

	/* Failed because another thread brought the page in meanwhile: no failure at all. */
	if ((p = find_swapped_page(c, e, &major, &r)) == NULL)
		return pte_changed(c) ? FAULT_OK : r;
	swap_readahead_used(p, &c->vma->swap_ra, c->va / PAGE_SIZE);
	/* Room before it counts (it must not be the victim); none if we were OOM-killed for it. */
	if (c->memcg && !p->memcg && !memcg_make_room(c->memcg)) {
		put_page(p);
		return FAULT_OOM;
	}
	wait_until_unlocked(p);
	/* Slept: still our entry, and still this page's slot (a failed read drops it)? */
	if (pte_changed(c) || !(p->flags & PG_SWAPCACHE) || !swp_same(p->swap, e)) {
		give_back_unused(p);
		return FAULT_OK;
	}
	if (major)
		count_major_fault();
	trace(c, "swap", major);
	/* LAB 7 BEGIN: map the page where the swap entry was; keep its slot or let it go */
	/* Exclusive: no other PTE holds the slot, no other process maps the page. */
	bool exclusive = swap_count(e) == 1 && p->mapcount == 0;
	bool keep_slot = !exclusive || (!c->f->write && !swap_nearly_full());
	unsigned prot = vma_to_vmm_prot(c->vma);
	if (keep_slot)
		prot &= ~VMM_WRITE;
	vmm_set_page(c->pte, c->va, page_to_phys(p), prot);
	rmap_add_anon(p, c->mm, c->va);       /* our reference becomes the mapping's */
	rmap_remove_swap(c->mm, e);           /* and the PTE holds the slot no more */
	if (c->memcg)
		memcg_charge(c->memcg, p);
	evict_add(p);
	if (!keep_slot)
		swap_cache_release(p);        /* nor does anyone else: it goes */
	return FAULT_OK;
	/* LAB 7 STUB: put_page(p); */
	/* LAB 7 STUB: c->why = "lab 7: do_swap_fault: mapping the page not implemented"; */
	/* LAB 7 STUB: return FAULT_SIGBUS; */
	/* LAB 7 END */
}
