/*
 * drivers/virtio.c - the virtio PCI transport (virtio 1.1: 4.1 PCI, 3.1
 * device initialization).
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
 * The rings themselves are drivers/virtq.c's. This file does not know
 * what the buffers mean; drivers/virtio_blk.c does.
 */
#include "drivers/virtio.h"
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
	int err;

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
	err = virtq_alloc(vq, index, size, vdev->features);
	if (err)
		return err;
	if (vdev->modern) {
		mmio_write16(vdev->common + COMMON_Q_SIZE, size);
		write64(vdev->common + COMMON_Q_DESC, virtq_phys(vq, vq->desc));
		write64(vdev->common + COMMON_Q_DRIVER, virtq_phys(vq, vq->avail));
		write64(vdev->common + COMMON_Q_DEVICE, virtq_phys(vq, vq->used));
		vq->notify = vdev->notify_base +
			mmio_read16(vdev->common + COMMON_Q_NOTIFY_OFF) * vdev->notify_mult;
		mmio_write16(vdev->common + COMMON_Q_ENABLE, 1);
	} else {
		/* The legacy interface takes the whole block by its frame number. */
		outl(vdev->io + LEGACY_Q_PFN, (uint32_t)(virtq_phys(vq, vq->desc) >> PAGE_SHIFT));
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
 * Tells the device to look at vq's available ring (after virtq_kick_prepare()
 * said it must): a write to the queue's notify address, or the legacy
 * notify register. Any interrupt state.
 */
void
virtio_notify(struct virtio_dev *vdev, struct virtq *vq)
{
	if (vdev->modern)
		mmio_write16(vq->notify, vq->index);
	else
		outw(vdev->io + LEGACY_Q_NOTIFY, vq->index);
}
