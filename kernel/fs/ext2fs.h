/*
 * kernel/fs/ext2fs.h - the root file system: ext2 on a disk, in the kernel.
 * kernel/fs/vfs.c opens its files; the format itself is kernel/fs/ext2.h.
 */
#ifndef KERNEL_FS_EXT2FS_H
#define KERNEL_FS_EXT2FS_H

#include "kernel/fs/ext2.h"
#include "kernel/fs/file.h"
#include "kernel/rwsem.h"
#include "mm/pagecache.h"

struct blk_device;

/* An ext2 inode in memory, with its cached pages. */
struct inode {
	struct ext2_inode_info e2;
	struct address_space mapping;
	struct list_head link;
	int opens;                     /* open files on it: an unlinked one is deleted at the last close */
	struct rwsem rwsem;            /* Linux's i_rwsem: one write(2) or truncate of the file at a time */
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

/* kernel/fs/ext2fs.c, for the writer's files: */
struct ext2_fs *ext2fs_fs(void);
struct blk_device *ext2fs_blk(void);
int ext2fs_iget(uint32_t ino, struct inode **out);
struct inode *ext2fs_find_inode(uint32_t ino);
int ext2fs_refresh(uint32_t ino);
void ext2fs_forget_inode(struct inode *inode);
void ext2fs_forget_walk(void);
long ext2fs_file_read(struct file *f, void *buf, size_t len);
void ext2fs_fstat(struct file *f, struct stat *st);

/* kernel/fs/ext2fs_file.c: regular files, written through the page cache. */
extern struct rwsem ext2fs_lock;     /* held by every change: one writer at a time */
int ext2fs_open_file(struct inode *inode, int flags, struct file **out);
void ext2fs_release(struct file *f);
int ext2fs_set_size(struct inode *inode, uint64_t size);
int ext2fs_page_mkwrite(struct address_space *mapping, struct page *page);

/* kernel/fs/ext2fs_writeback.c: dirty pages to the disk, fsync, sync. */
struct writeback_control;
void ext2fs_writepage(struct address_space *mapping, struct page *page, struct writeback_control *wbc);
void ext2fs_end_writepages(struct address_space *mapping, struct writeback_control *wbc);
void ext2fs_writeback_init(void);
int ext2fs_fsync(struct file *f, bool datasync);
int ext2fs_sync(void);

/* kernel/fs/ext2fs_namei.c: names, and the mount's read-write state. */
struct mount;
int ext2fs_open(const char *rel, int flags, bool writable, struct file **out);
int ext2fs_mkdir(const char *rel);
int ext2fs_rmdir(const char *rel);
int ext2fs_unlink(const char *rel);
int ext2fs_rename(const char *old_rel, const char *new_rel);
int ext2fs_link(const char *old_rel, const char *new_rel);
int ext2fs_symlink(const char *target, const char *rel);
int ext2fs_chmod(const char *rel, uint32_t mode);
int ext2fs_set_writable(bool writable);
bool ext2fs_writable(void);
void ext2fs_put_inode(struct inode *inode);

#endif
