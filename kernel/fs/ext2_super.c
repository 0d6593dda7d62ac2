/*
 * kernel/fs/ext2_super.c - the counts a writer keeps in step, and the
 * superblock's "clean" mark.
 *
 * Three places count free space: each group descriptor (free blocks,
 * free inodes, and directories), and the superblock (free blocks and
 * inodes of the whole file system). Every allocation and free changes a
 * bitmap bit and these counts together, through ext2_count_adjust(), so
 * that e2fsck finds them equal to what the bitmaps say.
 *
 * s_state's EXT2_VALID_FS bit says "unmounted cleanly". Linux's ext2
 * clears it on disk when it mounts read-write and sets it again at a
 * clean unmount; a disk found without it was in use when the machine
 * stopped, and boot scripts run e2fsck on it. We do the same, with
 * s_mnt_count, s_mtime and s_wtime as Linux keeps them.
 *
 * Only the primary superblock and descriptor table are written: the
 * backup copies in other groups keep mke2fs's counts, which e2fsck does
 * not compare (Linux's ext2 writes only the primary copies too).
 * Pure C over struct ext2_dev, part of the writer (kernel/fs/ext2_write.h).
 */
#include "kernel/fs/ext2_write.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/errno.h"

/* Byte offsets in the superblock. */
enum {
	SB_FREE_BLOCKS = 12, SB_FREE_INODES = 16, SB_MTIME = 44, SB_WTIME = 48,
	SB_MNT_COUNT = 52, SB_STATE = 58, SB_FEATURE_COMPAT = 92, SB_FEATURE_RO_COMPAT = 100,
	SB_LEN = 104,
};

/* Byte offsets in a group descriptor. */
enum { GD_FREE_BLOCKS = 12, GD_FREE_INODES = 14, GD_USED_DIRS = 16 };

#define EXT2_VALID_FS          0x0001   /* s_state: unmounted cleanly */
#define COMPAT_HAS_JOURNAL     0x0004   /* ext3: writes must go through the journal */
#define RO_COMPAT_WRITABLE     0x0003   /* sparse_super, large_file: nothing to keep up */

/* Reads the superblock's first SB_LEN bytes. */
static int
read_super(struct ext2_fs *fs, unsigned char *sb)
{
	return ext2_dev_read(fs, SUPERBLOCK_OFFSET, sb, SB_LEN);
}

static int
write_super(struct ext2_fs *fs, const unsigned char *sb)
{
	return ext2_dev_write(fs, SUPERBLOCK_OFFSET, sb, SB_LEN);
}

/*
 * Refuses what we cannot write, then marks the file system in use. See
 * ext2_write.h. Revision 0 has no feature words: nothing to refuse.
 */
int
ext2_mount_rw(struct ext2_fs *fs)
{
	unsigned char sb[SB_LEN];
	int err;

	if (!fs->dev.write)
		return -EROFS;
	if ((err = read_super(fs, sb)))
		return err;
	if (fs->rev_level && ((le32(sb + SB_FEATURE_COMPAT) & COMPAT_HAS_JOURNAL) ||
			      (le32(sb + SB_FEATURE_RO_COMPAT) & ~(uint32_t)RO_COMPAT_WRITABLE))) {
		REPORT(fs, "features compat 0x%x ro_compat 0x%x: mounting read-only",
		       le32(sb + SB_FEATURE_COMPAT), le32(sb + SB_FEATURE_RO_COMPAT));
		return -EROFS;
	}
	put_le16(sb + SB_STATE, le16(sb + SB_STATE) & ~EXT2_VALID_FS);
	put_le16(sb + SB_MNT_COUNT, (uint16_t)(le16(sb + SB_MNT_COUNT) + 1));
	put_le32(sb + SB_MTIME, ext2_now(fs));
	return write_super(fs, sb);
}

/* Marks the file system clean: every write before this one is on the disk. */
int
ext2_unmount_clean(struct ext2_fs *fs)
{
	unsigned char sb[SB_LEN];
	int err;

	if ((err = read_super(fs, sb)))
		return err;
	put_le16(sb + SB_STATE, le16(sb + SB_STATE) | EXT2_VALID_FS);
	put_le32(sb + SB_WTIME, ext2_now(fs));
	return write_super(fs, sb);
}

/* *field (le16 or le32 of width bytes) += delta. */
static void
add_to(unsigned char *field, int width, int delta)
{
	if (width == 2)
		put_le16(field, (uint16_t)(le16(field) + delta));
	else
		put_le32(field, (uint32_t)(le32(field) + (uint32_t)delta));
}

/*
 * Adds blocks, inodes (free counts: negative when allocating) and dirs
 * (directories in use) to group g's descriptor and the totals in the
 * superblock. 0 or -EIO.
 */
int
ext2_count_adjust(struct ext2_fs *fs, uint32_t g, int blocks, int inodes, int dirs)
{
	unsigned char gd[GROUP_DESC_SIZE], sb[SB_LEN];
	uint64_t at = fs->gdt_offset + (uint64_t)g * GROUP_DESC_SIZE;
	int err;

	if ((err = ext2_dev_read(fs, at, gd, sizeof(gd))) || (err = read_super(fs, sb)))
		return err;
	add_to(gd + GD_FREE_BLOCKS, 2, blocks);
	add_to(gd + GD_FREE_INODES, 2, inodes);
	add_to(gd + GD_USED_DIRS, 2, dirs);
	add_to(sb + SB_FREE_BLOCKS, 4, blocks);
	add_to(sb + SB_FREE_INODES, 4, inodes);
	if ((err = ext2_dev_write(fs, at, gd, sizeof(gd))))
		return err;
	return write_super(fs, sb);
}
