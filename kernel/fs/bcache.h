/*
 * kernel/fs/bcache.h - a small cache of metadata blocks of one disk
 * (superblock, group descriptors, bitmaps, inode tables, indirect and
 * directory blocks), as Linux's buffer cache. File data is not here: it
 * lives in the page cache (mm/pagecache.h). See kernel/fs/bcache.c.
 */
#ifndef KERNEL_FS_BCACHE_H
#define KERNEL_FS_BCACHE_H

#include "kernel/types.h"

struct blk_device;

/* Starts caching dev in units of unit bytes (the file system's block size); drops what was cached. */
void bcache_init(struct blk_device *dev, uint32_t unit);
/* len bytes at byte off of the device, through the cache. 0, -EIO, -ENOMEM. Sleeps. */
int bcache_read(uint64_t off, void *buf, size_t len);
/* Changes the cached bytes (reading the units first) and marks them dirty. 0, -EIO, -ENOMEM. Sleeps. */
int bcache_write(uint64_t off, const void *buf, size_t len);
/* Writes every dirty unit to the disk, in block order. 0 or -EIO (the unit stays dirty). Sleeps. */
int bcache_sync(void);
/* Unit number unit was freed: its copy goes, dirty or not. Never sleeps. */
void bcache_forget(uint64_t unit);
/* Frees every clean unit (drop_caches). Returns how many. Never sleeps. */
uint64_t bcache_drop_clean(void);
/* Bytes of cached blocks (/proc/meminfo's Buffers, as Linux counts its buffer cache). */
uint64_t bcache_bytes(void);
/* Units cached, dirty, and the hits and misses since boot. */
void bcache_stats(uint64_t *cached, uint64_t *dirty, uint64_t *hits, uint64_t *misses);
/* When the cache went from clean to dirty (jiffies), or 0 if it is clean. Never sleeps. */
uint64_t bcache_dirty_since(void);

#endif
