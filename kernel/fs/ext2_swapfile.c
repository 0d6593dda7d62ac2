/*
 * kernel/fs/ext2_swapfile.c - maps a swap file on the root ext2 once, at
 * swapon, so that swap I/O goes straight to the disk.
 *
 * Swap must not go through the file system while it writes pages out:
 * that would need memory (block maps, buffers) exactly when memory is
 * short. So, as Linux does, swapon asks the file system once where every
 * block of the file is (ext2_bmap), and swap I/O then uses only that map
 * (mm/swap_extent.c) and the disk.
 *
 * The root has 1 KiB blocks (tools/mkdisk.sh says why), a page four of
 * them. A slot needs a whole page of the disk, so only runs of four
 * blocks that follow each other on the disk and start on a page boundary
 * (relative to the partition: it starts at 1 MiB, so the disk agrees) make
 * a slot; others are skipped, and the file gives fewer slots than its
 * size says. Linux's generic_swapfile_activate() does the same, moving
 * one block on when a run fails, so that one indirect block in the middle
 * of the data costs a few blocks, not every page after it:
 *
 *   file block:   0   1   2   3    4   5   6    7   8   9  10  ...
 *   disk block: 800 801 802 803  804 806 807  808 809 810 811  (805: an indirect block)
 *               [    slot 0     ]  skipped     [    slot 1     ]
 *
 * With 1 KiB blocks an indirect block comes every 256 data blocks, and
 * each costs three blocks: about 1% of the file.
 *
 * A hole (a block never written) refuses the whole file with EINVAL, as
 * Linux says "swapfile has holes": the hole's page has no place on disk.
 *
 * The map is read with a private read-only view of the file system (the
 * kernel/fs/ext2.h reader over the root partition) with a few indirect
 * blocks cached, so mapping 64 MiB costs a few hundred disk reads.
 */
#include "kernel/fs/ext2_swapfile.h"
#include "drivers/blk.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/heap.h"

#define CACHE_BLOCK   1024           /* the root's block size; larger reads bypass the cache */
#define CACHED_BLOCKS (PAGE_SIZE / CACHE_BLOCK)   /* a double-indirect and an indirect block, and spares */

/* The root partition, with the last few 1 KiB blocks read. */
struct reader {
	struct blk_device *dev;
	uint64_t off[CACHED_BLOCKS];       /* byte offset of each cached block, or 1 (none) */
	char *data;                        /* CACHED_BLOCKS blocks in one page: whole sectors for the disk */
	unsigned next;                     /* the entry the next miss replaces */
};

/* ext2_dev.read: one aligned 1 KiB block from the cache; anything else through a bounce page. */
static int
reader_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct reader *r = ctx;
	uint64_t blk = ALIGN_DOWN(off, CACHE_BLOCK);
	unsigned i;

	if (off + len > blk + CACHE_BLOCK) {
		char *bounce = kmalloc(PAGE_SIZE);
		int err = bounce ? 0 : -ENOMEM;
		while (!err && len > 0) {
			size_t skip = off & (SECTOR_SIZE - 1), chunk = MIN(len, PAGE_SIZE - skip);
			err = blk_rw(r->dev, BLK_READ, off >> SECTOR_SHIFT, bounce,
				     ALIGN_UP(skip + chunk, SECTOR_SIZE));
			if (!err)
				memcpy(buf, bounce + skip, chunk);
			buf = (char *)buf + chunk, off += chunk, len -= chunk;
		}
		kfree(bounce);
		return err ? -EIO : 0;
	}
	for (i = 0; i < CACHED_BLOCKS && r->off[i] != blk; i++)
		;
	if (i == CACHED_BLOCKS) {
		i = r->next;
		r->next = (r->next + 1) % CACHED_BLOCKS;
		r->off[i] = 1;
		if (blk_rw(r->dev, BLK_READ, blk >> SECTOR_SHIFT, r->data + i * CACHE_BLOCK, CACHE_BLOCK))
			return -EIO;
		r->off[i] = blk;
	}
	memcpy(buf, r->data + i * CACHE_BLOCK + (off - blk), len);
	return 0;
}

/* Adds the page at sector to x, growing its array (twice as big) when it is full. */
static int
add_page(struct swap_extents *x, uint64_t sector)
{
	struct swap_extent *bigger, *old = x->v;

	if (swap_extents_add(x, sector) == 0)
		return 0;
	bigger = kmalloc(2 * x->cap * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	swap_extents_move(x, bigger, 2 * x->cap);
	kfree(old);
	return swap_extents_add(x, sector);
}

/*
 * Whether the page of file blocks fb .. fb+per-1 is a whole page on disk:
 * contiguous, the first on a page boundary. Sets *first to its first disk
 * block. -EINVAL for a hole, -EIO, -EUCLEAN from the block map.
 */
static int
probe_page(struct ext2_fs *fs, const struct ext2_inode_info *ino, uint64_t fb, uint32_t per,
	   uint64_t *first, bool *whole)
{
	*whole = false;
	for (uint32_t k = 0; k < per; k++) {
		int64_t b = ext2_bmap(fs, ino, fb + k);
		if (b < 0)
			return (int)b;
		if (b == 0)
			return -EINVAL;           /* a hole */
		if (k == 0)
			*first = (uint64_t)b;
		if (k == 0 && *first % per != 0)
			return 0;                 /* not on a page boundary */
		if ((uint64_t)b != *first + k)
			return 0;                 /* not contiguous */
	}
	*whole = true;
	return 0;
}

/* Checks that no block of the file from fb on is a hole (a hole anywhere refuses it). */
static int
check_tail(struct ext2_fs *fs, const struct ext2_inode_info *ino, uint64_t fb, uint64_t nblocks)
{
	for (; fb < nblocks; fb++) {
		int64_t b = ext2_bmap(fs, ino, fb);
		if (b <= 0)
			return b < 0 ? (int)b : -EINVAL;
	}
	return 0;
}

/*
 * Walks the file's blocks: each whole page becomes the next slot. Fills
 * x (at most max_pages slots). Returns 0, -EINVAL (a hole, or not one
 * whole page), -EIO, -ENOMEM.
 */
static int
map_blocks(struct ext2_fs *fs, const struct ext2_inode_info *ino, uint32_t max_pages,
	   struct swap_extents *x)
{
	uint32_t per = PAGE_SIZE / fs->block_size;
	uint64_t nblocks = ino->size / fs->block_size, fb = 0, first = 0;
	uint64_t sectors_per_block = fs->block_size / SECTOR_SIZE;
	bool whole;
	int err = 0;

	while (!err && fb + per <= nblocks && x->npages < max_pages) {
		err = probe_page(fs, ino, fb, per, &first, &whole);
		if (err || !whole) {
			fb++;                     /* Linux's probe_block++: try one block on */
			continue;
		}
		err = add_page(x, first * sectors_per_block);
		fb += per;
	}
	if (!err)
		err = check_tail(fs, ino, fb, nblocks);
	if (err == -EINVAL)
		pr_warn("swap: the swap file has holes; not used\n");
	else if (!err && x->npages == 0)
		err = -EINVAL;
	return err;
}

/*
 * Maps the root's file ino (a regular file) into x: slot s is the s-th
 * whole page of its blocks, at most max_pages of them (the swap header's
 * size). Sets *dev to the device the sectors are on. x's array is
 * kmalloc'd: the caller kfree()s x->v, also after a failure.
 * Returns 0; -EINVAL when the file has a hole or no whole page; -EIO,
 * -EUCLEAN, -ENOMEM. Sleeps (disk reads).
 */
int
ext2_swapfile_map(uint32_t ino, uint32_t max_pages, struct swap_extents *x, struct blk_device **dev)
{
	struct reader *r = kzalloc(sizeof(*r));
	struct ext2_dev edev = { .ctx = r, .read = reader_read };
	struct ext2_fs fs;
	struct ext2_inode_info info;
	struct swap_extent *v = kmalloc(16 * sizeof(*v));
	char *data = kmalloc(PAGE_SIZE);
	int err = r && v && data ? 0 : -ENOMEM;

	swap_extents_init(x, v, v ? 16 : 0);
	if (!err) {
		for (unsigned i = 0; i < CACHED_BLOCKS; i++)
			r->off[i] = 1;
		r->data = data;
		r->dev = blk_find(ext2fs_root_device());
		err = r->dev ? 0 : -ENODEV;
	}
	if (!err)
		err = ext2_mount(&fs, &edev);
	if (!err && fs.block_size > PAGE_SIZE)
		err = -EINVAL;
	if (!err)
		err = ext2_read_inode(&fs, ino, &info);
	if (!err)
		err = map_blocks(&fs, &info, max_pages, x);
	if (!err)
		*dev = r->dev;
	kfree(data);
	kfree(r);
	return err;
}
