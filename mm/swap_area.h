/*
 * mm/swap_area.h - the swap areas in use (Linux's swap_info[]), their
 * priorities, and which one the next slot comes from.
 */
#ifndef MM_SWAP_AREA_H
#define MM_SWAP_AREA_H

#include "mm/swap_entry.h"
#include "mm/swap_extent.h"
#include "mm/swap_map.h"

struct blk_device;
struct page;
struct mem_cgroup;

#define SWAP_NAME_LEN 64

/* One swap area: a disk, a partition or a file, made by mkswap. */
struct swap_area {
	unsigned id;                  /* its index: the area bits of its swap entries */
	bool used;                    /* swapon'd (and perhaps being emptied by swapoff) */
	bool writeok;                 /* new pages may get slots here; not during swapoff */
	bool is_file;                 /* a file on the root file system, else a block device */
	int prio;                     /* higher first; equal ones take turns */
	char name[SWAP_NAME_LEN];     /* as /proc/swaps shows it: "/dev/vdb", "/swapfile" */
	uint32_t ino;                 /* a swap file's inode number on the root (EBUSY) */
	struct blk_device *dev;       /* the disk or partition its slots are on */
	struct swap_extents extents;  /* slot -> sector on dev */
	struct swap_map slots;        /* slots 1 .. slots.nslots-1 (0 is the header) */
	struct page **cache;          /* the page in the swap cache, per slot */
	uint32_t cached;              /* pages in the swap cache */
	struct mem_cgroup **owners;   /* the group each slot is charged to (mm/memcg_limit.c) */
	uint32_t given;               /* slots handed out since its turn came */
};

extern struct swap_area swap_areas[SWP_MAX_AREAS];

/* Never sleep; the caller keeps interrupts off where the slot maps change. */
struct swap_area *swap_area_of(swp_entry_t e);
struct swap_area *swap_area_new(void);
void swap_area_enable(struct swap_area *a, bool prefer, int prio);
void swap_area_disable(struct swap_area *a);
void swap_area_resume(struct swap_area *a);
void swap_area_release(struct swap_area *a);
struct swap_area *swap_area_choose(void);
uint64_t swap_area_size(const struct swap_area *a);
uint64_t swap_area_inuse(const struct swap_area *a);

#endif
