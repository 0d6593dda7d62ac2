/*
 * kernel/fs/ext2_alloc.c - finding free blocks and inodes in the bitmaps,
 * and giving them back.
 *
 * Each block group has one block of block bitmap (bit i: the group's
 * i-th block is in use) and one of inode bitmap (bit i: its i-th inode).
 * Bits are numbered from the least significant bit of byte 0:
 *
 *   byte:   0         1
 *   bit:    76543210  fedcba98      block = first_data_block + g * blocks_per_group + bit
 *                                   inode = g * inodes_per_group + bit + 1
 *
 * Where to look first decides how fragmented files get, so it follows
 * Linux's ext2 in a simple form: a file's next block near its previous
 * one (the caller's goal), a file's inode in its directory's group (files
 * of a directory are read together), and a new directory in a group with
 * more free inodes than average and the most free blocks (Linux's old
 * find_group_dir, before Orlov), so directories spread over the disk and
 * each has room to grow near it. Every bit that changes changes the
 * counts with it (ext2_count_adjust, kernel/fs/ext2_super.c).
 *
 * Bitmaps are read in small chunks, never a whole block, so stack frames
 * stay small in the kernel. Part of the writer (kernel/fs/ext2_write.h).
 */
#include "kernel/fs/ext2_write.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/errno.h"

enum { GD_BLOCK_BITMAP = 0, GD_INODE_BITMAP = 4, GD_FREE_BLOCKS = 12, GD_FREE_INODES = 14 };

#define CHUNK 64                 /* bitmap bytes read at a time */

struct group {
	uint32_t block_bitmap, inode_bitmap;
	uint32_t free_blocks, free_inodes;
};

static int
read_gd(struct ext2_fs *fs, uint32_t g, struct group *out)
{
	unsigned char gd[GROUP_DESC_SIZE];
	int err = ext2_dev_read(fs, fs->gdt_offset + (uint64_t)g * GROUP_DESC_SIZE, gd, sizeof(gd));

	if (err)
		return err;
	out->block_bitmap = le32(gd + GD_BLOCK_BITMAP);
	out->inode_bitmap = le32(gd + GD_INODE_BITMAP);
	out->free_blocks = le16(gd + GD_FREE_BLOCKS);
	out->free_inodes = le16(gd + GD_FREE_INODES);
	return 0;
}

/* Blocks in group g: blocks_per_group, except maybe in the last group. */
static uint32_t
blocks_in_group(const struct ext2_fs *fs, uint32_t g)
{
	uint64_t start = fs->first_data_block + (uint64_t)g * fs->blocks_per_group;

	return (uint32_t)MIN((uint64_t)fs->blocks_per_group, fs->blocks_count - start);
}

/*
 * The first clear bit in [from, to) of the bitmap in block bitmap: its
 * number, -ENOSPC if none, -EIO.
 */
static int64_t
find_clear(struct ext2_fs *fs, uint32_t bitmap, uint32_t from, uint32_t to)
{
	unsigned char buf[CHUNK];
	uint64_t base = (uint64_t)bitmap * fs->block_size;

	for (uint32_t bit = from; bit < to;) {
		uint32_t byte = bit / 8, n = MIN((uint32_t)CHUNK, (to + 7) / 8 - byte);
		int err = ext2_dev_read(fs, base + byte, buf, n);
		if (err)
			return err;
		for (; bit < to && bit / 8 < byte + n; bit++)
			if (!(buf[bit / 8 - byte] & (1u << (bit % 8))))
				return bit;
	}
	return -ENOSPC;
}

/*
 * Sets (set) or clears bit in the bitmap in block bitmap. Returns 0, or
 * -EUCLEAN if it already was so (the bitmap and our caller disagree:
 * reported), -EIO.
 */
static int
change_bit(struct ext2_fs *fs, uint32_t bitmap, uint32_t bit, bool set)
{
	uint64_t at = (uint64_t)bitmap * fs->block_size + bit / 8;
	unsigned char byte;
	int err = ext2_dev_read(fs, at, &byte, 1);

	if (err)
		return err;
	if (!!(byte & (1u << (bit % 8))) == set) {
		REPORT(fs, "bitmap block %u: bit %u is already %u", bitmap, bit, set);
		return -EUCLEAN;
	}
	byte ^= (unsigned char)(1u << (bit % 8));
	return ext2_dev_write(fs, at, &byte, 1);
}

/* Takes a free block of group g in [from, to): its number, -ENOSPC, -errno. */
static int64_t
take_block_in(struct ext2_fs *fs, uint32_t g, const struct group *gd, uint32_t from, uint32_t to)
{
	int64_t bit = find_clear(fs, gd->block_bitmap, from, to);
	int err;

	if (bit < 0)
		return bit;
	if ((err = change_bit(fs, gd->block_bitmap, (uint32_t)bit, true)) ||
	    (err = ext2_count_adjust(fs, g, -1, 0, 0)))
		return err;
	return fs->first_data_block + (uint64_t)g * fs->blocks_per_group + (uint64_t)bit;
}

/*
 * A free block: from goal to the end of its group, then the groups
 * after it (wrapping), then the start of goal's group. See ext2_write.h.
 */
int64_t
ext2_alloc_block(struct ext2_fs *fs, uint32_t goal)
{
	struct group gd;
	int err;

	if (goal < fs->first_data_block || goal >= fs->blocks_count)
		goal = fs->first_data_block;
	uint32_t g0 = (goal - fs->first_data_block) / fs->blocks_per_group;
	uint32_t start = (goal - fs->first_data_block) % fs->blocks_per_group;
	for (uint32_t i = 0; i <= fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		if ((err = read_gd(fs, g, &gd)))
			return err;
		if (gd.free_blocks == 0)
			continue;
		/* Pass 0 starts at the goal; the last pass comes back for what lies before it. */
		uint32_t from = i == 0 ? start : 0;
		uint32_t to = i == fs->groups ? start : blocks_in_group(fs, g);
		int64_t b = take_block_in(fs, g, &gd, from, to);
		if (b != -ENOSPC)
			return b;
	}
	return -ENOSPC;
}

/* Frees block, which must be a data or indirect block in use. See ext2_write.h. */
int
ext2_free_block(struct ext2_fs *fs, uint32_t block)
{
	struct group gd;
	int err;

	if (block < fs->first_data_block || block >= fs->blocks_count) {
		REPORT(fs, "freeing block %u: outside the file system (%u blocks)", block, fs->blocks_count);
		return -EUCLEAN;
	}
	uint32_t g = (block - fs->first_data_block) / fs->blocks_per_group;
	uint32_t bit = (block - fs->first_data_block) % fs->blocks_per_group;
	if ((err = read_gd(fs, g, &gd)) || (err = change_bit(fs, gd.block_bitmap, bit, false)) ||
	    (err = ext2_count_adjust(fs, g, 1, 0, 0)))
		return err;
	if (fs->dev.forget)
		fs->dev.forget(fs->dev.ctx, block);
	return 0;
}

/*
 * The group for a new directory (Linux's find_group_dir): of the groups
 * with at least the average number of free inodes, the one with the most
 * free blocks. -ENOSPC when no group has a free inode.
 */
static int64_t
group_for_dir(struct ext2_fs *fs)
{
	uint64_t free_inodes = 0;
	int64_t best = -ENOSPC;
	uint32_t best_blocks = 0;
	struct group gd;
	int err;

	for (uint32_t g = 0; g < fs->groups; g++) {
		if ((err = read_gd(fs, g, &gd)))
			return err;
		free_inodes += gd.free_inodes;
	}
	for (uint32_t g = 0; g < fs->groups; g++) {
		if ((err = read_gd(fs, g, &gd)))
			return err;
		if (gd.free_inodes == 0 || (uint64_t)gd.free_inodes * fs->groups < free_inodes)
			continue;
		if (best < 0 || gd.free_blocks > best_blocks) {
			best = g;
			best_blocks = gd.free_blocks;
		}
	}
	return best;
}

/*
 * The group for a new file (Linux's find_group_other, simplified): its
 * directory's if that has a free inode and a free block, else the next
 * one that has both, else the next with a free inode. -ENOSPC.
 */
static int64_t
group_for_file(struct ext2_fs *fs, uint32_t parent)
{
	uint32_t g0 = parent ? (parent - 1) / fs->inodes_per_group : 0;
	struct group gd;
	int err;

	for (int want_blocks = 1; want_blocks >= 0; want_blocks--)
		for (uint32_t i = 0; i < fs->groups; i++) {
			uint32_t g = (g0 + i) % fs->groups;
			if ((err = read_gd(fs, g, &gd)))
				return err;
			if (gd.free_inodes && (gd.free_blocks || !want_blocks))
				return g;
		}
	return -ENOSPC;
}

/* A free inode: in the chosen group, else any (the counts may lie: we trust the bitmap). */
int64_t
ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, bool dir)
{
	int64_t g0 = dir ? group_for_dir(fs) : group_for_file(fs, parent);
	struct group gd;
	int err;

	if (g0 < 0)
		return g0;
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (uint32_t)((g0 + i) % fs->groups);
		if ((err = read_gd(fs, g, &gd)))
			return err;
		if (gd.free_inodes == 0)
			continue;
		/* The reserved inodes (below first_ino) are marked in use by mke2fs; skip them anyway. */
		uint32_t from = g == 0 ? fs->first_ino - 1 : 0;
		int64_t bit = find_clear(fs, gd.inode_bitmap, from, fs->inodes_per_group);
		if (bit == -ENOSPC)
			continue;
		if (bit < 0)
			return bit;
		if ((err = change_bit(fs, gd.inode_bitmap, (uint32_t)bit, true)) ||
		    (err = ext2_count_adjust(fs, g, 0, -1, dir ? 1 : 0)))
			return err;
		return (int64_t)g * fs->inodes_per_group + bit + 1;
	}
	return -ENOSPC;
}

/* Frees inode ino in the bitmap and the counts. See ext2_write.h. */
int
ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	struct group gd;
	int err;

	if (ino < fs->first_ino || ino > fs->inodes_count) {
		REPORT(fs, "freeing inode %u: reserved or past the end (%u inodes)", ino, fs->inodes_count);
		return -EUCLEAN;
	}
	uint32_t g = (ino - 1) / fs->inodes_per_group;
	if ((err = read_gd(fs, g, &gd)) ||
	    (err = change_bit(fs, gd.inode_bitmap, (ino - 1) % fs->inodes_per_group, false)))
		return err;
	return ext2_count_adjust(fs, g, 0, 1, dir ? -1 : 0);
}
