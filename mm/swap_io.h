/*
 * mm/swap_io.h - moving runs of swap-cache pages to and from their slots.
 * For mm/swap.c (reads) and reclaim (swap_writeout(), in mm/swap.h).
 */
#ifndef MM_SWAP_IO_H
#define MM_SWAP_IO_H

#include "drivers/blk.h"
#include "mm/page.h"
#include "mm/swap_entry.h"

/* One run of neighbouring slots, moved by one request, and how it ended. */
struct swap_run {
	swp_entry_t first;
	uint32_t n;
	int status;
};

int swap_io(enum blk_op op, struct page **pages, int n, struct swap_run *runs);
void swap_mark_bad(swp_entry_t first, uint32_t n);

#endif
