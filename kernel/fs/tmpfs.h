/*
 * kernel/fs/tmpfs.h - files in swap-backed memory (/tmp, /dev/shm).
 */
#ifndef KERNEL_FS_TMPFS_H
#define KERNEL_FS_TMPFS_H

#include "kernel/fs/file.h"

struct mount;

bool tmpfs_is_file(const struct file *f);
int tmpfs_truncate(struct file *f, uint64_t size);
void tmpfs_statfs(struct mount *m, uint64_t *blocks, uint64_t *free_blocks);

#endif
