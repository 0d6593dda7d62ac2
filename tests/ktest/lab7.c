/*
 * tests/ktest/lab7.c - lab 7's in-kernel tests (docs/labs/lab7.md): swap
 * entries (mm/swap_entry.c), swap-out (swap_alloc_cached in mm/swap.c,
 * unmap_one in mm/rmap.c) and swap-in with the swap cache
 * (find_swapped_page and do_swap_fault in mm/fault_swap.c), on pages of a test
 * address space (space_test.h) filled with a known byte.
 *
 * A page goes out the way madvise(MADV_PAGEOUT) sends it
 * (reclaim_pageout(): a slot, unmapped, written, freed) and comes back
 * through vm_fault(), as a program's access would bring it. Each test
 * checks what the page tables, the slot and the swap cache hold at each
 * step, and that frames and slots are back where they were at the end
 * (the frames: kernel/ktest.c checks them after every test).
 *
 * group "lab7": make run KARGS=test=lab7 runs them all, the grader one by
 * one; they need the swap disk tools/qemu.sh attaches (hdb).
 */
#include "kernel/ktest.h"
#include "mm/evict.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/ktest/space_test.h"

#define FILL 0x5a               /* every byte of the test page */

KTEST_GROUP(lab7_swap_entry_encoding, "lab7")
{
	swp_entry_t e = swp_entry(3, 12345), last = swp_entry(SWP_MAX_AREAS - 1, SWP_MAX_SLOTS - 1);

	KT_ASSERT_EQ(e.val, 3u << SWP_SLOT_BITS | 12345);      /* the layout of mm/swap_entry.h */
	KT_ASSERT_EQ(swp_area(e), 3);
	KT_ASSERT_EQ(swp_slot(e), 12345);
	KT_ASSERT_EQ(swp_area(last), SWP_MAX_AREAS - 1);
	KT_ASSERT_EQ(swp_slot(last), SWP_MAX_SLOTS - 1);
	KT_ASSERT_EQ(swp_entry(0, 1).val, 1);
	KT_ASSERT(swp_none(swp_entry(0, 0)));
	KT_ASSERT(!swp_none(swp_entry(1, 0)));
	for (uint32_t slot = 1; slot < SWP_MAX_SLOTS; slot = slot * 3 + 1)
		for (unsigned area = 0; area < SWP_MAX_AREAS; area += 5) {
			swp_entry_t x = swp_entry(area, slot);
			KT_ASSERT(swp_area(x) == area && swp_slot(x) == slot);
		}
}

/* A test space with one page filled with FILL, on the policy's lists as a faulted-in page is. */
static bool
setup(struct test_space *s)
{
	struct page *p;

	if (!swap_enabled()) {
		ktest_fail(__FILE__, __LINE__, "no swap device (tools/qemu.sh attaches one as hdb)");
		return false;
	}
	if (space_create(s, 1)) {
		ktest_fail(__FILE__, __LINE__, "no memory for a test address space");
		return false;
	}
	if ((p = space_map_new(s, 0, FILL)) == NULL) {
		ktest_fail(__FILE__, __LINE__, "no frame for the test page");
		return false;
	}
	evict_add(p);
	return true;
}

/*
 * Swaps page 0 of s out, as madvise(MADV_PAGEOUT) does. True if its frame
 * was freed; else a test failure that says what the PTE holds.
 */
static bool
page_out(struct test_space *s)
{
	uint64_t freed = reclaim_pageout(s->mm, space_va(0), space_va(1));
	struct vmm_entry e = space_entry(s, 0);

	if (freed != 1)
		ktest_fail(__FILE__, __LINE__, "swap-out freed %lu frames, not 1; the PTE %s", freed,
			   e.kind == VMM_PAGE ? "still maps the page" :
			   e.kind == VMM_SWAP ? "holds a swap entry" : "is empty");
	return freed == 1;
}

/* Frees s, then checks that every swap slot taken since `slots` free slots is free again. */
static void
teardown(struct test_space *s, uint64_t slots)
{
	if (s->mm)
		space_destroy(s);
	if (swap_free_slots() != slots)
		ktest_fail(__FILE__, __LINE__, "%ld swap slots not given back (%lu free before, %lu after)",
			   (long)(slots - swap_free_slots()), slots, swap_free_slots());
}

/*
 * After a swap-out the PTE holds a swap entry, whose slot is used once
 * (by that PTE), the frame is free and nothing is left in the swap
 * cache; the address space counts a swap entry instead of a page.
 */
static void
swap_out(struct test_space *s, uint64_t slots)
{
	uint64_t frames = pmm_free_frames(), out = vmstat[PSWPOUT];
	struct vmm_entry e;
	struct page *cached;

	KT_ASSERT(page_out(s));
	e = space_entry(s, 0);
	KT_ASSERT_EQ(e.kind, VMM_SWAP);
	KT_ASSERT(!swp_none(e.swap));
	KT_ASSERT_EQ(swap_count(e.swap), 1);          /* held by our PTE */
	KT_ASSERT_EQ(swap_free_slots(), slots - 1);
	KT_ASSERT_EQ(vmstat[PSWPOUT] - out, 1);       /* written once */
	KT_ASSERT_EQ(pmm_free_frames(), frames + 1);  /* the frame is free */
	cached = swap_cache_lookup(e.swap);
	if (cached)
		put_page(cached);
	KT_ASSERT(cached == NULL);                    /* written and dropped from the cache */
	KT_ASSERT_EQ(s->mm->rss, 0);
	KT_ASSERT_EQ(s->mm->swap_ents, 1);
}

KTEST_GROUP(lab7_swap_out_installs_the_entry, "lab7")
{
	uint64_t slots = swap_free_slots();
	struct test_space s = { 0 };

	if (setup(&s))
		swap_out(&s, slots);
	teardown(&s, slots);
}

/* A fault at page 0; a test failure naming why if vm_fault() refused. */
static bool
fault_in(struct test_space *s, bool write)
{
	const char *why;
	enum fault_result r = space_fault(s, 0, write, &why);

	if (r != FAULT_OK)
		ktest_fail(__FILE__, __LINE__, "the %s fault failed (%d): %s", write ? "write" : "read",
			   r, why ? why : "no reason given");
	return r == FAULT_OK;
}

/*
 * A read brings the page back read-only with its data (a major fault:
 * one page read from swap), and keeps the slot: the page stays clean in
 * the swap cache, so that reclaim could drop it again without a write.
 */
static void
read_keeps_slot(struct test_space *s, uint64_t slots)
{
	uint64_t majflt, in;
	struct vmm_entry before, after;
	struct page *p;

	KT_ASSERT(page_out(s));
	before = space_entry(s, 0);
	KT_ASSERT_EQ(before.kind, VMM_SWAP);
	KT_ASSERT(!swap_nearly_full());               /* else any fault gives the slot up */
	majflt = vmstat[PGMAJFAULT];
	in = vmstat[PSWPIN];
	if (!fault_in(s, false))
		return;
	after = space_entry(s, 0);
	KT_ASSERT_EQ(after.kind, VMM_PAGE);
	KT_ASSERT(!(after.prot & VMM_WRITE));         /* its slot copy must not go stale unseen */
	KT_ASSERT_EQ(vmstat[PGMAJFAULT] - majflt, 1);
	KT_ASSERT_EQ(vmstat[PSWPIN] - in, 1);
	p = phys_to_page(after.pa);
	KT_ASSERT(page_filled_with(p, FILL));
	KT_ASSERT(p->flags & PG_SWAPCACHE);
	KT_ASSERT(swp_same(p->swap, before.swap));
	KT_ASSERT_EQ(swap_count(before.swap), 0);     /* no PTE holds it, the cache does */
	KT_ASSERT_EQ(swap_free_slots(), slots - 1);
	KT_ASSERT_EQ(p->mapcount, 1);
	KT_ASSERT(p->flags & PG_LRU);                 /* evictable again */
	KT_ASSERT_EQ(s->mm->rss, 1);
	KT_ASSERT_EQ(s->mm->swap_ents, 0);
}

KTEST_GROUP(lab7_swap_in_by_a_read_keeps_the_slot, "lab7")
{
	uint64_t slots = swap_free_slots();
	struct test_space s = { 0 };

	if (setup(&s))
		read_keeps_slot(&s, slots);
	teardown(&s, slots);
}

/*
 * A write by the page's only user brings it back writable and lets the
 * slot go at once: the copy on swap is about to be stale.
 */
static void
write_frees_slot(struct test_space *s, uint64_t slots)
{
	struct vmm_entry e;
	struct page *p;

	KT_ASSERT(page_out(s));
	KT_ASSERT_EQ(space_entry(s, 0).kind, VMM_SWAP);
	if (!fault_in(s, true))
		return;
	e = space_entry(s, 0);
	KT_ASSERT_EQ(e.kind, VMM_PAGE);
	KT_ASSERT(e.prot & VMM_WRITE);
	p = phys_to_page(e.pa);
	KT_ASSERT(page_filled_with(p, FILL));
	KT_ASSERT(!(p->flags & PG_SWAPCACHE));
	KT_ASSERT_EQ(swap_free_slots(), slots);
	KT_ASSERT_EQ(s->mm->swap_ents, 0);
}

KTEST_GROUP(lab7_swap_in_by_a_write_frees_the_slot, "lab7")
{
	uint64_t slots = swap_free_slots();
	struct test_space s = { 0 };

	if (setup(&s))
		write_frees_slot(&s, slots);
	teardown(&s, slots);
}

/*
 * Two address spaces of one fork family hold the same swap entry (the
 * page went out, then the process forked). The first to fault reads the
 * page from swap; the second finds it in the swap cache - no second read,
 * the same frame - and both map it read-only, a write would copy it.
 */
static void
second_sharer(struct test_space *s, struct test_space *sibling, uint64_t slots)
{
	uint64_t majflt, in;
	struct vmm_entry e, mine, theirs;
	struct page *p;
	const char *why;

	KT_ASSERT(page_out(s));
	e = space_entry(s, 0);
	KT_ASSERT(space_share(sibling, s) == 0);
	KT_ASSERT(space_copy_entry(sibling, s, 0) == 0);
	KT_ASSERT_EQ(swap_count(e.swap), 2);
	majflt = vmstat[PGMAJFAULT];
	in = vmstat[PSWPIN];
	if (!fault_in(s, false))
		return;
	KT_ASSERT_EQ(vmstat[PGMAJFAULT] - majflt, 1);
	KT_ASSERT_EQ(space_fault(sibling, 0, false, &why), FAULT_OK);
	KT_ASSERT_EQ(vmstat[PGMAJFAULT] - majflt, 1); /* a minor fault: the swap cache had it */
	KT_ASSERT_EQ(vmstat[PSWPIN] - in, 1);         /* read once */
	mine = space_entry(s, 0);
	theirs = space_entry(sibling, 0);
	KT_ASSERT(mine.kind == VMM_PAGE && theirs.kind == VMM_PAGE);
	KT_ASSERT(mine.pa == theirs.pa);              /* one frame for both */
	KT_ASSERT(!(mine.prot & VMM_WRITE) && !(theirs.prot & VMM_WRITE));
	p = phys_to_page(mine.pa);
	KT_ASSERT_EQ(p->mapcount, 2);
	KT_ASSERT(page_filled_with(p, FILL));
	KT_ASSERT_EQ(swap_count(e.swap), 0);
	KT_ASSERT_EQ(swap_free_slots(), slots - 1);   /* the clean copy stays */
}

KTEST_GROUP(lab7_second_sharer_hits_the_swap_cache, "lab7")
{
	uint64_t slots = swap_free_slots();
	struct test_space s = { 0 }, sibling = { 0 };

	if (setup(&s))
		second_sharer(&s, &sibling, slots);
	if (sibling.mm)
		space_destroy(&sibling);
	teardown(&s, slots);
}
