/*
 * kernel/fs/tmpfs.c - tmpfs: files that live only in memory, at /tmp and
 * /dev/shm, as Linux's.
 *
 * The names are a tree in the kernel heap: a directory node lists its
 * entries (struct tmpfs_dirent), each naming a node (a drawing is in
 * kernel/fs/tmpfs_internal.h). A file's data is a shmem object
 * (mm/shmem.c), the same swap-backed pages that shared anonymous memory
 * uses. So a tmpfs file is neither page cache (there is
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
 * Links, as Linux's tmpfs (kernel/fs/tmpfs_link.c): link(2) gives a file
 * or symbolic link one more name - st_nlink counts the names, a
 * directory's is 2 plus its subdirectories - and the node goes when its
 * last name and its last open file have; symlink(2) makes an S_IFLNK node
 * holding its target.
 *
 * This file keeps the names and the mount; kernel/fs/tmpfs_file.c the
 * open files (read, write, truncate, directory listings);
 * kernel/fs/tmpfs_link.c the links.
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

/* A node with no name yet (nlink 0): a file with no data, an empty directory or a link. */
struct tmpfs_node *
tmpfs_node_alloc(struct tmpfs_sb *sb, uint32_t mode)
{
	struct tmpfs_node *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->mode = mode;
	n->ino = sb->next_ino++;
	tmpfs_touch(n, true);
	n->sb = sb;
	list_init(&n->children);
	if ((mode & S_IFMT) == S_IFREG && !(n->data = shmem_create(0))) {
		kfree(n);
		return NULL;
	}
	return n;
}

/* Frees a node that has no name and no open file (else does nothing); its pages leave the count. */
void
tmpfs_node_free_if_unused(struct tmpfs_node *n)
{
	if (n->nlink > 0 || n->opens > 0)
		return;
	n->sb->used_pages -= n->counted_pages;
	if (n->data)
		shmem_put(n->data);
	kfree(n->target);
	kfree(n);
}

/* dir's entry named name[0..len), or NULL. */
struct tmpfs_dirent *
tmpfs_child(struct tmpfs_node *dir, const char *name, size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &dir->children) {
		struct tmpfs_dirent *d = list_entry(pos, struct tmpfs_dirent, sibling);
		if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
			return d;
	}
	return NULL;
}

/*
 * Walks rel from the root to its node. With last, stops before the last
 * name: *out is the directory it is in and *last the name (which may not
 * exist yet). Links are not followed here: kernel/fs/vfs_lookup.c did
 * that, so a link met on the way is just not a directory (-ENOTDIR).
 */
int
tmpfs_walk(struct tmpfs_sb *sb, const char *rel, struct tmpfs_node **out, const char **last)
{
	struct tmpfs_node *n = sb->root;
	const char *p = rel;

	if (last)
		*last = p;
	while (*p) {
		size_t len = 0;
		struct tmpfs_dirent *d;
		while (p[len] && p[len] != '/')
			len++;
		if (!tmpfs_is_dir(n))
			return -ENOTDIR;
		if (len > TMPFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (last && !p[len]) {
			*last = p;
			break;
		}
		if (!(d = tmpfs_child(n, p, len)))
			return -ENOENT;
		n = d->node;
		p += len + (p[len] == '/');
	}
	*out = n;
	return 0;
}

/* The node rel names, or NULL with *err = -ENOENT, -ENOTDIR or -ENAMETOOLONG. */
struct tmpfs_node *
tmpfs_lookup(struct tmpfs_sb *sb, const char *rel, int *err)
{
	struct tmpfs_node *n;

	return (*err = tmpfs_walk(sb, rel, &n, NULL)) != 0 ? NULL : n;
}

/* The directory rel's last name is in, and that name's entry: 0, -ENOENT, -ENOTDIR. */
static int
lookup_name(struct tmpfs_sb *sb, const char *rel, struct tmpfs_node **dir, struct tmpfs_dirent **d)
{
	const char *name;
	int err = tmpfs_walk(sb, rel, dir, &name);

	if (err)
		return err;
	*d = tmpfs_child(*dir, name, strlen(name));
	return *d ? 0 : -ENOENT;
}

/*
 * Gives n the name `name` in dir: one more link to n (a directory's name
 * and its "." make 2, and its ".." one more for dir). -EEXIST, -ENOMEM.
 */
int
tmpfs_add_name(struct tmpfs_node *dir, const char *name, struct tmpfs_node *n)
{
	struct tmpfs_dirent *d;

	if (tmpfs_child(dir, name, strlen(name)))
		return -EEXIST;
	if (!(d = kmalloc(sizeof(*d))))
		return -ENOMEM;
	strlcpy(d->name, name, sizeof(d->name));
	d->node = n;
	list_add_tail(&d->sibling, &dir->children);
	if (tmpfs_is_dir(n)) {
		n->nlink = 2;
		n->parent = dir;
		dir->nlink++;
	} else {
		n->nlink++;
	}
	tmpfs_touch(dir, true);
	tmpfs_touch(n, false);
	return 0;
}

/*
 * Takes the name d out of dir: n loses a link (a directory all of them),
 * and goes when it has no name and no open file left.
 */
static void
remove_name(struct tmpfs_node *dir, struct tmpfs_dirent *d)
{
	struct tmpfs_node *n = d->node;

	list_del(&d->sibling);
	kfree(d);
	if (tmpfs_is_dir(n)) {
		n->nlink = 0;
		n->parent = NULL;               /* an open one lists "..": itself */
		dir->nlink--;
	} else {
		n->nlink--;
	}
	tmpfs_touch(dir, true);
	tmpfs_touch(n, false);
	tmpfs_node_free_if_unused(n);
}

/* The new node n gets the last name of rel, in its directory: 0, or -ENOENT, -EEXIST, ... and n is freed. */
int
tmpfs_create(struct tmpfs_sb *sb, const char *rel, struct tmpfs_node *n)
{
	struct tmpfs_node *dir;
	const char *name;
	int err = tmpfs_walk(sb, rel, &dir, &name);

	if (!err)
		err = tmpfs_add_name(dir, name, n);
	if (err)
		tmpfs_node_free_if_unused(n);
	return err;
}

/* A new node of mode named by rel: 0 with *out, -ENOMEM, -EEXIST, ... */
static int
create_node(struct tmpfs_sb *sb, const char *rel, uint32_t mode, struct tmpfs_node **out)
{
	struct tmpfs_node *n = tmpfs_node_alloc(sb, mode);

	if (!n)
		return -ENOMEM;
	*out = n;
	return tmpfs_create(sb, rel, n);
}

static int
tmpfs_open(struct mount *m, const char *rel, int flags, struct file **out)
{
	struct tmpfs_sb *sb = m->sb;
	int err;
	struct tmpfs_node *n = tmpfs_lookup(sb, rel, &err);

	if (n && (flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (err == -ENOENT && (flags & O_CREAT)) {
		if (m->read_only)
			return -EROFS;
		err = create_node(sb, rel, S_IFREG | (0666 & ~current->fs->umask), &n);
	}
	if (err)
		return err;
	if ((n->mode & S_IFMT) == S_IFLNK)
		return -ELOOP;                  /* a link not followed (O_NOFOLLOW) */
	if (m->read_only && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;
	return tmpfs_open_node(n, flags, out);
}

static int
tmpfs_stat(struct mount *m, const char *rel, struct stat *st)
{
	int err;
	struct tmpfs_node *n = tmpfs_lookup(m->sb, rel, &err);

	if (!n)
		return err;
	tmpfs_node_stat(n, st);
	return 0;
}

static int
tmpfs_mkdir(struct mount *m, const char *rel)
{
	struct tmpfs_node *n;

	return create_node(m->sb, rel, S_IFDIR | (0777 & ~current->fs->umask), &n);
}

static int
tmpfs_rmdir(struct mount *m, const char *rel)
{
	struct tmpfs_node *dir;
	struct tmpfs_dirent *d;
	int err = lookup_name(m->sb, rel, &dir, &d);

	if (err)
		return err;
	if (!list_empty(&d->node->children))
		return -ENOTEMPTY;
	remove_name(dir, d);
	return 0;
}

/* unlink(2): the name goes now; the node with its last name and its last close. */
static int
tmpfs_unlink(struct mount *m, const char *rel)
{
	struct tmpfs_node *dir;
	struct tmpfs_dirent *d;
	int err = lookup_name(m->sb, rel, &dir, &d);

	if (err)
		return err;
	remove_name(dir, d);
	return 0;
}

/* Moves the entry d from dir to new_dir as name; a directory's ".." moves with it. */
static void
move_name(struct tmpfs_node *dir, struct tmpfs_dirent *d, struct tmpfs_node *new_dir, const char *name)
{
	list_del(&d->sibling);
	tmpfs_touch(dir, true);
	strlcpy(d->name, name, sizeof(d->name));
	list_add_tail(&d->sibling, &new_dir->children);
	if (tmpfs_is_dir(d->node)) {
		dir->nlink--;
		new_dir->nlink++;
		d->node->parent = new_dir;
	}
	tmpfs_touch(new_dir, true);
	tmpfs_touch(d->node, false);
}

/*
 * rename(2) within the mount: what new named before is replaced (a file
 * by a file, a directory by an empty directory), as Linux; if both names
 * are links to one node, nothing happens (Linux: 0). -ENOTDIR, -EISDIR
 * for a mix of the two, -ENOTEMPTY, -EINVAL for a directory into itself.
 */
static int
tmpfs_rename(struct mount *m, const char *old_rel, const char *new_rel)
{
	struct tmpfs_node *old_dir, *dir, *n;
	struct tmpfs_dirent *d, *there;
	const char *name;
	int err;

	if ((err = lookup_name(m->sb, old_rel, &old_dir, &d)) != 0)
		return err;
	if ((err = tmpfs_walk(m->sb, new_rel, &dir, &name)) != 0)
		return err;
	n = d->node;
	for (struct tmpfs_node *up = dir; up; up = up->parent)
		if (up == n)
			return -EINVAL;              /* a directory cannot go below itself */
	there = tmpfs_child(dir, name, strlen(name));
	if (there && there->node == n)
		return 0;
	if (there && tmpfs_is_dir(n) && !tmpfs_is_dir(there->node))
		return -ENOTDIR;
	if (there && !tmpfs_is_dir(n) && tmpfs_is_dir(there->node))
		return -EISDIR;
	if (there && !list_empty(&there->node->children))
		return -ENOTEMPTY;
	if (there)
		remove_name(dir, there);
	move_name(old_dir, d, dir, name);
	return 0;
}

/* chmod(2): the permission bits; the type stays. */
static int
tmpfs_chmod(struct mount *m, const char *rel, uint32_t mode)
{
	int err;
	struct tmpfs_node *n = tmpfs_lookup(m->sb, rel, &err);

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
	if (!err && !(sb->root = tmpfs_node_alloc(sb, S_IFDIR | 01777)))
		err = -ENOMEM;
	if (!err)
		sb->root->nlink = 2;             /* "." and its name in the directory it is mounted on */
	if (err) {
		kfree(sb);
		return err;
	}
	m->sb = sb;
	return 0;
}

/* Takes every name below dir (not dir itself); a file still open stays, nameless. */
static void
free_children(struct tmpfs_node *dir)
{
	while (!list_empty(&dir->children)) {
		struct tmpfs_dirent *d = list_entry(dir->children.next, struct tmpfs_dirent, sibling);
		if (tmpfs_is_dir(d->node))
			free_children(d->node);
		remove_name(dir, d);
	}
}

static void
free_tree(struct tmpfs_node *root)
{
	free_children(root);
	root->nlink = 0;
	tmpfs_node_free_if_unused(root);
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
	.link = tmpfs_link,
	.symlink = tmpfs_symlink,
	.readlink = tmpfs_readlink,
	.find_link = tmpfs_find_link,
	.teardown = tmpfs_teardown,
	.empty = tmpfs_empty,
	.holds_data = true,
};
