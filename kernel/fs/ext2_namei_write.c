/*
 * kernel/fs/ext2_namei_write.c - the calls that change names: create,
 * mkdir, symlink, link, unlink, rmdir, rename, each given a directory
 * inode and a name in it (the kernel's VFS has resolved the path).
 *
 * Link counts are the invariant to keep: a file's i_links_count is the
 * number of entries naming it; a directory's is 2 ("." and its entry in
 * the parent) plus one per subdirectory (each one's ".."). So mkdir adds
 * one to the parent, rmdir takes one, and a rename that moves a directory
 * moves one from the old parent to the new and points its ".." there.
 *
 * An inode whose count reaches 0 is not deleted here: the caller knows
 * whether a process still has it open (Linux keeps such a file until
 * the last close) and calls ext2_delete_inode when it is free. The
 * order of the writes makes a crash leave the lesser damage e2fsck
 * mends (a name is written before the old one goes: a rename never
 * loses the file). Part of the writer (kernel/fs/ext2_write.h).
 */
#include "kernel/fs/ext2_write.h"
#include "kernel/fs/ext2_internal.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define EXT2_LINK_MAX 32000           /* Linux's ext2: most links an inode may have */

/* Reads directory inode ino: -ENOTDIR if it is not one. */
static int
read_dir(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *dir)
{
	int err = ext2_read_inode(fs, ino, dir);

	return err ? err : is_dir(dir->mode) ? 0 : -ENOTDIR;
}

static bool
is_dot_or_dotdot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* A name that may be made in dir: 0, or -ENAMETOOLONG, -EEXIST, -ENOENT (empty). */
static int
new_name_ok(struct ext2_fs *fs, const struct ext2_inode_info *dir, const char *name, size_t len)
{
	uint32_t ino;
	int err;

	if (len == 0)
		return -ENOENT;
	if (len > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	err = ext2_lookup(fs, dir, name, len, &ino);
	return err == 0 ? -EEXIST : err == -ENOENT ? 0 : err;
}

/* A new directory's first block: "." (12 bytes) and ".." (the rest). */
static int
init_dir_block(struct ext2_fs *fs, struct ext2_inode_info *dir, uint32_t parent)
{
	unsigned char ent[2 * 12] = { 0 };
	bool fresh;
	int64_t blk = ext2_bmap_alloc(fs, dir, 0, &fresh);
	int err;

	if (blk < 0)
		return (int)blk;
	put_le32(ent, dir->ino);
	put_le16(ent + 4, 12);
	ent[6] = 1;
	ent[7] = fs->filetype ? EXT2_FT_DIR : 0;
	ent[8] = '.';
	put_le32(ent + 12, parent);
	put_le16(ent + 16, (uint16_t)(fs->block_size - 12));
	ent[18] = 2;
	ent[19] = ent[7];
	ent[20] = ent[21] = '.';
	if ((err = ext2_zero_disk_block(fs, (uint32_t)blk)) ||
	    (err = ext2_dev_write(fs, (uint64_t)blk * fs->block_size, ent, sizeof(ent))))
		return err;
	dir->size = fs->block_size;
	return 0;
}

/* A symlink's target in i_block (fast, below 60 bytes) or in a data block. */
static int
store_target(struct ext2_fs *fs, struct ext2_inode_info *link, const char *target, size_t len)
{
	if (len < FAST_SYMLINK_MAX) {
		for (size_t i = 0; i < len; i++)
			link->block[i / 4] |= (uint32_t)(unsigned char)target[i] << (8 * (i % 4));
		link->size = len;
		return 0;
	}
	int64_t n = ext2_write_data(fs, link, 0, target, len);
	return n < 0 ? (int)n : 0;
}

/*
 * Makes a new inode of mode named name in dir_ino: a directory gets its
 * "." and "..", a link its target. On failure nothing stays.
 */
static int
make(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t len, uint16_t mode,
     const char *target, size_t target_len, uint32_t *ino)
{
	struct ext2_inode_info dir, n;
	bool mkdir = is_dir(mode);
	int err;

	if ((err = read_dir(fs, dir_ino, &dir)) || (err = new_name_ok(fs, &dir, name, len)))
		return err;
	if (mkdir && dir.links >= EXT2_LINK_MAX)
		return -EMLINK;
	if ((err = ext2_new_inode(fs, dir_ino, mode, &n)))
		return err;
	n.links = mkdir ? 2 : 1;
	if (mkdir)
		err = init_dir_block(fs, &n, dir_ino);
	else if (is_symlink(mode))
		err = store_target(fs, &n, target, target_len);
	if (!err)
		err = ext2_write_inode(fs, &n);
	if (!err)
		err = ext2_dir_add(fs, &dir, name, len, n.ino, mode);
	if (err) {
		n.links = 0;
		ext2_delete_inode(fs, &n);
		return err;
	}
	if (mkdir) {
		dir.links++;
		if ((err = ext2_write_inode(fs, &dir)))
			return err;
	}
	*ino = n.ino;
	return 0;
}

/* A new file of any type but directory and symlink. See ext2_write.h. */
int
ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, uint16_t mode,
	    uint32_t *ino)
{
	if (is_dir(mode) || is_symlink(mode))
		return -EINVAL;
	return make(fs, dir, name, namelen, mode, NULL, 0, ino);
}

int
ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, uint16_t mode,
	   uint32_t *ino)
{
	return make(fs, dir, name, namelen, (uint16_t)(EXT2_S_IFDIR | (mode & 07777)), NULL, 0, ino);
}

int
ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen, const char *target,
	     size_t targetlen, uint32_t *ino)
{
	if (targetlen == 0)
		return -ENOENT;                 /* Linux: symlink("", ...) is ENOENT */
	if (targetlen >= fs->block_size)
		return -ENAMETOOLONG;
	return make(fs, dir, name, namelen, EXT2_S_IFLNK | 0777, target, targetlen, ino);
}

/* A second name for ino. See ext2_write.h. */
int
ext2_link(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t namelen, uint32_t ino)
{
	struct ext2_inode_info dir, inode;
	int err;

	if ((err = read_dir(fs, dir_ino, &dir)) || (err = ext2_read_inode(fs, ino, &inode)))
		return err;
	if (is_dir(inode.mode))
		return -EPERM;
	if (inode.links >= EXT2_LINK_MAX)
		return -EMLINK;
	if ((err = new_name_ok(fs, &dir, name, namelen)) ||
	    (err = ext2_dir_add(fs, &dir, name, namelen, ino, inode.mode)))
		return err;
	inode.links++;
	inode.ctime = ext2_now(fs);
	return ext2_write_inode(fs, &inode);
}

/* Looks name up in dir and reads its inode. */
static int
lookup_inode(struct ext2_fs *fs, const struct ext2_inode_info *dir, const char *name, size_t len,
	     struct ext2_inode_info *out)
{
	uint32_t ino;
	int err = ext2_lookup(fs, dir, name, len, &ino);

	return err ? err : ext2_read_inode(fs, ino, out);
}

/* Removes a name of a non-directory. See ext2_write.h. */
int
ext2_unlink(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t namelen, uint32_t *ino)
{
	struct ext2_inode_info dir, inode;
	uint32_t gone;
	int err;

	if ((err = read_dir(fs, dir_ino, &dir)) || (err = lookup_inode(fs, &dir, name, namelen, &inode)))
		return err;
	if (is_dir(inode.mode))
		return -EISDIR;
	if ((err = ext2_dir_remove(fs, &dir, name, namelen, &gone)))
		return err;
	inode.links -= inode.links ? 1 : 0;
	inode.ctime = ext2_now(fs);
	*ino = inode.ino;
	return ext2_write_inode(fs, &inode);
}

/* Removes an empty directory. See ext2_write.h. */
int
ext2_rmdir(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t namelen, uint32_t *ino)
{
	struct ext2_inode_info dir, victim;
	uint32_t gone;
	int err;

	if (namelen == 1 && name[0] == '.')
		return -EINVAL;                 /* Linux: rmdir(".") */
	if (namelen == 2 && name[0] == '.' && name[1] == '.')
		return -ENOTEMPTY;              /* Linux: rmdir("..") */
	if ((err = read_dir(fs, dir_ino, &dir)) || (err = lookup_inode(fs, &dir, name, namelen, &victim)))
		return err;
	if (!is_dir(victim.mode))
		return -ENOTDIR;
	if ((err = ext2_dir_is_empty(fs, &victim)) <= 0)
		return err ? err : -ENOTEMPTY;
	if ((err = ext2_dir_remove(fs, &dir, name, namelen, &gone)))
		return err;
	victim.links = 0;
	victim.ctime = ext2_now(fs);
	dir.links--;                            /* victim's ".." */
	*ino = victim.ino;
	if ((err = ext2_write_inode(fs, &victim)))
		return err;
	return ext2_write_inode(fs, &dir);
}

/* Is directory dir_ino ino itself or below it? Walks ".." up to the root. */
static int
is_within(struct ext2_fs *fs, uint32_t dir_ino, uint32_t ino)
{
	struct ext2_inode_info cur;
	int err;

	for (uint32_t steps = 0; steps < fs->inodes_count; steps++) {
		if (dir_ino == ino)
			return 1;
		if (dir_ino == EXT2_ROOT_INO)
			return 0;
		if ((err = read_dir(fs, dir_ino, &cur)) || (err = ext2_lookup(fs, &cur, "..", 2, &dir_ino)))
			return err;
	}
	REPORT(fs, "directory inode %u: its \"..\" chain does not reach the root", ino);
	return -EUCLEAN;
}

/* May old (inode oi) replace the existing new (ni)? Linux's checks. */
static int
replace_ok(struct ext2_fs *fs, const struct ext2_inode_info *oi, const struct ext2_inode_info *ni)
{
	int empty;

	if (is_dir(oi->mode) && !is_dir(ni->mode))
		return -ENOTDIR;
	if (!is_dir(oi->mode) && is_dir(ni->mode))
		return -EISDIR;
	if (!is_dir(ni->mode))
		return 0;
	empty = ext2_dir_is_empty(fs, ni);
	return empty < 0 ? empty : empty ? 0 : -ENOTEMPTY;
}

/*
 * Renames; od and nd may be the same struct (one directory). The checks
 * all come before the first write.
 */
static int
do_rename(struct ext2_fs *fs, struct ext2_inode_info *od, const char *oname, size_t olen,
	  struct ext2_inode_info *nd, const char *nname, size_t nlen, uint32_t *replaced)
{
	struct ext2_inode_info oi, ni;
	bool exists, moves_dir;
	uint32_t gone;
	int err;

	if (is_dot_or_dotdot(oname, olen) || is_dot_or_dotdot(nname, nlen))
		return -EINVAL;
	if (nlen > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	if ((err = lookup_inode(fs, od, oname, olen, &oi)))
		return err;
	err = lookup_inode(fs, nd, nname, nlen, &ni);
	if (err && err != -ENOENT)
		return err;
	exists = err == 0;
	if (exists && ni.ino == oi.ino)
		return 0;                       /* two names of one file: Linux does nothing */
	moves_dir = is_dir(oi.mode) && od->ino != nd->ino;
	if (is_dir(oi.mode) && (err = is_within(fs, nd->ino, oi.ino)) != 0)
		return err < 0 ? err : -EINVAL;
	if (exists && (err = replace_ok(fs, &oi, &ni)))
		return err;
	if (moves_dir && !exists && nd->links >= EXT2_LINK_MAX)
		return -EMLINK;

	/* The new name first, so the file is never without one. */
	if (exists)
		err = ext2_dir_retarget(fs, nd, nname, nlen, oi.ino, oi.mode);
	else
		err = ext2_dir_add(fs, nd, nname, nlen, oi.ino, oi.mode);
	if (err || (err = ext2_dir_remove(fs, od, oname, olen, &gone)))
		return err;
	if (moves_dir) {
		if ((err = ext2_dir_retarget(fs, &oi, "..", 2, nd->ino, EXT2_S_IFDIR)))
			return err;
		od->links--;
		nd->links++;
	}
	if (exists) {
		/* A replaced directory is gone whole, and its ".." no longer counts in nd. */
		ni.links = is_dir(ni.mode) ? 0 : ni.links - 1;
		if (is_dir(ni.mode))
			nd->links--;
		ni.ctime = ext2_now(fs);
		*replaced = ni.ino;
		if ((err = ext2_write_inode(fs, &ni)))
			return err;
	}
	oi.ctime = ext2_now(fs);
	if ((err = ext2_write_inode(fs, &oi)) || (err = ext2_write_inode(fs, od)))
		return err;
	return od == nd ? 0 : ext2_write_inode(fs, nd);
}

/* rename(2). See ext2_write.h. */
int
ext2_rename(struct ext2_fs *fs, uint32_t old_dir, const char *old_name, size_t old_len,
	    uint32_t new_dir, const char *new_name, size_t new_len, uint32_t *replaced)
{
	struct ext2_inode_info od, nd;
	int err;

	*replaced = 0;
	if ((err = read_dir(fs, old_dir, &od)) || (err = read_dir(fs, new_dir, &nd)))
		return err;
	return do_rename(fs, &od, old_name, old_len, old_dir == new_dir ? &od : &nd, new_name, new_len,
			 replaced);
}
