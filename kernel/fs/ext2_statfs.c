/*
 * kernel/fs/ext2_statfs.c - how full an ext2 file system is, as statfs(2)
 * reports it (df): block and inode counts from the superblock.
 *
 * The third file of the ext2 reader (with ext2.c and ext2_dir.c): pure C
 * over struct ext2_fs, no kernel state. The numbers follow Linux's
 * ext2_statfs() with its default "bsddf" option: the total leaves out the
 * blocks that metadata always takes (the boot block, each group's
 * superblock copy and descriptor table where it has them, both bitmaps
 * and the inode table), so a fresh file system's "used" is its files.
 * Free counts are the superblock's, which mke2fs and e2fsck keep right;
 * Linux sums the group descriptors instead, the same on a clean disk.
 */
#include "kernel/fs/ext2_internal.h"

/* Byte offsets in the superblock (the first 136 bytes are read at mount; these are the rest we need). */
enum {
	SB_R_BLOCKS_COUNT = 8, SB_FREE_BLOCKS_COUNT = 12, SB_FREE_INODES_COUNT = 16,
	SB_FEATURE_RO_COMPAT = 100, SB_UUID = 104, SB_LEN = 120,
};

#define RO_COMPAT_SPARSE_SUPER 0x0001    /* superblock copies only in groups 0, 1 and powers of 3, 5, 7 */
#define GROUP_DESC_BYTES   32

static bool
is_power_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* Does group g hold a copy of the superblock (and the descriptor table)? */
static bool
group_has_super(uint32_t g, bool sparse)
{
	if (!sparse || g <= 1)
		return true;
	return is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7);
}

/* Blocks that metadata takes whatever the files are: Linux's "overhead". */
static uint64_t
overhead_blocks(const struct ext2_fs *fs, bool sparse)
{
	uint64_t bs = fs->block_size;
	uint64_t gdt_blocks = ((uint64_t)fs->groups * GROUP_DESC_BYTES + bs - 1) / bs;
	uint64_t itable_blocks = ((uint64_t)fs->inodes_per_group * fs->inode_size + bs - 1) / bs;
	uint64_t n = fs->first_data_block;

	for (uint32_t g = 0; g < fs->groups; g++)
		if (group_has_super(g, sparse))
			n += 1 + gdt_blocks;
	return n + (uint64_t)fs->groups * (2 + itable_blocks);
}

static uint64_t
le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * Fills *out from the superblock. Returns 0, or -EIO if it cannot be
 * read. May sleep only if dev.read does.
 */
int
ext2_statfs(struct ext2_fs *fs, struct ext2_usage *out)
{
	unsigned char sb[SB_LEN];
	uint64_t overhead, reserved, fsid;
	int err = ext2_dev_read(fs, SUPERBLOCK_OFFSET, sb, sizeof(sb));

	if (err)
		return err;
	overhead = overhead_blocks(fs, fs->rev_level && (le32(sb + SB_FEATURE_RO_COMPAT) & RO_COMPAT_SPARSE_SUPER));
	reserved = le32(sb + SB_R_BLOCKS_COUNT);
	out->block_size = fs->block_size;
	out->blocks = fs->blocks_count > overhead ? fs->blocks_count - overhead : 0;
	out->free_blocks = le32(sb + SB_FREE_BLOCKS_COUNT);
	out->avail_blocks = out->free_blocks > reserved ? out->free_blocks - reserved : 0;
	out->inodes = fs->inodes_count;
	out->free_inodes = le32(sb + SB_FREE_INODES_COUNT);
	/* Linux's f_fsid for ext2: the two halves of the UUID xor-ed, low word first. */
	fsid = le64(sb + SB_UUID) ^ le64(sb + SB_UUID + 8);
	out->fsid[0] = (uint32_t)fsid;
	out->fsid[1] = (uint32_t)(fsid >> 32);
	return 0;
}
