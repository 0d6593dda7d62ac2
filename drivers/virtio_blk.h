/*
 * drivers/virtio_blk.h - (being written)
 */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

void virtio_blk_init(void);

#endif
