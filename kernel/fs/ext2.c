/*
 * kernel/fs/ext2.c - read an ext2 file system: superblock, group
 * descriptors, inodes, block maps and file data. Directories and paths
 * are kernel/fs/ext2_dir.c. This is the on-disk format only, pure C and
 * not a driver: kernel/fs/ext2fs.c connects it to the block layer and
 * the page cache.
 *
 * The root disk is made on the host by `mke2fs -t ext2 -d DIR`, so the
 * kernel reads a real format that real tools write and check. The file
 * system is an array of blocks (1, 2 or 4 KiB) cut into block groups:
 *
 *   byte 0      1024         block first_data_block+1
 *   +----------+------------+-----------+-- group 0 --------------------+-- group 1 ...
 *   | boot     | superblock | group     | block  | inode  | inode  | data blocks ...
 *   | (1 KiB)  | (1 KiB)    | desc.     | bitmap | bitmap | table  |
 *   +----------+------------+-----------+--------+--------+--------+------------
 *     (with 1 KiB blocks the superblock is block 1; with 4 KiB blocks it
 *      is inside block 0, and the descriptor table is block 1)
 *
 * Inode ino (numbered from 1) is entry (ino - 1) % inodes_per_group of
 * the inode table of group (ino - 1) / inodes_per_group. Its i_block[15]
 * finds the file's data; with p = block_size / 4 pointers per block:
 *
 *   i_block[0..11] -> data           file blocks 0..11
 *   i_block[12]    -> [p pointers] -> data                      next p blocks
 *   i_block[13]    -> [p] -> [p] -> data                        next p^2
 *   i_block[14]    -> [p] -> [p] -> [p] -> data                 next p^3
 *
 * A pointer of 0 is a hole: those bytes read as zeros.
 *
 * What this file must not do: allocate, print, keep global state, or
 * trust the disk. All reads go through fs->dev.read; every number read
 * from disk (block pointers, inode numbers, sizes) is checked before
 * use, and a bad one is reported through fs->dev.report and returned as
 * -EUCLEAN. Indirect blocks are never read whole: only the one 4-byte
 * pointer needed, so stack frames stay small. The reporting and the
 * little-endian readers are shared with ext2_dir.c through
 * kernel/fs/ext2_internal.h.
 *
 * Decisions: a fast symlink's target (i_size < 60) lives in i_block and
 * ext2_read_data returns it from there. Holes read as zeros if i_size is
 * plausible (at most what the pointers can map and at most 2^40); if it
 * is not, a read that reaches an unmapped block is -EUCLEAN rather than
 * terabytes of zeros. Read-only compatible features (sparse_super,
 * large_file, ...) do not change how a reader sees the disk and are
 * ignored; incompatible ones other than FILETYPE are refused at mount.
 *
 * Follows the ext2 layout as documented in e2fsprogs (lib/ext2fs/ext2_fs.h)
 * and "The Second Extended File System" by Dave Poirier.
 * Tested on the host against mke2fs images and damaged copies of them:
 * tests/unit/test_ext2.c and test_ext2_damaged.c.
 */
#include "kernel/fs/ext2.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/fs/ext2_write.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define MAX_PLAUSIBLE_SIZE  (1ULL << 40)
#define INCOMPAT_FILETYPE   0x0002       /* directory entries carry file_type */

/* Byte offsets of the superblock fields we use. */
enum {
	SB_INODES_COUNT = 0, SB_BLOCKS_COUNT = 4, SB_FIRST_DATA_BLOCK = 20,
	SB_LOG_BLOCK_SIZE = 24, SB_BLOCKS_PER_GROUP = 32, SB_INODES_PER_GROUP = 40,
	SB_MAGIC = 56, SB_REV_LEVEL = 76, SB_INODE_SIZE = 88,
	SB_FIRST_INO = 84, SB_FEATURE_INCOMPAT = 96, SB_VOLUME_NAME = 120,
	SB_READ_LEN = 136,
};

/* Byte offsets in a group descriptor. */
enum { GD_BLOCK_BITMAP = 0, GD_INODE_BITMAP = 4, GD_INODE_TABLE = 8 };

/* Byte offsets in an inode (the 128 bytes every revision has). */
enum {
	I_MODE = 0, I_UID = 2, I_SIZE = 4, I_ATIME = 8, I_CTIME = 12, I_MTIME = 16,
	I_DTIME = 20, I_GID = 24, I_LINKS = 26, I_BLOCKS = 28, I_FLAGS = 32, I_BLOCK = 40,
	I_SIZE_HIGH = 108,
	I_UID_HIGH = 120, I_GID_HIGH = 122,
	INODE_READ_LEN = 128,
};

/* Appends v in base 10 or 16 to line[*n], stopping at cap. */
static void
put_num(char *line, size_t *n, size_t cap, uint64_t v, unsigned base)
{
	char digits[20];
	int k = 0;

	do {
		digits[k++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (k > 0 && *n < cap)
		line[(*n)++] = digits[--k];
}

/*
 * Hands one line to dev.report, if there is one (use REPORT()). fmt
 * knows only %u and %x, each taking the next of arg[0..3] (no printf
 * here: this file must build for the host and the kernel alike, and the
 * values are all unsigned).
 */
void
ext2_complain(struct ext2_fs *fs, const char *fmt, const uint64_t arg[4])
{
	char line[128];
	size_t n = 0;
	int next = 0;

	if (!fs->dev.report)
		return;
	for (const char *f = fmt; *f && n < sizeof(line) - 1; f++) {
		if (f[0] == '%' && (f[1] == 'u' || f[1] == 'x') && next < 4) {
			put_num(line, &n, sizeof(line) - 1, arg[next++], f[1] == 'x' ? 16 : 10);
			f++;
		} else {
			line[n++] = *f;
		}
	}
	line[n] = '\0';
	fs->dev.report(fs->dev.ctx, line);
}

/*
 * Reads len bytes at byte off of the file system. Returns 0, -EIO (the
 * disk failed: reported), or -ENOMEM (no memory for the read just now:
 * not the disk's fault, the caller may try again).
 */
int
ext2_dev_read(struct ext2_fs *fs, uint64_t off, void *buf, size_t len)
{
	int err = fs->dev.read(fs->dev.ctx, off, buf, len);

	if (err == 0 || err == -ENOMEM)
		return err;
	REPORT(fs, "read error: %u bytes at byte %u", len, off);
	return -EIO;
}

/*
 * Writes len bytes at byte off of the file system. Returns 0, -EROFS if
 * the device cannot write, -EIO (reported) or -ENOMEM as ext2_dev_read.
 */
int
ext2_dev_write(struct ext2_fs *fs, uint64_t off, const void *buf, size_t len)
{
	if (!fs->dev.write)
		return -EROFS;
	int err = fs->dev.write(fs->dev.ctx, off, buf, len);
	if (err == 0 || err == -ENOMEM)
		return err;
	REPORT(fs, "write error: %u bytes at byte %u", len, off);
	return -EIO;
}

/* The device's clock, for timestamps; 0 without one. */
uint32_t
ext2_now(struct ext2_fs *fs)
{
	return fs->dev.now ? fs->dev.now(fs->dev.ctx) : 0;
}

/* File blocks that i_block can reach: 12 + p + p^2 + p^3. */
static uint64_t
max_file_blocks(const struct ext2_fs *fs)
{
	uint64_t p = fs->block_size / 4;

	return NDIR_BLOCKS + p + p * p + p * p * p;
}

/* Blocks of one group's inode table. */
static uint64_t
inode_table_blocks(const struct ext2_fs *fs)
{
	uint64_t bytes = (uint64_t)fs->inodes_per_group * fs->inode_size;

	return (bytes + fs->block_size - 1) / fs->block_size;
}

/*
 * Reads group g's descriptor and checks that its bitmaps and whole inode
 * table lie inside the file system. Returns 0 and *itable, -EUCLEAN, -EIO.
 */
static int
read_group(struct ext2_fs *fs, uint32_t g, uint32_t *itable)
{
	unsigned char gd[GROUP_DESC_SIZE];
	int err;

	if ((err = ext2_dev_read(fs, fs->gdt_offset + (uint64_t)g * GROUP_DESC_SIZE,
				 gd, sizeof(gd))))
		return err;
	uint32_t bb = le32(gd + GD_BLOCK_BITMAP), ib = le32(gd + GD_INODE_BITMAP);
	uint32_t it = le32(gd + GD_INODE_TABLE);
	if (bb < fs->first_data_block || bb >= fs->blocks_count ||
	    ib < fs->first_data_block || ib >= fs->blocks_count) {
		REPORT(fs, "group %u: bitmap block %u or %u outside the file system (%u blocks)",
		       g, bb, ib, fs->blocks_count);
		return -EUCLEAN;
	}
	if (it < fs->first_data_block || it + inode_table_blocks(fs) > fs->blocks_count) {
		REPORT(fs, "group %u: inode table at block %u runs past the end (%u blocks)",
		       g, it, fs->blocks_count);
		return -EUCLEAN;
	}
	*itable = it;
	return 0;
}

/* The superblock checks that need no other block. 0, -EUCLEAN or -EINVAL. */
static int
check_superblock(struct ext2_fs *fs, const unsigned char *sb)
{
	uint32_t log = le32(sb + SB_LOG_BLOCK_SIZE);
	uint32_t bs;

	if (le16(sb + SB_MAGIC) != EXT2_MAGIC) {
		REPORT(fs, "bad magic 0x%x at byte 1080 (want 0xef53): not ext2", le16(sb + SB_MAGIC));
		return -EUCLEAN;
	}
	if (log > 2) {                  /* 1, 2 or 4 KiB: what a 4 KiB page can hold */
		REPORT(fs, "s_log_block_size %u: block size not 1, 2 or 4 KiB", log);
		return -EUCLEAN;
	}
	fs->block_size = bs = 1024u << log;
	fs->rev_level = le32(sb + SB_REV_LEVEL);
	if (fs->rev_level > 1) {
		REPORT(fs, "revision %u not supported (0 and 1 are)", fs->rev_level);
		return -EINVAL;
	}
	fs->inode_size = fs->rev_level == 0 ? 128 : le16(sb + SB_INODE_SIZE);
	if (fs->inode_size < 128 || fs->inode_size > bs ||
	    (fs->inode_size & (fs->inode_size - 1))) {
		REPORT(fs, "inode size %u: not a power of two from 128 to the block size", fs->inode_size);
		return -EUCLEAN;
	}
	/* Revision 0 has no feature words: those bytes may hold anything. */
	uint32_t incompat = fs->rev_level ? le32(sb + SB_FEATURE_INCOMPAT) : 0;
	if (incompat & ~(uint32_t)INCOMPAT_FILETYPE) {
		REPORT(fs, "incompatible features 0x%x not supported (only filetype, 0x2)",
		       incompat & ~(uint32_t)INCOMPAT_FILETYPE);
		return -EINVAL;
	}
	fs->filetype = incompat & INCOMPAT_FILETYPE;
	fs->first_ino = fs->rev_level ? le32(sb + SB_FIRST_INO) : 11;

	fs->inodes_count = le32(sb + SB_INODES_COUNT);
	fs->blocks_count = le32(sb + SB_BLOCKS_COUNT);
	fs->inodes_per_group = le32(sb + SB_INODES_PER_GROUP);
	fs->blocks_per_group = le32(sb + SB_BLOCKS_PER_GROUP);
	fs->first_data_block = le32(sb + SB_FIRST_DATA_BLOCK);
	/* Each group's bitmaps are one block: at most 8 bits per byte of it. */
	if (fs->inodes_per_group == 0 || fs->inodes_per_group > 8 * bs ||
	    fs->blocks_per_group == 0 || fs->blocks_per_group > 8 * bs) {
		REPORT(fs, "%u inodes and %u blocks per group: zero or more than a bitmap holds",
		       fs->inodes_per_group, fs->blocks_per_group);
		return -EUCLEAN;
	}
	/* The superblock is in block 1 with 1 KiB blocks, else in block 0. */
	if (fs->first_data_block != (bs == 1024 ? 1u : 0u)) {
		REPORT(fs, "first data block %u is wrong for %u-byte blocks", fs->first_data_block, bs);
		return -EUCLEAN;
	}
	if (fs->blocks_count <= fs->first_data_block) {
		REPORT(fs, "blocks count %u too small", fs->blocks_count);
		return -EUCLEAN;
	}
	uint64_t groups = (fs->blocks_count - fs->first_data_block + (uint64_t)fs->blocks_per_group - 1) /
			  fs->blocks_per_group;
	if (groups * fs->inodes_per_group != fs->inodes_count) {
		REPORT(fs, "inodes count %u is not %u groups of %u inodes",
		       fs->inodes_count, groups, fs->inodes_per_group);
		return -EUCLEAN;
	}
	fs->groups = (uint32_t)groups;
	fs->gdt_offset = (uint64_t)(fs->first_data_block + 1) * bs;
	uint64_t gdt_blocks = (groups * GROUP_DESC_SIZE + bs - 1) / bs;
	if (fs->first_data_block + 1 + gdt_blocks > fs->blocks_count) {
		REPORT(fs, "group descriptor table (%u blocks) runs past the end (%u blocks)",
		       gdt_blocks, fs->blocks_count);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * Reads and checks the superblock, every group descriptor and the root
 * inode. See ext2.h for the errors. May sleep only if dev.read does.
 */
int
ext2_mount(struct ext2_fs *fs, const struct ext2_dev *dev)
{
	unsigned char sb[SB_READ_LEN];
	struct ext2_inode_info root;
	uint32_t itable;
	int err;

	memset(fs, 0, sizeof(*fs));
	fs->dev = *dev;
	if ((err = ext2_dev_read(fs, SUPERBLOCK_OFFSET, sb, sizeof(sb))))
		return err;
	if ((err = check_superblock(fs, sb)))
		return err;
	memcpy(fs->volume_name, sb + SB_VOLUME_NAME, 16);
	fs->volume_name[16] = '\0';
	for (uint32_t g = 0; g < fs->groups; g++)
		if ((err = read_group(fs, g, &itable)))
			return err;
	if ((err = ext2_read_inode(fs, EXT2_ROOT_INO, &root)))
		return err;
	if (!is_dir(root.mode)) {
		REPORT(fs, "root inode is not a directory (mode 0x%x)", root.mode);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * The byte offset of inode ino in the file system, into *at: 0, or
 * -EUCLEAN for a bad number or inode table, -EIO.
 */
int
ext2_inode_location(struct ext2_fs *fs, uint32_t ino, uint64_t *at)
{
	uint32_t itable;
	int err;

	if (ino == 0 || ino > fs->inodes_count) {
		REPORT(fs, "inode number %u out of range (1..%u)", ino, fs->inodes_count);
		return -EUCLEAN;
	}
	uint32_t group = (ino - 1) / fs->inodes_per_group;
	uint32_t index = (ino - 1) % fs->inodes_per_group;
	if ((err = read_group(fs, group, &itable)))
		return err;
	*at = (uint64_t)itable * fs->block_size + (uint64_t)index * fs->inode_size;
	return 0;
}

/* Reads inode ino into *out. See ext2.h. */
int
ext2_read_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *out)
{
	unsigned char raw[INODE_READ_LEN];
	uint64_t at;
	int err;

	if ((err = ext2_inode_location(fs, ino, &at)))
		return err;
	if ((err = ext2_dev_read(fs, at, raw, sizeof(raw))))
		return err;

	memset(out, 0, sizeof(*out));
	out->ino = ino;
	out->mode = le16(raw + I_MODE);
	out->links = le16(raw + I_LINKS);
	out->size = le32(raw + I_SIZE);
	/* In revision 1 a regular file's size has high bits (large_file);
	 * for a directory that word is i_dir_acl and not part of the size. */
	if (fs->rev_level >= 1 && (out->mode & EXT2_S_IFMT) == EXT2_S_IFREG)
		out->size |= (uint64_t)le32(raw + I_SIZE_HIGH) << 32;
	for (int i = 0; i < 15; i++)
		out->block[i] = le32(raw + I_BLOCK + 4 * i);
	out->atime = le32(raw + I_ATIME);
	out->ctime = le32(raw + I_CTIME);
	out->mtime = le32(raw + I_MTIME);
	out->uid = le16(raw + I_UID) | (uint32_t)le16(raw + I_UID_HIGH) << 16;
	out->gid = le16(raw + I_GID) | (uint32_t)le16(raw + I_GID_HIGH) << 16;
	out->blocks512 = le32(raw + I_BLOCKS);
	out->dtime = le32(raw + I_DTIME);
	out->flags = le32(raw + I_FLAGS);
	return 0;
}

/*
 * One block pointer read from disk: 0 (a hole) or inside the file system.
 * level is how many indirect blocks are still below it (0: a data block).
 */
static int
check_pointer(struct ext2_fs *fs, const struct ext2_inode_info *inode, uint64_t file_block,
	      uint32_t ptr, int level)
{
	if (ptr < fs->blocks_count)
		return 0;
	REPORT(fs, level ? "inode %u, file block %u: indirect block pointer %u past the end (%u blocks)"
			 : "inode %u, file block %u: data block pointer %u past the end (%u blocks)",
	       inode->ino, file_block, ptr, fs->blocks_count);
	return -EUCLEAN;
}

/*
 * Maps file_block to a disk block with one loop over the indirect
 * levels, reading one pointer per level. See ext2.h for the results.
 */
int64_t
ext2_bmap(struct ext2_fs *fs, const struct ext2_inode_info *inode, uint64_t file_block)
{
	uint64_t per = fs->block_size / 4;     /* pointers in an indirect block */
	uint64_t span = 1;                     /* file blocks under one pointer at this level */
	uint64_t rest = file_block;
	unsigned char raw[4];
	int level, err;

	if (rest < NDIR_BLOCKS) {
		uint32_t ptr = inode->block[rest];
		if ((err = check_pointer(fs, inode, file_block, ptr, 0)))
			return err;
		return ptr;
	}
	rest -= NDIR_BLOCKS;
	for (level = 1; level <= 3; level++) { /* which of i_block[12..14]? */
		span *= per;
		if (rest < span)
			break;
		rest -= span;
	}
	if (level > 3)
		return -EFBIG;

	uint32_t ptr = inode->block[NDIR_BLOCKS - 1 + level];
	for (;;) {
		if (ptr == 0)
			return 0;              /* a hole, at whatever level */
		if ((err = check_pointer(fs, inode, file_block, ptr, level)))
			return err;
		if (level == 0)
			return ptr;
		span /= per;                   /* now: file blocks under one entry of this block */
		uint64_t idx = rest / span;
		rest %= span;
		if ((err = ext2_dev_read(fs, (uint64_t)ptr * fs->block_size + idx * 4, raw, 4)))
			return err;
		ptr = le32(raw);
		level--;
	}
}

/* Could i_block map a file of this size, and is it below 2^40? */
bool
ext2_size_plausible(const struct ext2_fs *fs, uint64_t size)
{
	return size <= MAX_PLAUSIBLE_SIZE && size / fs->block_size <= max_file_blocks(fs);
}

/* A symlink whose target is stored in i_block itself (the e2fsprogs rule). */
static bool
is_fast_symlink(const struct ext2_inode_info *inode)
{
	return is_symlink(inode->mode) && inode->size < FAST_SYMLINK_MAX;
}

/* Copies bytes [off, off + n) of i_block as it lies on disk (little-endian). */
static void
copy_inline(const struct ext2_inode_info *inode, uint64_t off, unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t at = off + i;
		buf[i] = (unsigned char)(inode->block[at / 4] >> (8 * (at % 4)));
	}
}

/*
 * Reads up to len bytes at off, stopping at i_size. A hole reads as
 * zeros, unless i_size is implausible (then -EUCLEAN: see the top of the
 * file). Any error fails the whole call, even after some bytes were
 * copied: corruption should be loud. Returns the count or -errno.
 */
int64_t
ext2_read_data(struct ext2_fs *fs, const struct ext2_inode_info *inode, uint64_t off,
	       void *buf, size_t len)
{
	unsigned char *out = buf;
	uint32_t bs = fs->block_size;
	uint64_t done = 0;

	if (off >= inode->size)
		return 0;
	uint64_t n = MIN((uint64_t)len, inode->size - off);
	n = MIN(n, (uint64_t)INT64_MAX);
	if (is_fast_symlink(inode)) {
		copy_inline(inode, off, out, n);
		return (int64_t)n;
	}
	while (done < n) {
		uint64_t pos = off + done;
		uint64_t chunk = MIN(bs - pos % bs, n - done);
		int64_t d = ext2_bmap(fs, inode, pos / bs);
		if (d == -EFBIG) {
			REPORT(fs, "inode %u: i_size %u needs file block %u, past what i_block can map",
			       inode->ino, inode->size, pos / bs);
			return -EUCLEAN;
		}
		if (d < 0)
			return d;
		if (d == 0 && !ext2_size_plausible(fs, inode->size)) {
			REPORT(fs, "inode %u: implausible i_size %u, and file block %u is not mapped",
			       inode->ino, inode->size, pos / bs);
			return -EUCLEAN;
		}
		if (d == 0) {
			memset(out + done, 0, chunk);
		} else {
			int err = ext2_dev_read(fs, (uint64_t)d * bs + pos % bs, out + done, chunk);
			if (err)
				return err;
		}
		done += chunk;
	}
	return (int64_t)done;
}
