/*
 * drivers/virtio_blk.h - virtio block devices (virtio 1.1, section 5.2):
 * the disks vda, vdb, ... in PCI order.
 */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include "drivers/blk.h"
#include "drivers/virtio.h"

struct virtio_blk_slot;

struct virtio_blk {
	struct blk_device blk;           /* blk.driver_data points back here */
	struct virtio_dev vdev;
	struct virtq vq;                 /* queue 0: requests */
	uint64_t features;               /* what we negotiated */
	uint32_t seg_max;                /* data segments per request the device takes */
	struct virtio_blk_slot *slots;   /* per request in flight: header, status, indirect table */
	unsigned nslots;                 /* how many: the most requests in flight at once */
	struct virtio_blk_slot *free_slots;
	struct list_head waiting;        /* submitted, not yet in the ring (no descriptors) */
	/* Statistics, for tests and for whoever tunes the swap batch size
	 * (printed when init exits: virtio_blk_report()). */
	unsigned in_flight;              /* requests the device holds now */
	unsigned max_in_flight;          /* the highest in_flight seen */
	uint64_t requests;               /* requests the driver was given */
	uint64_t waited;                 /* ... that found the ring full and waited */
	uint64_t kicks;                  /* notifications sent to the device */
	uint64_t kicks_not_needed;       /* ... left out: the device was still looking (EVENT_IDX) */
	uint64_t interrupts;             /* interrupts that found work from this disk */
	uint64_t merged;                 /* segments that went into the descriptor before them */
};

void virtio_blk_init(void);
struct virtio_blk *virtio_blk_of(struct blk_device *dev);

#endif
