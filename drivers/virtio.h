/*
 * drivers/virtio.h - virtio over PCI (virtio 1.1, section 4.1) and split
 * virtqueues (section 2.6): what every virtio driver needs, whatever its
 * device type. drivers/virtio_blk.c is the one user so far.
 *
 * A split virtqueue of size N, in one physically contiguous zeroed block
 * (the legacy interface needs exactly this layout; the modern one accepts
 * it too):
 *
 *   +0                     descriptor table: N x { addr, len, flags, next }   16 bytes each
 *   +16N                   available ring (driver -> device):
 *                            flags, idx, ring[N] (heads of chains), used_event
 *   +align(.., 4096)       used ring (device -> driver):
 *                            flags, idx, ring[N] of { id (head), len }, avail_event
 *
 * The driver puts a chain of descriptors (device-readable ones first,
 * then device-writable ones) into ring slots avail.idx % N, bumps
 * avail.idx, and notifies; the device answers with the chain's head in
 * the used ring and interrupts.
 *
 * Notifications cost: each one is a trap into the device model, and an
 * interrupt is a trap into us. With VIRTIO_F_EVENT_IDX each side says,
 * in a field the other reads, how far the other may go before it must
 * speak (virtio 1.1 2.6.7 and 2.6.10; 2.7.7 and 2.7.10 in virtio 1.2):
 *
 *   avail_event (written by the device): "notify me when avail.idx
 *       passes this": the device is still working through the ring
 *       up to there and will see new chains without being told;
 *   used_event (written by us): "interrupt me when used.idx passes
 *       this": we set it to what we have seen, so the device
 *       interrupts once for the next completion, not for each one.
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include "drivers/pci.h"
#include "kernel/types.h"

#define VIRTIO_VENDOR 0x1af4

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE  1
#define VIRTIO_STATUS_DRIVER       2
#define VIRTIO_STATUS_DRIVER_OK    4
#define VIRTIO_STATUS_FEATURES_OK  8
#define VIRTIO_STATUS_FAILED       128

/* Device-independent feature bits (6). Both ring features are below 32,
 * so the legacy interface (32 feature bits) offers them too. */
#define VIRTIO_F_INDIRECT_DESC     28   /* chains in tables of their own (2.6.5.3) */
#define VIRTIO_F_EVENT_IDX         29   /* used_event / avail_event (2.6.7, 2.6.10) */
#define VIRTIO_F_VERSION_1         32

/* ISR status bits (4.1.4.5). Reading the register clears it. */
#define VIRTIO_ISR_QUEUE           1
#define VIRTIO_ISR_CONFIG          2

#define VIRTQ_DESC_F_NEXT          1
#define VIRTQ_DESC_F_WRITE         2    /* the device writes this buffer */
#define VIRTQ_DESC_F_INDIRECT      4    /* the buffer is a table of descriptors */
#define VIRTQ_USED_F_NO_NOTIFY     1    /* without EVENT_IDX: "don't notify me" */

struct virtq_desc {
	uint64_t addr;                  /* physical */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;                    /* head of the finished chain */
	uint32_t len;                   /* bytes the device wrote */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

/* One buffer of a chain, as the driver describes it. */
struct virtq_buf {
	paddr_t addr;
	uint32_t len;
	bool device_writes;
};

struct virtq {
	uint16_t index;                 /* queue number on the device */
	uint16_t size;                  /* N */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t free_head;             /* free descriptors, linked through next */
	uint16_t num_free;
	uint16_t last_used;             /* used.idx we have seen up to */
	uint16_t num_added;             /* chains added since the device was last notified */
	bool event_idx;                 /* VIRTIO_F_EVENT_IDX negotiated: the two fields below */
	volatile uint16_t *used_event;  /* after avail.ring[N]: we write it */
	volatile uint16_t *avail_event; /* after used.ring[N]: the device writes it */
	void **cookies;                 /* per head: the driver's pointer for the chain */
	struct page *pages;
	unsigned order;
	volatile void *notify;          /* modern: where to write the queue index */
};

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

/* What virtq_kick() did. */
enum virtq_kick_result {
	VIRTQ_NOTHING_NEW,              /* no chain added since the last notification */
	VIRTQ_NOTIFIED,                 /* the device was notified */
	VIRTQ_NOT_NEEDED,               /* the device said it will look anyway */
};

int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie);
enum virtq_kick_result virtq_kick(struct virtio_dev *vdev, struct virtq *vq);
void *virtq_get_used(struct virtq *vq);
bool virtq_enable_interrupts(struct virtq *vq);

#endif
