/*
 * kernel/fs/ext2_dir.c - ext2 directories and path names: walking a
 * directory's entries (getdents' cookie included), looking up one name,
 * and resolving a path one component at a time. Inodes, the block map
 * and file data are kernel/fs/ext2.c; like it, this is pure C, tested on
 * the host, and kernel/fs/ext2fs.c connects it to the kernel.
 *
 * A directory is a file of linked entries, none crossing a block
 * boundary:
 *
 *   | inode (4) | rec_len (2) | name_len (1) | file_type (1) | name ... pad | next entry
 *   <------------------------- rec_len ----------------------------------->
 *
 * An entry with inode 0 is unused; rec_len of the last entry in a block
 * reaches the block's end.
 *
 * What this file must not do: allocate, print, keep global state, or
 * trust the disk. Every rec_len, name_len and inode number is checked
 * before use, and a bad one is reported through fs->dev.report and
 * returned as -EUCLEAN. An entry is read with its longest possible name
 * in one small buffer, never a whole block.
 *
 * Decisions: symlinks are not followed by ext2_namei (see ext2.h): the
 * VFS reads the target and decides. ext2_find_link tells it where the
 * first link on a path is, and the VFS (kernel/fs/vfs_lookup.c) splices
 * the target in and looks again, through every mounted file system.
 *
 * Follows the ext2 layout as documented in e2fsprogs (lib/ext2fs/ext2_fs.h)
 * and "The Second Extended File System" by Dave Poirier.
 * Tested on the host against mke2fs images and damaged copies of them:
 * tests/unit/test_ext2.c and test_ext2_damaged.c.
 */
#include "kernel/fs/ext2.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/errno.h"
#include "kernel/string.h"


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
	    !ext2_size_plausible(fs, dir->size)) {
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
			if ((err = ext2_dev_read(fs, (uint64_t)d * bs + o, ent,
						 MIN(bs - o, sizeof(ent) - 1))))
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

/*
 * The first symbolic link along path from the root directory: a name
 * before the last, or the last too if last. Returns 1 with *end (the
 * length of path up to the end of the link's name) and *ino (the link's
 * inode). Returns 0 if the path has none: *ino is then the inode the
 * whole path names (the root for ""), or 0 if the path stops existing
 * before its end (a missing name, a file used as a directory: ext2_namei
 * says which). Or -EUCLEAN, -EIO.
 */
int
ext2_find_link(struct ext2_fs *fs, const char *path, bool last, size_t *end, uint32_t *ino)
{
	struct ext2_inode_info cur;
	const char *p = path;
	uint32_t next;
	int err;

	*ino = 0;
	if ((err = ext2_read_inode(fs, EXT2_ROOT_INO, &cur)))
		return err;
	for (;;) {
		while (*p == '/')
			p++;
		const char *name = p;
		while (*p && *p != '/')
			p++;
		if (p == name) {
			*ino = cur.ino;               /* walked to the end: no link */
			return 0;
		}
		if ((size_t)(p - name) > EXT2_NAME_MAX || !is_dir(cur.mode))
			return 0;
		err = ext2_lookup(fs, &cur, name, p - name, &next);
		if (err == -ENOENT || err == -ENOTDIR)
			return 0;
		if (err || (err = ext2_read_inode(fs, next, &cur)))
			return err;
		if (is_symlink(cur.mode) && (last || *p)) {
			*end = (size_t)(p - path);
			*ino = cur.ino;
			return 1;
		}
	}
}
