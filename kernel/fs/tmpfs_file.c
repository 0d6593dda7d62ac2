/*
 * kernel/fs/tmpfs_file.c - an open tmpfs file: read and write through its
 * shmem object (mm/shmem.c), the mount's size limit, truncate, fstat, and
 * a directory's entries. The names and the mount are kernel/fs/tmpfs.c's.
 */
#include "kernel/fs/tmpfs_internal.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/uapi.h"
#include "drivers/timer.h"
#include "mm/shmem.h"

/* Its times, now: the data's (mtime) if data, and always the node's (ctime). */
void
tmpfs_touch(struct tmpfs_node *n, bool data)
{
	n->ctime_ns = timer_realtime_ns();
	if (data)
		n->mtime_ns = n->ctime_ns;
}

/* After the file's size changed: the mount's count follows. */
void
tmpfs_recount(struct tmpfs_node *n)
{
	uint64_t now = n->data ? tmpfs_pages_of(shmem_size(n->data)) : 0;

	n->sb->used_pages = n->sb->used_pages - n->counted_pages + now;
	n->counted_pages = now;
}

static long
tmpfs_read(struct file *f, void *buf, size_t len)
{
	struct tmpfs_node *n = f->priv;
	long r = shmem_read(n->data, f->offset, buf, len);

	if (r > 0)
		f->offset += (uint64_t)r;
	return r;
}

/* How much of a write of len bytes at off fits under the mount's size limit. */
static size_t
room_for(struct tmpfs_node *n, uint64_t off, size_t len)
{
	uint64_t size = shmem_size(n->data), now = tmpfs_pages_of(size);
	uint64_t free_pages = n->sb->max_pages - n->sb->used_pages;

	if (off + len <= size || tmpfs_pages_of(off + len) - now <= free_pages)
		return len;
	if ((now + free_pages) * PAGE_SIZE <= off)
		return 0;
	return (size_t)((now + free_pages) * PAGE_SIZE - off);
}

static long
tmpfs_write(struct file *f, const void *buf, size_t len)
{
	struct tmpfs_node *n = f->priv;
	uint64_t old = shmem_size(n->data);
	size_t fits;
	long w;

	if (f->flags & O_APPEND)
		f->offset = old;
	fits = room_for(n, f->offset, len);
	if (fits == 0 && len > 0)
		return -ENOSPC;
	/* Held while the write sleeps, so that another writer sees them used. */
	n->sb->used_pages += tmpfs_pages_of(MAX(old, f->offset + fits)) - tmpfs_pages_of(old);
	w = shmem_write(n->data, f->offset, buf, fits);
	n->sb->used_pages -= tmpfs_pages_of(MAX(old, f->offset + fits)) - tmpfs_pages_of(old);
	tmpfs_recount(n);
	if (w > 0) {
		f->offset += (uint64_t)w;
		tmpfs_touch(n, true);
	}
	return w;
}

/* ftruncate(2) and O_TRUNC: -EFBIG, -ENOSPC (growing past size=), or 0. */
static int
tmpfs_truncate(struct file *f, uint64_t size)
{
	struct tmpfs_node *n = f->priv;
	uint64_t old = shmem_size(n->data);
	int err;

	if (size > old && tmpfs_pages_of(size) - tmpfs_pages_of(old) > n->sb->max_pages - n->sb->used_pages)
		return -ENOSPC;
	err = shmem_truncate(n->data, size);
	tmpfs_recount(n);
	tmpfs_touch(n, true);
	return err;
}

/* What stat(2) says of a node. */
void
tmpfs_node_stat(const struct tmpfs_node *n, struct stat *st)
{
	uint64_t size = n->data ? shmem_size(n->data) : n->target ? strlen(n->target) : 0;

	memset(st, 0, sizeof(*st));
	st->st_dev = 0x15;                 /* an anonymous device number, as Linux gives tmpfs */
	st->st_ino = n->ino;
	st->st_mode = n->mode;
	st->st_nlink = n->nlink;
	st->st_size = (int64_t)size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = n->data ? (int64_t)(tmpfs_pages_of(size) * (PAGE_SIZE / 512)) : 0;
	st->st_mtime = st->st_atime = n->mtime_ns / NSEC_PER_SEC;     /* no atime kept: noatime */
	st->st_mtime_nsec = st->st_atime_nsec = n->mtime_ns % NSEC_PER_SEC;
	st->st_ctime = n->ctime_ns / NSEC_PER_SEC;
	st->st_ctime_nsec = n->ctime_ns % NSEC_PER_SEC;
}

static void
tmpfs_fstat(struct file *f, struct stat *st)
{
	tmpfs_node_stat(f->priv, st);
}

static void
tmpfs_release(struct file *f)
{
	struct tmpfs_node *n = f->priv;

	n->sb->opens--;
	n->opens--;
	tmpfs_node_free_if_unused(n);
}

static int tmpfs_getdents(struct file *f, void *kbuf, size_t size);

static const struct file_ops tmpfs_file_ops = {
	.read = tmpfs_read, .write = tmpfs_write, .release = tmpfs_release, .fstat = tmpfs_fstat,
	.truncate = tmpfs_truncate,
};
static const struct file_ops tmpfs_dir_ops = {
	.getdents = tmpfs_getdents, .release = tmpfs_release, .fstat = tmpfs_fstat,
};

#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

/* getdents' d_type of a node. */
static uint8_t
dirent_type(const struct tmpfs_node *n)
{
	switch (n->mode & S_IFMT) {
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	default: return DT_DIR;
	}
}

/* getdents64: ".", "..", then the entries; f->offset counts entries. */
static int
tmpfs_getdents(struct file *f, void *kbuf, size_t size)
{
	struct tmpfs_node *dir = f->priv;
	struct list_head *pos = dir->children.next;
	size_t used = 0;

	for (uint64_t i = 0;; i++) {
		const struct tmpfs_dirent *d = NULL;
		const struct tmpfs_node *n = i == 0 || !dir->parent ? dir : dir->parent;
		const char *name = i == 0 ? "." : "..";
		if (i >= 2) {
			if (pos == &dir->children)
				break;
			d = list_entry(pos, struct tmpfs_dirent, sibling);
			pos = pos->next;
			n = d->node;
			name = d->name;
		}
		if (i < f->offset)
			continue;
		if (!dirent_put(kbuf, size, &used, n->ino, (int64_t)i + 1, dirent_type(n), name))
			return used ? (int)used : -EINVAL;
		f->offset = i + 1;
	}
	return (int)used;
}

int
tmpfs_open_node(struct tmpfs_node *n, int flags, struct file **out)
{
	bool dir = (n->mode & S_IFMT) == S_IFDIR;
	struct file *f;

	if (dir && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if (!dir && (flags & O_DIRECTORY))
		return -ENOTDIR;
	f = file_alloc(dir ? &tmpfs_dir_ops : &tmpfs_file_ops, flags, n->mode);
	if (!f)
		return -ENOMEM;
	f->priv = n;
	f->ino = n->ino;
	if (n->data) {
		f->mapping = &n->data->mapping;       /* MAP_SHARED maps the file's own pages */
		f->size = shmem_size(n->data);
	}
	n->opens++;
	n->sb->opens++;
	if (!dir && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY)
		tmpfs_truncate(f, 0);
	*out = f;
	return 0;
}
