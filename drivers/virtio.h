/*
 * drivers/virtio.h - virtio over PCI (virtio 1.1, section 4.1): finding a
 * virtio function's registers through either interface, agreeing on
 * features, setting up its queues (drivers/virtq.h: the rings) and
 * notifying it. What every virtio driver needs, whatever its device type;
 * drivers/virtio_blk.c is the one user so far.
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include "drivers/pci.h"
#include "drivers/virtq.h"
#include "kernel/types.h"

#define VIRTIO_VENDOR 0x1af4

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE  1
#define VIRTIO_STATUS_DRIVER       2
#define VIRTIO_STATUS_DRIVER_OK    4
#define VIRTIO_STATUS_FEATURES_OK  8
#define VIRTIO_STATUS_FAILED       128

/* Device-independent feature bits (6); the ring's own are in virtq.h. */
#define VIRTIO_F_VERSION_1         32

/* ISR status bits (4.1.4.5). Reading the register clears it. */
#define VIRTIO_ISR_QUEUE           1
#define VIRTIO_ISR_CONFIG          2

/* One virtio function on the PCI bus, through either interface. */
struct virtio_dev {
	struct pci_dev *pci;
	bool modern;                    /* virtio 1.x registers in memory BARs; else legacy I/O */
	uint64_t offered;               /* the device's features, as virtio_negotiate() read them */
	uint64_t features;              /* ... and those we agreed on */
	uint16_t io;                    /* legacy: BAR0 I/O port base */
	volatile uint8_t *common;       /* modern: the common configuration structure */
	volatile uint8_t *isr;
	volatile uint8_t *device;       /* device-specific configuration */
	volatile uint8_t *notify_base;
	uint32_t notify_mult;
};

int virtio_pci_init(struct virtio_dev *vdev, struct pci_dev *pdev, bool allow_modern);
int virtio_negotiate(struct virtio_dev *vdev, uint64_t wanted, uint64_t *accepted);
int virtio_setup_queue(struct virtio_dev *vdev, struct virtq *vq, uint16_t index, uint16_t max_size);
void virtio_driver_ok(struct virtio_dev *vdev);
void virtio_fail(struct virtio_dev *vdev);
uint8_t virtio_isr(struct virtio_dev *vdev);
uint32_t virtio_config_read32(struct virtio_dev *vdev, unsigned off);
uint64_t virtio_config_read64(struct virtio_dev *vdev, unsigned off);
void virtio_notify(struct virtio_dev *vdev, struct virtq *vq);


#endif
