/*
 * kernel/fs/ext2.c - read an ext2 file system: superblock, group
 * descriptors, inodes, block maps, directories and paths. This is the
 * on-disk format only, pure C and not a driver: kernel/fs/ext2fs.c
 * connects it to the block layer and the page cache.
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
 * A pointer of 0 is a hole: those bytes read as zeros. A directory is a
 * file of linked entries, none crossing a block boundary:
 *
 *   | inode (4) | rec_len (2) | name_len (1) | file_type (1) | name ... pad | next entry
 *   <------------------------- rec_len ----------------------------------->
 *
 * An entry with inode 0 is unused; rec_len of the last entry in a block
 * reaches the block's end.
 *
 * What this file must not do: allocate, print, keep global state, or
 * trust the disk. All reads go through fs->dev.read; every number read
 * from disk (block pointers, inode numbers, rec_len, name_len, sizes) is
 * checked before use, and a bad one is reported through fs->dev.report
 * and returned as -EUCLEAN. Indirect blocks are never read whole: only
 * the one 4-byte pointer needed, so stack frames stay small.
 *
 * Decisions: symlinks are not followed by ext2_namei (see ext2.h); a
 * fast symlink's target (i_size < 60) lives in i_block and ext2_read_data
 * returns it from there. Holes read as zeros if i_size is plausible (at
 * most what the pointers can map and at most 2^40); if it is not, a read
 * that reaches an unmapped block is -EUCLEAN rather than terabytes of
 * zeros. Read-only compatible features (sparse_super, large_file, ...)
 * do not change how a reader sees the disk and are ignored; incompatible
 * ones other than FILETYPE are refused at mount.
 *
 * Follows the ext2 layout as documented in e2fsprogs (lib/ext2fs/ext2_fs.h)
 * and "The Second Extended File System" by Dave Poirier.
 * Tested on the host against mke2fs images: tests/unit/test_ext2.c.
 */
#include "kernel/fs/ext2.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define EXT2_MAGIC          0xef53
#define SUPERBLOCK_OFFSET   1024
#define NDIR_BLOCKS         12           /* i_block[0..11] point at data */
#define FAST_SYMLINK_MAX    60           /* sizeof(i_block): shorter targets live there */
#define MAX_PLAUSIBLE_SIZE  (1ULL << 40)
#define INCOMPAT_FILETYPE   0x0002       /* directory entries carry file_type */
#define GROUP_DESC_SIZE     32
#define DIRENT_HEADER       8

/* Byte offsets of the superblock fields we use. */
enum {
	SB_INODES_COUNT = 0, SB_BLOCKS_COUNT = 4, SB_FIRST_DATA_BLOCK = 20,
	SB_LOG_BLOCK_SIZE = 24, SB_BLOCKS_PER_GROUP = 32, SB_INODES_PER_GROUP = 40,
	SB_MAGIC = 56, SB_REV_LEVEL = 76, SB_INODE_SIZE = 88,
	SB_FEATURE_INCOMPAT = 96, SB_VOLUME_NAME = 120,
	SB_READ_LEN = 136,
};

/* Byte offsets in a group descriptor. */
enum { GD_BLOCK_BITMAP = 0, GD_INODE_BITMAP = 4, GD_INODE_TABLE = 8 };

/* Byte offsets in an inode (the 128 bytes every revision has). */
enum {
	I_MODE = 0, I_UID = 2, I_SIZE = 4, I_ATIME = 8, I_CTIME = 12, I_MTIME = 16,
	I_GID = 24, I_LINKS = 26, I_BLOCKS = 28, I_BLOCK = 40, I_SIZE_HIGH = 108,
	I_UID_HIGH = 120, I_GID_HIGH = 122,
	INODE_READ_LEN = 128,
};

/* The disk is little-endian; buffers need not be aligned. */
static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool
is_dir(uint16_t mode)
{
	return (mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static bool
is_symlink(uint16_t mode)
{
	return (mode & EXT2_S_IFMT) == EXT2_S_IFLNK;
}

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
 * Hands one line to dev.report. fmt knows only %u and %x, each taking
 * the next of arg[0..3] (no printf here: this file must build for the
 * host and the kernel alike, and the values are all unsigned).
 */
static void
complain(struct ext2_fs *fs, const char *fmt, const uint64_t arg[4])
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

/* REPORT(fs, "inode %u: ...", a, b): up to four numbers, converted to uint64_t. */
#define REPORT(fs, fmt, ...) complain((fs), (fmt), (const uint64_t[4]){ __VA_ARGS__ })

/* Reads len bytes at byte off of the file system. 0, or -EIO (reported). */
static int
dev_read(struct ext2_fs *fs, uint64_t off, void *buf, size_t len)
{
	if (fs->dev.read(fs->dev.ctx, off, buf, len) == 0)
		return 0;
	REPORT(fs, "read error: %u bytes at byte %u", len, off);
	return -EIO;
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

	if ((err = dev_read(fs, fs->gdt_offset + (uint64_t)g * GROUP_DESC_SIZE, gd, sizeof(gd))))
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
	if ((err = dev_read(fs, SUPERBLOCK_OFFSET, sb, sizeof(sb))))
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

/* Reads inode ino into *out. See ext2.h. */
int
ext2_read_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *out)
{
	unsigned char raw[INODE_READ_LEN];
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
	uint64_t at = (uint64_t)itable * fs->block_size + (uint64_t)index * fs->inode_size;
	if ((err = dev_read(fs, at, raw, sizeof(raw))))
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
		if ((err = dev_read(fs, (uint64_t)ptr * fs->block_size + idx * 4, raw, 4)))
			return err;
		ptr = le32(raw);
		level--;
	}
}

/* Could i_block map a file of this size, and is it below 2^40? */
static bool
size_plausible(const struct ext2_fs *fs, uint64_t size)
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
		if (d == 0 && !size_plausible(fs, inode->size)) {
			REPORT(fs, "inode %u: implausible i_size %u, and file block %u is not mapped",
			       inode->ino, inode->size, pos / bs);
			return -EUCLEAN;
		}
		if (d == 0) {
			memset(out + done, 0, chunk);
		} else {
			int err = dev_read(fs, (uint64_t)d * bs + pos % bs, out + done, chunk);
			if (err)
				return err;
		}
		done += chunk;
	}
	return (int64_t)done;
}

/*
 * A directory must be one, and its size whole blocks that were all
 * allocated (ext2 directories have no holes) and that i_block can map.
 * This also bounds how long a scan of a corrupt directory can take.
 */
static int
check_dir(struct ext2_fs *fs, const struct ext2_inode_info *dir)
{
	if (!is_dir(dir->mode))
		return -ENOTDIR;
	if (dir->size % fs->block_size || dir->size > (uint64_t)dir->blocks512 * 512 ||
	    !size_plausible(fs, dir->size)) {
		REPORT(fs, "directory inode %u: size %u is not whole allocated blocks (%u sectors)",
		       dir->ino, dir->size, dir->blocks512);
		return -EUCLEAN;
	}
	return 0;
}

/* One directory entry's header, at byte o of its block (at in the directory). */
static int
check_entry(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint64_t at, uint32_t o,
	    uint32_t ino, uint32_t rec_len, uint32_t name_len)
{
	if (rec_len < DIRENT_HEADER || rec_len % 4 || o + rec_len > fs->block_size) {
		REPORT(fs, "directory inode %u: entry at byte %u has bad rec_len %u (block size %u)",
		       dir->ino, at, rec_len, fs->block_size);
		return -EUCLEAN;
	}
	if (DIRENT_HEADER + name_len > rec_len || (ino && name_len == 0)) {
		REPORT(fs, "directory inode %u: entry at byte %u has name_len %u, rec_len %u",
		       dir->ino, at, name_len, rec_len);
		return -EUCLEAN;
	}
	if (ino > fs->inodes_count) {
		REPORT(fs, "directory inode %u: entry at byte %u names inode %u (of %u)",
		       dir->ino, at, ino, fs->inodes_count);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * Walks directory entries from *pos. Each block is scanned from its
 * start, so that *pos may be any byte (say, from lseek): entries that
 * begin before it are checked but not delivered. See ext2.h.
 */
int
ext2_readdir(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint64_t *pos,
	     int (*fn)(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t file_type),
	     void *arg)
{
	unsigned char ent[DIRENT_HEADER + EXT2_NAME_MAX + 1];
	uint32_t bs = fs->block_size;
	int err;

	if ((err = check_dir(fs, dir)))
		return err;
	while (*pos < dir->size) {
		uint64_t start = *pos - *pos % bs;
		int64_t d = ext2_bmap(fs, dir, start / bs);
		if (d < 0)
			return (int)d;         /* not -EFBIG: check_dir bounded the size */
		if (d == 0) {
			REPORT(fs, "directory inode %u has a hole at byte %u", dir->ino, start);
			return -EUCLEAN;
		}
		for (uint32_t o = 0; o < bs;) {
			uint64_t at = start + o;
			if (bs - o < DIRENT_HEADER) {
				REPORT(fs, "directory inode %u: entry at byte %u crosses the block end",
				       dir->ino, at);
				return -EUCLEAN;
			}
			/* The header and the longest name in one read, not past the block. */
			if ((err = dev_read(fs, (uint64_t)d * bs + o, ent, MIN(bs - o, sizeof(ent) - 1))))
				return err;
			uint32_t ino = le32(ent), rec_len = le16(ent + 4), name_len = ent[6];
			if ((err = check_entry(fs, dir, at, o, ino, rec_len, name_len)))
				return err;
			if (at >= *pos) {
				if (ino) {
					/* Without FILETYPE this byte is name_len's high byte: 0. */
					uint8_t type = ent[7] <= EXT2_FT_SYMLINK ? ent[7] : EXT2_FT_UNKNOWN;
					ent[DIRENT_HEADER + name_len] = '\0';
					int r = fn(arg, (const char *)ent + DIRENT_HEADER, name_len, ino, type);
					if (r)
						return r;      /* *pos still names this entry */
				}
				*pos = at + rec_len;
			}
			o += rec_len;
		}
		*pos = start + bs;     /* even if *pos was past the block's last entry */
	}
	return 0;
}

struct lookup_arg {
	const char *name;
	size_t namelen;
	uint32_t ino;
};

static int
match_name(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t file_type)
{
	struct lookup_arg *want = arg;

	if (namelen != want->namelen || memcmp(name, want->name, namelen) != 0)
		return 0;
	want->ino = ino;
	return 1;
}

/* A linear scan of dir for name. See ext2.h; also -ENAMETOOLONG above 255 bytes. */
int
ext2_lookup(struct ext2_fs *fs, const struct ext2_inode_info *dir, const char *name,
	    size_t namelen, uint32_t *ino)
{
	struct lookup_arg want = { .name = name, .namelen = namelen };
	uint64_t pos = 0;
	int r;

	if (!is_dir(dir->mode))
		return -ENOTDIR;
	if (namelen > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	if (namelen == 0)
		return -ENOENT;
	r = ext2_readdir(fs, dir, &pos, match_name, &want);
	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	*ino = want.ino;
	return 0;
}

/*
 * Walks path one component at a time. A symlink is returned only as the
 * last component without a trailing slash; anywhere else it is -ELOOP
 * (we do not follow links). See ext2.h for the rest.
 */
int
ext2_namei(struct ext2_fs *fs, uint32_t start_ino, const char *path, uint32_t *ino)
{
	struct ext2_inode_info cur;
	const char *p = path;
	uint32_t next;
	int err;

	if (*p == '\0')
		return -ENOENT;
	if ((err = ext2_read_inode(fs, *p == '/' ? EXT2_ROOT_INO : start_ino, &cur)))
		return err;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		const char *name = p;
		while (*p && *p != '/')
			p++;
		if ((size_t)(p - name) > EXT2_NAME_MAX)
			return -ENAMETOOLONG;
		if (is_symlink(cur.mode))
			return -ELOOP;         /* a link with more path after it */
		if (!is_dir(cur.mode))
			return -ENOTDIR;
		if ((err = ext2_lookup(fs, &cur, name, p - name, &next)))
			return err;
		if ((err = ext2_read_inode(fs, next, &cur)))
			return err;
	}
	if (p[-1] == '/') {                    /* a trailing slash wants a directory */
		if (is_symlink(cur.mode))
			return -ELOOP;
		if (!is_dir(cur.mode))
			return -ENOTDIR;
	}
	*ino = cur.ino;
	return 0;
}
