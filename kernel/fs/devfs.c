/*
 * kernel/fs/devfs.c - /dev: the device files every Unix program expects.
 *
 *   null     reads nothing, swallows every write
 *   zero     reads zero bytes, swallows writes
 *   full     reads zero bytes, every write fails with ENOSPC
 *   random, urandom   pseudo-random bytes (kernel/x86.h; not cryptographic)
 *   tty, console      the console terminal (kernel/tty.c)
 *   shm      a directory, where tmpfs is mounted (POSIX shared memory's home)
 *   hda, hda1, vda, vdb, ...   the disks and their partitions (drivers/blk.c),
 *            as block devices: read-only here, so that `dd` and `hexdump`
 *            can look at the disk under the mounted ext2 and the swap area
 *            without a stray write corrupting them
 *
 * Linux builds /dev from the devices its drivers find (devtmpfs, then
 * udev); this one is the same idea with a fixed list, plus whatever disks
 * drivers/blk.c has. The device numbers are Linux's (major 1 for the
 * memory devices, 5 for tty and console, 3 for the first IDE channel,
 * 254 for virtio-blk, which Linux gives a dynamic major).
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/mount.h"
#include "kernel/string.h"
#include "kernel/tty.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "drivers/blk.h"
#include "mm/heap.h"

#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6

static long
read_nothing(struct file *f, void *buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return 0;
}

static long
read_zeroes(struct file *f, void *buf, size_t len)
{
	(void)f;
	memset(buf, 0, len);
	return (long)len;
}

static long
read_random(struct file *f, void *buf, size_t len)
{
	(void)f;
	pseudo_random_bytes(buf, len);
	return (long)len;
}

static long
write_swallow(struct file *f, const void *buf, size_t len)
{
	(void)f, (void)buf;
	return (long)len;
}

static long
write_full(struct file *f, const void *buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return -ENOSPC;
}

static const struct file_ops null_ops = { .read = read_nothing, .write = write_swallow };
static const struct file_ops zero_ops = { .read = read_zeroes, .write = write_swallow };
static const struct file_ops full_ops = { .read = read_zeroes, .write = write_full };
static const struct file_ops random_ops = { .read = read_random, .write = write_swallow };

struct char_dev {
	const char *name;
	const struct file_ops *ops;      /* NULL: the console terminal */
	unsigned major, minor;
};

static const struct char_dev char_devs[] = {
	{ "null", &null_ops, 1, 3 },
	{ "zero", &zero_ops, 1, 5 },
	{ "full", &full_ops, 1, 7 },
	{ "random", &random_ops, 1, 8 },
	{ "urandom", &random_ops, 1, 9 },
	{ "tty", NULL, 5, 0 },
	{ "console", NULL, 5, 1 },
};

static const struct char_dev *
find_char_dev(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(char_devs); i++)
		if (strcmp(char_devs[i].name, name) == 0)
			return &char_devs[i];
	return NULL;
}

/* Block devices: reads of whole sectors through a bounce buffer, any offset and length. */
static long
blkdev_read(struct file *f, void *buf, size_t len)
{
	struct blk_device *dev = f->priv;
	uint64_t first = f->offset / SECTOR_SIZE, skip = f->offset % SECTOR_SIZE;
	size_t nsect;
	char *bounce;
	int err;

	if (f->offset >= f->size)
		return 0;
	len = MIN(len, f->size - f->offset);
	nsect = (skip + len + SECTOR_SIZE - 1) / SECTOR_SIZE;
	bounce = kmalloc(nsect * SECTOR_SIZE);
	if (!bounce)
		return -ENOMEM;
	err = blk_rw(dev, BLK_READ, first, bounce, nsect * SECTOR_SIZE);
	if (!err) {
		memcpy(buf, bounce + skip, len);
		f->offset += len;
	}
	kfree(bounce);
	return err ? err : (long)len;
}

static long
blkdev_write(struct file *f, const void *buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return -EPERM;                  /* read-only here: see the top of this file */
}

static const struct file_ops blkdev_ops = { .read = blkdev_read, .write = blkdev_write };

static int devfs_getdents(struct file *f, void *kbuf, size_t size);

static int
no_entries(struct file *f, void *kbuf, size_t size)
{
	(void)f, (void)kbuf, (void)size;
	return 0;
}

static const struct file_ops dir_ops = { .getdents = devfs_getdents };
static const struct file_ops shm_dir_ops = { .getdents = no_entries };   /* tmpfs unmounted from it */

/* Is rel a directory: /dev itself, or shm (empty below its tmpfs)? */
static bool
is_dir(const char *rel)
{
	return !rel[0] || strcmp(rel, "shm") == 0;
}

static int
devfs_open(struct mount *m, const char *rel, int flags, struct file **out)
{
	const struct char_dev *cd = find_char_dev(rel);
	struct blk_device *bd = cd || is_dir(rel) ? NULL : blk_find(rel);
	struct file *f;

	(void)m;
	if (is_dir(rel))
		f = file_alloc(rel[0] ? &shm_dir_ops : &dir_ops, flags, S_IFDIR | (rel[0] ? 01777 : 0755));
	else if (cd && !cd->ops)
		f = tty_open();
	else if (cd)
		f = file_alloc(cd->ops, flags, S_IFCHR | 0666);
	else if (bd)
		f = file_alloc(&blkdev_ops, flags, S_IFBLK | 0660);
	else
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if (!f)
		return -ENOMEM;
	if (bd) {
		f->priv = bd;
		f->size = bd->nsectors * SECTOR_SIZE;
	}
	*out = f;
	return 0;
}

static int
devfs_stat(struct mount *m, const char *rel, struct stat *st)
{
	const struct char_dev *cd = find_char_dev(rel);
	struct blk_device *bd = cd || is_dir(rel) ? NULL : blk_find(rel);
	unsigned major = 0, minor = 0;

	(void)m;
	if (!is_dir(rel) && !cd && !bd)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_mode = is_dir(rel) ? S_IFDIR | (rel[0] ? 01777 : 0755) :
		      cd ? S_IFCHR | (cd->ops ? 0666 : 0620) : S_IFBLK | 0660;
	if (cd)
		major = cd->major, minor = cd->minor;
	if (bd) {
		blk_devt(bd, &major, &minor);
		st->st_size = (int64_t)(bd->nsectors * SECTOR_SIZE);
	}
	st->st_rdev = ((uint64_t)major << 8) | minor;     /* Linux's old encoding: fine below 256 */
	return 0;
}

struct nth_blk {
	uint64_t want, seen;
	struct blk_device *found;
};

static void
count_blk(struct blk_device *dev, void *arg)
{
	struct nth_blk *n = arg;

	if (n->seen++ == n->want)
		n->found = dev;
}

/*
 * Entry i of /dev: ".", "..", "shm" (where tmpfs is mounted: kernel/fs/vfs.c),
 * the character devices, then the disks. NULL past the end.
 */
static const char *
entry_name(uint64_t i, uint8_t *type)
{
	struct nth_blk n = { 0, 0, NULL };

	*type = DT_DIR;
	if (i < 3)
		return i == 0 ? "." : i == 1 ? ".." : "shm";
	*type = DT_CHR;
	if (i - 3 < ARRAY_SIZE(char_devs))
		return char_devs[i - 3].name;
	n.want = i - 3 - ARRAY_SIZE(char_devs);
	blk_for_each(count_blk, &n);
	*type = DT_BLK;
	return n.found ? n.found->name : NULL;
}

/* getdents64: entries from f->offset (an entry number) on. Returns bytes. */
static int
devfs_getdents(struct file *f, void *kbuf, size_t size)
{
	size_t used = 0;
	const char *name;
	uint8_t type;

	while ((name = entry_name(f->offset, &type)) != NULL &&
	       dirent_put(kbuf, size, &used, f->offset + 1, (int64_t)f->offset + 1, type, name))
		f->offset++;
	return used == 0 && name ? -EINVAL : (int)used;
}

/* Mounted at /dev by kernel/fs/vfs.c. */
const struct fs_type devfs_fs_type = {
	.name = "devtmpfs",
	.open = devfs_open,
	.stat = devfs_stat,
};
