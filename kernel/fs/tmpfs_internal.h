/*
 * kernel/fs/tmpfs_internal.h - what kernel/fs/tmpfs.c (names, the mount)
 * and kernel/fs/tmpfs_file.c (open files) share; memfd_create
 * (kernel/fs/memfd.c) makes its files with it too.
 */
#ifndef KERNEL_FS_TMPFS_INTERNAL_H
#define KERNEL_FS_TMPFS_INTERNAL_H

#include "kernel/fs/file.h"
#include "kernel/list.h"
#include "mm/layout.h"

#define TMPFS_NAME_MAX 255

/*
 * A file, directory or symbolic link (an inode, to Linux), and the names
 * it has (its dirents): a directory has one, a file or link any number
 * (hard links), and an open file none at all once unlinked.
 *
 *   /tmp (node, dir) --children--> dirent "a" --node--> node 7 (file, nlink 2)
 *                                  dirent "b" --node-----^
 *                                  dirent "d" --node--> node 8 (dir, nlink 2)
 */
struct tmpfs_node {
	uint32_t mode;                     /* S_IFREG, S_IFDIR or S_IFLNK, and permissions */
	uint64_t ino;
	uint32_t nlink;                    /* names; a directory: 2 + its subdirectories */
	struct tmpfs_node *parent;         /* a directory's parent (NULL for the root) */
	struct list_head children;         /* a directory's entries (struct tmpfs_dirent) */
	struct shmem_object *data;         /* a regular file's bytes */
	char *target;                      /* a symbolic link's target (kmalloc'd, with its NUL) */
	uint64_t counted_pages;            /* its size as the mount counts it, in pages */
	uint64_t mtime_ns, ctime_ns;       /* CLOCK_REALTIME of the last change of data, of anything */
	struct tmpfs_sb *sb;
	int opens;                         /* open files on it */
};

/* A name in a directory. */
struct tmpfs_dirent {
	char name[TMPFS_NAME_MAX + 1];
	struct tmpfs_node *node;
	struct list_head sibling;          /* in the directory's children */
};

struct tmpfs_sb {
	struct tmpfs_node *root;
	uint64_t max_pages;                /* size= */
	uint64_t used_pages;               /* the files' sizes, in pages */
	uint64_t next_ino;
	int opens;                         /* open files: umount is EBUSY while any is */
};

static inline uint64_t
tmpfs_pages_of(uint64_t bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
}

struct tmpfs_node *tmpfs_node_alloc(struct tmpfs_sb *sb, uint32_t mode);
void tmpfs_node_free_if_unused(struct tmpfs_node *n);
void tmpfs_recount(struct tmpfs_node *n);
void tmpfs_touch(struct tmpfs_node *n, bool data);
void tmpfs_node_stat(const struct tmpfs_node *n, struct stat *st);
int tmpfs_open_node(struct tmpfs_node *n, int flags, struct file **out);

static inline bool
tmpfs_is_dir(const struct tmpfs_node *n)
{
	return (n->mode & S_IFMT) == S_IFDIR;
}

/* kernel/fs/tmpfs.c: the tree of names (see there). */
int tmpfs_walk(struct tmpfs_sb *sb, const char *rel, struct tmpfs_node **out, const char **last);
struct tmpfs_node *tmpfs_lookup(struct tmpfs_sb *sb, const char *rel, int *err);
struct tmpfs_dirent *tmpfs_child(struct tmpfs_node *dir, const char *name, size_t len);
int tmpfs_add_name(struct tmpfs_node *dir, const char *name, struct tmpfs_node *n);
int tmpfs_create(struct tmpfs_sb *sb, const char *rel, struct tmpfs_node *n);

/* kernel/fs/tmpfs_link.c: struct fs_type's link operations. */
struct mount;
int tmpfs_link(struct mount *m, const char *old_rel, const char *new_rel);
int tmpfs_symlink(struct mount *m, const char *target, const char *rel);
int tmpfs_readlink(struct mount *m, const char *rel, char *buf, size_t size);
int tmpfs_find_link(struct mount *m, const char *rel, bool last, size_t *end, char *buf, size_t size);

#endif
