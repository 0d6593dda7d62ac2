/*
 * mm/swap_readahead.h - how many slots to read around a faulting one.
 */
#ifndef MM_SWAP_READAHEAD_H
#define MM_SWAP_READAHEAD_H

#include "kernel/types.h"

/* What swap-in readahead has learnt so far. */
struct swap_ra {
	uint32_t hits;        /* pages read ahead and then used, since the last read */
	uint32_t prev_slot;   /* the slot of the previous read without hits */
	uint32_t last_window; /* slots the previous read covered */
};

#define SWAP_RA_INIT { .hits = 0, .prev_slot = 0, .last_window = 1 }

uint32_t swap_ra_window(struct swap_ra *ra, uint32_t slot, uint32_t max);
void swap_ra_hit(struct swap_ra *ra);

#endif
