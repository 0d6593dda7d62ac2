/*
 * tests/unit/test_swap_map.c - mm/swap_map.c against a reference model.
 *
 * Fixed sequences check the rules one at a time: slot 0 and bad pages
 * are never handed out, consecutive allocations are neighbours, the
 * cursor wraps and jumps to a run of free slots, a full map returns 0,
 * counts stick at SWAP_MAP_MAX, a cached slot is in use, and misuse is
 * refused without changing the counts. Then random allocations, dups, puts, cache entries and exits
 * and write errors run against a model (a count, a cached flag and a bad
 * flag per slot, and the cursor): every allocation must return the slot
 * the model predicts, and the free count must be exact after every step.
 * At the end everything is released and the free count must be back at
 * its baseline (minus the slots that went bad).
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "kernel/errno.h"
#include "mm/swap_map.h"

#define NSLOTS 300

static uint16_t mapmem[NSLOTS];
static struct swap_map m;

static unsigned long long rng = 777;

static uint64_t
rnd(void)
{
	return unit_xorshift(&rng);
}

static void
setup(uint32_t nslots, const uint32_t *bad, uint32_t nr_bad)
{
	memset(mapmem, 0xa5, sizeof(mapmem));      /* init must not trust the memory */
	swap_map_init(&m, mapmem, nslots, bad, nr_bad);
}

static void
init_skips_header_and_bad_pages(void)
{
	/* from the disk: repeats, the header, out of range */
	static const uint32_t bad[] = { 5, 5, 0, NSLOTS, 0xffffffff, 99, 7 };

	setup(NSLOTS, bad, sizeof(bad) / sizeof(bad[0]));
	CHECK(m.nbad == 3);
	CHECK(m.free == NSLOTS - 1 - 3);
	CHECK(swap_map_bad(&m, 0));
	CHECK(swap_map_bad(&m, 5) && swap_map_bad(&m, 7) && swap_map_bad(&m, 99));
	CHECK(!swap_map_bad(&m, 6) && !swap_map_bad(&m, NSLOTS - 1));
	CHECK(swap_map_count(&m, 6) == 0);
}

static void
consecutive_allocations_are_neighbours(void)
{
	static const uint32_t bad[] = { 5 };

	setup(NSLOTS, bad, 1);
	CHECK(swap_map_alloc(&m) == 1);
	CHECK(swap_map_alloc(&m) == 2);
	CHECK(swap_map_alloc(&m) == 3);
	CHECK(swap_map_alloc(&m) == 4);
	CHECK(swap_map_alloc(&m) == 6);             /* over the bad page */
	CHECK(swap_map_alloc(&m) == 7);
	CHECK(m.free == NSLOTS - 1 - 1 - 6);
}

static void
cursor_moves_on_and_wraps(void)
{
	setup(10, NULL, 0);                         /* slots 1..9 */
	for (uint32_t s = 1; s <= 5; s++)
		CHECK(swap_map_alloc(&m) == s);
	swap_map_uncache(&m, 2);                    /* 2 is free again ... */
	CHECK(swap_map_alloc(&m) == 6);             /* ... but the cursor goes on */
	CHECK(swap_map_alloc(&m) == 7);
	CHECK(swap_map_alloc(&m) == 8);
	CHECK(swap_map_alloc(&m) == 9);
	CHECK(swap_map_alloc(&m) == 2);             /* wrapped, over the header */
	CHECK(swap_map_alloc(&m) == 0);
	CHECK(m.free == 0);
}

static void
cursor_jumps_to_a_run_of_free_slots(void)
{
	setup(NSLOTS, NULL, 0);
	for (uint32_t s = 1; s <= 100; s++)
		CHECK(swap_map_alloc(&m) == s);
	for (uint32_t s = 10; s < 10 + SWAP_CLUSTER; s++)
		swap_map_uncache(&m, s);                  /* a run of 32 at 10 ... */
	swap_map_uncache(&m, 5);                    /* ... and a lone free slot at 5 */
	m.cursor = 3;                               /* as if it had wrapped */
	CHECK(swap_map_alloc(&m) == 10);            /* the run, not the lone slot */
	CHECK(swap_map_alloc(&m) == 11);            /* and on along it */
	for (uint32_t s = 12; s < 10 + SWAP_CLUSTER; s++)
		CHECK(swap_map_alloc(&m) == s);
	/* The run is used up; no other run of 32 before 101, and fewer than 32
	 * slots were freed since the search: the next free slot, no search. */
	m.cursor = 3;
	CHECK(swap_map_alloc(&m) == 5);
	CHECK(m.freed_since_search == 0);
}

static void
full_map_returns_zero(void)
{
	static bool seen[NSLOTS];
	static const uint32_t bad[] = { 1, 2, 150, NSLOTS - 1 };
	uint32_t s, n = 0, total;

	setup(NSLOTS, bad, 4);
	total = m.free;
	memset(seen, 0, sizeof(seen));
	while ((s = swap_map_alloc(&m)) != 0) {
		CHECK(s < NSLOTS && !seen[s] && !swap_map_bad(&m, s));
		seen[s] = true;
		n++;
	}
	CHECK(n == total && n == NSLOTS - 1 - 4);
	CHECK(m.free == 0);
	CHECK(swap_map_alloc(&m) == 0);
	CHECK(!seen[0] && !seen[1] && !seen[2] && !seen[150] && !seen[NSLOTS - 1]);
}

static void
write_error_makes_slot_bad_for_good(void)
{
	uint32_t s, total;

	setup(NSLOTS, NULL, 0);
	total = m.free;
	s = swap_map_alloc(&m);
	CHECK(swap_map_dup(&m, s) == 0);            /* a PTE holds it ... */
	swap_map_mark_bad(&m, s);                   /* ... and the write fails */
	swap_map_mark_bad(&m, s);                   /* counted once */
	CHECK(m.nbad == 1 && swap_map_bad(&m, s) && swap_map_count(&m, s) == 1);
	CHECK(swap_map_put(&m, s) == 0);
	swap_map_uncache(&m, s);
	CHECK(m.free == total - 1);                 /* released, but not free */
	while ((s = swap_map_alloc(&m)) != 0)
		CHECK(!swap_map_bad(&m, s));
	swap_map_mark_bad(&m, 2);                   /* a cached slot: free stays 0 */
	CHECK(m.free == 0 && m.nbad == 2);
}

static void
count_sticks_at_max(void)
{
	uint32_t s, before;

	setup(NSLOTS, NULL, 0);
	s = swap_map_alloc(&m);
	for (int i = 0; i < SWAP_MAP_MAX + 5; i++)
		CHECK(swap_map_dup(&m, s) == 0);
	CHECK(swap_map_count(&m, s) == SWAP_MAP_MAX);
	CHECK(!swap_map_bad(&m, s));                /* the count did not spill into the flags */
	swap_map_uncache(&m, s);
	before = m.free;
	CHECK(swap_map_put(&m, s) == 0);
	CHECK(swap_map_count(&m, s) == SWAP_MAP_MAX);
	CHECK(m.free == before);                    /* never freed while someone may hold it */
}

static void
cached_slot_is_in_use(void)
{
	uint32_t s, total;

	setup(NSLOTS, NULL, 0);
	total = m.free;
	/* Evicted: allocated (cached), unmapped (a PTE holds it), page freed. */
	s = swap_map_alloc(&m);
	CHECK(m.free == total - 1 && swap_map_count(&m, s) == 0);
	CHECK(swap_map_dup(&m, s) == 0);
	swap_map_uncache(&m, s);
	swap_map_uncache(&m, s);                    /* not cached: nothing happens */
	CHECK(m.free == total - 1);
	/* Read back (cached again), the PTE goes, the page stays mapped a while. */
	swap_map_cache(&m, s);
	CHECK(swap_map_put(&m, s) == 0);
	CHECK(m.free == total - 1 && swap_map_count(&m, s) == 0);
	swap_map_uncache(&m, s);
	CHECK(m.free == total);
	/* Caching a free slot takes it. */
	swap_map_cache(&m, 10);
	CHECK(m.free == total - 1);
	swap_map_uncache(&m, 10);
	CHECK(m.free == total);
}

static void
misuse_is_refused(void)
{
	uint32_t total;

	setup(NSLOTS, NULL, 0);
	total = m.free;
	CHECK(swap_map_put(&m, 3) == -EINVAL);      /* free */
	CHECK(swap_map_dup(&m, 3) == -EINVAL);
	CHECK(swap_map_put(&m, 0) == -EINVAL);      /* the header */
	CHECK(swap_map_dup(&m, 0) == -EINVAL);
	CHECK(swap_map_put(&m, NSLOTS) == -EINVAL); /* beyond the end */
	CHECK(swap_map_dup(&m, NSLOTS) == -EINVAL);
	CHECK(swap_map_alloc(&m) == 1);
	CHECK(swap_map_put(&m, 1) == -EINVAL);      /* cached, but no PTE holds it */
	CHECK(m.free == total - 1 && swap_map_count(&m, 1) == 0);
	CHECK(swap_map_count(&m, 3) == 0 && m.free == total - 1);
}

/* The model: what each slot should be, and where the cursor should be. */
static unsigned model_count[NSLOTS];
static bool model_cached[NSLOTS], model_bad[NSLOTS];
static uint32_t model_cursor, model_freed_since_search;

static bool
model_is_free(uint32_t s)
{
	return s > 0 && !model_bad[s] && model_count[s] == 0 && !model_cached[s];
}

static uint32_t
model_free(void)
{
	uint32_t n = 0;

	for (uint32_t s = 1; s < NSLOTS; s++)
		n += model_is_free(s);
	return n;
}

/* Slot i places after s, wrapping over slot 0. */
static uint32_t
model_slot_after(uint32_t s, uint32_t i)
{
	return 1 + (s - 1 + i) % (NSLOTS - 1);
}

static bool
model_run_at(uint32_t s)
{
	if (s + SWAP_CLUSTER > NSLOTS)
		return false;
	for (uint32_t i = 0; i < SWAP_CLUSTER; i++)
		if (!model_is_free(s + i))
			return false;
	return true;
}

/*
 * The slot the cursor is on if it is free; else the first run of
 * SWAP_CLUSTER free slots from there (if SWAP_CLUSTER slots were freed
 * since the last search), else the first free slot; 0 if none is free.
 */
static uint32_t
model_alloc(void)
{
	uint32_t s = 0;

	if (model_free() == 0)
		return 0;
	if (!model_is_free(model_cursor) && model_freed_since_search >= SWAP_CLUSTER) {
		model_freed_since_search = 0;
		for (uint32_t i = 0; i < NSLOTS - 1 && !s; i++)
			if (model_run_at(model_slot_after(model_cursor, i)))
				s = model_slot_after(model_cursor, i);
	}
	for (uint32_t i = 0; !s; i++)
		if (model_is_free(model_slot_after(model_cursor, i)))
			s = model_slot_after(model_cursor, i);
	model_cursor = model_slot_after(s, 1);
	model_cached[s] = true;
	return s;
}

/* After a put or an uncache: count the slot if it became free. */
static void
model_note_freed(uint32_t s)
{
	if (model_is_free(s))
		model_freed_since_search++;
}

/* A random slot that pred accepts, or 0 if none turned up. */
static uint32_t
pick(bool (*pred)(uint32_t s))
{
	for (int tries = 0; tries < 50; tries++) {
		uint32_t s = 1 + (uint32_t)(rnd() % (NSLOTS - 1));
		if (pred(s))
			return s;
	}
	return 0;
}

static bool held(uint32_t s) { return model_count[s] > 0; }
static bool in_use(uint32_t s) { return !model_is_free(s) && !model_bad[s]; }
static bool cached(uint32_t s) { return model_cached[s]; }
static bool held_uncached(uint32_t s) { return held(s) && !model_cached[s] && !model_bad[s]; }
static bool cached_good(uint32_t s) { return model_cached[s] && !model_bad[s]; }
static bool not_held(uint32_t s) { return model_count[s] == 0; }

static bool
map_matches_model(void)
{
	for (uint32_t s = 1; s < NSLOTS; s++)
		if (swap_map_count(&m, s) != model_count[s] || swap_map_bad(&m, s) != model_bad[s] ||
		    !(m.map[s] & SWAP_MAP_CACHED) != !model_cached[s])
			return false;
	return m.cursor == model_cursor;
}

/*
 * One random operation on both the map and the model. While draining,
 * most allocations become puts and cache exits, so the map empties again.
 */
static void
random_step(bool draining)
{
	unsigned op = (unsigned)(rnd() % 100);
	uint32_t s;

	if (draining && op < 25)
		op = 45 + op % 35;

	if (op < 30) {                              /* evict a page */
		uint32_t want = model_alloc();
		CHECK(swap_map_alloc(&m) == want);
	} else if (op < 45 && (s = pick(in_use))) { /* a PTE takes it (unmap, fork) */
		CHECK(swap_map_dup(&m, s) == 0);
		if (model_count[s] < SWAP_MAP_MAX)
			model_count[s]++;
	} else if (op < 65 && (s = pick(held))) {  /* a PTE lets go (fault, exit) */
		CHECK(swap_map_put(&m, s) == 0);
		if (model_count[s] < SWAP_MAP_MAX)
			model_count[s]--;
		model_note_freed(s);
	} else if (op < 80 && (s = pick(cached))) { /* the page leaves the swap cache */
		swap_map_uncache(&m, s);
		model_cached[s] = false;
		model_note_freed(s);
	} else if (op < 90 && (s = pick(held_uncached))) {  /* read in again */
		swap_map_cache(&m, s);
		model_cached[s] = true;
	} else if (op < 92 && m.nbad < NSLOTS / 20 && (s = pick(cached_good))) {
		/* its write failed (now and then: bad slots never come back) */
		swap_map_mark_bad(&m, s);
		model_bad[s] = true;
	} else if (op >= 92 && (s = pick(not_held))) {      /* misuse: nothing changes */
		CHECK(swap_map_put(&m, s) == -EINVAL);
		if (model_is_free(s))
			CHECK(swap_map_dup(&m, s) == -EINVAL);
	}
}

static void
random_against_model(void)
{
	uint32_t baseline, nbad = 0;

	setup(NSLOTS, NULL, 0);
	memset(model_count, 0, sizeof(model_count));
	memset(model_cached, 0, sizeof(model_cached));
	memset(model_bad, 0, sizeof(model_bad));
	model_cursor = 1;
	model_freed_since_search = SWAP_CLUSTER;
	baseline = m.free;
	for (int step = 0; step < 200000 && !unit_case_failed; step++) {
		random_step((step / 5000) % 2 == 1);
		CHECK(m.free == model_free());
		if (step % 1000 == 0)
			CHECK(map_matches_model());
	}
	CHECK(map_matches_model());
	/* Every PTE and every cached page lets go: back to the baseline. */
	for (uint32_t s = 1; s < NSLOTS; s++) {
		for (; model_count[s] > 0 && model_count[s] < SWAP_MAP_MAX; model_count[s]--)
			CHECK(swap_map_put(&m, s) == 0);
		swap_map_uncache(&m, s);
		nbad += model_bad[s];
	}
	CHECK(nbad > 0);                            /* the test did exercise write errors */
	CHECK(m.nbad == nbad);
	CHECK(m.free == baseline - nbad);
}

int
main(void)
{
	RUN(init_skips_header_and_bad_pages);
	RUN(consecutive_allocations_are_neighbours);
	RUN(cursor_moves_on_and_wraps);
	RUN(cursor_jumps_to_a_run_of_free_slots);
	RUN(full_map_returns_zero);
	RUN(write_error_makes_slot_bad_for_good);
	RUN(count_sticks_at_max);
	RUN(cached_slot_is_in_use);
	RUN(misuse_is_refused);
	RUN(random_against_model);
	UNIT_EXIT();
}
