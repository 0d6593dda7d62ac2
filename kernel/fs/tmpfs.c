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
 *
 * This file keeps the names and the mount; kernel/fs/tmpfs_file.c the
 * open files (read, write, truncate, directory listings).
 */
#include "kernel/fs/tmpfs.h"
#include "kernel/fs/tmpfs_internal.h"
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/list.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/shmem.h"

struct tmpfs_node *
tmpfs_node_alloc(struct tmpfs_sb *sb, const char *name, uint32_t mode)
{
	struct tmpfs_node *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	strlcpy(n->name, name, sizeof(n->name));
	n->mode = mode;
	n->ino = sb->next_ino++;
	tmpfs_touch(n, true);
	n->sb = sb;
	list_init(&n->children);
	list_init(&n->sibling);
	if ((mode & S_IFMT) == S_IFREG && !(n->data = shmem_create(0))) {
		kfree(n);
		return NULL;
	}
	return n;
}

/* Frees a node that has no name and no open file; its pages leave the count. */
void
tmpfs_node_free(struct tmpfs_node *n)
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

/* A new node named by the last part of rel, in its directory. */
static int
create(struct tmpfs_sb *sb, const char *rel, uint32_t mode, struct tmpfs_node **out)
{
	struct tmpfs_node *dir, *n;
	const char *name;
	int err = walk(sb, rel, &dir, &name);

	if (err)
		return err;
	n = tmpfs_node_alloc(sb, name, mode);
	if (!n)
		return -ENOMEM;
	if (child(dir, name, strlen(name))) {        /* made meanwhile, while the heap slept */
		tmpfs_node_free(n);
		return -EEXIST;
	}
	n->parent = dir;
	list_add_tail(&n->sibling, &dir->children);
	tmpfs_touch(dir, true);
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
	return tmpfs_open_node(n, flags, out);
}

static int
tmpfs_stat(struct mount *m, const char *rel, struct stat *st)
{
	int err;
	struct tmpfs_node *n = lookup(m->sb, rel, &err);

	if (!n)
		return err;
	tmpfs_node_stat(n, st);
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
	tmpfs_touch(n->parent, true);
	list_del(&n->sibling);
	n->unlinked = true;
	if (n->opens == 0)
		tmpfs_node_free(n);
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
	tmpfs_touch(n->parent, true);
	strlcpy(n->name, name, sizeof(n->name));
	n->parent = dir;
	list_add_tail(&n->sibling, &dir->children);
	tmpfs_touch(dir, true);
	tmpfs_touch(n, false);
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
	tmpfs_touch(n, false);
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
			sb->max_pages = tmpfs_pages_of(v);
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
	if (!err && !(sb->root = tmpfs_node_alloc(sb, "", S_IFDIR | 01777)))
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
			tmpfs_node_free(c);
	}
}

static void
free_tree(struct tmpfs_node *n)
{
	free_children(n);
	tmpfs_node_free(n);
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
