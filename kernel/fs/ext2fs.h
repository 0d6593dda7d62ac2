/*
 * kernel/fs/ext2fs.h - the root file system: ext2 on a disk, in the kernel.
 * kernel/fs/vfs.c opens its files; the format itself is kernel/fs/ext2.h.
 */
#ifndef KERNEL_FS_EXT2FS_H
#define KERNEL_FS_EXT2FS_H

#include "kernel/fs/ext2.h"
#include "kernel/fs/file.h"
#include "mm/pagecache.h"

/* An ext2 inode in memory, with its cached pages. */
struct inode {
	struct ext2_inode_info e2;
	struct address_space mapping;
	struct list_head link;
};

int ext2fs_mount_root(const char *devname);
bool ext2fs_mounted(void);
bool ext2fs_device_has_superblock(const char *name);
int ext2fs_lookup(uint32_t start_ino, const char *path, struct inode **out);
int ext2fs_readlink(const char *path, char *buf, size_t size);
int ext2fs_find_link(const char *path, bool last, size_t *end, char *buf, size_t size);
int ext2fs_open_inode(struct inode *inode, int flags, struct file **out);
void ext2fs_fill_stat(const struct inode *inode, void *kstat);
int ext2fs_getdents(struct file *f, void *kbuf, size_t size);
uint32_t ext2fs_root_ino(void);
const char *ext2fs_root_device(void);
int ext2fs_statfs(struct ext2_usage *out);
uint64_t ext2fs_drop_caches(void);
uint64_t ext2fs_drop_page_cache(void);

#endif
