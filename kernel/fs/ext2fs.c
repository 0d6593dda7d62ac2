/*
 * kernel/fs/ext2fs.c - ext2 as the kernel uses it: mounting the root disk,
 * inodes in memory, and reading file data through the page cache.
 *
 * kernel/fs/ext2.c and ext2_dir.c know the on-disk format and nothing
 * else (they are tested on the host); this file connects them to the rest
 * of the kernel:
 *
 *   read(fd) --> ext2_file_read --> pagecache_get_page(inode, index)
 *                                     | not cached: ext2_readpage
 *                                     v
 *                  ext2_bmap (file block -> disk block) --> blk_rw --> driver
 *
 * Metadata (superblock, inodes, directories, indirect blocks) goes
 * through the block cache (kernel/fs/bcache.c), file data through the
 * page cache. Writing is kernel/fs/ext2fs_file.c (file data, truncate)
 * and kernel/fs/ext2fs_namei.c (names: create, mkdir, rename, ...).
 */
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/vfs.h"
#include "drivers/blk.h"
#include "drivers/timer.h"
#include "kernel/fs/bcache.h"
#include "mm/writeback.h"
#include "kernel/fs/ext2_write.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "mm/evict.h"
#include "mm/heap.h"
#include "mm/pmm.h"

static struct ext2_fs fs;
static struct blk_device *root_dev;
static struct list_head inodes = LIST_HEAD_INIT(inodes);

/*
 * ext2_dev.read: any byte range, through a sector-aligned bounce buffer.
 * Returns 0, -EIO, or -ENOMEM when there is no memory for the buffer.
 */
static int
disk_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct blk_device *dev = ctx;
	char *bounce = kmalloc(PAGE_SIZE);
	int err = bounce ? 0 : -ENOMEM;

	while (!err && len > 0) {
		uint64_t sector = off >> SECTOR_SHIFT;
		size_t skip = off & (SECTOR_SIZE - 1);
		size_t chunk = MIN(len, PAGE_SIZE - skip);
		size_t bytes = ALIGN_UP(skip + chunk, SECTOR_SIZE);
		err = blk_rw(dev, BLK_READ, sector, bounce, bytes);
		if (!err) {
			memcpy(buf, bounce + skip, chunk);
			buf = (char *)buf + chunk;
			off += chunk;
			len -= chunk;
		}
	}
	kfree(bounce);
	return err == -ENOMEM ? err : err ? -EIO : 0;
}

static void
report(void *ctx, const char *msg)
{
	pr_err("ext2: %s: %s\n", ((struct blk_device *)ctx)->name, msg);
}

/* ext2_dev's metadata reads and writes: through the block cache. */
static int
meta_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return bcache_read(off, buf, len);
}

static int
meta_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return bcache_write(off, buf, len);
}

/* A freed block: the cache's copy goes (the block may come back as file data). */
static void
meta_forget(void *ctx, uint64_t block)
{
	bcache_forget(block);
}

static uint32_t
wall_clock(void *ctx)
{
	return (uint32_t)(timer_realtime_ns() / 1000000000ull);
}

static int
try_mount(struct blk_device *dev)
{
	struct ext2_dev d = { .ctx = dev, .read = meta_read, .report = report,
			      .write = meta_write, .forget = meta_forget, .now = wall_clock };
	int err;

	bcache_init(dev, 1024);                 /* the superblock's size, until we know the block size */
	err = ext2_mount(&fs, &d);
	if (!err) {
		bcache_init(dev, fs.block_size);
		root_dev = dev;
		pr_info("ext2: %s: mounted as / (%u-byte blocks, %u inodes, label \"%s\")\n",
			dev->name, fs.block_size, fs.inodes_count, fs.volume_name);
	}
	return err;
}

/*
 * Mounts the root file system from devname (root=), or else from the first
 * partition of the first disk. Returns 0, -ENODEV, or ext2_mount's error.
 */
int
ext2fs_mount_root(const char *devname)
{
	struct blk_device *disk = blk_first_disk(), *dev;
	char name[BLK_NAME_LEN + 2];

	if (devname) {
		dev = blk_find(devname);
		if (!dev) {
			pr_err("ext2: root=%s: no such device\n", devname);
			return -ENODEV;
		}
		return try_mount(dev);
	}
	if (!disk)
		return -ENODEV;
	strlcpy(name, disk->name, sizeof(name));
	strlcpy(name + strlen(name), "1", 2);
	dev = blk_find(name);
	return try_mount(dev ? dev : disk);
}

bool
ext2fs_mounted(void)
{
	return root_dev != NULL;
}

/*
 * Whether the block device named name holds ext2's superblock: the magic
 * 0xEF53, 56 bytes into the superblock at byte 1024 (mount(2) tells a disk
 * of another format, EINVAL, from a second ext2, which it cannot mount).
 */
bool
ext2fs_device_has_superblock(const char *name)
{
	struct blk_device *dev = blk_find(name);
	uint16_t magic = 0;

	return dev && disk_read(dev, SUPERBLOCK_OFFSET + 56, &magic, sizeof(magic)) == 0 && magic == EXT2_MAGIC;
}

/* statfs(2) of the root: ext2_statfs() of the mounted disk. 0, -ENODEV (none), -EIO. */
int
ext2fs_statfs(struct ext2_usage *out)
{
	return root_dev ? ext2_statfs(&fs, out) : -ENODEV;
}

uint32_t
ext2fs_root_ino(void)
{
	return EXT2_ROOT_INO;
}

/* The root's block device ("vda1"), or NULL before it is mounted. */
const char *
ext2fs_root_device(void)
{
	return root_dev ? root_dev->name : NULL;
}

/* Fills a locked page with the file's data: block by block, runs in one request. */
static int
ext2_readpage(struct address_space *mapping, struct page *page)
{
	struct inode *inode = mapping->host;
	uint32_t bs = fs.block_size, per_page = PAGE_SIZE / bs;
	uint64_t first = page->index * per_page;
	char *data = page_address(page);

	memset(data, 0, PAGE_SIZE);
	for (uint32_t i = 0; i < per_page;) {
		if ((first + i) * bs >= inode->e2.size)
			break;
		int64_t blk = ext2_bmap(&fs, &inode->e2, first + i);
		if (blk < 0)
			return (int)blk;
		if (blk == 0) {
			/* A hole: ext2_read_data() gives its zeros - or -EUCLEAN
			 * when the inode's size is not believable. */
			int64_t n = ext2_read_data(&fs, &inode->e2, (first + i) * bs, data + i * bs, bs);
			if (n < 0)
				return (int)n;
			i++;
			continue;
		}
		uint32_t run = 1;            /* neighbours on disk: one request */
		while (i + run < per_page && (first + i + run) * bs < inode->e2.size &&
		       ext2_bmap(&fs, &inode->e2, first + i + run) == blk + run)
			run++;
		int err = blk_rw(root_dev, BLK_READ, (uint64_t)blk * (bs / SECTOR_SIZE),
				 data + i * bs, run * bs);
		if (err) {
			pr_err("ext2: %s: read error in blocks %ld-%ld (inode %u): %d\n", root_dev->name,
			       blk, blk + run - 1, inode->e2.ino, err);
			return err;
		}
		i += run;
	}
	/* Bytes past the end of the file stay zero (mmap will show them). */
	if ((page->index + 1) * PAGE_SIZE > inode->e2.size && page->index * PAGE_SIZE < inode->e2.size)
		memset(data + (inode->e2.size - page->index * PAGE_SIZE), 0,
		       PAGE_SIZE - (inode->e2.size - page->index * PAGE_SIZE));
	return 0;
}

static const struct address_space_ops ext2_aops = {
	.readpage = ext2_readpage,
	.writepage = ext2fs_writepage,       /* kernel/fs/ext2fs_writeback.c */
	.end_writepages = ext2fs_end_writepages,
	.page_mkwrite = ext2fs_page_mkwrite, /* kernel/fs/ext2fs_file.c */
};

/* The mounted file system, for the writer's files (kernel/fs/ext2fs_*.c). */
struct ext2_fs *
ext2fs_fs(void)
{
	return &fs;
}

struct blk_device *
ext2fs_blk(void)
{
	return root_dev;
}

/* The in-memory inode ino if it is in memory, else NULL. */
struct inode *
ext2fs_find_inode(uint32_t ino)
{
	struct list_head *pos;

	list_for_each(pos, &inodes) {
		struct inode *inode = list_entry(pos, struct inode, link);
		if (inode->e2.ino == ino)
			return inode;
	}
	return NULL;
}

/*
 * An inode changed on disk under its in-memory copy (a link count, a
 * directory's size): read it again. 0 or -errno.
 */
int
ext2fs_refresh(uint32_t ino)
{
	struct inode *inode = ext2fs_find_inode(ino);

	return inode ? ext2_read_inode(&fs, ino, &inode->e2) : 0;
}

/* Forgets the in-memory inode of a deleted file: its pages go (nobody may use them). */
void
ext2fs_forget_inode(struct inode *inode)
{
	writeback_forget_mapping(&inode->mapping);   /* its dirty data has nowhere to go now */
	pagecache_drop_all(&inode->mapping);
	if (inode->mapping.nrpages)
		pr_warn("ext2: inode %u deleted with %lu pages in use\n", inode->e2.ino,
			inode->mapping.nrpages);
	else
		pagecache_release_mapping(&inode->mapping);
	list_del(&inode->link);
	if (inode->mapping.nrpages == 0)
		kfree(inode);
}

/* The in-memory inode for ino, read from disk the first time. */
int
ext2fs_iget(uint32_t ino, struct inode **out)
{
	struct list_head *pos;
	struct inode *inode;
	int err;

	list_for_each(pos, &inodes) {
		inode = list_entry(pos, struct inode, link);
		if (inode->e2.ino == ino) {
			*out = inode;
			return 0;
		}
	}
	inode = kzalloc(sizeof(*inode));
	if (!inode)
		return -ENOMEM;
	err = ext2_read_inode(&fs, ino, &inode->e2);
	if (err) {
		kfree(inode);
		return err;
	}
	pagecache_init_mapping(&inode->mapping, &ext2_aops, inode);
	rwsem_init(&inode->rwsem);
	list_add(&inode->link, &inodes);
	*out = inode;
	return 0;
}

/*
 * Drops every cached page nobody uses and forgets the inodes left with no
 * pages, like Linux's "echo 3 > /proc/sys/vm/drop_caches". Returns the
 * number of pages dropped. Open files keep their inodes: call it when none
 * are open (tests/run checks the frame count after init exits).
 */
uint64_t
ext2fs_drop_caches(void)
{
	struct list_head *pos, *tmp;
	uint64_t dropped = 0;

	list_for_each_safe(pos, tmp, &inodes) {
		struct inode *inode = list_entry(pos, struct inode, link);
		dropped += pagecache_drop_all(&inode->mapping);
		if (inode->mapping.nrpages == 0 && inode->opens == 0) {
			pagecache_release_mapping(&inode->mapping);
			list_del(&inode->link);
			kfree(inode);
		}
	}
	bcache_drop_clean();
	return dropped;
}

/*
 * Drops every cached page nobody uses - no mapping, no reader - and keeps
 * the inodes, which open files point at: "echo 1 > /proc/sys/vm/drop_caches"
 * while programs run, and the clean metadata blocks (Linux's buffer heads
 * live in the page cache too). Dirty pages stay (pagecache_drop_all): their
 * data is not on the disk yet; each page dropped can be read again. Returns the number of pages dropped.
 * Never sleeps.
 */
uint64_t
ext2fs_drop_page_cache(void)
{
	struct list_head *pos;
	uint64_t dropped = 0;

	list_for_each(pos, &inodes)
		dropped += pagecache_drop_all(&list_entry(pos, struct inode, link)->mapping);
	bcache_drop_clean();
	return dropped;
}

/*
 * The last path ext2fs_find_link() walked to its end without meeting a
 * link, and the inode it names. Path lookup (kernel/fs/vfs_lookup.c) asks
 * find_link first, then the operation (open, stat, readlink) asks for that
 * very path: the second walk of the directories is saved. Every change
 * of a name forgets it (ext2fs_forget_walk), so what it holds stays true.
 */
static struct {
	char path[PATH_ABS];
	uint32_t ino;
} walked;

void
ext2fs_forget_walk(void)
{
	walked.ino = 0;
}

/* Resolves path (relative to start_ino unless absolute). */
int
ext2fs_lookup(uint32_t start_ino, const char *path, struct inode **out)
{
	uint32_t ino;
	int err;

	if (!root_dev)
		return -ENOENT;
	if (walked.ino && start_ino == EXT2_ROOT_INO && path[0] != '/' && strcmp(path, walked.path) == 0)
		return ext2fs_iget(walked.ino, out);
	err = ext2_namei(&fs, start_ino, path, &ino);
	return err ? err : ext2fs_iget(ino, out);
}

/*
 * The target of the symbolic link inode into buf (size bytes, no NUL
 * added): its whole length, of which min(length, size) bytes were copied;
 * -EINVAL if inode is not a link, -EUCLEAN, -EIO.
 */
static int
read_link(const struct ext2_inode_info *inode, char *buf, size_t size)
{
	int64_t n;

	if ((inode->mode & S_IFMT) != S_IFLNK)
		return -EINVAL;
	if (inode->size >= PATH_MAX)
		return -ENAMETOOLONG;               /* no target Linux could have written */
	n = ext2_read_data(&fs, inode, 0, buf, size);
	return n < 0 ? (int)n : (int)inode->size;
}

/* readlink(2) of path (absolute on the disk). -EINVAL: not a link. */
int
ext2fs_readlink(const char *path, char *buf, size_t size)
{
	struct inode *inode;
	int err = ext2fs_lookup(ext2fs_root_ino(), path, &inode);

	return err ? err : read_link(&inode->e2, buf, size);
}

/*
 * Path lookup's question (kernel/fs/vfs_lookup.c): the first symbolic
 * link along path (its last name too if last): its target into buf
 * (NUL-terminated), *end and the target's length; 0: none.
 */
int
ext2fs_find_link(const char *path, bool last, size_t *end, char *buf, size_t size)
{
	struct ext2_inode_info link;
	uint32_t ino = 0;
	int n = root_dev ? ext2_find_link(&fs, path, last, end, &ino) : 0;

	if (n == 0 && ino && strlen(path) < sizeof(walked.path)) {
		strlcpy(walked.path, path, sizeof(walked.path));
		walked.ino = ino;
	}
	if (n <= 0)
		return n;
	if ((n = ext2_read_inode(&fs, ino, &link)) != 0 || (n = read_link(&link, buf, size)) < 0)
		return n;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}

/* Regular files: read() copies from cached pages, reading them if needed. */
long
ext2fs_file_read(struct file *f, void *buf, size_t len)
{
	struct inode *inode = f->priv;
	size_t done = 0;

	while (done < len && f->offset < inode->e2.size) {
		uint64_t index = f->offset / PAGE_SIZE, in_page = f->offset % PAGE_SIZE;
		size_t chunk = MIN(len - done, PAGE_SIZE - in_page);
		int err;
		bool major;
		struct page *p = pagecache_get_page(&inode->mapping, index, &err, &major);

		chunk = MIN(chunk, inode->e2.size - f->offset);
		if (!p)
			return done ? (long)done : err;
		memcpy((char *)buf + done, (char *)page_address(p) + in_page, chunk);
		/* No PTE saw this use: tell the eviction policy - once per
		 * page for a file read in small pieces (from its start). */
		if (in_page == 0)
			evict_accessed(p);
		put_page(p);
		done += chunk;
		f->offset += chunk;
	}
	return (long)done;
}

static long
ext2_dir_read(struct file *f, void *buf, size_t len)
{
	return -EISDIR;
}

void
ext2fs_fstat(struct file *f, struct stat *st)
{
	ext2fs_fill_stat(f->priv, st);
}

static const struct file_ops ext2_dir_ops = {
	.read = ext2_dir_read, .getdents = ext2fs_getdents, .fstat = ext2fs_fstat,
	.release = ext2fs_release,
};

/*
 * An open file on inode: a directory here, a regular file by
 * kernel/fs/ext2fs_file.c (which can write). -EISDIR for a directory
 * opened to write, -ENOTDIR for O_DIRECTORY on a file.
 */
int
ext2fs_open_inode(struct inode *inode, int flags, struct file **out)
{
	bool dir = (inode->e2.mode & S_IFMT) == S_IFDIR;
	struct file *f;

	if (!dir && (flags & O_DIRECTORY))
		return -ENOTDIR;
	if (!dir)
		return ext2fs_open_file(inode, flags, out);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return -EISDIR;
	f = file_alloc(&ext2_dir_ops, flags, inode->e2.mode);
	if (!f)
		return -ENOMEM;
	f->priv = inode;
	f->size = inode->e2.size;
	f->ino = inode->e2.ino;
	inode->opens++;
	*out = f;
	return 0;
}

void
ext2fs_fill_stat(const struct inode *inode, void *kstat)
{
	struct stat *st = kstat;

	memset(st, 0, sizeof(*st));
	st->st_dev = 0x801;
	st->st_ino = inode->e2.ino;
	st->st_mode = inode->e2.mode;
	st->st_nlink = inode->e2.links;
	st->st_uid = inode->e2.uid;
	st->st_gid = inode->e2.gid;
	st->st_size = (int64_t)inode->e2.size;
	st->st_blksize = fs.block_size;
	st->st_blocks = inode->e2.blocks512;
	st->st_atime = inode->e2.atime;
	st->st_mtime = inode->e2.mtime;
	st->st_ctime = inode->e2.ctime;
}

struct dirent_buf {
	char *buf;
	size_t size, used;
};

static int
put_dirent(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t file_type)
{
	static const uint8_t dt[] = { 0, 8, 4, 2, 6, 1, 12, 10 };   /* EXT2_FT_* -> DT_* */
	struct dirent_buf *b = arg;
	size_t reclen = ALIGN_UP(sizeof(struct dirent64) + namelen + 1, 8);
	struct dirent64 *d = (struct dirent64 *)(b->buf + b->used);

	if (b->used + reclen > b->size)
		return 1;                      /* full: stop before this entry */
	d->d_ino = ino;
	d->d_off = 0;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = file_type < sizeof(dt) ? dt[file_type] : 0;
	memcpy(d->d_name, name, namelen);
	d->d_name[namelen] = '\0';
	b->used += reclen;
	return 0;
}

/* Fills kbuf with directory entries from f's position on. Returns bytes or -errno. */
int
ext2fs_getdents(struct file *f, void *kbuf, size_t size)
{
	struct inode *inode = f->priv;
	struct dirent_buf b = { kbuf, size, 0 };
	int r;

	if (f->ops != &ext2_dir_ops)
		return -ENOTDIR;
	r = ext2_readdir(&fs, &inode->e2, &f->offset, put_dirent, &b);
	if (r < 0)
		return r;
	if (r > 0 && b.used == 0)
		return -EINVAL;                /* the buffer cannot hold one entry */
	return (int)b.used;
}
