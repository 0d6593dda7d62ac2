/*
 * kernel/fs/tmpfs.c - tmpfs: files that live only in memory, at /tmp and
 * /dev/shm, as Linux's.
 *
 * The names are a tree of nodes in the kernel heap; a file's data is a
 * shmem object (mm/shmem.c), the same swap-backed pages that shared
 * anonymous memory uses. So a tmpfs file is neither page cache (there is
 * no disk to drop it to and read it back from) nor anonymous memory (it
 * has a name and outlives the processes): under pressure its pages go to
 * swap and come back by (file, index). Mapping a file MAP_SHARED maps those
 * very pages.
 *
 * Each mount is an instance of its own (mount->sb) with a size limit,
 * `size=` as mount(2)'s option (bytes, with k, m, g or %% of RAM; Linux's
 * default is half of RAM). A file's pages count against it as far as its
 * size reaches: a write past the limit writes what fits, then ENOSPC.
 * An unlinked file keeps its data while it is open, as on every Unix.
 */
#include "kernel/fs/tmpfs.h"
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/list.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/shmem.h"

#define TMPFS_NAME_MAX 255

struct tmpfs_node {
	char name[TMPFS_NAME_MAX + 1];
	uint32_t mode;                     /* S_IFREG or S_IFDIR, and permissions */
	uint64_t ino;
	struct tmpfs_node *parent;         /* NULL for the root */
	struct list_head children;         /* a directory's entries */
	struct list_head sibling;          /* in parent->children */
	struct shmem_object *data;         /* a regular file's bytes */
	uint64_t counted_pages;            /* its size as the mount counts it, in pages */
	struct tmpfs_sb *sb;
	int opens;                         /* open files on it */
	bool unlinked;                     /* no name any more: goes with the last close */
};

struct tmpfs_sb {
	struct tmpfs_node *root;
	uint64_t max_pages;                /* size= */
	uint64_t used_pages;               /* the files' sizes, in pages */
	uint64_t next_ino;
	int opens;                         /* open files: umount is EBUSY while any is */
};

static uint64_t
pages_of(uint64_t bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
}

static struct tmpfs_node *
node_alloc(struct tmpfs_sb *sb, const char *name, uint32_t mode)
{
	struct tmpfs_node *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	strlcpy(n->name, name, sizeof(n->name));
	n->mode = mode;
	n->ino = sb->next_ino++;
	n->sb = sb;
	list_init(&n->children);
	list_init(&n->sibling);
	if ((mode & S_IFMT) == S_IFREG && !(n->data = shmem_create(0))) {
		kfree(n);
		return NULL;
	}
	return n;
}

/* After the file's size changed: the mount's count follows. */
static void
recount(struct tmpfs_node *n)
{
	uint64_t now = n->data ? pages_of(shmem_size(n->data)) : 0;

	n->sb->used_pages = n->sb->used_pages - n->counted_pages + now;
	n->counted_pages = now;
}

/* Frees a node that has no name and no open file; its pages leave the count. */
static void
node_free(struct tmpfs_node *n)
{
	n->sb->used_pages -= n->counted_pages;
	if (n->data)
		shmem_put(n->data);
	kfree(n);
}

static struct tmpfs_node *
child(struct tmpfs_node *dir, const char *name, size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &dir->children) {
		struct tmpfs_node *n = list_entry(pos, struct tmpfs_node, sibling);
		if (strlen(n->name) == len && memcmp(n->name, name, len) == 0)
			return n;
	}
	return NULL;
}

/*
 * Walks rel from the root to its node. With last, stops before the last
 * name: *out is the directory it is in and *last the name (which may not
 * exist yet).
 */
static int
walk(struct tmpfs_sb *sb, const char *rel, struct tmpfs_node **out, const char **last)
{
	struct tmpfs_node *n = sb->root;
	const char *p = rel;

	if (last)
		*last = p;
	while (*p) {
		size_t len = 0;
		while (p[len] && p[len] != '/')
			len++;
		if ((n->mode & S_IFMT) != S_IFDIR)
			return -ENOTDIR;
		if (len > TMPFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (last && !p[len]) {
			*last = p;
			break;
		}
		n = child(n, p, len);
		if (!n)
			return -ENOENT;
		p += len + (p[len] == '/');
	}
	*out = n;
	return 0;
}

static struct tmpfs_node *
lookup(struct tmpfs_sb *sb, const char *rel, int *err)
{
	struct tmpfs_node *n;

	return (*err = walk(sb, rel, &n, NULL)) != 0 ? NULL : n;
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
	uint64_t size = shmem_size(n->data), now = pages_of(size);
	uint64_t free_pages = n->sb->max_pages - n->sb->used_pages;

	if (off + len <= size || pages_of(off + len) - now <= free_pages)
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
	n->sb->used_pages += pages_of(MAX(old, f->offset + fits)) - pages_of(old);
	w = shmem_write(n->data, f->offset, buf, fits);
	n->sb->used_pages -= pages_of(MAX(old, f->offset + fits)) - pages_of(old);
	recount(n);
	if (w > 0)
		f->offset += (uint64_t)w;
	return w;
}

/* ftruncate(2) and O_TRUNC: -EFBIG, -ENOSPC (growing past size=), or 0. */
static int
tmpfs_truncate(struct file *f, uint64_t size)
{
	struct tmpfs_node *n = f->priv;
	uint64_t old = shmem_size(n->data);
	int err;

	if (size > old && pages_of(size) - pages_of(old) > n->sb->max_pages - n->sb->used_pages)
		return -ENOSPC;
	err = shmem_truncate(n->data, size);
	recount(n);
	return err;
}

static void
tmpfs_fstat(struct file *f, struct stat *st)
{
	struct tmpfs_node *n = f->priv;
	uint64_t size = n->data ? shmem_size(n->data) : 0;

	memset(st, 0, sizeof(*st));
	st->st_dev = 0x15;                 /* an anonymous device number, as Linux gives tmpfs */
	st->st_ino = n->ino;
	st->st_mode = n->mode;
	st->st_nlink = (n->mode & S_IFMT) == S_IFDIR ? 2 : !n->unlinked;
	st->st_size = (int64_t)size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (int64_t)(pages_of(size) * (PAGE_SIZE / 512));
}

static void
tmpfs_release(struct file *f)
{
	struct tmpfs_node *n = f->priv;

	n->sb->opens--;
	if (--n->opens == 0 && n->unlinked)
		node_free(n);
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

/* getdents64: ".", "..", then the entries; f->offset counts entries. */
static int
tmpfs_getdents(struct file *f, void *kbuf, size_t size)
{
	struct tmpfs_node *dir = f->priv;
	struct list_head *pos = dir->children.next;
	size_t used = 0;

	for (uint64_t i = 0;; i++) {
		const struct tmpfs_node *n = NULL;
		const char *name;
		if (i >= 2) {
			if (pos == &dir->children)
				break;
			n = list_entry(pos, struct tmpfs_node, sibling);
			pos = pos->next;
		}
		if (i < f->offset)
			continue;
		name = n ? n->name : i == 0 ? "." : "..";
		size_t len = strlen(name), reclen = ALIGN_UP(sizeof(struct dirent64) + len + 1, 8);
		struct dirent64 *d = (struct dirent64 *)((char *)kbuf + used);
		if (used + reclen > size)
			return used ? (int)used : -EINVAL;
		d->d_ino = n ? n->ino : dir->ino;
		d->d_off = (int64_t)i + 1;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = n && (n->mode & S_IFMT) == S_IFREG ? DT_REG : DT_DIR;
		memcpy(d->d_name, name, len + 1);
		used += reclen;
		f->offset = i + 1;
	}
	return (int)used;
}

static int
open_node(struct tmpfs_node *n, int flags, struct file **out)
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

/* A new node named by the last part of rel, in its directory. */
static int
create(struct tmpfs_sb *sb, const char *rel, uint32_t mode, struct tmpfs_node **out)
{
	struct tmpfs_node *dir, *n;
	const char *name;
	int err = walk(sb, rel, &dir, &name);

	if (err)
		return err;
	n = node_alloc(sb, name, mode);
	if (!n)
		return -ENOMEM;
	if (child(dir, name, strlen(name))) {        /* made meanwhile, while the heap slept */
		node_free(n);
		return -EEXIST;
	}
	n->parent = dir;
	list_add_tail(&n->sibling, &dir->children);
	*out = n;
	return 0;
}

static int
tmpfs_open(struct mount *m, const char *rel, int flags, struct file **out)
{
	struct tmpfs_sb *sb = m->sb;
	int err;
	struct tmpfs_node *n = lookup(sb, rel, &err);

	if (n && (flags & O_CREAT) && (flags & 0200))      /* O_EXCL */
		return -EEXIST;
	if (err == -ENOENT && (flags & O_CREAT)) {
		if (m->read_only)
			return -EROFS;
		err = create(sb, rel, S_IFREG | (0666 & ~current->fs->umask), &n);
	}
	if (err)
		return err;
	if (m->read_only && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;
	return open_node(n, flags, out);
}

static int
tmpfs_stat(struct mount *m, const char *rel, struct stat *st)
{
	int err;
	struct tmpfs_node *n = lookup(m->sb, rel, &err);
	struct file f = { .priv = n };

	if (!n)
		return err;
	tmpfs_fstat(&f, st);
	return 0;
}

static int
tmpfs_mkdir(struct mount *m, const char *rel)
{
	struct tmpfs_node *n;

	return create(m->sb, rel, S_IFDIR | (0777 & ~current->fs->umask), &n);
}

/* The name goes now, the node with its last close. */
static void
remove_name(struct tmpfs_node *n)
{
	list_del(&n->sibling);
	n->unlinked = true;
	if (n->opens == 0)
		node_free(n);
}

static int
tmpfs_rmdir(struct mount *m, const char *rel)
{
	int err;
	struct tmpfs_node *n = lookup(m->sb, rel, &err);

	if (!n)
		return err;
	if (!list_empty(&n->children))
		return -ENOTEMPTY;
	remove_name(n);
	return 0;
}

/* unlink(2): the name goes now, the data with the last close. */
static int
tmpfs_unlink(struct mount *m, const char *rel)
{
	int err;
	struct tmpfs_node *n = lookup(m->sb, rel, &err);

	if (!n)
		return err;
	remove_name(n);
	return 0;
}

static bool
is_dir(const struct tmpfs_node *n)
{
	return (n->mode & S_IFMT) == S_IFDIR;
}

/*
 * rename(2) within the mount: what new named before is replaced (a file
 * by a file, a directory by an empty directory), as Linux. -ENOTDIR,
 * -EISDIR for a mix of the two, -ENOTEMPTY, -EINVAL for a directory
 * into itself.
 */
static int
tmpfs_rename(struct mount *m, const char *old_rel, const char *new_rel)
{
	struct tmpfs_node *n, *dir, *old_there;
	const char *name;
	int err;

	if (!(n = lookup(m->sb, old_rel, &err)))
		return err;
	if ((err = walk(m->sb, new_rel, &dir, &name)) != 0)
		return err;
	for (struct tmpfs_node *up = dir; up; up = up->parent)
		if (up == n)
			return -EINVAL;              /* a directory cannot go below itself */
	old_there = child(dir, name, strlen(name));
	if (old_there == n)
		return 0;
	if (old_there && is_dir(n) && !is_dir(old_there))
		return -ENOTDIR;
	if (old_there && !is_dir(n) && is_dir(old_there))
		return -EISDIR;
	if (old_there && !list_empty(&old_there->children))
		return -ENOTEMPTY;
	if (old_there)
		remove_name(old_there);
	list_del(&n->sibling);
	strlcpy(n->name, name, sizeof(n->name));
	n->parent = dir;
	list_add_tail(&n->sibling, &dir->children);
	return 0;
}

/* chmod(2): the permission bits; the type stays. */
static int
tmpfs_chmod(struct mount *m, const char *rel, uint32_t mode)
{
	int err;
	struct tmpfs_node *n = lookup(m->sb, rel, &err);

	if (!n)
		return err;
	n->mode = (n->mode & S_IFMT) | (mode & 07777);
	return 0;
}

/* "size=8m", "size=50%", "mode=1777", "nr_inodes=N": Linux's options (mode and nr_inodes ignored). */
static int
parse_options(struct tmpfs_sb *sb, const char *options)
{
	const char *p = options;

	sb->max_pages = pmm_stats.usable / 2;
	while (*p) {
		uint64_t v = 0;
		const char *start = p;
		if (strncmp(p, "size=", 5) == 0) {
			for (p += 5; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (uint64_t)(*p - '0');
			switch (*p) {
			case 'k': case 'K': v <<= 10; p++; break;
			case 'm': case 'M': v <<= 20; p++; break;
			case 'g': case 'G': v <<= 30; p++; break;
			case '%': v = v * pmm_stats.usable / 100 * PAGE_SIZE; p++; break;
			}
			if (p == start + 5 || (*p && *p != ','))
				return -EINVAL;
			sb->max_pages = pages_of(v);
		} else if (strncmp(p, "mode=", 5) == 0 || strncmp(p, "nr_inodes=", 10) == 0) {
			while (*p && *p != ',')
				p++;
		} else {
			return -EINVAL;
		}
		if (*p == ',')
			p++;
	}
	return 0;
}

static int
tmpfs_setup(struct mount *m, const char *options)
{
	struct tmpfs_sb *sb = kmalloc(sizeof(*sb));
	int err;

	if (!sb)
		return -ENOMEM;
	memset(sb, 0, sizeof(*sb));
	sb->next_ino = 1;
	err = parse_options(sb, options);
	if (!err && !(sb->root = node_alloc(sb, "", S_IFDIR | 01777)))
		err = -ENOMEM;
	if (err) {
		kfree(sb);
		return err;
	}
	m->sb = sb;
	return 0;
}

/* Frees what is below n (not n itself); an open file stays, unlinked. */
static void
free_children(struct tmpfs_node *n)
{
	while (!list_empty(&n->children)) {
		struct tmpfs_node *c = list_entry(n->children.next, struct tmpfs_node, sibling);
		list_del(&c->sibling);
		free_children(c);
		c->unlinked = true;
		if (c->opens == 0)
			node_free(c);
	}
}

static void
free_tree(struct tmpfs_node *n)
{
	free_children(n);
	node_free(n);
}

/* At power-off (mount_shutdown()): every file and its pages and swap slots go. */
static void
tmpfs_empty(struct mount *m)
{
	free_children(((struct tmpfs_sb *)m->sb)->root);
}

/* umount: EBUSY while a file is open; otherwise every file and its pages and swap slots go. */
static int
tmpfs_teardown(struct mount *m)
{
	struct tmpfs_sb *sb = m->sb;

	if (sb->opens)
		return -EBUSY;
	free_tree(sb->root);
	kfree(sb);
	m->sb = NULL;
	return 0;
}

/* What statfs(2) says of a tmpfs mount: blocks are pages. */
void
tmpfs_statfs(struct mount *m, uint64_t *blocks, uint64_t *free_blocks)
{
	struct tmpfs_sb *sb = m->sb;

	*blocks = sb->max_pages;
	*free_blocks = sb->max_pages - sb->used_pages;
}

const struct fs_type tmpfs_fs_type = {
	.name = "tmpfs",
	.open = tmpfs_open,
	.stat = tmpfs_stat,
	.mkdir = tmpfs_mkdir,
	.rmdir = tmpfs_rmdir,
	.unlink = tmpfs_unlink,
	.setup = tmpfs_setup,
	.rename = tmpfs_rename,
	.chmod = tmpfs_chmod,
	.teardown = tmpfs_teardown,
	.empty = tmpfs_empty,
	.holds_data = true,
};
