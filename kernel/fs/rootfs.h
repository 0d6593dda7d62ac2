/*
 * kernel/fs/rootfs.h - the file system at "/": ext2 or the initrd.
 */
#ifndef KERNEL_FS_ROOTFS_H
#define KERNEL_FS_ROOTFS_H

void rootfs_mount(void);

#endif
