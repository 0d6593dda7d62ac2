/*
 * tests/unit/test_buddy.c - mm/buddy.c against a reference model.
 *
 * The model is one bool per frame ("allocated?"). Random allocations and
 * frees run against both; after every step the allocator's exact free
 * count must equal the model's, every block handed out must be aligned,
 * free in the model and never reserved, and the free lists must describe
 * exactly the free frames. At the end everything is freed and the free
 * lists must be fully coalesced: the maximal aligned blocks of each
 * usable range, computed here independently.
 *
 * Worked cases (lab 2, docs/labs/lab2.md, implements buddy_alloc and
 * buddy_free): a split keeps the lowest half; the smallest block that
 * fits is used; blocks merge with their buddy only, never with a free
 * neighbour that is not it. A panic (a skeleton's stub) fails its case
 * only.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "kernel/errno.h"
#include "mm/buddy.h"

#define NPFNS 8037            /* not a power of two on purpose */

static struct page pages[NPFNS];
static struct buddy b;
static bool reserved[NPFNS];
static bool allocated[NPFNS];

/* Usable ranges [start, end); everything else is reserved. */
static const pfn_t ranges[][2] = {
	{ 16, 100 }, { 260, 5000 }, { 5003, 5004 }, { 5120, NPFNS },
};

static unsigned long long rng = 12345;

static uint64_t
rnd(void)
{
	return unit_xorshift(&rng);
}

static uint64_t
usable_frames(void)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		n += ranges[i][1] - ranges[i][0];
	return n;
}

static void
setup(void)
{
	memset(pages, 0, sizeof(pages));
	memset(allocated, 0, sizeof(allocated));
	for (pfn_t i = 0; i < NPFNS; i++) {
		pages[i].flags = PG_RESERVED;
		reserved[i] = true;
	}
	buddy_init(&b, pages, NPFNS);
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		for (pfn_t p = ranges[i][0]; p < ranges[i][1]; p++) {
			pages[p].flags = 0;
			reserved[p] = false;
		}
		buddy_add_range(&b, ranges[i][0], ranges[i][1]);
	}
}

/* The free lists hold exactly the frames the model says are free. */
static bool
lists_match_model(void)
{
	static bool seen[NPFNS];
	uint64_t total = 0;

	memset(seen, 0, sizeof(seen));
	for (unsigned o = 0; o <= MAX_ORDER; o++) {
		uint64_t blocks = 0;
		struct list_head *pos;
		list_for_each(pos, &b.free[o]) {
			pfn_t pfn = buddy_pfn(&b, list_entry(pos, struct page, lru));
			if (pfn & ((1UL << o) - 1) || pfn + (1UL << o) > NPFNS)
				return false;
			for (pfn_t i = pfn; i < pfn + (1UL << o); i++) {
				if (seen[i] || allocated[i] || reserved[i])
					return false;
				seen[i] = true;
			}
			total += 1UL << o;
			blocks++;
		}
		if (blocks != b.nr_free_blocks[o])
			return false;
	}
	for (pfn_t i = 0; i < NPFNS; i++)
		if (!reserved[i] && !allocated[i] && !seen[i])
			return false;
	return total == b.nr_free;
}

static void
init_counts(void)
{
	setup();
	CHECK(b.nr_free == usable_frames());
	CHECK(lists_match_model());
}

struct held {
	struct page *p;
	unsigned order;
};

static struct held held[NPFNS];
static int nheld;

static bool
take(struct page *p, unsigned order)
{
	pfn_t pfn = buddy_pfn(&b, p);

	if (pfn & ((1UL << order) - 1) || p->refcount != 1)
		return false;
	for (pfn_t i = pfn; i < pfn + (1UL << order); i++) {
		if (i >= NPFNS || allocated[i] || reserved[i])
			return false;
		allocated[i] = true;
	}
	held[nheld++] = (struct held){ p, order };
	return true;
}

static void
give_back(int idx)
{
	struct held h = held[idx];
	pfn_t pfn = buddy_pfn(&b, h.p);

	CHECK(buddy_free(&b, h.p, h.order) == 0);
	for (pfn_t i = pfn; i < pfn + (1UL << h.order); i++)
		allocated[i] = false;
	held[idx] = held[--nheld];
}

static uint64_t
model_free(void)
{
	uint64_t n = 0;

	for (pfn_t i = 0; i < NPFNS; i++)
		n += !reserved[i] && !allocated[i];
	return n;
}

/* Free everything held, in random order. */
static void
release_all(void)
{
	while (nheld > 0)
		give_back((int)(rnd() % nheld));
}

/* pfn starts a free block of this order. */
static bool
is_head(pfn_t pfn, unsigned order)
{
	return (pages[pfn].flags & PG_BUDDY) && pages[pfn].order == order;
}

/* Takes every free frame, one at a time, into held[]. */
static void
drain(void)
{
	struct page *p;

	nheld = 0;
	while ((p = buddy_alloc(&b, 0)) != NULL && !unit_case_failed)
		CHECK(take(p, 0));
}

/* Gives back the held frame pfn (taken by drain()). */
static void
give_back_pfn(pfn_t pfn)
{
	for (int i = 0; i < nheld; i++)
		if (held[i].order == 0 && buddy_pfn(&b, held[i].p) == pfn) {
			give_back(i);
			return;
		}
	CHECK(!"frame not held");
}

static void
give_back_pfns(pfn_t start, pfn_t end)
{
	for (pfn_t pfn = start; pfn < end; pfn++)
		give_back_pfn(pfn);
}

static void
random_against_model(void)
{
	setup();
	nheld = 0;
	for (int step = 0; step < 100000 && !unit_case_failed; step++) {
		if (nheld > 0 && rnd() % 100 < 45) {
			give_back((int)(rnd() % nheld));
		} else {
			unsigned order = rnd() % 4 == 0 ? rnd() % (MAX_ORDER + 1) : 0;
			struct page *p = buddy_alloc(&b, order);
			if (p)
				CHECK(take(p, order));
		}
		CHECK(b.nr_free == model_free());
		if (step % 5000 == 0)
			CHECK(lists_match_model());
	}
	CHECK(lists_match_model());
	release_all();
	CHECK(b.nr_free == usable_frames());
}

/* Maximal aligned blocks of the usable frames, largest first. */
static void
expected_blocks(uint64_t out[MAX_ORDER + 1])
{
	static bool covered[NPFNS];

	memset(covered, 0, sizeof(covered));
	for (int o = MAX_ORDER; o >= 0; o--) {
		out[o] = 0;
		for (pfn_t start = 0; start + (1UL << o) <= NPFNS; start += 1UL << o) {
			bool ok = true;
			for (pfn_t i = start; i < start + (1UL << o) && ok; i++)
				ok = !reserved[i] && !covered[i];
			if (!ok)
				continue;
			for (pfn_t i = start; i < start + (1UL << o); i++)
				covered[i] = true;
			out[o]++;
		}
	}
}

static void
exhaustion_and_full_coalescing(void)
{
	uint64_t want[MAX_ORDER + 1];
	uint64_t total = usable_frames(), got = 0;
	struct page *p;

	setup();
	nheld = 0;
	while (got <= total && (p = buddy_alloc(&b, 0)) != NULL) {
		CHECK(take(p, 0));
		got++;
	}
	CHECK(got == total);
	CHECK(b.nr_free == 0);
	for (unsigned o = 0; o <= MAX_ORDER; o++)
		CHECK(buddy_alloc(&b, o) == NULL);
	release_all();
	CHECK(b.nr_free == total);
	expected_blocks(want);
	for (unsigned o = 0; o <= MAX_ORDER; o++)
		CHECK(b.nr_free_blocks[o] == want[o]);
	CHECK(lists_match_model());
}

static void
bad_frees_are_rejected(void)
{
	struct page *p;
	uint64_t before;

	setup();
	p = buddy_alloc(&b, 2);
	CHECK(p != NULL);
	before = b.nr_free;
	CHECK(buddy_free(&b, p + 1, 2) == -EINVAL);        /* misaligned */
	CHECK(buddy_free(&b, &pages[0], 0) == -EINVAL);    /* reserved */
	CHECK(buddy_free(&b, p, MAX_ORDER + 1) == -EINVAL);
	CHECK(b.nr_free == before);
	CHECK(buddy_free(&b, p, 2) == 0);
	CHECK(b.nr_free == before + 4);
	CHECK(buddy_free(&b, p, 2) == -EINVAL);             /* double free */
	CHECK(buddy_free(&b, p + 1, 0) == -EINVAL);         /* inside a free block */
	CHECK(b.nr_free == before + 4);
	CHECK(buddy_alloc(&b, MAX_ORDER + 1) == NULL);
	CHECK(lists_match_model());
}

static void
split_gives_lowest_half(void)
{
	struct page *q;

	setup();
	/* Drain everything, give back one order-3 block, take order 0 once. */
	drain();
	give_back_pfns(264, 272);
	CHECK(b.nr_free_blocks[3] == 1);
	q = buddy_alloc(&b, 0);
	CHECK(q != NULL && buddy_pfn(&b, q) == 264);
	CHECK(b.nr_free_blocks[0] == 1 && b.nr_free_blocks[1] == 1 && b.nr_free_blocks[2] == 1);
	CHECK(is_head(265, 0) && is_head(266, 1) && is_head(268, 2));
	if (q)
		CHECK(take(q, 0));
	release_all();
	CHECK(b.nr_free == usable_frames());
}

static void
smallest_block_is_used_first(void)
{
	struct page *p;

	setup();
	drain();
	give_back_pfns(264, 272);             /* one order-3 block */
	give_back_pfn(300);                   /* one frame: its buddy 301 is held */
	CHECK(b.nr_free_blocks[3] == 1 && b.nr_free_blocks[0] == 1);
	p = buddy_alloc(&b, 0);
	CHECK(p != NULL && buddy_pfn(&b, p) == 300);
	CHECK(b.nr_free_blocks[3] == 1 && b.nr_free_blocks[0] == 0);
	if (p)
		CHECK(take(p, 0));
	p = buddy_alloc(&b, 1);               /* now the order-3 block must be split */
	CHECK(p != NULL && buddy_pfn(&b, p) == 264);
	CHECK(b.nr_free_blocks[3] == 0 && b.nr_free_blocks[2] == 1 && b.nr_free_blocks[1] == 1);
	if (p)
		CHECK(take(p, 1));
	CHECK(lists_match_model());
	release_all();
	CHECK(b.nr_free == usable_frames());
}

/*
 * 266-267 and 268-269 are neighbours of the same size, but not buddies
 * (266 ^ 2 = 264): they must stay apart until 264-265 and 270-271 come
 * back and each pair can merge with its own buddy, up to order 3.
 */
static void
merges_with_buddy_only(void)
{
	setup();
	drain();
	give_back_pfns(266, 270);
	CHECK(b.nr_free_blocks[1] == 2 && b.nr_free_blocks[2] == 0);
	CHECK(is_head(266, 1) && is_head(268, 1));
	give_back_pfns(264, 266);
	CHECK(b.nr_free_blocks[2] == 1 && b.nr_free_blocks[1] == 1);
	CHECK(is_head(264, 2) && is_head(268, 1));
	give_back_pfns(270, 272);
	CHECK(b.nr_free_blocks[3] == 1 && b.nr_free_blocks[2] == 0);
	CHECK(b.nr_free_blocks[1] == 0 && b.nr_free_blocks[0] == 0);
	CHECK(is_head(264, 3));
	CHECK(!(pages[266].flags & PG_BUDDY) && !(pages[268].flags & PG_BUDDY));
	CHECK(lists_match_model());
	release_all();
	CHECK(b.nr_free == usable_frames());
}

int
main(void)
{
	RUN(init_counts);
	RUN(random_against_model);
	RUN(exhaustion_and_full_coalescing);
	RUN(bad_frees_are_rejected);
	RUN(split_gives_lowest_half);
	RUN(smallest_block_is_used_first);
	RUN(merges_with_buddy_only);
	UNIT_EXIT();
}
