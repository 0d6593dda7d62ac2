/*
 * mm/swap_extent.h - where each slot of a swap area is on its disk.
 */
#ifndef MM_SWAP_EXTENT_H
#define MM_SWAP_EXTENT_H

#include "kernel/types.h"

/*
 * Slots [slot, slot + npages) are the disk's pages starting at sector, in
 * order: one run of a swap file's blocks (or a whole partition).
 */
struct swap_extent {
	uint32_t slot;
	uint32_t npages;
	uint64_t sector;
};

/* The runs in slot order, without gaps: slot 0 is the first run's first page. */
struct swap_extents {
	struct swap_extent *v;    /* the caller's memory, cap entries */
	uint32_t n, cap;
	uint32_t npages;          /* slots mapped so far: the next page added gets this slot */
};

void swap_extents_init(struct swap_extents *x, struct swap_extent *v, uint32_t cap);
void swap_extents_move(struct swap_extents *x, struct swap_extent *v, uint32_t cap);
int swap_extents_add(struct swap_extents *x, uint64_t sector);
const struct swap_extent *swap_extent_find(const struct swap_extents *x, uint32_t slot);
uint64_t swap_extent_sector(const struct swap_extents *x, uint32_t slot);
uint32_t swap_extent_run_left(const struct swap_extents *x, uint32_t slot);

#endif
