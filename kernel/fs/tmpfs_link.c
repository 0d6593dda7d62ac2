/*
 * kernel/fs/tmpfs_link.c - links on tmpfs, as Linux's: link(2) gives a
 * file or symbolic link one more name (a directory cannot have two:
 * EPERM), symlink(2) makes a node of type S_IFLNK holding its target,
 * readlink(2) gives the target back, and find_link answers path lookup
 * (kernel/fs/vfs_lookup.c): which name on a path is a link. tmpfs itself
 * never follows one; the VFS does, through every file system.
 *
 * The names and the tree are kernel/fs/tmpfs.c's; a node counts its names
 * in nlink (kernel/fs/tmpfs_internal.h) and goes with its last name and
 * its last open file.
 */
#include "kernel/fs/tmpfs_internal.h"
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/string.h"
#include "kernel/uapi.h"
#include "mm/heap.h"

/* link(2): a second name for the file or link old_rel (vfs_link() refused directories). */
int
tmpfs_link(struct mount *m, const char *old_rel, const char *new_rel)
{
	struct tmpfs_node *n, *dir;
	const char *name;
	int err;

	if (!(n = tmpfs_lookup(m->sb, old_rel, &err)))
		return err;
	if (tmpfs_is_dir(n))
		return -EPERM;
	if ((err = tmpfs_walk(m->sb, new_rel, &dir, &name)) != 0)
		return err;
	return tmpfs_add_name(dir, name, n);
}

/* symlink(2): a node holding target (Linux's limit: a page with its NUL). */
int
tmpfs_symlink(struct mount *m, const char *target, const char *rel)
{
	size_t len = strlen(target);
	struct tmpfs_node *n;

	if (len + 1 > PAGE_SIZE)
		return -ENAMETOOLONG;
	if (!(n = tmpfs_node_alloc(m->sb, S_IFLNK | 0777)))
		return -ENOMEM;
	if (!(n->target = kmalloc(len + 1))) {
		tmpfs_node_free_if_unused(n);
		return -ENOMEM;
	}
	memcpy(n->target, target, len + 1);
	return tmpfs_create(m->sb, rel, n);
}

/* readlink(2): the target (no NUL), cut to size; its whole length; -EINVAL: not a link. */
int
tmpfs_readlink(struct mount *m, const char *rel, char *buf, size_t size)
{
	int err;
	struct tmpfs_node *n = tmpfs_lookup(m->sb, rel, &err);
	size_t len;

	if (!n)
		return err;
	if (!n->target)
		return -EINVAL;
	len = strlen(n->target);
	memcpy(buf, n->target, MIN(len, size));
	return (int)len;
}

/*
 * Path lookup's question (kernel/fs/vfs_lookup.c): the first link on the
 * way to rel (not the last name unless last), as struct fs_type says.
 */
int
tmpfs_find_link(struct mount *m, const char *rel, bool last, size_t *end, char *buf, size_t size)
{
	struct tmpfs_sb *sb = m->sb;
	struct tmpfs_node *n = sb->root;
	const char *p = rel;

	while (*p && tmpfs_is_dir(n)) {
		size_t len = 0;
		struct tmpfs_dirent *d;
		while (p[len] && p[len] != '/')
			len++;
		if (!(d = tmpfs_child(n, p, len)))
			return 0;
		n = d->node;
		p += len;
		if (n->target && (last || *p)) {
			*end = (size_t)(p - rel);
			return strlcpy(buf, n->target, size) < size ? (int)strlen(n->target) : -ENAMETOOLONG;
		}
		p += *p == '/';
	}
	return 0;
}
