/*
 * mm/swap_readahead.c - the swap-in readahead window: how many pages to
 * read when a fault needs one, and which.
 *
 * Reading the swapped-out neighbours of a faulting page (by address,
 * mm/fault_swap.c's swap_neighbours()) with it is cheap, and pays when the
 * pages it brings are used soon: a process that scans its memory faults
 * them back in order. It costs frames and disk time when access is
 * random. So the window adapts to what readahead achieved since the last
 * read (Linux's swapin_nr_pages()). Positions are virtual page numbers in
 * one region (or page indexes in one shared memory object), and "the
 * previous fault" is the region's previous swap fault, whether it read
 * its page or found it in the swap cache (Linux keeps both in
 * vma->swap_readahead_info):
 *
 *   hits since the last read    window
 *   none, far from the          1       random access: read just the page
 *     previous fault
 *   none, next to it            2       a scan may be starting
 *   h > 0                       h + 2 rounded up to a power of two, >= 4
 *
 * then at least half the previous window and at most max: it shrinks by
 * at most half a read, so one unlucky read does not end a sequential run.
 *
 * Where the window lies (Linux's swap_ra_info()) follows the previous
 * fault too: behind the fault by at most the previous window, a forward
 * scan, and the window starts at the fault; ahead of it by as much, a
 * backward scan, and it ends there; else it is centred on the fault. A
 * window that started at an aligned boundary instead would spend its
 * slots on pages behind a forward scan, which are already in memory.
 * Linux asks for the previous fault to be exactly one position away; but
 * a scan takes no swap fault on the pages it finds in memory, so when
 * some of them are, its previous fault is further behind, and a centred
 * window would spend half its slots behind the scan again (forkswap: 11%
 * more major faults).
 *
 * This file only decides; mm/swap.c reads the slots and reports hits
 * (a page read ahead that a fault then finds in the swap cache). Pure C
 * with no global state, tested on the host
 * (tests/unit/test_swap_readahead.c). Locking: the caller's.
 */
#include "mm/swap_readahead.h"

/* The smallest power of two >= n that is at least 4. */
static uint32_t
pow2_at_least(uint32_t n)
{
	uint32_t pow2 = 4;

	while (pow2 < n)
		pow2 <<= 1;
	return pow2;
}

static bool
next_to(uint64_t pos, uint64_t prev)
{
	return pos == prev + 1 || pos + 1 == prev;
}

/*
 * The first position of a window of win for a fault at pos (see the top);
 * ra still holds the previous fault and window.
 */
static uint64_t
first_of_window(const struct swap_ra *ra, uint64_t pos, uint32_t win)
{
	uint32_t behind;

	if (pos > ra->last_fault && pos - ra->last_fault <= ra->last_window)
		behind = 0;                  /* forwards: all of it ahead */
	else if (pos < ra->last_fault && ra->last_fault - pos <= ra->last_window)
		behind = win - 1;            /* backwards: all of it behind */
	else
		behind = (win - 1) / 2;      /* around it */
	return pos >= behind ? pos - behind : 0;
}

/*
 * A fault at pos must read its page: how many positions to read (a power
 * of two from 1 to max, max a power of two), from *first on. Starts a new
 * period of counting hits.
 */
uint32_t
swap_ra_window(struct swap_ra *ra, uint64_t pos, uint32_t max, uint64_t *first)
{
	uint32_t hits = ra->hits, win;

	ra->hits = 0;
	if (hits > 0)
		win = pow2_at_least(hits + 2);
	else
		win = next_to(pos, ra->last_fault) ? 2 : 1;
	win = MIN(MAX(win, ra->last_window / 2), max);
	*first = first_of_window(ra, pos, win);
	ra->last_window = win;
	ra->last_fault = pos;
	return win;
}

/* A fault at pos found its page in the swap cache: where the next window goes. */
void
swap_ra_fault_at(struct swap_ra *ra, uint64_t pos)
{
	ra->last_fault = pos;
}

/* A page that readahead brought in was used: the next window grows. */
void
swap_ra_hit(struct swap_ra *ra)
{
	ra->hits++;
}
