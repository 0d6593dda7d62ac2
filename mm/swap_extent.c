/*
 * mm/swap_extent.c - a swap area's map from slots to disk sectors.
 *
 * A swap partition is one run: slot s is at sector s * 8. A swap file is
 * wherever the file system put its blocks, and swapon maps it once
 * (kernel/fs/ext2_swapfile.c asks the file system for every block) into
 * runs of neighbouring pages, Linux's swap extents:
 *
 *   slot:     0   1   2   3 | 4   5 | 6 ...
 *   sector: 2056 ...     2080 | 4120 4128 | ...
 *           [ extent 0: 4 pages ][ extent 1: 2 ][ ...
 *
 * Swap I/O asks for a slot's sector (swap_extent_sector) and how many
 * slots from there on are in the same run (swap_extent_run_left): a
 * request for neighbouring slots must not go past its run, since the
 * next slot's page may be anywhere on the disk.
 *
 * Pure C without global state, tested on the host
 * (tests/unit/test_swap_extent.c). The caller locks.
 */
#include "mm/swap_extent.h"
#include "kernel/errno.h"

#define SECTORS_PER_PAGE 8     /* 4096 / 512 */

/* x starts empty, with room for cap runs in v. */
void
swap_extents_init(struct swap_extents *x, struct swap_extent *v, uint32_t cap)
{
	*x = (struct swap_extents){ .v = v, .cap = cap };
}

/* The runs move to v (room for cap >= x->n runs): the caller grows the array. */
void
swap_extents_move(struct swap_extents *x, struct swap_extent *v, uint32_t cap)
{
	for (uint32_t i = 0; i < x->n; i++)
		v[i] = x->v[i];
	x->v = v;
	x->cap = cap;
}

/*
 * The next slot is the page at sector: it joins the last run when it
 * follows it on the disk, else starts a run. Returns 0, or -ENOMEM when a
 * new run is needed and there is no room for it.
 */
int
swap_extents_add(struct swap_extents *x, uint64_t sector)
{
	struct swap_extent *last = x->n ? &x->v[x->n - 1] : NULL;

	if (last && last->sector + (uint64_t)last->npages * SECTORS_PER_PAGE == sector) {
		last->npages++;
	} else {
		if (x->n == x->cap)
			return -ENOMEM;
		x->v[x->n++] = (struct swap_extent){ .slot = x->npages, .npages = 1, .sector = sector };
	}
	x->npages++;
	return 0;
}

/* The run that holds slot (binary search: runs are in slot order), or NULL past the end. */
const struct swap_extent *
swap_extent_find(const struct swap_extents *x, uint32_t slot)
{
	uint32_t lo = 0, hi = x->n;

	if (slot >= x->npages)
		return NULL;
	while (hi - lo > 1) {              /* v[lo].slot <= slot < v[hi].slot */
		uint32_t mid = lo + (hi - lo) / 2;
		if (x->v[mid].slot <= slot)
			lo = mid;
		else
			hi = mid;
	}
	return &x->v[lo];
}

/* The first sector of slot's page. The slot must be mapped. */
uint64_t
swap_extent_sector(const struct swap_extents *x, uint32_t slot)
{
	const struct swap_extent *e = swap_extent_find(x, slot);

	return e->sector + (uint64_t)(slot - e->slot) * SECTORS_PER_PAGE;
}

/* How many slots from slot on (itself included) lie in its run; 0 if it is not mapped. */
uint32_t
swap_extent_run_left(const struct swap_extents *x, uint32_t slot)
{
	const struct swap_extent *e = swap_extent_find(x, slot);

	return e ? e->slot + e->npages - slot : 0;
}
