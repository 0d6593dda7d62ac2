/*
 * kernel/fs/tmpfs.h - files in swap-backed memory (/tmp, /dev/shm).
 */
#ifndef KERNEL_FS_TMPFS_H
#define KERNEL_FS_TMPFS_H

#include "kernel/fs/file.h"

struct mount;

void tmpfs_statfs(struct mount *m, uint64_t *blocks, uint64_t *free_blocks);

#endif
