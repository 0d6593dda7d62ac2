/*
 * tests/unit/test_swap_readahead.c - mm/swap_readahead.c: the window
 * that swap-in readahead reads around a faulting slot.
 *
 * Fixed sequences check each rule of the header's table (random faults
 * read 1, a neighbour 2, hits grow the window to powers of two up to max,
 * it shrinks by at most half a read); a long random sequence of faults
 * and hits checks that every window is a power of two within those
 * bounds. Where the window lies follows the previous fault: ahead of a
 * forward scan, behind a backward one (also when the scan skipped pages
 * still in memory, within the previous window), else around the fault,
 * never before position 0.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "mm/swap_readahead.h"

#define MAX_WIN 8                /* mm/swap.c's READAHEAD_MAX */

static unsigned long long rng = 4242;

static uint64_t
rnd(void)
{
	return unit_xorshift(&rng);
}

/* The window for a read at pos (where it lies is checked separately). */
static uint32_t
window(struct swap_ra *ra, uint64_t pos, uint32_t max)
{
	uint64_t first;

	return swap_ra_window(ra, pos, max, &first);
}

static void
hits(struct swap_ra *ra, unsigned n)
{
	while (n--)
		swap_ra_hit(ra);
}

static void
random_faults_read_one(void)
{
	struct swap_ra ra = SWAP_RA_INIT;

	CHECK(window(&ra, 100, MAX_WIN) == 1);
	CHECK(window(&ra, 500, MAX_WIN) == 1);
	CHECK(window(&ra, 37, MAX_WIN) == 1);
	CHECK(window(&ra, 37, MAX_WIN) == 1);   /* the same slot again is no scan */
}

static void
neighbour_fault_reads_two(void)
{
	struct swap_ra ra = SWAP_RA_INIT;

	CHECK(window(&ra, 100, MAX_WIN) == 1);
	CHECK(window(&ra, 101, MAX_WIN) == 2);   /* forwards */
	CHECK(window(&ra, 100, MAX_WIN) == 2);   /* and backwards */
	CHECK(window(&ra, 300, MAX_WIN) == 1);   /* the scan ended */
}

/* The window after n hits, starting from a window of 1. */
static uint32_t
window_after_hits(unsigned n, uint32_t max)
{
	struct swap_ra ra = SWAP_RA_INIT;

	window(&ra, 100, max);
	hits(&ra, n);
	return window(&ra, 200, max);
}

static void
hits_grow_to_powers_of_two(void)
{
	/* h + 2 rounded up to a power of two, at least 4 */
	CHECK(window_after_hits(1, 64) == 4);
	CHECK(window_after_hits(2, 64) == 4);
	CHECK(window_after_hits(3, 64) == 8);
	CHECK(window_after_hits(6, 64) == 8);
	CHECK(window_after_hits(7, 64) == 16);
	CHECK(window_after_hits(14, 64) == 16);
	CHECK(window_after_hits(15, 64) == 32);
	CHECK(window_after_hits(1000, 64) == 64);
	/* ... and never beyond max */
	CHECK(window_after_hits(7, MAX_WIN) == MAX_WIN);
	CHECK(window_after_hits(1000, MAX_WIN) == MAX_WIN);
	CHECK(window_after_hits(3, 2) == 2);
	CHECK(window_after_hits(3, 1) == 1);
}

static void
shrinks_at_most_by_half(void)
{
	struct swap_ra ra = SWAP_RA_INIT;

	window(&ra, 100, MAX_WIN);
	hits(&ra, 6);
	CHECK(window(&ra, 104, MAX_WIN) == 8);
	/* No hits and random slots: halve until 1. */
	CHECK(window(&ra, 900, MAX_WIN) == 4);
	CHECK(window(&ra, 50, MAX_WIN) == 2);
	CHECK(window(&ra, 700, MAX_WIN) == 1);
	CHECK(window(&ra, 10, MAX_WIN) == 1);
	/* One hit after a window of 8: 4, not less. */
	hits(&ra, 7);
	CHECK(window(&ra, 200, MAX_WIN) == 8);
	hits(&ra, 1);
	CHECK(window(&ra, 300, MAX_WIN) == 4);
}

static void
hits_count_since_the_last_read(void)
{
	struct swap_ra ra = SWAP_RA_INIT;

	window(&ra, 100, 64);
	hits(&ra, 14);
	CHECK(window(&ra, 116, 64) == 16);
	hits(&ra, 1);                                  /* 14 + 1 would give 32 */
	CHECK(window(&ra, 132, 64) == 8);      /* 1 hit: 4, but at least 16 / 2 */
}

/* A fault that found its page moves the position too: the next read is next to it. */
static void
every_fault_moves_the_position(void)
{
	struct swap_ra ra = SWAP_RA_INIT;
	uint64_t first;

	CHECK(window(&ra, 100, MAX_WIN) == 1);
	swap_ra_fault_at(&ra, 101);                    /* found in the swap cache, no hit */
	CHECK(swap_ra_window(&ra, 102, MAX_WIN, &first) == 2);
	CHECK(first == 102);                           /* a forward scan: ahead */
	CHECK(window(&ra, 500, MAX_WIN) == 1);            /* 500 is far from 102 */
}

/* Where a window of n positions lies for a read at pos after a fault at last. */
static uint64_t
first_for(uint64_t last, uint64_t pos, uint32_t n)
{
	struct swap_ra ra = { .last_window = 2 * n, .last_fault = last };
	uint64_t first;

	CHECK(swap_ra_window(&ra, pos, n, &first) == n);
	return first;
}

static void
window_goes_ahead_of_a_forward_scan(void)
{
	CHECK(first_for(99, 100, 8) == 100);           /* 100..107 */
	CHECK(first_for(100, 101, 1) == 101);
}

static void
window_goes_behind_a_backward_scan(void)
{
	CHECK(first_for(101, 100, 8) == 93);           /* 93..100 */
	CHECK(first_for(5, 4, 8) == 0);                /* not before 0 */
}

/* A scan that skipped pages still in memory faults further on: still a scan, if within a window. */
static void
window_follows_a_scan_with_gaps(void)
{
	struct swap_ra ra = { .hits = 7, .last_window = 8, .last_fault = 94 };
	uint64_t first;

	CHECK(swap_ra_window(&ra, 100, MAX_WIN, &first) == 8);
	CHECK(first == 100);                           /* 6 on: forwards, 100..107 */
	ra = (struct swap_ra){ .hits = 7, .last_window = 8, .last_fault = 106 };
	CHECK(swap_ra_window(&ra, 100, MAX_WIN, &first) == 8);
	CHECK(first == 93);                            /* 6 back: backwards, 93..100 */
	ra = (struct swap_ra){ .hits = 7, .last_window = 8, .last_fault = 91 };
	CHECK(swap_ra_window(&ra, 100, MAX_WIN, &first) == 8);
	CHECK(first == 97);                            /* 9 on: beyond the window, a jump */
	ra = (struct swap_ra){ .hits = 0, .last_window = 1, .last_fault = 98 };
	CHECK(swap_ra_window(&ra, 100, MAX_WIN, &first) == 1);
	CHECK(first == 100);                           /* a random fault reads only its page */
}

static void
window_is_around_a_jump(void)
{
	CHECK(first_for(7, 100, 8) == 97);             /* 97..104: 3 behind, 4 ahead */
	CHECK(first_for(7, 100, 4) == 99);
	CHECK(first_for(7, 100, 1) == 100);
	CHECK(first_for(7, 2, 8) == 0);
	/* Positions are virtual page numbers: beyond 32 bits near the top of user space. */
	CHECK(first_for(0x7ffffffffUL, 0x800000000UL, 8) == 0x800000000UL);
	CHECK(first_for(0x7ffffffffUL + 0x100000000UL, 0x800000000UL, 8) == 0x800000000UL - 3);
}

static bool
is_pow2(uint32_t n)
{
	return n && (n & (n - 1)) == 0;
}

static void
random_sequence_stays_in_bounds(void)
{
	struct swap_ra ra = SWAP_RA_INIT;
	uint32_t prev_win = 1, slot = 1000;

	for (int step = 0; step < 100000 && !unit_case_failed; step++) {
		unsigned h = rnd() % 3 == 0 ? (unsigned)(rnd() % 20) : 0;
		uint32_t max = 1u << (rnd() % 5 == 0 ? rnd() % 7 : 3), win;

		slot = rnd() % 2 ? slot + 1 : (uint32_t)(rnd() % 100000) + 1;
		hits(&ra, h);
		win = window(&ra, slot, max);
		CHECK(is_pow2(win));
		CHECK(win <= max);                         /* a hard cap: page-cluster */
		CHECK(win >= MIN(max, prev_win / 2));
		if (h > 0)
			CHECK(win >= MIN(max, MAX(4u, h + 2)));
		prev_win = win;
	}
}

int
main(void)
{
	RUN(random_faults_read_one);
	RUN(neighbour_fault_reads_two);
	RUN(hits_grow_to_powers_of_two);
	RUN(shrinks_at_most_by_half);
	RUN(hits_count_since_the_last_read);
	RUN(every_fault_moves_the_position);
	RUN(random_sequence_stays_in_bounds);
	RUN(window_goes_ahead_of_a_forward_scan);
	RUN(window_goes_behind_a_backward_scan);
	RUN(window_follows_a_scan_with_gaps);
	RUN(window_is_around_a_jump);
	UNIT_EXIT();
}
