/*
 * kernel/fs/ext2.h - a read-only ext2 reader that sees the disk only
 * through a callback (struct ext2_dev), so the same code runs in the
 * kernel on the block layer and on the host on images made by mke2fs.
 *
 * Every function returns 0 (or a count) on success and a negative errno
 * on failure: -EIO when dev.read failed, -EUCLEAN when the file system
 * contradicts itself (dev.report, if set, is told why in one line),
 * -EINVAL for features this reader does not implement.
 * Nothing here allocates, sleeps on its own, or keeps state outside the
 * struct ext2_fs the caller owns; the caller serialises as it likes.
 * Implementation and on-disk layout: kernel/fs/ext2.c (superblock,
 * inodes, block map, file data) and kernel/fs/ext2_dir.c (directories,
 * paths). The kernel's side (the root disk, inodes in memory, the page
 * cache) is kernel/fs/ext2fs.h.
 */
#ifndef KERNEL_FS_EXT2_H
#define KERNEL_FS_EXT2_H

#include "kernel/types.h"

struct ext2_dev {
	void *ctx;
	/* Reads len bytes at byte offset off of the file system. Returns 0 or -EIO. */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	/* One line of explanation for a corruption or I/O error (the kernel prints it as "ext2: ..."). May be NULL. */
	void (*report)(void *ctx, const char *msg);
	/*
	 * Writing (kernel/fs/ext2_write.h); all three NULL for a read-only
	 * device. write: len bytes at byte off, 0 or -EIO. forget: block
	 * was freed, a cache may drop its copy, dirty or not (it may come
	 * back as another file's data, written around the cache). now: the
	 * time for timestamps, in seconds since 1970.
	 */
	int (*write)(void *ctx, uint64_t off, const void *buf, size_t len);
	void (*forget)(void *ctx, uint64_t block);
	uint32_t (*now)(void *ctx);
};

struct ext2_fs {                   /* filled by ext2_mount; plain values, no pointers into disk buffers */
	struct ext2_dev dev;
	uint32_t block_size;           /* 1024 << s_log_block_size */
	uint32_t inodes_count, blocks_count, inodes_per_group, blocks_per_group, groups;
	uint32_t first_data_block, inode_size, rev_level;
	uint32_t first_ino;            /* the first inode files may have (11 before revision 1) */
	bool filetype;                 /* directory entries carry file_type (INCOMPAT_FILETYPE) */
	uint64_t gdt_offset;           /* byte offset of the group descriptor table */
	char volume_name[17];
};

struct ext2_inode_info {           /* what callers need of an inode */
	uint32_t ino;
	uint16_t mode;                 /* S_IFREG/S_IFDIR/S_IFLNK... and permissions */
	uint16_t links;
	uint64_t size;                 /* i_size | (uint64_t)i_dir_acl/i_size_high << 32 for regular files (rev 1) */
	uint32_t block[15];            /* i_block */
	uint32_t mtime, atime, ctime, uid, gid;
	uint32_t blocks512;            /* i_blocks */
	uint32_t dtime;                /* deletion time: 0 while the inode is in use */
	uint32_t flags;                /* i_flags */
};

#define EXT2_ROOT_INO 2
#define EXT2_MAGIC    0xef53       /* at byte 56 of the superblock */
#define SUPERBLOCK_OFFSET 1024     /* the superblock's first byte on the disk */
#define EXT2_NAME_MAX 255          /* longest name in a directory entry */

/* File type bits of ext2_inode_info.mode (the same values as st_mode). */
#define EXT2_S_IFMT   0170000
#define EXT2_S_IFSOCK 0140000
#define EXT2_S_IFLNK  0120000
#define EXT2_S_IFREG  0100000
#define EXT2_S_IFBLK  0060000
#define EXT2_S_IFDIR  0040000
#define EXT2_S_IFCHR  0020000
#define EXT2_S_IFIFO  0010000

/* file_type of a directory entry (0 also when the file system lacks the FILETYPE feature). */
#define EXT2_FT_UNKNOWN  0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR      2
#define EXT2_FT_CHRDEV   3
#define EXT2_FT_BLKDEV   4
#define EXT2_FT_FIFO     5
#define EXT2_FT_SOCK     6
#define EXT2_FT_SYMLINK  7

/*
 * Reads and checks the superblock and every group descriptor, and that
 * the root inode is a directory; fills *fs (which keeps a copy of *dev).
 * -EUCLEAN for an inconsistent superblock or descriptor, -EINVAL for an
 * incompatible feature other than FILETYPE or a revision above 1, -EIO.
 */
int ext2_mount(struct ext2_fs *fs, const struct ext2_dev *dev);

/* What statfs(2) tells of an ext2 file system (kernel/fs/ext2_statfs.c). */
struct ext2_usage {
	uint32_t block_size;
	uint64_t blocks, free_blocks, avail_blocks;   /* avail: free less those reserved for root */
	uint64_t inodes, free_inodes;
	uint32_t fsid[2];
};

/* Reads the counts from the superblock into *out. 0 or -EIO. */
int ext2_statfs(struct ext2_fs *fs, struct ext2_usage *out);

/*
 * Reads inode ino (1..inodes_count) into *out. Does not judge whether
 * the inode is in use. -EUCLEAN for a bad number or inode table, -EIO.
 */
int ext2_read_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *out);

/* Maps a file block number to a disk block number: 0 for a hole; -EUCLEAN if a pointer is out of range (report() says which inode/block); -EIO on read error; -EFBIG past the triple-indirect range. */
int64_t ext2_bmap(struct ext2_fs *fs, const struct ext2_inode_info *inode, uint64_t file_block);

/* Reads len bytes of the file at off (stops at i_size; holes read as zeros). Returns bytes read or -errno. Goes through ext2_bmap + dev.read; used for directories and by tests. */
int64_t ext2_read_data(struct ext2_fs *fs, const struct ext2_inode_info *inode, uint64_t off, void *buf, size_t len);

/* Calls fn for each live entry of directory dir, in on-disk order, starting at byte position *pos (a cookie for getdents: the offset of the next entry; updated as entries are delivered; fn returns nonzero to stop BEFORE that entry is consumed). Returns 0 at the end, the nonzero value fn returned, or -ENOTDIR, -EUCLEAN (bad rec_len/name_len: report() it), -EIO. */
int ext2_readdir(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint64_t *pos,
                 int (*fn)(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t file_type), void *arg);

/* Looks up one name in a directory: 0 and *ino, -ENOENT, -ENOTDIR, -EUCLEAN, -EIO (and -ENAMETOOLONG for namelen > 255). */
int ext2_lookup(struct ext2_fs *fs, const struct ext2_inode_info *dir, const char *name, size_t namelen, uint32_t *ino);

/*
 * Resolves a path ('/'-separated; absolute from the root, relative from
 * start_ino; "." and ".." work through the real entries; repeated slashes
 * ok; a trailing slash requires a directory). Returns 0 and *ino, -ENOENT
 * (also for the empty path, as in Linux), -ENOTDIR (a path through a
 * regular file, e.g. "/test/size_1/x"), -ENAMETOOLONG (a component > 255),
 * -ELOOP, -EUCLEAN, -EIO.
 *
 * Symbolic links are not followed: a symlink as the last component (no
 * trailing slash) resolves to the link's own inode, like lstat() or
 * O_NOFOLLOW without the error, so the VFS can read the target with
 * ext2_read_data and decide; a symlink anywhere else (or before a
 * trailing slash) gives -ELOOP. (The VFS follows links before it asks:
 * ext2_find_link below, kernel/fs/vfs_lookup.c.)
 */
int ext2_namei(struct ext2_fs *fs, uint32_t start_ino, const char *path, uint32_t *ino);

/*
 * The first symbolic link along path (from the root; a name before the
 * last, or the last too if last): 1 with *end, the length of path up to
 * the end of the link's name, and *ino, the link's inode. 0 if there is
 * none, with *ino the inode the path names, or 0 if the path stops
 * existing before its end. -EUCLEAN, -EIO.
 */
int ext2_find_link(struct ext2_fs *fs, const char *path, bool last, size_t *end, uint32_t *ino);

#endif
