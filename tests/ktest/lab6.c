/*
 * tests/ktest/lab6.c - lab 6's in-kernel tests (docs/labs/lab6.md): the
 * clock hand (clock_choose, mm/evict_clock.c) and lru2's look at a page
 * (check_references, mm/evict_lru.c), on real pages of a test address
 * space (space_test.h) whose accessed bits the MMU sets when the test
 * reads them.
 *
 * The pages are on lists of the test's own, run by the policy under test
 * (struct evict_lists, as a memory group's are), which reclaim never
 * sees: whatever the kernel's own policy, these pages are only looked at
 * by the calls the test makes. Page k is added k-th, so page 0 is the
 * oldest: in clock's circle, the page under the hand.
 *
 * group "lab6": make run KARGS=test=lab6 runs them all, the grader one by
 * one (test=lab6_clock_second_chance ...).
 */
#include "kernel/ktest.h"
#include "mm/evict.h"
#include "mm/rmap.h"
#include "tests/ktest/space_test.h"

#define NPAGES 5

struct policy_test {
	struct test_space space;
	struct evict_lists lists;
	struct page *page[NPAGES];
	int npages;
};

/*
 * npages pages, their accessed bits clear, on lists of ops's own: page 0
 * first (the oldest). False (and a test failure) if memory ran out.
 */
static bool
setup(struct policy_test *t, const struct evict_ops *ops, int npages)
{
	t->npages = 0;
	t->lists = (struct evict_lists){ .ops = ops };
	ops->init(&t->lists);
	if (space_create(&t->space, npages)) {
		ktest_fail(__FILE__, __LINE__, "no memory for a test address space");
		return false;
	}
	for (int i = 0; i < npages; i++) {
		if ((t->page[i] = space_map_new(&t->space, i, (uint8_t)i)) == NULL) {
			ktest_fail(__FILE__, __LINE__, "no frame for test page %d", i);
			return false;
		}
		t->npages++;
		page_referenced(t->page[i]);          /* a clean start: no accessed bit */
		ops->add(&t->lists, t->page[i]);
	}
	return true;
}

/* Takes the pages off the test's lists (the kernel's own must never see them) and frees all. */
static void
teardown(struct policy_test *t)
{
	for (int i = 0; i < t->npages; i++)
		if (t->page[i]->flags & PG_LRU)
			t->lists.ops->remove(&t->lists, t->page[i]);
	if (t->space.mm)
		space_destroy(&t->space);
}

/* Which test page p is (-1: none). */
static int
index_of(const struct policy_test *t, const struct page *p)
{
	for (int i = 0; i < t->npages; i++)
		if (t->page[i] == p)
			return i;
	return -1;
}

/* Asks the policy for up to nr anonymous victims; their page numbers go to victims[]. */
static int
choose(struct policy_test *t, int nr, int *victims, uint64_t *scanned)
{
	struct page *v[NPAGES];
	int n;

	*scanned = 0;
	n = t->lists.ops->choose(&t->lists, EVICT_ANON, nr, v, scanned);
	for (int i = 0; i < n && i < NPAGES; i++)
		victims[i] = index_of(t, v[i]);
	return n;
}

/* The page under clock's hand (the oldest of the circle), or -1. */
static int
hand(struct policy_test *t)
{
	return index_of(t, evict_list_oldest(&t->lists.list[EVICT_ANON]));
}

/* The page just behind the hand (the newest), or -1. */
static int
newest(struct policy_test *t)
{
	struct list_head *pages = &t->lists.list[EVICT_ANON].pages;

	return list_empty(pages) ? -1 : index_of(t, list_entry(pages->next, struct page, lru));
}

static bool
accessed(const struct policy_test *t, int i)
{
	return space_entry(&t->space, i).accessed;
}

/*
 * Pages 0 1 2 3, 0 under the hand; 0 and 2 were used. The hand clears 0's
 * bit, moves it behind itself (second chance), and takes 1. The next look
 * passes over 2 the same way and takes 3.
 */
static void
second_chance(struct policy_test *t)
{
	int v[NPAGES];
	uint64_t scanned;

	space_touch(&t->space, 0);
	space_touch(&t->space, 2);
	KT_ASSERT(accessed(t, 0) && !accessed(t, 1) && accessed(t, 2));

	KT_ASSERT_EQ(choose(t, 1, v, &scanned), 1);
	KT_ASSERT_EQ(v[0], 1);
	KT_ASSERT_EQ(scanned, 2);                     /* 0, then 1 */
	KT_ASSERT(!(t->page[1]->flags & PG_LRU));     /* the victim is off the circle */
	KT_ASSERT_EQ(t->lists.list[EVICT_ANON].nr, 3);
	KT_ASSERT(!accessed(t, 0));                   /* the hand cleared the bit it passed */
	KT_ASSERT(accessed(t, 2));                    /* ... and no other */
	KT_ASSERT_EQ(hand(t), 2);
	KT_ASSERT_EQ(newest(t), 0);                   /* 0 is just behind the hand now */

	KT_ASSERT_EQ(choose(t, 1, v, &scanned), 1);
	KT_ASSERT_EQ(v[0], 3);
	KT_ASSERT_EQ(scanned, 2);                     /* 2, then 3 */
	KT_ASSERT(!accessed(t, 2));
	KT_ASSERT_EQ(hand(t), 0);
	KT_ASSERT_EQ(newest(t), 2);
}

KTEST_GROUP(lab6_clock_second_chance, "lab6")
{
	struct policy_test t;

	if (setup(&t, &evict_clock_ops, 4))
		second_chance(&t);
	teardown(&t);
}

/*
 * Every page was used: the hand goes once round the whole circle clearing
 * bits, and takes the page it started at (clock degenerates into FIFO).
 */
static void
full_sweep(struct policy_test *t)
{
	int v[NPAGES];
	uint64_t scanned;

	for (int i = 0; i < 4; i++)
		space_touch(&t->space, i);
	KT_ASSERT_EQ(choose(t, 1, v, &scanned), 1);
	KT_ASSERT_EQ(v[0], 0);
	KT_ASSERT_EQ(scanned, 5);                     /* 0 1 2 3, and 0 again */
	for (int i = 1; i < 4; i++)
		KT_ASSERT(!accessed(t, i));
	KT_ASSERT_EQ(hand(t), 1);
	KT_ASSERT_EQ(newest(t), 3);
}

KTEST_GROUP(lab6_clock_full_sweep, "lab6")
{
	struct policy_test t;

	if (setup(&t, &evict_clock_ops, 4))
		full_sweep(&t);
	teardown(&t);
}

/*
 * Several victims in one call (reclaim asks for a batch): pages 0..4, 1
 * and 3 used. One pass takes 0, 2 and 4 in the hand's order, leaving 1
 * and 3 with their bits cleared; the next call takes those two and stops
 * at an empty circle.
 */
static void
batch(struct policy_test *t)
{
	int v[NPAGES];
	uint64_t scanned;

	space_touch(&t->space, 1);
	space_touch(&t->space, 3);
	KT_ASSERT_EQ(choose(t, 3, v, &scanned), 3);
	KT_ASSERT(v[0] == 0 && v[1] == 2 && v[2] == 4);
	KT_ASSERT_EQ(scanned, 5);
	KT_ASSERT_EQ(t->lists.list[EVICT_ANON].nr, 2);
	KT_ASSERT(!accessed(t, 1) && !accessed(t, 3));
	KT_ASSERT_EQ(hand(t), 1);

	KT_ASSERT_EQ(choose(t, 3, v, &scanned), 2);
	KT_ASSERT(v[0] == 1 && v[1] == 3);
	KT_ASSERT_EQ(scanned, 2);
	KT_ASSERT_EQ(hand(t), -1);
	KT_ASSERT_EQ(choose(t, 3, v, &scanned), 0);   /* nothing left: no victim, no loop */
	KT_ASSERT_EQ(t->lists.list[EVICT_FILE].nr, 0);
}

KTEST_GROUP(lab6_clock_batch, "lab6")
{
	struct policy_test t;

	if (setup(&t, &evict_clock_ops, 5))
		batch(&t);
	teardown(&t);
}

/*
 * lru2: pages 0 1 2 on the inactive list, 0 the oldest. 0 was used once:
 * the first look keeps it, marked (PG_REFERENCED), at the inactive head,
 * and clears its bit. 1, not used, is the next victim.
 */
static void
used_once(struct policy_test *t)
{
	int v[NPAGES];
	uint64_t scanned;

	space_touch(&t->space, 0);
	KT_ASSERT_EQ(choose(t, 1, v, &scanned), 0);   /* 0 looked at, and kept */
	KT_ASSERT_EQ(scanned, 1);
	KT_ASSERT(t->page[0]->flags & PG_LRU);
	KT_ASSERT(t->page[0]->flags & PG_REFERENCED);
	KT_ASSERT(!(t->page[0]->flags & PG_ACTIVE));
	KT_ASSERT(!accessed(t, 0));
	KT_ASSERT_EQ(choose(t, 1, v, &scanned), 1);
	KT_ASSERT_EQ(v[0], 1);
	KT_ASSERT(!(t->page[1]->flags & (PG_LRU | PG_REFERENCED | PG_ACTIVE)));
}

KTEST_GROUP(lab6_lru2_used_once_is_kept_and_marked, "lab6")
{
	struct policy_test t;

	if (setup(&t, &evict_lru_ops, 3))
		used_once(&t);
	teardown(&t);
}

/*
 * lru2: a marked page used again by its next look is in use: active (and
 * no longer marked). A marked page not used again is reclaimed: one use
 * is not enough to stay.
 */
static void
used_again(struct policy_test *t)
{
	int v[NPAGES];
	uint64_t scanned;

	space_touch(&t->space, 0);
	space_touch(&t->space, 1);
	KT_ASSERT_EQ(choose(t, 2, v, &scanned), 0);   /* 0 and 1 kept, marked */
	KT_ASSERT((t->page[0]->flags & PG_REFERENCED) && (t->page[1]->flags & PG_REFERENCED));
	space_touch(&t->space, 0);                    /* 0 used again, 1 not */
	KT_ASSERT_EQ(choose(t, 3, v, &scanned), 2);   /* 2, then 0 and 1 */
	KT_ASSERT(v[0] == 2 && v[1] == 1);
	KT_ASSERT_EQ(scanned, 3);
	KT_ASSERT(t->page[0]->flags & PG_ACTIVE);
	KT_ASSERT(!(t->page[0]->flags & PG_REFERENCED));
	KT_ASSERT(t->page[0]->flags & PG_LRU);
}

KTEST_GROUP(lab6_lru2_used_again_is_activated, "lab6")
{
	struct policy_test t;

	if (setup(&t, &evict_lru_ops, 3))
		used_again(&t);
	teardown(&t);
}
