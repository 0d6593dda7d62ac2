/*
 * kernel/fs/ext2_inode_write.c - an inode's life on disk: written,
 * made, and deleted.
 *
 * struct ext2_inode_info is the part of the 128-byte on-disk inode that
 * we use; writing it reads the on-disk inode first and changes only
 * those fields, so what we do not know of (i_generation, i_file_acl,
 * the bytes past 128 in a 256-byte inode) stays as mke2fs or Linux left
 * it. A new inode starts as all zeros, as Linux's ext2 writes one.
 *
 * Deleting follows Linux's ext2_evict_inode: the file's blocks are
 * freed (not for a fast symlink, whose i_block holds its target), then
 * i_dtime is set (e2fsck tells a deleted inode from a lost one by it),
 * then the inode's bit is cleared.
 * Part of the writer (kernel/fs/ext2_write.h); the reader's half is
 * ext2_read_inode in kernel/fs/ext2.c.
 */
#include "kernel/fs/ext2_write.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/errno.h"
#include "kernel/string.h"

/* Byte offsets in an inode (the same as kernel/fs/ext2.c reads). */
enum {
	I_MODE = 0, I_UID = 2, I_SIZE = 4, I_ATIME = 8, I_CTIME = 12, I_MTIME = 16,
	I_DTIME = 20, I_GID = 24, I_LINKS = 26, I_BLOCKS = 28, I_FLAGS = 32, I_BLOCK = 40,
	I_SIZE_HIGH = 108, I_UID_HIGH = 120, I_GID_HIGH = 122,
	INODE_LEN = 128,
};

/* Writes *inode's fields over its on-disk inode. 0, -EUCLEAN, -EIO, -EROFS. */
int
ext2_write_inode(struct ext2_fs *fs, const struct ext2_inode_info *inode)
{
	unsigned char raw[INODE_LEN];
	uint64_t at;
	int err;

	if ((err = ext2_inode_location(fs, inode->ino, &at)) ||
	    (err = ext2_dev_read(fs, at, raw, sizeof(raw))))
		return err;
	put_le16(raw + I_MODE, inode->mode);
	put_le16(raw + I_UID, (uint16_t)inode->uid);
	put_le16(raw + I_UID_HIGH, (uint16_t)(inode->uid >> 16));
	put_le16(raw + I_GID, (uint16_t)inode->gid);
	put_le16(raw + I_GID_HIGH, (uint16_t)(inode->gid >> 16));
	put_le32(raw + I_SIZE, (uint32_t)inode->size);
	/* The high word is a regular file's (large_file); for others it is i_dir_acl, 0. */
	if (fs->rev_level >= 1 && (inode->mode & EXT2_S_IFMT) == EXT2_S_IFREG)
		put_le32(raw + I_SIZE_HIGH, (uint32_t)(inode->size >> 32));
	put_le32(raw + I_ATIME, inode->atime);
	put_le32(raw + I_CTIME, inode->ctime);
	put_le32(raw + I_MTIME, inode->mtime);
	put_le32(raw + I_DTIME, inode->dtime);
	put_le16(raw + I_LINKS, inode->links);
	put_le32(raw + I_BLOCKS, inode->blocks512);
	put_le32(raw + I_FLAGS, inode->flags);
	for (int i = 0; i < 15; i++)
		put_le32(raw + I_BLOCK + 4 * i, inode->block[i]);
	return ext2_dev_write(fs, at, raw, sizeof(raw));
}

/* Writes fs->inode_size zero bytes over inode ino, in small pieces. */
static int
zero_inode(struct ext2_fs *fs, uint32_t ino)
{
	static const unsigned char zeros[INODE_LEN];
	uint64_t at;
	int err = ext2_inode_location(fs, ino, &at);

	for (uint32_t done = 0; !err && done < fs->inode_size; done += INODE_LEN)
		err = ext2_dev_write(fs, at + done, zeros, INODE_LEN);
	return err;
}

/*
 * Allocates an inode near parent, writes it zeroed with mode, no links,
 * no blocks and all three times now, and fills *out. -ENOSPC: no inode.
 */
int
ext2_new_inode(struct ext2_fs *fs, uint32_t parent, uint16_t mode, struct ext2_inode_info *out)
{
	bool dir = (mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
	int64_t ino = ext2_alloc_inode(fs, parent, dir);
	int err;

	if (ino < 0)
		return (int)ino;
	memset(out, 0, sizeof(*out));
	out->ino = (uint32_t)ino;
	out->mode = mode;
	out->atime = out->ctime = out->mtime = ext2_now(fs);
	if ((err = zero_inode(fs, out->ino)) || (err = ext2_write_inode(fs, out))) {
		ext2_free_inode(fs, out->ino, dir);
		return err;
	}
	return 0;
}

/* Does the inode's i_block hold block pointers (not a fast symlink's target)? */
static bool
has_block_map(const struct ext2_inode_info *inode)
{
	return !(is_symlink(inode->mode) && inode->size < FAST_SYMLINK_MAX && inode->blocks512 == 0);
}

/*
 * Deletes an inode nobody links to or uses: frees its blocks, sets
 * dtime, writes it, frees it in the bitmap. -EINVAL if it has links.
 */
int
ext2_delete_inode(struct ext2_fs *fs, struct ext2_inode_info *inode)
{
	int err;

	if (inode->links)
		return -EINVAL;
	if (has_block_map(inode) && (err = ext2_truncate_blocks(fs, inode, 0)))
		return err;
	inode->size = 0;
	inode->dtime = inode->ctime = inode->mtime = ext2_now(fs);
	if ((err = ext2_write_inode(fs, inode)))
		return err;
	return ext2_free_inode(fs, inode->ino, is_dir(inode->mode));
}
