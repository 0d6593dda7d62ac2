/*
 * kernel/fs/ext2_dir_write.c - directory entries added, removed and
 * pointed elsewhere. The format is drawn in kernel/fs/ext2_dir.c:
 * linked entries whose rec_len reaches the next one, none crossing a
 * block.
 *
 * Adding, as Linux's ext2_add_link: an entry needs REC_LEN(name_len)
 * bytes (the header and the name, rounded up to 4). Each block is walked;
 * an unused entry (inode 0) that is long enough is taken, or a live
 * entry whose rec_len has room past its own name is split:
 *
 *   before  | ino 12 | rec_len 40 | "a"  ......... slack ........ |
 *   after   | ino 12 | rec_len 12 | "a" | ino 15 | rec_len 28 | "new" |
 *
 * When no block has room, the directory grows by one block holding only
 * the new entry (rec_len = the block size): directories of any size.
 *
 * Removing, as Linux's ext2_delete_entry: the entry is merged into the
 * previous one in its block (whose rec_len grows over it), or, first in
 * its block, marked unused (inode 0): blocks are never taken back, as in
 * Linux, until the directory itself goes.
 *
 * A directory we change loses the htree index flag (EXT2_INDEX_FL):
 * Linux's ext2 does not keep those indexes either, and e2fsck rebuilds
 * one that has no flag if asked. Part of the writer
 * (kernel/fs/ext2_write.h).
 */
#include "kernel/fs/ext2_write.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define EXT2_INDEX_FL 0x00001000           /* i_flags: the directory has an htree index */

/* Bytes an entry with a name of n bytes needs: header and name, rounded up to 4. */
static uint32_t
rec_len_for(uint32_t n)
{
	return (DIRENT_HEADER + n + 3) & ~3u;
}

/* The file_type byte for mode, 0 without the FILETYPE feature. */
static uint8_t
type_of(const struct ext2_fs *fs, uint16_t mode)
{
	static const struct { uint16_t fmt; uint8_t ft; } map[] = {
		{ EXT2_S_IFREG, EXT2_FT_REG_FILE }, { EXT2_S_IFDIR, EXT2_FT_DIR },
		{ EXT2_S_IFCHR, EXT2_FT_CHRDEV }, { EXT2_S_IFBLK, EXT2_FT_BLKDEV },
		{ EXT2_S_IFIFO, EXT2_FT_FIFO }, { EXT2_S_IFSOCK, EXT2_FT_SOCK },
		{ EXT2_S_IFLNK, EXT2_FT_SYMLINK },
	};

	for (size_t i = 0; fs->filetype && i < sizeof(map) / sizeof(map[0]); i++)
		if ((mode & EXT2_S_IFMT) == map[i].fmt)
			return map[i].ft;
	return EXT2_FT_UNKNOWN;
}

/* One entry's header, read from the disk. */
struct dirent_head {
	uint32_t ino, rec_len, name_len;
};

/* Reads and checks the header at byte o of disk block blk. */
static int
read_head(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint32_t blk, uint32_t o,
	  struct dirent_head *h)
{
	unsigned char raw[DIRENT_HEADER];
	int err = ext2_dev_read(fs, (uint64_t)blk * fs->block_size + o, raw, sizeof(raw));

	if (err)
		return err;
	h->ino = le32(raw);
	h->rec_len = le16(raw + 4);
	h->name_len = raw[6];
	if (h->rec_len < DIRENT_HEADER || h->rec_len % 4 || o + h->rec_len > fs->block_size ||
	    DIRENT_HEADER + h->name_len > h->rec_len) {
		REPORT(fs, "directory inode %u: block %u, byte %u: bad rec_len %u", dir->ino, blk, o,
		       h->rec_len);
		return -EUCLEAN;
	}
	return 0;
}

/* Writes an entry (header and name) at byte o of disk block blk. */
static int
write_entry(struct ext2_fs *fs, uint32_t blk, uint32_t o, uint32_t ino, uint32_t rec_len,
	    const char *name, size_t namelen, uint8_t type)
{
	unsigned char raw[DIRENT_HEADER + EXT2_NAME_MAX];

	put_le32(raw, ino);
	put_le16(raw + 4, (uint16_t)rec_len);
	raw[6] = (unsigned char)namelen;
	raw[7] = type;
	memcpy(raw + DIRENT_HEADER, name, namelen);
	return ext2_dev_write(fs, (uint64_t)blk * fs->block_size + o, raw, DIRENT_HEADER + namelen);
}

/* Rewrites only rec_len of the entry at byte o of block blk. */
static int
set_rec_len(struct ext2_fs *fs, uint32_t blk, uint32_t o, uint32_t rec_len)
{
	unsigned char raw[2];

	put_le16(raw, (uint16_t)rec_len);
	return ext2_dev_write(fs, (uint64_t)blk * fs->block_size + o + 4, raw, 2);
}

/* A changed directory: new mtime and ctime, no htree index; written. */
static int
touch_dir(struct ext2_fs *fs, struct ext2_inode_info *dir)
{
	dir->mtime = dir->ctime = ext2_now(fs);
	dir->flags &= ~(uint32_t)EXT2_INDEX_FL;
	return ext2_write_inode(fs, dir);
}

/*
 * Places an entry of need bytes in disk block blk if it has room: 1
 * placed, 0 no room, -errno.
 */
static int
place_in_block(struct ext2_fs *fs, struct ext2_inode_info *dir, uint32_t blk, const char *name,
	       size_t namelen, uint32_t ino, uint8_t type)
{
	uint32_t need = rec_len_for((uint32_t)namelen);
	struct dirent_head h;
	int err;

	for (uint32_t o = 0; o < fs->block_size; o += h.rec_len) {
		if ((err = read_head(fs, dir, blk, o, &h)))
			return err;
		if (h.ino == 0 && h.rec_len >= need) {
			err = write_entry(fs, blk, o, ino, h.rec_len, name, namelen, type);
			return err ? err : 1;
		}
		uint32_t used = rec_len_for(h.name_len);
		if (h.ino && h.rec_len >= used + need) {
			if ((err = write_entry(fs, blk, o + used, ino, h.rec_len - used, name, namelen, type)) ||
			    (err = set_rec_len(fs, blk, o, used)))
				return err;
			return 1;
		}
	}
	return 0;
}

/* Grows dir by one block holding only the new entry. */
static int
add_block(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name, size_t namelen,
	  uint32_t ino, uint8_t type)
{
	bool fresh;
	int64_t blk = ext2_bmap_alloc(fs, dir, dir->size / fs->block_size, &fresh);
	int err;

	if (blk < 0) {
		ext2_write_inode(fs, dir);      /* indirect blocks it may have taken are counted */
		return (int)blk;
	}
	if ((err = ext2_zero_disk_block(fs, (uint32_t)blk)) ||
	    (err = write_entry(fs, (uint32_t)blk, 0, ino, fs->block_size, name, namelen, type)))
		return err;
	dir->size += fs->block_size;
	return 0;
}

/* Adds name -> ino to dir. See ext2_write.h. */
int
ext2_dir_add(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name, size_t namelen,
	     uint32_t ino, uint16_t mode)
{
	uint8_t type = type_of(fs, mode);
	uint32_t old;
	int err = ext2_lookup(fs, dir, name, namelen, &old);

	if (err == 0)
		return -EEXIST;
	if (err != -ENOENT)
		return err;
	for (uint64_t fb = 0; fb < dir->size / fs->block_size; fb++) {
		int64_t blk = ext2_bmap(fs, dir, fb);
		if (blk <= 0)
			return blk ? (int)blk : -EUCLEAN;  /* ext2_lookup checked: no holes */
		int r = place_in_block(fs, dir, (uint32_t)blk, name, namelen, ino, type);
		if (r < 0)
			return r;
		if (r == 1)
			return touch_dir(fs, dir);
	}
	if ((err = add_block(fs, dir, name, namelen, ino, type)))
		return err;
	return touch_dir(fs, dir);
}

struct where {
	const char *name;
	size_t namelen;
	uint32_t ino;
};

static int
match(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t type)
{
	struct where *w = arg;

	(void)type;
	if (namelen != w->namelen || memcmp(name, w->name, namelen) != 0)
		return 0;
	w->ino = ino;
	return 1;
}

/*
 * Finds name in dir: its disk block *blk, byte *o in it, and *prev, the
 * byte of the entry before it in the block (or -1). -ENOENT.
 */
static int
find(struct ext2_fs *fs, const struct ext2_inode_info *dir, const char *name, size_t namelen,
     uint32_t *blk, uint32_t *o, int64_t *prev, uint32_t *ino)
{
	struct where w = { name, namelen, 0 };
	struct dirent_head h;
	uint64_t pos = 0;
	int r = namelen > EXT2_NAME_MAX ? -ENAMETOOLONG : ext2_readdir(fs, dir, &pos, match, &w);

	if (r <= 0)
		return r ? r : -ENOENT;
	int64_t b = ext2_bmap(fs, dir, pos / fs->block_size);
	if (b <= 0)
		return b ? (int)b : -EUCLEAN;
	*blk = (uint32_t)b;
	*o = (uint32_t)(pos % fs->block_size);
	*ino = w.ino;
	*prev = -1;
	for (uint32_t at = 0; at < *o; at += h.rec_len) {
		if ((r = read_head(fs, dir, *blk, at, &h)))
			return r;
		*prev = at;
	}
	return 0;
}

/* Removes name from dir, merging its bytes into the entry before. See ext2_write.h. */
int
ext2_dir_remove(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name, size_t namelen,
		uint32_t *ino)
{
	struct dirent_head h, ph;
	uint32_t blk, o;
	int64_t prev;
	unsigned char zero[4] = { 0 };
	int err = find(fs, dir, name, namelen, &blk, &o, &prev, ino);

	if (err || (err = read_head(fs, dir, blk, o, &h)))
		return err;
	if (prev >= 0) {
		if ((err = read_head(fs, dir, blk, (uint32_t)prev, &ph)) ||
		    (err = set_rec_len(fs, blk, (uint32_t)prev, ph.rec_len + h.rec_len)))
			return err;
	}
	/* The inode number goes in both cases, as Linux clears it. */
	if ((err = ext2_dev_write(fs, (uint64_t)blk * fs->block_size + o, zero, 4)))
		return err;
	return touch_dir(fs, dir);
}

/* Points name at ino instead. See ext2_write.h. */
int
ext2_dir_retarget(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		  size_t namelen, uint32_t ino, uint16_t mode)
{
	struct dirent_head h;
	uint32_t blk, o, old;
	int64_t prev;
	int err = find(fs, dir, name, namelen, &blk, &o, &prev, &old);

	if (err || (err = read_head(fs, dir, blk, o, &h)) ||
	    (err = write_entry(fs, blk, o, ino, h.rec_len, name, namelen, type_of(fs, mode))))
		return err;
	return touch_dir(fs, dir);
}

static int
not_dots(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t type)
{
	(void)arg, (void)ino, (void)type;
	return !(namelen == 1 && name[0] == '.') && !(namelen == 2 && name[0] == '.' && name[1] == '.');
}

/* 1 if dir has no entries but "." and "..". */
int
ext2_dir_is_empty(struct ext2_fs *fs, const struct ext2_inode_info *dir)
{
	uint64_t pos = 0;
	int r = ext2_readdir(fs, dir, &pos, not_dots, NULL);

	return r < 0 ? r : r == 0;
}
