/*
 * drivers/virtio.c - the virtio PCI transport and split virtqueues
 * (virtio 1.1: 4.1 PCI, 3.1 device initialization, 2.6 split virtqueues).
 *
 * A virtio function speaks one of two register interfaces:
 *
 *   modern (virtio 1.x): vendor capabilities (id 0x09) in config space
 *     point into memory BARs: the common configuration (status, features,
 *     queue setup), the notify area, the ISR byte, the device config.
 *   legacy (virtio 0.9.5): a fixed layout at I/O BAR0:
 *     0x00 device features   0x04 driver features   0x08 queue PFN
 *     0x0c queue size        0x0e queue select      0x10 queue notify
 *     0x12 device status     0x13 ISR status        0x14 device config
 *
 * QEMU's default ("transitional") devices offer both; virtio_pci_init()
 * takes modern when it finds the capabilities and is allowed to. Above
 * this file nothing depends on which one it chose.
 *
 * Rings are shared with the device, which reads and writes them while we
 * do: each index is published only after what it covers is written (a
 * compiler barrier suffices on x86, whose stores are not reordered with
 * each other), and a full fence separates publishing from reading the
 * device's "don't notify me" flag (2.6.13.6).
 *
 * This file does not know what the buffers mean; drivers/virtio_blk.c does.
 */
#include "drivers/virtio.h"
#include "drivers/virtq_event.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/pmm.h"

/* Modern vendor capability (4.1.4). */
#define CAP_CFG_TYPE   3
#define CAP_BAR        4
#define CAP_OFFSET     8
#define CAP_NOTIFY_MULT 16
enum { CFG_COMMON = 1, CFG_NOTIFY = 2, CFG_ISR = 3, CFG_DEVICE = 4 };

/* Modern common configuration structure (4.1.4.3). */
#define COMMON_DFSELECT      0x00
#define COMMON_DF            0x04
#define COMMON_GFSELECT      0x08
#define COMMON_GF            0x0c
#define COMMON_STATUS        0x14
#define COMMON_CFG_GEN       0x15
#define COMMON_Q_SELECT      0x16
#define COMMON_Q_SIZE        0x18
#define COMMON_Q_ENABLE      0x1c
#define COMMON_Q_NOTIFY_OFF  0x1e
#define COMMON_Q_DESC        0x20
#define COMMON_Q_DRIVER      0x28
#define COMMON_Q_DEVICE      0x30

/* Legacy I/O registers. */
#define LEGACY_DF            0x00
#define LEGACY_GF            0x04
#define LEGACY_Q_PFN         0x08
#define LEGACY_Q_SIZE        0x0c
#define LEGACY_Q_SELECT      0x0e
#define LEGACY_Q_NOTIFY      0x10
#define LEGACY_STATUS        0x12
#define LEGACY_ISR           0x13
#define LEGACY_CONFIG        0x14

#define VRING_ALIGN          4096    /* the legacy interface requires this */

#define barrier() __asm__ volatile("" ::: "memory")
#define mfence()  __asm__ volatile("mfence" ::: "memory")

/* Finds the modern capabilities and maps their BARs; false if one is missing. */
static bool
find_modern(struct virtio_dev *vdev)
{
	struct pci_dev *pdev = vdev->pci;
	volatile uint8_t *bars[6] = { 0 };
	volatile uint8_t **where[5] = { NULL, &vdev->common, &vdev->notify_base, &vdev->isr,
					&vdev->device };
	unsigned cap = 0;

	while ((cap = pci_find_capability(pdev, PCI_CAP_ID_VENDOR, cap)) != 0) {
		uint8_t type = pci_config_read8(pdev, cap + CAP_CFG_TYPE);
		uint8_t bar = pci_config_read8(pdev, cap + CAP_BAR);
		uint32_t offset = pci_config_read32(pdev, cap + CAP_OFFSET);
		/* The first capability of each type is the one to use (4.1.4.1). */
		if (type < CFG_COMMON || type > CFG_DEVICE || bar > 5 || *where[type])
			continue;
		if (!bars[bar] && !(bars[bar] = (volatile uint8_t *)pci_map_bar(pdev, bar)))
			continue;
		*where[type] = bars[bar] + offset;
		if (type == CFG_NOTIFY)
			vdev->notify_mult = pci_config_read32(pdev, cap + CAP_NOTIFY_MULT);
	}
	return vdev->common && vdev->notify_base && vdev->isr && vdev->device;
}

/*
 * Prepares vdev for pdev: modern registers when allow_modern and the
 * device has them, else the legacy I/O BAR. Turns on bus mastering.
 * Returns 0, or -ENODEV when neither interface is usable.
 */
int
virtio_pci_init(struct virtio_dev *vdev, struct pci_dev *pdev, bool allow_modern)
{
	struct pci_bar bar0;

	*vdev = (struct virtio_dev){ .pci = pdev };
	pci_enable_bus_master(pdev);
	if (allow_modern && find_modern(vdev)) {
		vdev->modern = true;
		return 0;
	}
	vdev->common = vdev->isr = vdev->device = vdev->notify_base = NULL;
	if (pci_bar(pdev, 0, &bar0) || !bar0.io || bar0.size < LEGACY_CONFIG)
		return -ENODEV;
	vdev->io = (uint16_t)bar0.base;
	return 0;
}

static uint8_t
get_status(struct virtio_dev *vdev)
{
	if (vdev->modern)
		return mmio_read8(vdev->common + COMMON_STATUS);
	return inb(vdev->io + LEGACY_STATUS);
}

static void
set_status(struct virtio_dev *vdev, uint8_t status)
{
	if (vdev->modern)
		mmio_write8(vdev->common + COMMON_STATUS, status);
	else
		outb(vdev->io + LEGACY_STATUS, status);
}

/*
 * Resets the device and agrees on features (3.1.1 steps 1-6): the device's
 * features that are also in wanted, plus VERSION_1 on the modern
 * interface (which requires it). Stores them in *accepted. Returns 0, or
 * -ENODEV when the device refuses (FEATURES_OK does not stick).
 */
int
virtio_negotiate(struct virtio_dev *vdev, uint64_t wanted, uint64_t *accepted)
{
	uint64_t offered;

	set_status(vdev, 0);
	/* A modern device may take a while to reset: it reads 0 once done. */
	for (int i = 0; i < 1000000 && get_status(vdev) != 0; i++)
		pause();
	set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	if (!vdev->modern) {
		/* Legacy has 32 feature bits and no FEATURES_OK handshake. */
		offered = inl(vdev->io + LEGACY_DF);
		vdev->offered = offered;
		*accepted = vdev->features = offered & wanted & 0xffffffffu;
		outl(vdev->io + LEGACY_GF, (uint32_t)*accepted);
		return 0;
	}
	mmio_write32(vdev->common + COMMON_DFSELECT, 0);
	offered = mmio_read32(vdev->common + COMMON_DF);
	mmio_write32(vdev->common + COMMON_DFSELECT, 1);
	offered |= (uint64_t)mmio_read32(vdev->common + COMMON_DF) << 32;
	vdev->offered = offered;
	if (!(offered & (1UL << VIRTIO_F_VERSION_1)))
		return -ENODEV;
	*accepted = vdev->features = offered & (wanted | 1UL << VIRTIO_F_VERSION_1);
	mmio_write32(vdev->common + COMMON_GFSELECT, 0);
	mmio_write32(vdev->common + COMMON_GF, (uint32_t)*accepted);
	mmio_write32(vdev->common + COMMON_GFSELECT, 1);
	mmio_write32(vdev->common + COMMON_GF, (uint32_t)(*accepted >> 32));
	set_status(vdev, get_status(vdev) | VIRTIO_STATUS_FEATURES_OK);
	if (!(get_status(vdev) & VIRTIO_STATUS_FEATURES_OK))
		return -ENODEV;
	return 0;
}

static void
write64(volatile uint8_t *reg, uint64_t v)
{
	mmio_write32(reg, (uint32_t)v);
	mmio_write32(reg + 4, (uint32_t)(v >> 32));
}

/*
 * Allocates queue index of the size the device offers (at most max_size on
 * the modern interface; legacy devices dictate it) and tells the device
 * where it is. The ring features agreed by virtio_negotiate() apply to
 * it. Returns 0, -ENOENT (no such queue) or -ENOMEM.
 */
int
virtio_setup_queue(struct virtio_dev *vdev, struct virtq *vq, uint16_t index, uint16_t max_size)
{
	uint16_t size;
	size_t used_off, bytes;
	unsigned order = 0;
	uint8_t *base;

	if (vdev->modern) {
		mmio_write16(vdev->common + COMMON_Q_SELECT, index);
		size = mmio_read16(vdev->common + COMMON_Q_SIZE);
		/* Split queue sizes are powers of 2 (2.6). */
		while (size > max_size)
			size >>= 1;
	} else {
		outw(vdev->io + LEGACY_Q_SELECT, index);
		size = inw(vdev->io + LEGACY_Q_SIZE);
	}
	if (size == 0)
		return -ENOENT;
	used_off = ALIGN_UP(sizeof(struct virtq_desc) * size + sizeof(uint16_t) * (3 + size), VRING_ALIGN);
	bytes = used_off + sizeof(uint16_t) * 3 + sizeof(struct virtq_used_elem) * size;
	while ((PAGE_SIZE << order) < bytes)
		order++;

	*vq = (struct virtq){ .index = index, .size = size, .order = order, .num_free = size };
	vq->pages = pmm_alloc_pages(order);
	vq->cookies = kzalloc(sizeof(void *) * size);
	if (!vq->pages || !vq->cookies) {
		if (vq->pages)
			pmm_free_pages(vq->pages, order);
		kfree(vq->cookies);
		return -ENOMEM;
	}
	base = page_address(vq->pages);
	memset(base, 0, PAGE_SIZE << order);
	vq->desc = (struct virtq_desc *)base;
	vq->avail = (struct virtq_avail *)(base + sizeof(struct virtq_desc) * size);
	vq->used = (struct virtq_used *)(base + used_off);
	/* The event fields sit just past each ring (the layout above). */
	vq->event_idx = vdev->features & 1UL << VIRTIO_F_EVENT_IDX;
	vq->used_event = &vq->avail->ring[size];
	vq->avail_event = (volatile uint16_t *)&vq->used->ring[size];
	for (uint16_t i = 0; i + 1 < size; i++)
		vq->desc[i].next = i + 1;

	if (vdev->modern) {
		paddr_t pa = page_to_phys(vq->pages);
		mmio_write16(vdev->common + COMMON_Q_SIZE, size);
		write64(vdev->common + COMMON_Q_DESC, pa);
		write64(vdev->common + COMMON_Q_DRIVER, pa + ((uint8_t *)vq->avail - base));
		write64(vdev->common + COMMON_Q_DEVICE, pa + used_off);
		vq->notify = vdev->notify_base +
			mmio_read16(vdev->common + COMMON_Q_NOTIFY_OFF) * vdev->notify_mult;
		mmio_write16(vdev->common + COMMON_Q_ENABLE, 1);
	} else {
		outl(vdev->io + LEGACY_Q_PFN, (uint32_t)(page_to_phys(vq->pages) >> PAGE_SHIFT));
	}
	return 0;
}

/* The driver is ready (3.1.1 step 8): the device may now use the queues. */
void
virtio_driver_ok(struct virtio_dev *vdev)
{
	set_status(vdev, get_status(vdev) | VIRTIO_STATUS_DRIVER_OK);
}

/* Gives up on the device: it stops using our memory. */
void
virtio_fail(struct virtio_dev *vdev)
{
	set_status(vdev, 0);
	set_status(vdev, VIRTIO_STATUS_FAILED);
}

/* Reads (and so clears, which lowers the INTx line) the ISR status. */
uint8_t
virtio_isr(struct virtio_dev *vdev)
{
	if (vdev->modern)
		return mmio_read8(vdev->isr);
	return inb(vdev->io + LEGACY_ISR);
}

/* A 32-bit field of the device-specific configuration. */
uint32_t
virtio_config_read32(struct virtio_dev *vdev, unsigned off)
{
	uint8_t gen;
	uint32_t v;

	if (!vdev->modern)
		return inl((uint16_t)(vdev->io + LEGACY_CONFIG + off));
	do {
		gen = mmio_read8(vdev->common + COMMON_CFG_GEN);
		v = mmio_read32(vdev->device + off);
	} while (gen != mmio_read8(vdev->common + COMMON_CFG_GEN));
	return v;
}

/* A 64-bit field, read as two halves; on the modern interface the
 * generation counter tells whether the device changed it in between. */
uint64_t
virtio_config_read64(struct virtio_dev *vdev, unsigned off)
{
	uint8_t gen;
	uint64_t v;

	if (!vdev->modern)
		return inl((uint16_t)(vdev->io + LEGACY_CONFIG + off)) |
		       (uint64_t)inl((uint16_t)(vdev->io + LEGACY_CONFIG + off + 4)) << 32;
	do {
		gen = mmio_read8(vdev->common + COMMON_CFG_GEN);
		v = mmio_read32(vdev->device + off) |
		    (uint64_t)mmio_read32(vdev->device + off + 4) << 32;
	} while (gen != mmio_read8(vdev->common + COMMON_CFG_GEN));
	return v;
}

/*
 * Puts a chain of n buffers (device-readable ones first) into the
 * available ring, remembering cookie for virtq_get_used(). The device
 * may see it at once, but is only told by virtq_kick(). Returns 0, or
 * -ENOSPC when fewer than n descriptors are free. Interrupts off.
 */
int
virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie)
{
	uint16_t head = vq->free_head, i = head, last = head;
	volatile uint16_t *avail_idx = &vq->avail->idx;

	if (n == 0 || n > vq->num_free)
		return -ENOSPC;
	for (unsigned k = 0; k < n; k++) {
		struct virtq_desc *d = &vq->desc[i];
		d->addr = bufs[k].addr;
		d->len = bufs[k].len;
		d->flags = (uint16_t)((bufs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
				      (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		last = i;
		i = d->next;
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free -= (uint16_t)n;
	vq->cookies[head] = cookie;
	vq->avail->ring[*avail_idx % vq->size] = head;
	barrier();                      /* the chain and its ring slot before the index */
	*avail_idx = *avail_idx + 1;
	vq->num_added++;
	return 0;
}

/*
 * Tells the device to look at the available ring, if chains were added
 * since it was last told and it asked to be told. Under QEMU's TCG the
 * notification is a trap into the device model, which takes every chain
 * in the ring at once: one notification for many chains is the point of
 * adding them first. With EVENT_IDX the device asked to be told only
 * when avail.idx passes avail_event (it is still busy up to there);
 * without it, its NO_NOTIFY flag says the same more crudely. Interrupts
 * off.
 */
enum virtq_kick_result
virtq_kick(struct virtio_dev *vdev, struct virtq *vq)
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
	if (!wanted)
		return VIRTQ_NOT_NEEDED;
	if (vdev->modern)
		mmio_write16(vq->notify, vq->index);
	else
		outw(vdev->io + LEGACY_Q_NOTIFY, vq->index);
	return VIRTQ_NOTIFIED;
}

/*
 * Takes the next chain the device has finished: frees its descriptors
 * and returns its cookie, or NULL when there is none. Interrupts off.
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
 * for: the caller takes it now (the loop of virtio 1.1 2.6.14's note).
 * Interrupts off.
 */
bool
virtq_enable_interrupts(struct virtq *vq)
{
	if (vq->event_idx)
		*vq->used_event = vq->last_used;
	mfence();                       /* used_event visible before we look at used.idx again */
	return vq->last_used == *(volatile uint16_t *)&vq->used->idx;
}
