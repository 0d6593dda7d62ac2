/*
 * mm/swapoff.c - swapoff: every page of an area back into memory, then
 * the area is gone (Linux's try_to_unuse()).
 *
 * Swap entries have no reverse map: nothing says which PTEs hold a slot.
 * So, as Linux does, swapoff walks every address space's page tables for
 * entries of the area and brings each page in as a read fault would
 * (mm/fault.c's vm_swapin(): through the swap cache, so the sharers of a
 * slot after fork get the one page, each PTE mapping it as it is met);
 * then every shared memory object (mm/shmem.c's list: a page of an
 * object on swap is named in the object, not in a PTE); then the pages
 * left in the area's swap cache, which no PTE needs any more, leave it.
 * A fork during the walk copies entries the walk has passed, so it goes
 * round again while slots are in use, at most SWAPOFF_PASSES times.
 *
 *   swapoff(/swapfile)
 *     area no longer writeok:   new pages go elsewhere; SwapTotal shrinks
 *     for each process:         each PTE holding an entry of the area -> vm_swapin()
 *     for each shmem object:    each index on the area -> shmem_getpage()
 *     swap cache of the area:   wait for I/O, take the pages out
 *     no slot in use:           the area is freed (mm/swapon.c)
 *
 * Memory must hold what comes back. Linux checks the commit limit first,
 * and its OOM killer may kill a process to make room; here nothing is to
 * be lost, so swapoff looks before it starts, and again before each page,
 * at what memory can still take: the free frames above the high watermark,
 * the page cache (clean: reclaim drops it), and the free slots of the
 * other areas (reclaim moves other pages there). When its pages do not
 * fit, swapoff stops with ENOMEM: the area is used as before, and the
 * pages already read back stay in memory (as in Linux), each one mapped
 * where its PTE was. No process is killed by swapoff.
 */
#include "mm/swapon.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/task.h"
#include "kernel/x86.h"
#include "mm/fault.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmm.h"
#include "mm/vmstat.h"

#define SWAPOFF_PASSES 8        /* walks over everything; each catches what a fork copied during the last */
#define SWAPOFF_SLACK  (1 + SWAP_RA_PAGES)   /* a swap-in takes a page and its readahead */
#define SWAPIN_TRIES   3        /* a PTE still holding its entry after this many swap-ins is passed by */

/*
 * Pages memory can still take without killing anyone: free frames above
 * the high watermark, the file pages of the page cache (clean: the root
 * is read-only; shared memory counts there too but can only go to swap),
 * and the free slots of the areas that still take pages (the one being
 * emptied does not).
 */
static uint64_t
room_for_pages(void)
{
	uint64_t free = pmm_free_frames();
	uint64_t spare = free > watermarks.high ? free - watermarks.high : 0;
	uint64_t shmem = vmstat[NR_SHMEM], cache = nr_pagecache_pages;

	return spare + (cache > shmem ? cache - shmem : 0) + swap_free_slots();
}

/* Is there room for one more swap-in (and its readahead)? */
static bool
may_go_on(void)
{
	return room_for_pages() >= SWAPOFF_SLACK;
}

/* The address spaces of every process, each held (mm_get): v[0 .. n), room for max. */
struct mm_list {
	struct mm **v;
	int n, max;
};

static void
count_task(struct task *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
}

static void
collect_mm(struct task *t, void *arg)
{
	struct mm_list *l = arg;

	if (!t->mm || t->state == TASK_ZOMBIE || t->state == TASK_DEAD || l->n == l->max)
		return;
	for (int i = 0; i < l->n; i++)
		if (l->v[i] == t->mm)
			return;           /* a thread of a process already listed */
	l->v[l->n++] = mm_get(t->mm);
}

/* The first PTE of region v at or above va holding an entry of area a (the entry in *e), or v->end. */
static vaddr_t
entry_in_region(struct mm *mm, const struct vma *v, const struct swap_area *a, vaddr_t va,
		swp_entry_t *e)
{
	pte_t *pte;

	for (vaddr_t at = vmm_next_entry(mm->pml4, MAX(va, v->start), v->end, &pte); at < v->end;
	     at = vmm_next_entry(mm->pml4, at + PAGE_SIZE, v->end, &pte)) {
		struct vmm_entry got = vmm_read(*pte);
		if (got.kind == VMM_SWAP && swp_area(got.swap) == a->id) {
			*e = got.swap;
			return at;
		}
	}
	return v->end;
}

/*
 * The address of the first PTE of mm at or above va that holds an entry
 * of area a (the entry in *e), or USER_TOP if none. Under the mm's lock
 * to read.
 */
static vaddr_t
next_entry_of(struct mm *mm, const struct swap_area *a, vaddr_t va, swp_entry_t *e)
{
	struct list_head *pos;
	vaddr_t found = USER_TOP;

	down_read(&mm->mmap_lock);
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		vaddr_t at;
		if (v->end <= va)
			continue;
		at = entry_in_region(mm, v, a, va, e);
		if (at < v->end) {
			found = at;
			break;
		}
	}
	up_read(&mm->mmap_lock);
	return found;
}

/*
 * The page just brought in for e leaves the swap cache if no other PTE
 * holds the slot (Linux's folio_free_swap() in try_to_unuse()): else
 * reclaim could drop it as a clean copy and put e back in its PTE, and
 * the walk would never end. Out of the cache, its only copy is in
 * memory: reclaim would give it a slot of another area, and write it.
 */
static void
free_slot_of(swp_entry_t e)
{
	struct page *p = swap_cache_lookup(e);

	if (!p)
		return;
	swap_cache_release(p);
	put_page(p);
}

/*
 * Brings every page of mm on area a back. 0, -ENOMEM (no room, or no
 * frame), -EINTR (a fatal signal for the caller). A slot that cannot be
 * read (bad) is passed by: its page is lost already, and the walk that
 * follows will find it again (EBUSY at the end). Counts in *brought.
 */
static int
unuse_mm(struct mm *mm, const struct swap_area *a, uint64_t *brought)
{
	vaddr_t last = USER_TOP;
	swp_entry_t e = { 0 };
	int tries = 0;

	for (vaddr_t va = next_entry_of(mm, a, 0, &e); va < USER_TOP;
	     va = next_entry_of(mm, a, va, &e)) {
		enum fault_result r;
		if (fatal_signal_pending(current))
			return -EINTR;
		if (!may_go_on())
			return -ENOMEM;
		tries = va == last ? tries + 1 : 0;
		last = va;
		r = vm_swapin(mm, va);
		if (r == FAULT_OOM)
			return -ENOMEM;
		if (r == FAULT_OK)
			free_slot_of(e);
		if (r == FAULT_OK && tries == 0)
			(*brought)++;
		/* A bad slot (SIGBUS), or a PTE that keeps its entry (it raced every time): pass it by. */
		if (r == FAULT_SIGBUS || tries >= SWAPIN_TRIES)
			va += PAGE_SIZE;
	}
	return 0;
}

/* Every process's pages on a back in memory: 0, -ENOMEM, -EINTR. */
static int
unuse_processes(const struct swap_area *a, uint64_t *brought)
{
	struct mm_list l = { 0 };
	int err = 0;

	task_for_each(count_task, &l.max);
	l.v = kmalloc((size_t)l.max * sizeof(*l.v));
	if (!l.v)
		return -ENOMEM;
	task_for_each(collect_mm, &l);
	for (int i = 0; i < l.n; i++) {
		if (!err)
			err = unuse_mm(l.v[i], a, brought);
		mm_put(l.v[i]);
	}
	kfree(l.v);
	return err;
}

/*
 * Takes every page out of a's swap cache whose slot no PTE holds (nothing
 * will look for it there), waiting for its I/O first.
 */
static void
drop_swap_cache(struct swap_area *a)
{
	for (uint32_t s = 1; s < a->slots.nslots && a->cached > 0; s++) {
		struct page *p = swap_cache_lookup(swp_entry(a->id, s));
		if (!p)
			continue;
		while (p->flags & (PG_LOCKED | PG_WRITEBACK)) {
			lock_page(p);             /* sleeps until the read or write is done */
			unlock_page(p);
		}
		if (p->flags & PG_SWAPCACHE && swp_same(p->swap, swp_entry(a->id, s)))
			swap_cache_release(p);
		put_page(p);
	}
}

/*
 * Reads each of obj's pages that sit in area a back into the object
 * (as a read of it would), while there is room. 0, -ENOMEM, -EIO.
 */
static int
unuse_object(struct shmem_object *obj, const struct swap_area *a, uint64_t *brought)
{
	uint64_t pages = (shmem_size(obj) + PAGE_SIZE - 1) / PAGE_SIZE;

	for (uint64_t i = 0; i < pages && obj->nr_swapped > 0; i++) {
		swp_entry_t e = pagecache_find_swap(&obj->mapping, i);
		struct page *p;
		int err;

		if (swp_none(e) || swp_area(e) != a->id)
			continue;
		if (!may_go_on())
			return -ENOMEM;
		if ((err = shmem_getpage(obj, i, &p, NULL)) != 0)
			return err;
		put_page(p);
		(*brought)++;
	}
	return 0;
}

/*
 * Every shared memory page on a back in its object: a page of an object
 * on swap is named by the object's tree, not by a PTE. One object at a
 * time, held meanwhile (and the next one taken before it is let go).
 */
static int
unuse_shmem(const struct swap_area *a, uint64_t *brought)
{
	struct shmem_object *obj = shmem_next_live(NULL), *next;
	int err = 0;

	while (obj) {
		if (!err)
			err = unuse_object(obj, a, brought);
		next = err ? NULL : shmem_next_live(obj);
		shmem_put(obj);
		obj = next;
	}
	return err;
}

/* One walk over everything that can hold a slot of a; counts the pages of processes and of shared memory. */
static int
unuse_pass(struct swap_area *a, uint64_t *brought, uint64_t *brought_shmem)
{
	int err = unuse_processes(a, brought);

	if (!err)
		err = unuse_shmem(a, brought_shmem);
	if (!err)
		drop_swap_cache(a);
	return err;
}

/*
 * Empties area a (swapon_lock held): no new pages go there, every page on
 * it comes back into memory, and it is ready to be freed. Returns 0;
 * -ENOMEM when memory cannot hold its pages (then a takes pages again,
 * every slot still in use is as it was); -EINTR (a fatal signal);
 * -EBUSY when slots stay in use after SWAPOFF_PASSES walks (a fork in
 * every pass, or a slot that could not be read). Sleeps, for long.
 */
int
swapoff_area(struct swap_area *a)
{
	uint64_t brought = 0, shmem = 0, t0 = timer_uptime_ns(), flags;
	uint64_t room = room_for_pages() - a->slots.free;   /* a's own free slots are no room */
	int err = 0, pass;

	if (swap_area_inuse(a) + SWAPOFF_SLACK > room) {
		pr_info("swap: %s: swapoff: %lu pages in use, room for %lu: ENOMEM\n", a->name,
			swap_area_inuse(a), room);
		return -ENOMEM;
	}
	flags = irq_save();
	swap_area_disable(a);
	irq_restore(flags);
	for (pass = 0; !err && pass < SWAPOFF_PASSES && swap_area_inuse(a) > 0; pass++)
		err = unuse_pass(a, &brought, &shmem);
	if (!err && swap_area_inuse(a) > 0)
		err = -EBUSY;
	flags = irq_save();
	if (err)
		swap_area_resume(a);
	irq_restore(flags);
	pr_info("swap: %s: swapoff %s: %lu pages brought back (%lu of shared memory) in %lu ms, "
		"%u pass%s, %lu slots in use\n", a->name, err ? "stopped" : "done", brought + shmem, shmem,
		(timer_uptime_ns() - t0) / 1000000, pass,
		pass == 1 ? "" : "es", swap_area_inuse(a));
	return err;
}
