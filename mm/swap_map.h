/*
 * mm/swap_map.h - which swap slots are in use, and by how many.
 */
#ifndef MM_SWAP_MAP_H
#define MM_SWAP_MAP_H

#include "kernel/types.h"

/*
 * One 16-bit entry per slot:
 *
 *    15   14   13                         0
 *   +----+----+----------------------------+
 *   |BAD |CACH|  count of page tables      |    0 = free
 *   +----+----+----------------------------+
 */
#define SWAP_MAP_BAD    0x8000   /* never use: a bad page, or the header */
#define SWAP_MAP_CACHED 0x4000   /* the slot's page is in the swap cache */
#define SWAP_MAP_MAX    0x3fff   /* the count sticks here (swap_map_put) */

struct swap_map {
	uint16_t *map;         /* map[0 .. nslots); slot 0 is the header */
	uint32_t nslots;
	uint32_t free;         /* entries that are 0, always exact */
	uint32_t nbad;         /* bad slots (the header not counted) */
	uint32_t cursor;       /* where the next allocation starts looking */
	uint32_t freed_since_search;   /* slots freed since seek_free_run() last looked */
};

#define SWAP_CLUSTER 32        /* a run of free slots worth jumping to: one swap write */

void swap_map_init(struct swap_map *m, uint16_t *map, uint32_t nslots, const uint32_t *bad,
		   uint32_t nr_bad);
uint32_t swap_map_alloc(struct swap_map *m);
int swap_map_dup(struct swap_map *m, uint32_t slot);
int swap_map_put(struct swap_map *m, uint32_t slot);
void swap_map_cache(struct swap_map *m, uint32_t slot);
void swap_map_uncache(struct swap_map *m, uint32_t slot);
void swap_map_mark_bad(struct swap_map *m, uint32_t slot);
unsigned swap_map_count(const struct swap_map *m, uint32_t slot);
bool swap_map_bad(const struct swap_map *m, uint32_t slot);

#endif
