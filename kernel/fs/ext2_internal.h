/*
 * kernel/fs/ext2_internal.h - what the files of the ext2 reader
 * share, and nobody else may use:
 *
 *   ext2.c      superblock, group descriptors, inodes, the block map,
 *               file data, and reporting what is wrong with the disk
 *   ext2_dir.c  directory entries, lookups and path names
 *   ext2_statfs.c  the block and inode counts statfs(2) reports
 *
 * Both are pure C, built into the kernel and into the host unit test
 * (tests/unit/test_ext2.c and test_ext2_damaged.c); the public interface
 * is kernel/fs/ext2.h.
 */
#ifndef KERNEL_FS_EXT2_INTERNAL_H
#define KERNEL_FS_EXT2_INTERNAL_H

#include "kernel/fs/ext2.h"

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

/* Could i_block map a file of this size, and is it below 2^40? */
bool ext2_size_plausible(const struct ext2_fs *fs, uint64_t size);

#endif
