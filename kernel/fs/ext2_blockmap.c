/*
 * kernel/fs/ext2_blockmap.c - a file's block map grown and cut: blocks
 * allocated where a write needs them, freed where a truncate leaves them
 * past the end.
 *
 * The map is the tree kernel/fs/ext2.c draws (i_block[0..11] direct,
 * [12] single, [13] double, [14] triple indirect). Growing walks it from
 * the top like ext2_bmap, allocating each missing indirect block on the
 * way (zeroed: all its pointers holes) and then the data block; each
 * block counts in i_blocks (512-byte units). The goal for a new block
 * is the one after the file's previous block, so a file written from its
 * start lies in one run (Linux's ext2_find_near does more).
 *
 * Cutting frees, for a new size of keep blocks, every data block from
 * keep on and every indirect block all of whose blocks are past keep,
 * walking only the parts of the tree past keep, reading pointers in
 * chunks of 16 (so stack frames stay small; the depth is at most 3).
 *
 * Data written here goes through dev.write: that is how directories and
 * slow symlinks are written, and the host's tests write files. In the
 * kernel a regular file's data goes through the page cache instead
 * (kernel/fs/ext2fs_write.c), which calls ext2_bmap_alloc itself.
 * Part of the writer (kernel/fs/ext2_write.h).
 */
#include "kernel/fs/ext2_write.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define PTR_CHUNK 16                      /* pointers read at a time when cutting */

static const unsigned char zero_block[4096];   /* the largest block size we mount */

/* Writes a whole block of zeros. 0 or -errno. */
int
ext2_zero_disk_block(struct ext2_fs *fs, uint32_t block)
{
	return ext2_dev_write(fs, (uint64_t)block * fs->block_size, zero_block, fs->block_size);
}

/* Where a new block of file_block should go: after the previous one, or its inode's group. */
static uint32_t
goal_for(struct ext2_fs *fs, const struct ext2_inode_info *inode, uint64_t file_block)
{
	if (file_block > 0) {
		int64_t prev = ext2_bmap(fs, inode, file_block - 1);
		if (prev > 0)
			return (uint32_t)prev + 1;
	}
	return fs->first_data_block + (inode->ino - 1) / fs->inodes_per_group * fs->blocks_per_group;
}

/* Allocates one block of inode's map, zeroed if zero, counted in i_blocks. */
static int64_t
new_block(struct ext2_fs *fs, struct ext2_inode_info *inode, uint32_t goal, bool zero)
{
	int64_t b = ext2_alloc_block(fs, goal);
	int err;

	if (b < 0)
		return b;
	if (zero && (err = ext2_zero_disk_block(fs, (uint32_t)b))) {
		ext2_free_block(fs, (uint32_t)b);
		return err;
	}
	inode->blocks512 += fs->block_size / 512;
	return b;
}

static int
read_ptr(struct ext2_fs *fs, uint32_t block, uint64_t idx, uint32_t *out)
{
	unsigned char raw[4];
	int err = ext2_dev_read(fs, (uint64_t)block * fs->block_size + idx * 4, raw, 4);

	if (!err)
		*out = le32(raw);
	return err;
}

static int
write_ptr(struct ext2_fs *fs, uint32_t block, uint64_t idx, uint32_t v)
{
	unsigned char raw[4];

	put_le32(raw, v);
	return ext2_dev_write(fs, (uint64_t)block * fs->block_size + idx * 4, raw, 4);
}

/*
 * The disk block of file_block, allocating what is missing on the way.
 * See ext2_write.h. On -ENOSPC the indirect blocks taken on the way stay
 * in the map (empty, counted): the file system stays consistent, and a
 * truncate or delete gives them back.
 */
int64_t
ext2_bmap_alloc(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t file_block, bool *fresh)
{
	uint64_t per = fs->block_size / 4, span = 1, rest = file_block;
	uint32_t goal = goal_for(fs, inode, file_block);
	uint32_t parent = 0;                    /* the indirect block holding the pointer; 0: i_block */
	uint64_t idx;                           /* which pointer in parent, or in i_block */
	int level, err;

	*fresh = false;
	if (rest < NDIR_BLOCKS) {
		level = 0;
		idx = rest;
	} else {
		rest -= NDIR_BLOCKS;
		for (level = 1; level <= 3; level++) {
			span *= per;
			if (rest < span)
				break;
			rest -= span;
		}
		if (level > 3)
			return -EFBIG;
		idx = NDIR_BLOCKS - 1 + level;
	}
	for (;;) {
		uint32_t ptr;
		if (parent == 0)
			ptr = inode->block[idx];
		else if ((err = read_ptr(fs, parent, idx, &ptr)))
			return err;
		if (ptr == 0) {
			/* Indirect blocks must read as holes; a data block is the caller's to fill. */
			int64_t b = new_block(fs, inode, goal, level > 0);
			if (b < 0)
				return b;
			ptr = (uint32_t)b;
			if (parent == 0)
				inode->block[idx] = ptr;
			else if ((err = write_ptr(fs, parent, idx, ptr)))
				return err;
			*fresh = level == 0;
			goal = ptr + 1;
		} else if (ptr >= fs->blocks_count) {
			REPORT(fs, "inode %u, file block %u: pointer %u past the end", inode->ino,
			       file_block, ptr);
			return -EUCLEAN;
		}
		if (level == 0)
			return ptr;
		span /= per;                    /* file blocks under one entry of ptr */
		parent = ptr;
		idx = rest / span;
		rest %= span;
		level--;
	}
}

/* Frees block of inode's map: bitmap, counts, i_blocks. */
static int
drop_block(struct ext2_fs *fs, struct ext2_inode_info *inode, uint32_t block)
{
	int err = ext2_free_block(fs, block);

	if (!err)
		inode->blocks512 -= MIN(inode->blocks512, fs->block_size / 512);
	return err;
}

/*
 * Frees what lies at or past file block keep under the indirect block
 * blk of level (1: it points at data), whose first file block is first.
 * blk itself is the caller's.
 */
static int
cut(struct ext2_fs *fs, struct ext2_inode_info *inode, uint32_t blk, int level, uint64_t first,
    uint64_t keep)
{
	uint64_t per = fs->block_size / 4, span = 1;
	unsigned char raw[4 * PTR_CHUNK];
	int err;

	for (int l = 1; l < level; l++)
		span *= per;                    /* file blocks under one pointer of blk */
	if (blk >= fs->blocks_count) {
		REPORT(fs, "inode %u: indirect block %u past the end", inode->ino, blk);
		return -EUCLEAN;
	}
	for (uint64_t i = 0; i < per; i += PTR_CHUNK) {
		uint64_t at = (uint64_t)blk * fs->block_size + i * 4;
		bool changed = false;
		if (first + (i + PTR_CHUNK) * span <= keep)
			continue;               /* the whole chunk is kept */
		if ((err = ext2_dev_read(fs, at, raw, sizeof(raw))))
			return err;
		for (int j = 0; j < PTR_CHUNK; j++) {
			uint32_t child = le32(raw + 4 * j);
			uint64_t cfirst = first + (i + j) * span;
			if (child == 0 || cfirst + span <= keep)
				continue;
			if (level > 1 && (err = cut(fs, inode, child, level - 1, cfirst, keep)))
				return err;
			if (cfirst >= keep) {
				if ((err = drop_block(fs, inode, child)))
					return err;
				put_le32(raw + 4 * j, 0);
				changed = true;
			}
		}
		if (changed && (err = ext2_dev_write(fs, at, raw, sizeof(raw))))
			return err;
	}
	return 0;
}

/* Frees the blocks past size, sets i_size and writes the inode. See ext2_write.h. */
int
ext2_truncate_blocks(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size)
{
	uint64_t per = fs->block_size / 4;
	uint64_t keep = (size + fs->block_size - 1) / fs->block_size;
	uint64_t first = NDIR_BLOCKS, span = 1;
	int err;

	for (uint64_t i = keep; i < NDIR_BLOCKS; i++)
		if (inode->block[i]) {
			if ((err = drop_block(fs, inode, inode->block[i])))
				return err;
			inode->block[i] = 0;
		}
	for (int level = 1; level <= 3; level++) {
		uint32_t *top = &inode->block[NDIR_BLOCKS - 1 + level];
		span *= per;                    /* file blocks under this top pointer */
		if (*top && first + span > keep) {
			if ((err = cut(fs, inode, *top, level, first, keep)))
				return err;
			if (first >= keep) {
				if ((err = drop_block(fs, inode, *top)))
					return err;
				*top = 0;
			}
		}
		first += span;
	}
	inode->size = size;
	return ext2_write_inode(fs, inode);
}

/* truncate(2) through dev: blocks freed, the last block's tail zeroed, mtime and ctime now. */
int
ext2_truncate(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size)
{
	uint32_t bs = fs->block_size, tail = (uint32_t)(size % bs);
	int err;

	inode->mtime = inode->ctime = ext2_now(fs);
	if ((err = ext2_truncate_blocks(fs, inode, size)) || tail == 0)
		return err;
	int64_t b = ext2_bmap(fs, inode, size / bs);
	if (b <= 0)
		return (int)b;                  /* a hole: nothing to zero */
	return ext2_dev_write(fs, (uint64_t)b * bs + tail, zero_block, bs - tail);
}

/* Writes one piece inside file block fb: a fresh block is zeroed around it. */
static int
write_in_block(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t fb, uint32_t in_block,
	       const void *buf, uint32_t n)
{
	bool fresh;
	int64_t b = ext2_bmap_alloc(fs, inode, fb, &fresh);
	int err;

	if (b < 0)
		return (int)b;
	if (fresh && n < fs->block_size && (err = ext2_zero_disk_block(fs, (uint32_t)b)))
		return err;
	return ext2_dev_write(fs, (uint64_t)b * fs->block_size + in_block, buf, n);
}

/* Writes data through dev, growing the file. See ext2_write.h. */
int64_t
ext2_write_data(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t off, const void *buf,
		size_t len)
{
	uint32_t bs = fs->block_size;
	size_t done = 0;
	int err = 0;

	while (done < len) {
		uint64_t pos = off + done;
		uint32_t n = (uint32_t)MIN((uint64_t)(bs - pos % bs), (uint64_t)(len - done));
		if ((err = write_in_block(fs, inode, pos / bs, (uint32_t)(pos % bs),
					  (const char *)buf + done, n)))
			break;
		done += n;
	}
	if (done && off + done > inode->size)
		inode->size = off + done;
	inode->mtime = inode->ctime = ext2_now(fs);
	int werr = ext2_write_inode(fs, inode);
	if (done)
		return werr ? werr : (int64_t)done;
	return err ? err : werr;
}
