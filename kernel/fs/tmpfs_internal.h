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

struct tmpfs_node {
	char name[TMPFS_NAME_MAX + 1];
	uint32_t mode;                     /* S_IFREG or S_IFDIR, and permissions */
	uint64_t ino;
	struct tmpfs_node *parent;         /* NULL for the root */
	struct list_head children;         /* a directory's entries */
	struct list_head sibling;          /* in parent->children */
	struct shmem_object *data;         /* a regular file's bytes */
	uint64_t counted_pages;            /* its size as the mount counts it, in pages */
	uint64_t mtime_ns, ctime_ns;       /* CLOCK_REALTIME of the last change of data, of anything */
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

static inline uint64_t
tmpfs_pages_of(uint64_t bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
}

struct tmpfs_node *tmpfs_node_alloc(struct tmpfs_sb *sb, const char *name, uint32_t mode);
void tmpfs_node_free(struct tmpfs_node *n);
void tmpfs_recount(struct tmpfs_node *n);
void tmpfs_touch(struct tmpfs_node *n, bool data);
void tmpfs_node_stat(const struct tmpfs_node *n, struct stat *st);
int tmpfs_open_node(struct tmpfs_node *n, int flags, struct file **out);

#endif
