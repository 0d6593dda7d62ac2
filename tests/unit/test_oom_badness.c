/*
 * tests/unit/test_oom_badness.c - mm/oom_badness.c: the OOM killer's
 * badness formula.
 *
 * Worked examples check each term (resident pages, swap entries, the
 * page-table estimate, oom_score_adj as thousandths of all memory), the
 * exemption at -1000, the clamp to 1, and that +1000 outweighs any real
 * usage; random inputs check that more of anything never lowers the score.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "mm/oom_badness.h"

#define TOTAL 100000                 /* RAM + swap, in pages */

static unsigned long long rng = 99;

static uint64_t
rnd(void)
{
	return unit_xorshift(&rng);
}

static long
points(uint64_t rss, uint64_t swap_ents, uint64_t nvmas, int adj)
{
	struct oom_usage u = { .rss = rss, .swap_ents = swap_ents, .nvmas = nvmas };

	return oom_badness_points(&u, adj, TOTAL);
}

static void
formula_adds_the_terms(void)
{
	CHECK(points(1000, 0, 0, 0) == 1000 + 1);            /* + 1000 / 512 page tables */
	CHECK(points(1000, 200, 0, 0) == 1000 + 200 + 1);
	CHECK(points(1000, 200, 5, 0) == 1000 + 200 + 5 + 1);
	CHECK(points(512 * 3, 0, 0, 0) == 512 * 3 + 3);
	CHECK(points(511, 0, 0, 0) == 511);
	CHECK(points(0, 300, 2, 0) == 302);                 /* all swapped out */
}

static void
adj_is_thousandths_of_all_memory(void)
{
	CHECK(points(1000, 0, 0, 100) == 1001 + TOTAL / 10);
	CHECK(points(1000, 0, 0, 1) == 1001 + 100);
	CHECK(points(50000, 0, 0, -500) == 50000 + 97 - TOTAL / 2);
	/* truncated toward zero: 1999 / 1000 is 1, -999 / 1000 is 0 */
	CHECK(oom_badness_points(&(struct oom_usage){ .rss = 10 }, 1, 1999) == 11);
	CHECK(oom_badness_points(&(struct oom_usage){ .rss = 10 }, -1, 999) == 10);
}

static void
minus_1000_exempts(void)
{
	CHECK(points(0, 0, 0, OOM_SCORE_ADJ_MIN) == -1);
	CHECK(points(TOTAL, TOTAL, 1000, OOM_SCORE_ADJ_MIN) == -1);
	CHECK(points(TOTAL, TOTAL, 1000, OOM_SCORE_ADJ_MIN + 1) > 0);
}

static void
plus_1000_dominates(void)
{
	long tiny = points(1, 0, 1, OOM_SCORE_ADJ_MAX);

	CHECK(tiny > TOTAL);
	/* 90% of all memory, resident or swapped, with adj 0 */
	CHECK(tiny > points(TOTAL * 9 / 10, 0, 100, 0));
	CHECK(tiny > points(TOTAL / 10, TOTAL * 8 / 10, 100, 0));
	/* only another high adj with real usage tops it */
	CHECK(points(TOTAL / 2, TOTAL / 2, 100, 999) > tiny);
	CHECK(points(2, 0, 1, OOM_SCORE_ADJ_MAX) > tiny);
}

static void
negative_scores_clamp_to_one(void)
{
	CHECK(points(1000, 0, 0, -500) == 1);
	CHECK(points(0, 0, 0, 0) == 1);                     /* nothing to give back */
	CHECK(points(TOTAL / 2, 0, 0, -999) == 1);
	CHECK(points(0, 0, 0, -1) == 1);
}

static void
more_swap_beats_less(void)
{
	CHECK(points(100, 5000, 3, 0) > points(100, 4000, 3, 0));
	CHECK(points(100, 5000, 3, 0) > points(4000, 0, 3, 0));
	CHECK(points(100, 1, 3, 0) > points(100, 0, 3, 0));
}

static void
more_of_anything_never_scores_lower(void)
{
	for (int i = 0; i < 100000 && !unit_case_failed; i++) {
		uint64_t rss = rnd() % TOTAL, swp = rnd() % TOTAL, nv = rnd() % 200;
		int adj = (int)(rnd() % 2000) - 999;                 /* -999 .. 1000 */
		long p = points(rss, swp, nv, adj);

		CHECK(p >= 1);
		CHECK(points(rss + 1, swp, nv, adj) >= p);
		CHECK(points(rss, swp + 1, nv, adj) >= p);
		CHECK(points(rss, swp, nv + 1, adj) >= p);
		if (adj < OOM_SCORE_ADJ_MAX)
			CHECK(points(rss, swp, nv, adj + 1) >= p);
		if (adj == 0)
			CHECK(p == (long)(rss + swp + nv + rss / 512) || (p == 1 && rss + swp + nv == 0));
	}
}

int
main(void)
{
	RUN(formula_adds_the_terms);
	RUN(adj_is_thousandths_of_all_memory);
	RUN(minus_1000_exempts);
	RUN(plus_1000_dominates);
	RUN(negative_scores_clamp_to_one);
	RUN(more_swap_beats_less);
	RUN(more_of_anything_never_scores_lower);
	UNIT_EXIT();
}
