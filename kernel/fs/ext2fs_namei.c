/*
 * kernel/fs/ext2fs_namei.c - ext2's names in the kernel: open with
 * O_CREAT, mkdir, rmdir, unlink, rename, link, symlink, chmod, and the
 * mount's read-write state. The VFS (kernel/fs/vfs.c, vfs_readonly.c)
 * has resolved the path, followed the links and made Linux's checks
 * that need no file system (EXDEV, EBUSY for a mount point, ...); it
 * hands us a path inside the file system ("a/b/c").
 *
 * Each call splits the path into its directory and last name, asks the
 * on-disk writer (kernel/fs/ext2_namei_write.c) and then:
 *   - reads again the in-memory inodes the call changed on disk (a
 *     directory's size and links, a file's link count), so an open file
 *     and fstat see the truth;
 *   - forgets the path lookup's memo (kernel/fs/ext2fs.c);
 *   - writes the metadata cache (write-through: on the disk when the
 *     call returns);
 *   - deletes an inode that lost its last name, unless it is open
 *     (then its last close does: kernel/fs/ext2fs_file.c).
 *
 * Modes: pagoda has no umask, and fs_type's open and mkdir carry no
 * mode; new files are 0644 and directories 0755, what Linux makes of
 * open(0666) and mkdir(0777) under the usual umask 022.
 */
#include "kernel/fs/ext2fs.h"
#include "kernel/errno.h"
#include "kernel/fs/bcache.h"
#include "kernel/fs/ext2_write.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/uapi.h"
#include "mm/writeback.h"

#define NEW_FILE_MODE 0644
#define NEW_DIR_MODE  0755

static bool writable_now;          /* the disk is marked in use (not clean) */

/* A path's directory inode and last name. -ENOENT, -ENOTDIR, ... */
static int
split(const char *rel, uint32_t *dir, const char **name, size_t *len)
{
	char parent[PATH_ABS];
	const char *slash = NULL;
	int err = 0;

	for (const char *p = rel; *p; p++)
		if (*p == '/')
			slash = p;

	*dir = EXT2_ROOT_INO;
	*name = slash ? slash + 1 : rel;
	*len = strlen(*name);
	if (slash) {
		if ((size_t)(slash - rel) >= sizeof(parent))
			return -ENAMETOOLONG;
		memcpy(parent, rel, (size_t)(slash - rel));
		parent[slash - rel] = '\0';
		err = ext2_namei(ext2fs_fs(), EXT2_ROOT_INO, parent, dir);
	}
	return err ? err : *len == 0 ? -EEXIST : 0;       /* "": the top directory exists */
}

/*
 * The end of every change: in-memory copies of the inodes it touched
 * read again (0 skipped), the lookup memo forgotten, metadata written.
 */
static int
finish(int err, uint32_t a, uint32_t b, uint32_t c)
{
	ext2fs_forget_walk();
	ext2fs_refresh(a);
	ext2fs_refresh(b);
	ext2fs_refresh(c);
	int serr = bcache_sync();
	return err ? err : serr;
}

/* An inode that may have lost its last name: deleted now unless open. */
static void
maybe_delete(uint32_t ino)
{
	struct inode *inode;

	if (ino && ext2fs_iget(ino, &inode) == 0)
		ext2fs_put_inode(inode);
}

static bool
opens_to_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

/* How ext2_create and ext2_mkdir make a new inode named name in dir. */
typedef int (*make_fn)(struct ext2_fs *fs, uint32_t dir, const char *name, size_t namelen,
		       uint16_t mode, uint32_t *ino);

/* Makes rel a new inode of the given mode with make (a file or a directory). */
static int
make_name(const char *rel, make_fn make, uint16_t mode)
{
	uint32_t dir, ino = 0;
	const char *name;
	size_t len;
	int err;

	down_write(&ext2fs_lock);
	err = split(rel, &dir, &name, &len);
	if (!err)
		err = make(ext2fs_fs(), dir, name, len, mode, &ino);
	err = finish(err, dir, 0, 0);
	up_write(&ext2fs_lock);
	return err;
}

/* Creates rel as an empty regular file. */
static int
create(const char *rel)
{
	return make_name(rel, ext2_create, S_IFREG | NEW_FILE_MODE);
}

/*
 * open(2) of rel: O_CREAT makes a missing file (-EROFS if !writable),
 * O_EXCL refuses an existing one; writing needs writable (-EROFS). A
 * link not followed (O_NOFOLLOW) is -ELOOP.
 */
int
ext2fs_open(const char *rel, int flags, bool writable, struct file **out)
{
	struct inode *inode;
	int err = ext2fs_lookup(ext2fs_root_ino(), rel, &inode);

	if (err == 0 && (flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (err == -ENOENT && (flags & O_CREAT)) {
		if (!writable)
			return -EROFS;
		if ((err = create(rel)) == 0)
			err = ext2fs_lookup(ext2fs_root_ino(), rel, &inode);
	}
	if (err)
		return err;
	if ((inode->e2.mode & S_IFMT) == S_IFLNK)
		return -ELOOP;
	if (!writable && opens_to_write(flags) && (inode->e2.mode & S_IFMT) != S_IFDIR)
		return -EROFS;
	return ext2fs_open_inode(inode, flags, out);
}

int
ext2fs_mkdir(const char *rel)
{
	return make_name(rel, ext2_mkdir, NEW_DIR_MODE);
}

/* rmdir and unlink: the name goes, then its inode if that was its last name. */
static int
remove_name(const char *rel, bool dir_wanted)
{
	uint32_t dir, ino = 0;
	const char *name;
	size_t len;
	int err;

	down_write(&ext2fs_lock);
	err = split(rel, &dir, &name, &len);
	if (!err && dir_wanted)
		err = ext2_rmdir(ext2fs_fs(), dir, name, len, &ino);
	else if (!err)
		err = ext2_unlink(ext2fs_fs(), dir, name, len, &ino);
	err = finish(err, dir, ino, 0);
	if (!err)
		maybe_delete(ino);
	up_write(&ext2fs_lock);
	return err;
}

int
ext2fs_rmdir(const char *rel)
{
	return remove_name(rel, true);
}

int
ext2fs_unlink(const char *rel)
{
	return remove_name(rel, false);
}

int
ext2fs_rename(const char *old_rel, const char *new_rel)
{
	uint32_t od = 0, nd = 0, moved = 0, replaced = 0;
	const char *on, *nn;
	size_t ol, nl;
	int err;

	down_write(&ext2fs_lock);
	err = split(old_rel, &od, &on, &ol);
	if (!err)
		err = split(new_rel, &nd, &nn, &nl);
	if (!err) {
		struct ext2_inode_info dir;
		/* The moved inode: its ctime and maybe its ".." change. */
		if (ext2_read_inode(ext2fs_fs(), od, &dir) == 0)
			ext2_lookup(ext2fs_fs(), &dir, on, ol, &moved);
		err = ext2_rename(ext2fs_fs(), od, on, ol, nd, nn, nl, &replaced);
	}
	err = finish(err, od, nd, moved);
	ext2fs_refresh(replaced);
	if (!err)
		maybe_delete(replaced);
	up_write(&ext2fs_lock);
	return err;
}

int
ext2fs_link(const char *old_rel, const char *new_rel)
{
	uint32_t ino = 0, dir = 0;
	const char *name;
	size_t len;
	int err;

	down_write(&ext2fs_lock);
	err = ext2_namei(ext2fs_fs(), EXT2_ROOT_INO, old_rel[0] ? old_rel : "/", &ino);
	if (!err)
		err = split(new_rel, &dir, &name, &len);
	if (!err)
		err = ext2_link(ext2fs_fs(), dir, name, len, ino);
	err = finish(err, dir, ino, 0);
	up_write(&ext2fs_lock);
	return err;
}

int
ext2fs_symlink(const char *target, const char *rel)
{
	uint32_t dir = 0, ino;
	const char *name;
	size_t len;
	int err;

	down_write(&ext2fs_lock);
	err = split(rel, &dir, &name, &len);
	if (!err)
		err = ext2_symlink(ext2fs_fs(), dir, name, len, target, strlen(target), &ino);
	err = finish(err, dir, 0, 0);
	up_write(&ext2fs_lock);
	return err;
}

/* chmod(2): the permission bits change, the type stays; ctime. */
int
ext2fs_chmod(const char *rel, uint32_t mode)
{
	struct inode *inode;
	int err;

	down_write(&ext2fs_lock);
	err = ext2fs_lookup(ext2fs_root_ino(), rel[0] ? rel : "/", &inode);
	if (!err) {
		inode->e2.mode = (uint16_t)((inode->e2.mode & S_IFMT) | (mode & 07777));
		inode->e2.ctime = ext2_now(ext2fs_fs());
		err = ext2_write_inode(ext2fs_fs(), &inode->e2);
	}
	err = finish(err, 0, 0, 0);
	up_write(&ext2fs_lock);
	return err;
}

/* Is the disk open for writing? (A file opened to write before `remount,ro` is refused then.) */
bool
ext2fs_writable(void)
{
	return writable_now;
}

/*
 * The mount becomes writable (the superblock says "in use", as Linux's
 * ext2 on a read-write mount) or read-only again (everything written:
 * dirty pages, then metadata, then "clean": e2fsck -n on the image finds nothing to say). Returns 0,
 * or -EROFS when the disk cannot be written (features we do not keep).
 */
int
ext2fs_set_writable(bool writable)
{
	int err = 0;

	if (writable == writable_now)
		return 0;
	if (writable)
		ext2fs_writeback_init();
	else
		writeback_sync_all();         /* dirty pages first: they take no lock (ext2fs_writeback.c) */
	down_write(&ext2fs_lock);
	if (writable)
		err = ext2_mount_rw(ext2fs_fs());
	else if ((err = bcache_sync()) == 0)
		err = ext2_unmount_clean(ext2fs_fs());
	if (!err)
		err = bcache_sync();
	if (!err)
		writable_now = writable;
	up_write(&ext2fs_lock);
	if (!err)
		pr_info("ext2: %s: %s\n", ext2fs_root_device(),
			writable ? "mounted read-write" : "clean, read-only");
	return err;
}
