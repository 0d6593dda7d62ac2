/*
 * kernel/fs/ext2_write.h - changing an ext2 file system: the writer's
 * half of kernel/fs/ext2.h, pure C like the reader, run on the host by
 * tests/unit/test_ext2_write.c against images made by mke2fs and checked
 * by e2fsck.
 *
 * Everything goes through struct ext2_dev: dev.write must be set (else
 * -EROFS), dev.forget is told of every freed block, dev.now gives the
 * timestamps. Every function returns 0 (or a number) or a negative errno:
 * the reader's (-EIO, -EUCLEAN) and -ENOSPC (no free block or inode),
 * -EEXIST, -ENOENT, -ENOTDIR, -EISDIR, -ENOTEMPTY, -EINVAL, -EMLINK,
 * -ENAMETOOLONG as the calls say.
 *
 * Each call leaves the disk consistent when it returns 0: bitmaps, the
 * group descriptors' and the superblock's counts, link counts and
 * i_blocks agree, so `e2fsck -fn` finds nothing (the order of the writes
 * inside a call is not crash-safe: ext2 has no journal, e2fsck -fy
 * repairs). A call that fails with -ENOSPC half way gives back what it
 * took. Nothing here allocates memory or keeps state outside struct
 * ext2_fs; the caller serialises calls and keeps its in-memory inodes in
 * step (re-read what a call changed).
 *
 * New inodes belong to uid 0, gid 0: everyone is root in pagoda.
 */
#ifndef KERNEL_FS_EXT2_WRITE_H
#define KERNEL_FS_EXT2_WRITE_H

#include "kernel/fs/ext2.h"

/* dev.now(), or 0 without a clock (kernel/fs/ext2.c). */
uint32_t ext2_now(struct ext2_fs *fs);

/* ---- kernel/fs/ext2_super.c: counts and the mount state ---- */

/*
 * Starts writing: refuses (-EROFS) a device without dev.write and file
 * systems with features this writer would break (a journal, checksums,
 * anything beyond sparse_super and large_file read-only-compatible);
 * then marks the superblock "not clean" (s_state without EXT2_VALID_FS),
 * counts the mount (s_mnt_count) and sets s_mtime, as Linux's ext2 does.
 */
int ext2_mount_rw(struct ext2_fs *fs);

/* The end of writing (umount, power-off): s_state clean again, s_wtime. */
int ext2_unmount_clean(struct ext2_fs *fs);

/* Adds the deltas to group g's free block, free inode and directory counts and the superblock's totals. */
int ext2_count_adjust(struct ext2_fs *fs, uint32_t g, int blocks, int inodes, int dirs);

/* ---- kernel/fs/ext2_alloc.c: the bitmaps ---- */

/* A free block, marked used: goal if free, else the next free one after it (wrapping). -ENOSPC. */
int64_t ext2_alloc_block(struct ext2_fs *fs, uint32_t goal);
/* Marks block free (-EUCLEAN if it was not in use or is metadata) and tells dev.forget. */
int ext2_free_block(struct ext2_fs *fs, uint32_t block);
/* A free inode near parent (dir: in a roomy group, spread as Linux's find_group_dir). -ENOSPC. */
int64_t ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, bool dir);
/* Marks inode ino free; dir: it was a directory (bg_used_dirs_count). */
int ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir);

/* ---- kernel/fs/ext2_inode_write.c: inodes ---- */

/* Writes *inode's fields over its on-disk inode; other fields stay. */
int ext2_write_inode(struct ext2_fs *fs, const struct ext2_inode_info *inode);
/* Allocates and writes a fresh inode of mode (type and permissions), links 0, times now. */
int ext2_new_inode(struct ext2_fs *fs, uint32_t parent, uint16_t mode, struct ext2_inode_info *out);
/* An inode with no links and no users goes: blocks freed, dtime set, inode freed. */
int ext2_delete_inode(struct ext2_fs *fs, struct ext2_inode_info *inode);

/* ---- kernel/fs/ext2_blockmap.c: the block map grown and cut ---- */

/*
 * The disk block of file_block, allocated (with the indirect blocks on
 * the way, zeroed) if it is a hole; *fresh says it was (its old bytes
 * are garbage: the caller writes the whole block). Updates inode->block
 * and blocks512 in memory only: the caller writes the inode. -ENOSPC
 * (nothing kept), -EFBIG past the triple-indirect range.
 */
int64_t ext2_bmap_alloc(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t file_block,
			bool *fresh);
/*
 * Sets i_size to size, freeing the blocks wholly past it (and indirect
 * blocks left empty), and writes the inode. The bytes after size in its
 * last block are not touched: the caller zeroes them where the file's
 * data lives (the page cache; ext2_truncate does it through dev).
 */
int ext2_truncate_blocks(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size);
/* ext2_truncate_blocks, and the rest of the last block zeroed through dev.write. */
int ext2_truncate(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size);
/*
 * Writes len bytes at off through dev.write, allocating blocks, growing
 * i_size, setting mtime and ctime; writes the inode. Returns len or
 * -errno (-ENOSPC: what was written before stays, i_size covers it).
 */
int64_t ext2_write_data(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t off,
			const void *buf, size_t len);

/* ---- kernel/fs/ext2_dir_write.c: directory entries ---- */

/* Adds name -> ino (of type mode) to dir, growing it by a block if full. -EEXIST, -ENOSPC. */
int ext2_dir_add(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name, size_t namelen,
		 uint32_t ino, uint16_t mode);
/* Removes name from dir; *ino is what it named. -ENOENT. */
int ext2_dir_remove(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		    size_t namelen, uint32_t *ino);
/* Points the existing entry name at ino (of type mode) instead. -ENOENT. */
int ext2_dir_retarget(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		      size_t namelen, uint32_t ino, uint16_t mode);
/* 1 if dir holds only "." and "..", 0 if more, or -errno. */
int ext2_dir_is_empty(struct ext2_fs *fs, const struct ext2_inode_info *dir);

/* ---- kernel/fs/ext2_namei_write.c: the calls, by directory inode and name ---- */

/* A new regular file (or FIFO, socket: any type but directory and link) name in dir. */
int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, uint16_t mode,
		uint32_t *ino);
int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, uint16_t mode,
	       uint32_t *ino);
/* A symbolic link to target: fast (in i_block) below 60 bytes, else in a block. */
int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen,
		 const char *target, size_t targetlen, uint32_t *ino);
/* A second name for ino (not a directory: -EPERM). -EMLINK at 32000 links, as Linux's ext2. */
int ext2_link(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, uint32_t ino);
/*
 * Removes a name that is not a directory (-EISDIR) and drops its
 * inode's link count; *ino is the inode. At 0 links the caller calls
 * ext2_delete_inode once nobody has the file open.
 */
int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, uint32_t *ino);
/* Removes an empty directory (-ENOTDIR, -ENOTEMPTY): *ino is left with 0 links for the caller to delete. */
int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, uint32_t *ino);
/*
 * rename(2) within the file system, Linux's rules: a directory over a
 * non-directory -ENOTDIR, the reverse -EISDIR, over a non-empty
 * directory -ENOTEMPTY, into itself or below -EINVAL; the same inode
 * under both names: nothing. A name it replaces is retargeted in place
 * (never missing); *replaced is the inode that lost that name (its
 * links dropped; 0 links: the caller deletes it) or 0.
 */
int ext2_rename(struct ext2_fs *fs, uint32_t old_dir, const char *old_name, size_t old_len,
		uint32_t new_dir, const char *new_name, size_t new_len, uint32_t *replaced);

#endif
