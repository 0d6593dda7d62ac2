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
	while ((p = buddy_alloc(&b, 0)) != NULL) {
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
	struct page *p, *q;

	setup();
	/* Drain everything, give back one order-3 block, take order 0 twice. */
	nheld = 0;
	while ((p = buddy_alloc(&b, 0)) != NULL)
		take(p, 0);
	for (int i = 0; i < nheld; i++)
		if (buddy_pfn(&b, held[i].p) == 264)
			p = held[i].p;
	for (pfn_t pfn = 264; pfn < 272; pfn++)
		for (int i = 0; i < nheld; i++)
			if (buddy_pfn(&b, held[i].p) == pfn) {
				give_back(i);
				break;
			}
	CHECK(b.nr_free_blocks[3] == 1);
	q = buddy_alloc(&b, 0);
	CHECK(q != NULL && buddy_pfn(&b, q) == 264);
	CHECK(b.nr_free_blocks[0] == 1 && b.nr_free_blocks[1] == 1 && b.nr_free_blocks[2] == 1);
	take(q, 0);
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
	UNIT_EXIT();
}
