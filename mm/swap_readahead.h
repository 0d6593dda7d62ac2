/*
 * mm/swap_readahead.h - how many slots to read around a faulting one.
 */
#ifndef MM_SWAP_READAHEAD_H
#define MM_SWAP_READAHEAD_H

#include "kernel/types.h"

/* What swap-in readahead has learnt so far, in one region or object. All zeros is a start too. */
struct swap_ra {
	uint32_t hits;        /* pages read ahead and then used, since the last read */
	uint32_t last_window; /* positions the previous read covered */
	uint64_t last_fault;  /* the position of the previous swap fault, read or found */
};

#define SWAP_RA_INIT { .hits = 0, .last_window = 1, .last_fault = 0 }

uint32_t swap_ra_window(struct swap_ra *ra, uint64_t pos, uint32_t max, uint64_t *first);
void swap_ra_fault_at(struct swap_ra *ra, uint64_t pos);
void swap_ra_hit(struct swap_ra *ra);

#endif
