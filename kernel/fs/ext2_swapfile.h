/*
 * kernel/fs/ext2_swapfile.h - where a swap file's pages are on the root disk.
 */
#ifndef KERNEL_FS_EXT2_SWAPFILE_H
#define KERNEL_FS_EXT2_SWAPFILE_H

#include "mm/swap_extent.h"

struct blk_device;

int ext2_swapfile_map(uint32_t ino, uint32_t max_pages, struct swap_extents *x,
		      struct blk_device **dev);

#endif
