/*
 * kernel/fs/ext2_internal.h - what the files of the ext2 reader
 * share, and nobody else may use:
 *
 *   ext2.c      superblock, group descriptors, inodes, the block map,
 *               file data, and reporting what is wrong with the disk
 *   ext2_dir.c  directory entries, lookups and path names
 *   ext2_statfs.c  the block and inode counts statfs(2) reports
 *
 * and the writer (kernel/fs/ext2_write.h):
 *
 *   ext2_super.c       superblock and group descriptor counts, mount state
 *   ext2_alloc.c       block and inode bitmaps: allocating and freeing
 *   ext2_inode_write.c writing inodes, making and deleting them
 *   ext2_blockmap.c    the block map grown (allocation) and cut (truncate)
 *   ext2_dir_write.c   directory entries added, removed, changed
 *   ext2_namei_write.c create, mkdir, link, symlink, unlink, rmdir, rename
 *
 * Both are pure C, built into the kernel and into the host unit test
 * (tests/unit/test_ext2.c and test_ext2_damaged.c); the public interface
 * is kernel/fs/ext2.h.
 */
#ifndef KERNEL_FS_EXT2_INTERNAL_H
#define KERNEL_FS_EXT2_INTERNAL_H

#include "kernel/fs/ext2.h"

#define NDIR_BLOCKS       12       /* i_block[0..11] point at data */
#define FAST_SYMLINK_MAX  60       /* sizeof(i_block): shorter targets live there */
#define GROUP_DESC_SIZE   32       /* bytes of one group descriptor */
#define DIRENT_HEADER     8        /* inode, rec_len, name_len, file_type: before the name */

/* The disk is little-endian; buffers need not be aligned. */
static inline uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void
put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void
put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline bool
is_dir(uint16_t mode)
{
	return (mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static inline bool
is_symlink(uint16_t mode)
{
	return (mode & EXT2_S_IFMT) == EXT2_S_IFLNK;
}

/*
 * Hands one line to dev.report, if there is one. fmt knows only %u and
 * %x, each taking the next of arg[0..3]. Use REPORT() below.
 */
void ext2_complain(struct ext2_fs *fs, const char *fmt, const uint64_t arg[4]);

/* REPORT(fs, "inode %u: ...", a, b): up to four numbers, converted to uint64_t. */
#define REPORT(fs, fmt, ...) ext2_complain((fs), (fmt), (const uint64_t[4]){ __VA_ARGS__ })

/* Reads len bytes at byte off of the file system. 0, or -EIO (reported). */
int ext2_dev_read(struct ext2_fs *fs, uint64_t off, void *buf, size_t len);

/* Writes len bytes at byte off of the file system. 0, -EROFS (no dev.write), or -EIO (reported). */
int ext2_dev_write(struct ext2_fs *fs, uint64_t off, const void *buf, size_t len);

/* The byte offset of inode ino's on-disk inode. 0, -EUCLEAN, -EIO. */
int ext2_inode_location(struct ext2_fs *fs, uint32_t ino, uint64_t *at);

/* Writes block_size zero bytes at block (kernel/fs/ext2_blockmap.c). */
int ext2_zero_disk_block(struct ext2_fs *fs, uint32_t block);


/* Could i_block map a file of this size, and is it below 2^40? */
bool ext2_size_plausible(const struct ext2_fs *fs, uint64_t size);

#endif
