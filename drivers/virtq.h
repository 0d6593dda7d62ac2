/*
 * drivers/virtq.h - split virtqueues (virtio 1.1, section 2.6; 2.7 in
 * virtio 1.2): the rings a virtio driver and its device share, whatever
 * the transport (drivers/virtio.c) and the device type
 * (drivers/virtio_blk.c).
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
 * speak (2.6.7 and 2.6.10; 2.7.7 and 2.7.10 in virtio 1.2):
 *
 *   avail_event (written by the device): "notify me when avail.idx
 *       passes this": the device is still working through the ring
 *       up to there and will see new chains without being told;
 *   used_event (written by us): "interrupt me when used.idx passes
 *       this": we set it to what we have seen, so the device
 *       interrupts once for the next completion, not for each one.
 *
 * A chain of many buffers would take as many descriptors of the ring.
 * With VIRTIO_F_INDIRECT_DESC (2.6.5.3; 2.7.5.3 in virtio 1.2) it takes
 * one: the chain is written into a table of the driver's, and the ring's
 * descriptor points at the table:
 *
 *   ring desc[h]: addr = the table, len = 16n, flags = INDIRECT
 *        |
 *        v
 *   table[0] -> table[1] -> ... -> table[n-1]     flags NEXT (and WRITE),
 *                                                 next = the following one
 */
#ifndef DRIVERS_VIRTQ_H
#define DRIVERS_VIRTQ_H

#include "kernel/types.h"

/* Ring feature bits (virtio 1.1 section 6). Both are below 32, so the
 * legacy interface (32 feature bits) offers them too. */
#define VIRTIO_F_INDIRECT_DESC     28   /* chains in tables of their own (2.6.5.3) */
#define VIRTIO_F_EVENT_IDX         29   /* used_event / avail_event (2.6.7, 2.6.10) */

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

struct page;

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
	bool indirect;                  /* VIRTIO_F_INDIRECT_DESC negotiated: virtq_add_indirect() */
	bool event_idx;                 /* VIRTIO_F_EVENT_IDX negotiated: the two fields below */
	volatile uint16_t *used_event;  /* after avail.ring[N]: we write it */
	volatile uint16_t *avail_event; /* after used.ring[N]: the device writes it */
	void **cookies;                 /* per head: the driver's pointer for the chain */
	struct page *pages;
	unsigned order;
	volatile void *notify;          /* the transport's: where a notification goes */
};

/* What virtq_kick_prepare() decided. */
enum virtq_kick {
	VIRTQ_NOTHING_NEW,              /* no chain added since the last notification */
	VIRTQ_NOTIFY,                   /* the device must be notified */
	VIRTQ_NOTIFY_NOT_NEEDED,        /* the device said it will look anyway */
};

/*
 * The event-index rule (2.6.10; Linux's vring_need_event()): a side that
 * has just published its index from old_idx up to new_idx, all in one
 * step, must notify the other if that step passed event_idx, the entry
 * the other asked about: event_idx is in [old_idx, new_idx).
 *
 *     old_idx            new_idx
 *        |  e  e  e  e  e  |         e: entries published in this step
 *           ^event_idx               -> notify
 *
 * The indexes grow in 16 bits and wrap at 65536, so the test is done in
 * unsigned 16-bit differences: new_idx - event_idx - 1 (how far behind
 * new_idx the entry after event_idx is) must be less than new_idx -
 * old_idx (how many this step published). Pure: tested on the host
 * against a model (tests/unit/test_virtq.c).
 */
static inline bool
virtq_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

int virtq_alloc(struct virtq *vq, uint16_t index, uint16_t size, uint64_t features);
void virtq_free(struct virtq *vq);
paddr_t virtq_phys(const struct virtq *vq, const void *part);
int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie);
int virtq_add_indirect(struct virtq *vq, const struct virtq_buf *bufs, unsigned n,
		       struct virtq_desc *table, void *cookie);
enum virtq_kick virtq_kick_prepare(struct virtq *vq);
void *virtq_get_used(struct virtq *vq);
bool virtq_enable_interrupts(struct virtq *vq);

#endif
