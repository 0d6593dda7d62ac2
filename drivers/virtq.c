/*
 * drivers/virtq.c - split virtqueues (virtio 1.1 section 2.6): putting
 * chains of buffers into the available ring, deciding whether the device
 * needs to be told, and taking finished chains from the used ring. The
 * layout and the event index are drawn in drivers/virtq.h.
 *
 * The rings are shared with the device, which reads and writes them while
 * we do: each index is published only after what it covers is written (a
 * compiler barrier suffices on x86, whose stores are not reordered with
 * each other), and a full fence separates publishing an index from
 * reading what the other side asked for (2.6.13.6). QEMU before 8.1
 * drops that fence on a one-processor machine: tools/qemu.sh gives it
 * room for two (docs/storage.md, "A lost interrupt").
 *
 * This file knows neither the transport (drivers/virtio.c tells the
 * device where the ring is and sends the notifications) nor what the
 * buffers mean (drivers/virtio_blk.c). Its callers keep interrupts off
 * around every call that changes the ring: the interrupt handler takes
 * finished chains.
 */
#include "drivers/virtq.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"

#define VRING_ALIGN          4096    /* where the used ring starts: the legacy interface requires it */

#define barrier() __asm__ volatile("" ::: "memory")
#define mfence()  __asm__ volatile("mfence" ::: "memory")

/*
 * Sets vq up as queue index with size entries (a power of two), in zeroed
 * memory of its own, with the ring features of features that it knows
 * (VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC). Returns 0 or -ENOMEM. The transport then tells
 * the device where its parts are (virtq_phys()).
 */
int
virtq_alloc(struct virtq *vq, uint16_t index, uint16_t size, uint64_t features)
{
	size_t used_off, bytes;
	unsigned order = 0;
	uint8_t *base;

	used_off = ALIGN_UP(sizeof(struct virtq_desc) * size + sizeof(uint16_t) * (3 + size), VRING_ALIGN);
	bytes = used_off + sizeof(uint16_t) * 3 + sizeof(struct virtq_used_elem) * size;
	while ((PAGE_SIZE << order) < bytes)
		order++;

	*vq = (struct virtq){ .index = index, .size = size, .order = order, .num_free = size };
	vq->pages = pmm_alloc_pages(order);
	vq->cookies = kzalloc(sizeof(void *) * size);
	if (!vq->pages || !vq->cookies) {
		virtq_free(vq);
		return -ENOMEM;
	}
	base = page_address(vq->pages);
	memset(base, 0, PAGE_SIZE << order);
	vq->desc = (struct virtq_desc *)base;
	vq->avail = (struct virtq_avail *)(base + sizeof(struct virtq_desc) * size);
	vq->used = (struct virtq_used *)(base + used_off);
	/* The event fields sit just past each ring (the layout in virtq.h). */
	vq->event_idx = features & 1UL << VIRTIO_F_EVENT_IDX;
	vq->indirect = features & 1UL << VIRTIO_F_INDIRECT_DESC;
	vq->used_event = &vq->avail->ring[size];
	vq->avail_event = (volatile uint16_t *)&vq->used->ring[size];
	for (uint16_t i = 0; i + 1 < size; i++)
		vq->desc[i].next = i + 1;
	return 0;
}

/* Gives back what virtq_alloc() took (also a half-made vq). The device must be done with it. */
void
virtq_free(struct virtq *vq)
{
	if (vq->pages)
		pmm_free_pages(vq->pages, vq->order);
	kfree(vq->cookies);
	vq->pages = NULL;
	vq->cookies = NULL;
}

/* The physical address of part (vq->desc, vq->avail or vq->used), for the device. */
paddr_t
virtq_phys(const struct virtq *vq, const void *part)
{
	return page_to_phys(vq->pages) + (paddr_t)((const uint8_t *)part - (const uint8_t *)vq->desc);
}

/* Publishes the chain at head in the available ring. */
static void
publish(struct virtq *vq, uint16_t head, void *cookie)
{
	volatile uint16_t *avail_idx = &vq->avail->idx;

	vq->cookies[head] = cookie;
	vq->avail->ring[*avail_idx % vq->size] = head;
	barrier();                      /* the chain and its ring slot before the index */
	*avail_idx = *avail_idx + 1;
	vq->num_added++;
}

/* Describes buf in d; more says another descriptor follows it (d->next is the caller's). */
static void
describe(struct virtq_desc *d, const struct virtq_buf *buf, bool more)
{
	d->addr = buf->addr;
	d->len = buf->len;
	d->flags = (uint16_t)((buf->device_writes ? VIRTQ_DESC_F_WRITE : 0) |
			      (more ? VIRTQ_DESC_F_NEXT : 0));
}

/* Takes the first free descriptor of the ring; the caller checked num_free. */
static uint16_t
take_free_desc(struct virtq *vq)
{
	uint16_t i = vq->free_head;

	vq->free_head = vq->desc[i].next;
	vq->num_free--;
	return i;
}

/*
 * Puts a chain of n buffers (device-readable ones first) into the
 * available ring, one ring descriptor each, remembering cookie for
 * virtq_get_used(). The device may see it at once, but is only told
 * after virtq_kick_prepare(). Returns 0, or -ENOSPC when fewer than n
 * descriptors are free.
 */
int
virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie)
{
	uint16_t head = vq->free_head;

	if (n == 0 || n > vq->num_free)
		return -ENOSPC;
	for (unsigned k = 0; k < n; k++) {
		/* A free descriptor's next is the following free one: the chain's next. */
		struct virtq_desc *d = &vq->desc[take_free_desc(vq)];
		describe(d, &bufs[k], k + 1 < n);
	}
	publish(vq, head, cookie);
	return 0;
}

/*
 * The same chain, but written into table (n entries, physically
 * contiguous, owned by the caller until virtq_get_used() returns cookie),
 * so that it takes a single descriptor of the ring. Only when the device
 * agreed to VIRTIO_F_INDIRECT_DESC. Returns 0, or -ENOSPC when no
 * descriptor of the ring is free.
 */
int
virtq_add_indirect(struct virtq *vq, const struct virtq_buf *bufs, unsigned n,
		   struct virtq_desc *table, void *cookie)
{
	struct virtq_desc *d;
	uint16_t head;

	if (n == 0 || vq->num_free == 0)
		return -ENOSPC;
	for (unsigned k = 0; k < n; k++) {
		describe(&table[k], &bufs[k], k + 1 < n);
		table[k].next = (uint16_t)(k + 1);
	}
	head = take_free_desc(vq);
	d = &vq->desc[head];
	d->addr = virt_to_phys(table);
	d->len = (uint32_t)(n * sizeof(*table));
	/* Neither NEXT nor WRITE beside INDIRECT (2.6.5.3.1): the table says it all. */
	d->flags = VIRTQ_DESC_F_INDIRECT;
	publish(vq, head, cookie);
	return 0;
}

/*
 * Decides whether the device must hear of the chains added since it last
 * did. Under QEMU's TCG a notification is a trap into the device model,
 * which takes every chain in the ring at once: one notification for many
 * chains is the point of adding them first. With EVENT_IDX the device
 * asked to be told only when avail.idx passes avail_event (it is still
 * working up to there); without it, its NO_NOTIFY flag says the same more
 * crudely. The caller sends the notification (virtio_notify()).
 */
enum virtq_kick
virtq_kick_prepare(struct virtq *vq)
{
	uint16_t new_idx = vq->avail->idx, old_idx = (uint16_t)(new_idx - vq->num_added);
	bool wanted;

	if (vq->num_added == 0)
		return VIRTQ_NOTHING_NEW;
	vq->num_added = 0;
	mfence();                       /* avail.idx visible before we read what the device wants */
	if (vq->event_idx)
		wanted = virtq_need_event(*vq->avail_event, new_idx, old_idx);
	else
		wanted = !(*(volatile uint16_t *)&vq->used->flags & VIRTQ_USED_F_NO_NOTIFY);
	return wanted ? VIRTQ_NOTIFY : VIRTQ_NOTIFY_NOT_NEEDED;
}

/*
 * Takes the next chain the device has finished: frees its descriptors
 * and returns its cookie, or NULL when there is none.
 */
void *
virtq_get_used(struct virtq *vq)
{
	uint16_t head, i, n = 1;
	void *cookie;

	if (vq->last_used == *(volatile uint16_t *)&vq->used->idx)
		return NULL;
	barrier();                      /* read the element only after seeing the index */
	head = (uint16_t)vq->used->ring[vq->last_used % vq->size].id;
	vq->last_used++;
	cookie = vq->cookies[head];
	vq->cookies[head] = NULL;
	/* An indirect chain is one descriptor here: its table is the driver's. */
	for (i = head; vq->desc[i].flags & VIRTQ_DESC_F_NEXT; i = vq->desc[i].next)
		n++;
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += n;
	return cookie;
}

/*
 * After the driver has taken every finished chain: asks the device to
 * interrupt for the next one (with EVENT_IDX, used_event = what we have
 * seen; without it the device interrupts for each chain anyway). Returns
 * false if a chain finished meanwhile, which the device may not interrupt
 * for: the caller takes it now (the loop in the note of 2.6.14).
 */
bool
virtq_enable_interrupts(struct virtq *vq)
{
	if (vq->event_idx)
		*vq->used_event = vq->last_used;
	mfence();                       /* used_event visible before we look at used.idx again */
	return vq->last_used == *(volatile uint16_t *)&vq->used->idx;
}
