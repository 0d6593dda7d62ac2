/*
 * tests/unit/test_swap_extent.c - mm/swap_extent.c: a swap area's map
 * from slots to disk sectors (one run for a partition, many for a file).
 *
 * Fixed cases: neighbouring pages join one run, a gap starts a new one, a
 * full array says -ENOMEM and moving it to a bigger one loses nothing.
 * A random file layout (runs of random length at random places) is
 * checked against a model: every slot's sector, and that a run never
 * reaches past the next slot's place on the disk.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "mm/swap_extent.h"

#define SPP 8                      /* sectors per page */

static unsigned long long rng = 1919;

static void
neighbours_join_one_run(void)
{
	struct swap_extent v[4];
	struct swap_extents x;

	swap_extents_init(&x, v, 4);
	for (uint64_t s = 0; s < 5; s++)
		CHECK(swap_extents_add(&x, 2048 + s * SPP) == 0);
	CHECK(x.n == 1 && x.npages == 5);
	CHECK(swap_extent_sector(&x, 0) == 2048);
	CHECK(swap_extent_sector(&x, 4) == 2048 + 4 * SPP);
	CHECK(swap_extent_run_left(&x, 0) == 5);
	CHECK(swap_extent_run_left(&x, 4) == 1);
	CHECK(swap_extent_run_left(&x, 5) == 0);        /* past the end */
	CHECK(swap_extent_find(&x, 5) == NULL);
}

static void
gap_starts_a_run(void)
{
	struct swap_extent v[4];
	struct swap_extents x;

	swap_extents_init(&x, v, 4);
	CHECK(swap_extents_add(&x, 100 * SPP) == 0);
	CHECK(swap_extents_add(&x, 101 * SPP) == 0);
	CHECK(swap_extents_add(&x, 50 * SPP) == 0);      /* backwards: a new run */
	CHECK(swap_extents_add(&x, 103 * SPP) == 0);     /* a gap of one page: a new run */
	CHECK(x.n == 3 && x.npages == 4);
	CHECK(swap_extent_sector(&x, 1) == 101 * SPP);
	CHECK(swap_extent_sector(&x, 2) == 50 * SPP);
	CHECK(swap_extent_sector(&x, 3) == 103 * SPP);
	CHECK(swap_extent_run_left(&x, 0) == 2);
	CHECK(swap_extent_run_left(&x, 2) == 1);
}

static void
full_array_grows(void)
{
	struct swap_extent small[2], big[4];
	struct swap_extents x;

	swap_extents_init(&x, small, 2);
	CHECK(swap_extents_add(&x, 0) == 0);
	CHECK(swap_extents_add(&x, 80) == 0);
	CHECK(swap_extents_add(&x, 88) == 0);            /* joins: no room needed */
	CHECK(swap_extents_add(&x, 800) == -ENOMEM);     /* a third run: no room */
	CHECK(x.npages == 3);                            /* the failed page is not counted */
	swap_extents_move(&x, big, 4);
	CHECK(swap_extents_add(&x, 800) == 0);
	CHECK(x.n == 3 && x.npages == 4 && x.v == big);
	CHECK(swap_extent_sector(&x, 2) == 88 && swap_extent_sector(&x, 3) == 800);
}

#define NPAGES 5000

static void
random_layout_matches_model(void)
{
	static struct swap_extent v[NPAGES];
	static uint64_t model[NPAGES];
	struct swap_extents x;
	uint64_t at = 4096;

	swap_extents_init(&x, v, NPAGES);
	for (uint32_t s = 0; s < NPAGES;) {
		uint32_t len = 1 + unit_xorshift(&rng) % 40;
		at += SPP * (1 + unit_xorshift(&rng) % 3);   /* skip 1..3 pages: always a gap */
		for (uint32_t k = 0; k < len && s < NPAGES; k++, s++) {
			model[s] = at;
			CHECK(swap_extents_add(&x, at) == 0);
			at += SPP;
		}
	}
	CHECK(x.npages == NPAGES);
	for (uint32_t s = 0; s < NPAGES; s++) {
		uint32_t left = swap_extent_run_left(&x, s);
		CHECK(swap_extent_sector(&x, s) == model[s]);
		CHECK(left >= 1 && s + left <= NPAGES);
		/* Every slot of the run is the next page on disk; the one after is not. */
		CHECK(model[s + left - 1] == model[s] + (uint64_t)(left - 1) * SPP);
		if (s + left < NPAGES)
			CHECK(model[s + left] != model[s] + (uint64_t)left * SPP);
	}
}

int
main(void)
{
	RUN(neighbours_join_one_run);
	RUN(gap_starts_a_run);
	RUN(full_array_grows);
	RUN(random_layout_matches_model);
	UNIT_EXIT();
}
