/*
 * drivers/virtio_blk.c - virtio block devices (virtio 1.1, section 5.2).
 *
 * Each block request becomes one descriptor chain on queue 0:
 *
 *   +--------------------+   +-----------+       +-----------+   +--------+
 *   | header: type,      |-->| segment 0 |--...->| segment n |-->| status |
 *   | sector (16 bytes)  |   |           |       |           |   | 1 byte |
 *   +--------------------+   +-----------+       +-----------+   +--------+
 *     device reads             device writes them on a read,      device
 *                              reads them on a write               writes
 *
 * The header and status byte live in a slot of ours (one per request in
 * flight); the segments are the submitter's buffers, used in place. Many
 * requests are in the ring at once; the device finishes them in any
 * order, puts their heads in the used ring and raises its INTx line. The
 * interrupt handler completes them and moves requests that were waiting
 * for descriptors into the ring.
 *
 * Where it sits: blk_submit() (drivers/blk.c) -> vblk_submit() here ->
 * the ring (drivers/virtio.c) -> the device -> virtio_blk_irq() ->
 * blk_complete(). This file does not know about swap or ext2.
 */
#include "drivers/virtio_blk.h"
#include "drivers/fw_cfg.h"
#include "drivers/pic.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/pmm.h"

#define VIRTIO_BLK_DEVICE_LEGACY  0x1001    /* transitional: both interfaces */
#define VIRTIO_BLK_DEVICE_MODERN  0x1042    /* 0x1040 + device type 2 */

/* Feature bits (5.2.3) and the configuration layout (5.2.4). */
#define VIRTIO_BLK_F_SEG_MAX   2
#define VIRTIO_BLK_F_RO        5
#define VIRTIO_BLK_F_BLK_SIZE  6
/*
 * The device has a volatile write cache, and we send flushes when data
 * must be on the medium (blk_flush()). Without it QEMU must assume a
 * driver that never flushes and writes through: it makes the host sync
 * its file after every write request (an fdatasync each, about 0.25 ms
 * here), which made swap-out slower on virtio than on IDE, whose write
 * cache is on from the start (docs/bench.md).
 */
#define VIRTIO_BLK_F_FLUSH     9
#define CONFIG_CAPACITY        0            /* le64, in 512-byte sectors */
#define CONFIG_SEG_MAX         12
#define CONFIG_BLK_SIZE        20

/* Request types and status values (5.2.6). */
#define VIRTIO_BLK_T_IN        0
#define VIRTIO_BLK_T_OUT       1
#define VIRTIO_BLK_T_FLUSH     4
#define VIRTIO_BLK_S_OK        0
#define VIRTIO_BLK_S_IOERR     1

/*
 * The ring: as long as QEMU 7.2 offers (its queue-size property, 256 by
 * default; the legacy interface always takes the device's size, so both
 * interfaces now get the same ring). With indirect descriptors a request
 * takes one entry, and the slots below bound what is in flight; without
 * them a request of 32 pages takes 34 entries, and 256 hold seven.
 */
#define MAX_QUEUE_SIZE         256
#define MAX_DISKS              8

struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/*
 * Per request in flight, in memory the device reads and writes: the
 * header, the status byte and, with indirect descriptors, the chain
 * itself (header, up to BLK_MAX_SEGS segments, status: 34 descriptors).
 * Made once at probe, so starting a request never allocates: reclaim
 * writes to swap through here when memory is shortest (mm/mempool.c).
 */
struct virtio_blk_slot {
	struct virtq_desc table[BLK_MAX_SEGS + 2];   /* the chain, when indirect */
	struct virtio_blk_req_hdr hdr;       /* the device reads it */
	uint8_t status;                      /* the device writes it */
	union {                              /* in flight: its request; free: the next free slot */
		struct blk_request *req;
		struct virtio_blk_slot *next_free;
	};
};
_Static_assert(sizeof(struct virtio_blk_slot) == 576, "seven slots to a page");

/*
 * 64 KiB of slots, 113 requests in flight at most per disk: more than
 * reclaim puts there at once (kswapd and a direct reclaimer, each with a
 * batch of 32 pages in as many runs, plus readahead; docs/storage.md has
 * the peaks measured). Requests beyond wait in the driver's queue.
 */
#define SLOT_AREA_ORDER        4
#define MAX_SLOTS              ((PAGE_SIZE << SLOT_AREA_ORDER) / sizeof(struct virtio_blk_slot))

static struct virtio_blk *disks[MAX_DISKS];
static unsigned ndisks;
static uint16_t irqs_registered;              /* bit n: our handler is on IRQ n */

static int vblk_submit(struct blk_device *disk, struct blk_request *req);
static void vblk_commit(struct blk_device *disk);
static void vblk_report(struct blk_device *disk);
static const struct blk_ops virtio_blk_ops = {
	.submit = vblk_submit, .commit = vblk_commit, .report = vblk_report,
};

/* The driver's state for dev (a virtio disk or one of its partitions), or NULL. */
struct virtio_blk *
virtio_blk_of(struct blk_device *dev)
{
	if (!dev || !dev->disk || dev->disk->ops != &virtio_blk_ops)
		return NULL;
	return dev->disk->driver_data;
}

/* Ring descriptors req takes: one with indirect descriptors, else one per buffer. */
static unsigned
descs_needed(const struct virtio_blk *vb, const struct blk_request *req)
{
	return vb->vq.indirect ? 1 : req->nsegs + 2;
}

static uint32_t
request_type(enum blk_op op)
{
	return op == BLK_READ ? VIRTIO_BLK_T_IN : op == BLK_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
}

/*
 * Appends req's segments to bufs[0..n) and returns the new count. A
 * segment that starts in physical memory where the one before it ends
 * goes into that one's buffer, as Linux's block layer merges segments
 * (blk_rq_map_sg()): one descriptor instead of two, which the device then
 * maps once. Frames freed and allocated again are often neighbours:
 * seqtouch's swap I/O had 24,881 of its 40,454 pages merged so.
 */
static unsigned
add_segments(struct virtio_blk *vb, const struct blk_request *req, struct virtq_buf *bufs,
	     unsigned n)
{
	for (uint32_t i = 0; i < req->nsegs; i++) {
		paddr_t pa = virt_to_phys(req->segs[i].buf);
		struct virtq_buf *last = &bufs[n - 1];
		if (i > 0 && last->addr + last->len == pa) {
			last->len += req->segs[i].len;
			vb->merged++;
		} else {
			bufs[n++] = (struct virtq_buf){ pa, req->segs[i].len, req->op == BLK_READ };
		}
	}
	return n;
}

/* Puts req into the ring. Returns 0, or -ENOSPC (no free slot or not
 * enough free descriptors: it must wait). Interrupts off. */
static int
start_request(struct virtio_blk *vb, struct blk_request *req)
{
	struct virtq_buf bufs[BLK_MAX_SEGS + 2];
	struct virtio_blk_slot *slot = vb->free_slots;
	unsigned n = 0;
	int err;

	if (!slot || vb->vq.num_free < descs_needed(vb, req))
		return -ENOSPC;
	slot->hdr = (struct virtio_blk_req_hdr){ .type = request_type(req->op) };
	if (req->op != BLK_FLUSH)
		slot->hdr.sector = req->disk_sector;
	slot->status = 0xff;                 /* not a status the device gives */
	bufs[n++] = (struct virtq_buf){ virt_to_phys(&slot->hdr), sizeof(slot->hdr), false };
	n = add_segments(vb, req, bufs, n);
	bufs[n++] = (struct virtq_buf){ virt_to_phys(&slot->status), 1, true };
	vb->free_slots = slot->next_free;
	slot->req = req;                     /* over next_free: the slot is taken */
	if (vb->vq.indirect)
		err = virtq_add_indirect(&vb->vq, bufs, n, slot->table, slot);
	else
		err = virtq_add(&vb->vq, bufs, n, slot);
	ASSERT(err == 0);                    /* the room was checked above */
	vb->in_flight++;
	vb->max_in_flight = MAX(vb->max_in_flight, vb->in_flight);
	return 0;
}

/* Moves waiting requests into the ring, oldest first, while they fit.
 * The device is not told yet (kick()). Interrupts off. */
static void
start_waiting(struct virtio_blk *vb)
{
	while (!list_empty(&vb->waiting)) {
		struct blk_request *req = list_first_entry(&vb->waiting, struct blk_request, queue);
		if (start_request(vb, req) != 0)
			break;
		list_del(&req->queue);
	}
}

/* Tells the device about the requests put into the ring since the last
 * time, if it wants to hear. Interrupts off. */
static void
kick(struct virtio_blk *vb)
{
	switch (virtq_kick_prepare(&vb->vq)) {
	case VIRTQ_NOTIFY:
		virtio_notify(&vb->vdev, &vb->vq);
		vb->kicks++;
		break;
	case VIRTQ_NOTIFY_NOT_NEEDED:
		vb->kicks_not_needed++;
		break;
	case VIRTQ_NOTHING_NEW:
		break;
	}
}

/*
 * blk_ops.submit: queues req behind any waiting ones and puts what fits
 * into the ring, without telling the device: vblk_commit() does, once
 * for all the requests of a plug (drivers/blk.c). Never waits. Returns
 * 0, or -EINVAL for more segments than the device takes. Any interrupt
 * state.
 */
static int
vblk_submit(struct blk_device *disk, struct blk_request *req)
{
	struct virtio_blk *vb = disk->driver_data;
	uint64_t flags;

	/* More than the device takes, or than the ring could ever hold: never. */
	if (req->nsegs > vb->seg_max || descs_needed(vb, req) > vb->vq.size)
		return -EINVAL;
	flags = irq_save();
	if (req->op == BLK_FLUSH && !(vb->features & 1UL << VIRTIO_BLK_F_FLUSH)) {
		blk_complete(req, 0);        /* no write cache: nothing to flush */
		irq_restore(flags);
		return 0;
	}
	vb->requests++;
	list_add_tail(&req->queue, &vb->waiting);
	start_waiting(vb);
	if (!list_empty(&vb->waiting))
		vb->waited++;                /* req, or one before it, is still waiting */
	irq_restore(flags);
	return 0;
}

/* blk_ops.commit: the device hears of every request submitted since the last commit. */
static void
vblk_commit(struct blk_device *disk)
{
	struct virtio_blk *vb = disk->driver_data;
	uint64_t flags = irq_save();

	kick(vb);
	irq_restore(flags);
}

/* n / d with two decimals, as "1.25" (no floating point in the kernel). */
static void
format_ratio(char *buf, size_t size, uint64_t n, uint64_t d)
{
	uint64_t hundredths = d ? n * 100 / d : 0;

	snprintf(buf, size, "%lu.%02lu", hundredths / 100, hundredths % 100);
}

/*
 * blk_ops.report: what the driver counted for disk since boot, one line:
 * how often it told the device about new requests (kicks) and how often
 * the device interrupted, per request; the deepest the queue got.
 */
static void
vblk_report(struct blk_device *disk)
{
	struct virtio_blk *vb = disk->driver_data;
	char kicks[16], irqs[16];

	format_ratio(kicks, sizeof(kicks), vb->kicks, vb->requests);
	format_ratio(irqs, sizeof(irqs), vb->interrupts, vb->requests);
	printk("virtio-blk: %s: %lu requests, %lu kicks (%s per request; %lu more not needed), "
	       "%lu interrupts (%s), %u in flight at most, %lu waited for room, %lu segments merged\n",
	       disk->name, vb->requests, vb->kicks, kicks, vb->kicks_not_needed, vb->interrupts, irqs,
	       vb->max_in_flight, vb->waited, vb->merged);
}

/* Completes one request the device has finished, and frees its slot. Interrupts off. */
static void
complete_slot(struct virtio_blk *vb, struct virtio_blk_slot *slot)
{
	struct blk_request *req = slot->req;
	uint8_t status = slot->status;

	slot->next_free = vb->free_slots;    /* over req: the slot is free */
	vb->free_slots = slot;
	vb->in_flight--;
	if (status != VIRTIO_BLK_S_OK)
		pr_err("virtio-blk: %s: %s of sector %lu failed (status %u)\n", vb->blk.name,
		       req->op == BLK_READ ? "read" : req->op == BLK_WRITE ? "write" : "flush",
		       req->disk_sector, status);
	blk_complete(req, status == VIRTIO_BLK_S_OK ? 0 : -EIO);
}

/*
 * Completes every request the device has finished, until the device is
 * asked to interrupt for the next one with none finished unseen; then
 * moves waiting requests into the room they left. Interrupts off.
 */
static void
complete_finished(struct virtio_blk *vb)
{
	struct virtio_blk_slot *slot;

	do {
		while ((slot = virtq_get_used(&vb->vq)) != NULL)
			complete_slot(vb, slot);
	} while (!virtq_enable_interrupts(&vb->vq));
	start_waiting(vb);
	kick(vb);                            /* for what just got room: nobody else will */
}

/*
 * The interrupt handler for every IRQ line a virtio disk uses. Lines are
 * shared (PCI INTx, and pic.c keeps one handler per line), so it asks
 * each disk: reading the ISR byte tells whether it interrupted and also
 * lowers its line, which must happen before the EOI or the
 * level-triggered line fires again at once.
 */
static void
virtio_blk_irq(void)
{
	for (unsigned i = 0; i < ndisks; i++) {
		struct virtio_blk *vb = disks[i];
		if (!(virtio_isr(&vb->vdev) & VIRTIO_ISR_QUEUE))
			continue;
		vb->interrupts++;
		complete_finished(vb);
	}
}

/* n zeroed slots on a free list, in frames of their own (the device reads them). */
static struct virtio_blk_slot *
alloc_slots(unsigned n)
{
	struct virtio_blk_slot *slots;
	struct page *p;
	unsigned order = 0;

	while ((PAGE_SIZE << order) < n * sizeof(struct virtio_blk_slot))
		order++;
	p = pmm_alloc_pages(order);
	if (!p)
		return NULL;
	slots = page_address(p);
	memset(slots, 0, PAGE_SIZE << order);
	for (unsigned i = 0; i + 1 < n; i++)
		slots[i].next_free = &slots[i + 1];
	return slots;
}

/*
 * Brings up one device (virtio 1.1, 3.1.1): negotiate, set up queue 0,
 * install the interrupt handler, DRIVER_OK, then register the disk.
 * Returns 0 or -errno (the device is then marked FAILED).
 */
static int
probe(struct pci_dev *pdev, bool allow_modern)
{
	uint64_t wanted = 1UL << VIRTIO_BLK_F_SEG_MAX | 1UL << VIRTIO_BLK_F_RO |
			  1UL << VIRTIO_BLK_F_BLK_SIZE | 1UL << VIRTIO_BLK_F_FLUSH |
			  1UL << VIRTIO_F_EVENT_IDX |
			  1UL << VIRTIO_F_INDIRECT_DESC;
	struct virtio_blk *vb;
	unsigned nslots;
	int err;

	if (ndisks == MAX_DISKS)
		return -ENOSPC;
	if (pdev->irq_pin == 0 || pdev->irq_line >= 16)
		return -ENODEV;                   /* we only do INTx through the 8259 */
	vb = kzalloc(sizeof(*vb));
	if (!vb)
		return -ENOMEM;
	list_init(&vb->waiting);
	err = virtio_pci_init(&vb->vdev, pdev, allow_modern);
	if (err) {
		kfree(vb);                        /* no registers to tell it anything through */
		return err;
	}
	err = virtio_negotiate(&vb->vdev, wanted, &vb->features);
	if (!err)
		err = virtio_setup_queue(&vb->vdev, &vb->vq, 0, MAX_QUEUE_SIZE);
	if (err)
		goto fail;
	/* A request takes one descriptor of the ring when indirect, else at least three. */
	nslots = MIN(vb->vq.indirect ? vb->vq.size : MAX(vb->vq.size / 3, 1u), (unsigned)MAX_SLOTS);
	vb->nslots = nslots;
	vb->slots = vb->free_slots = alloc_slots(nslots);
	if (!vb->slots) {
		err = -ENOMEM;
		goto fail;
	}
	vb->seg_max = BLK_MAX_SEGS;
	if (vb->features & 1UL << VIRTIO_BLK_F_SEG_MAX)
		vb->seg_max = MIN(MAX(virtio_config_read32(&vb->vdev, CONFIG_SEG_MAX), 1u),
				  (uint32_t)BLK_MAX_SEGS);
	if (vb->features & 1UL << VIRTIO_BLK_F_BLK_SIZE &&
	    virtio_config_read32(&vb->vdev, CONFIG_BLK_SIZE) != SECTOR_SIZE)
		pr_notice("virtio-blk: logical block size %u; we still address 512-byte sectors\n",
			  virtio_config_read32(&vb->vdev, CONFIG_BLK_SIZE));

	snprintf(vb->blk.name, sizeof(vb->blk.name), "vd%c", 'a' + ndisks);
	vb->blk.nsectors = virtio_config_read64(&vb->vdev, CONFIG_CAPACITY);
	vb->blk.read_only = vb->features & 1UL << VIRTIO_BLK_F_RO;
	vb->blk.ops = &virtio_blk_ops;
	vb->blk.driver_data = vb;

	uint64_t flags = irq_save();
	disks[ndisks++] = vb;
	if (!(irqs_registered & 1u << pdev->irq_line)) {
		irqs_registered |= (uint16_t)(1u << pdev->irq_line);
		irq_register(pdev->irq_line, virtio_blk_irq);
	}
	irq_restore(flags);
	virtio_driver_ok(&vb->vdev);
	pr_info("virtio-blk: %s: %lu sectors (%lu MiB), %s, queue size %u%s%s%s, irq %u%s\n",
		vb->blk.name, vb->blk.nsectors, vb->blk.nsectors >> 11,
		vb->vdev.modern ? "modern" : "legacy", vb->vq.size,
		vb->vq.event_idx ? ", event index" : "",
		vb->vq.indirect ? ", indirect descriptors" : "",
		vb->features & 1UL << VIRTIO_BLK_F_FLUSH ? ", write cache" : "", pdev->irq_line,
		vb->blk.read_only ? ", read-only" : "");
	return blk_register_disk(&vb->blk);

fail:
	virtio_fail(&vb->vdev);
	virtq_free(&vb->vq);
	kfree(vb);
	return err;
}

struct found {
	struct pci_dev *pdev[MAX_DISKS];
	unsigned n;
};

static void
collect(struct pci_dev *pdev, void *arg)
{
	struct found *f = arg;

	if (pdev->vendor == VIRTIO_VENDOR && f->n < MAX_DISKS &&
	    (pdev->device == VIRTIO_BLK_DEVICE_LEGACY || pdev->device == VIRTIO_BLK_DEVICE_MODERN))
		f->pdev[f->n++] = pdev;
}

/*
 * The event index (drivers/virtq.c) needs a full barrier between each
 * side's write and read. QEMU before 8.1 leaves the guest's barriers out
 * when the machine can only ever have one processor, and then now and
 * then an interrupt is lost and a request waits forever (docs/storage.md,
 * "A lost interrupt"); tools/qemu.sh asks for room for two. Whoever
 * starts QEMU otherwise is told why a hang may come.
 */
static void
warn_if_barriers_may_go(void)
{
	if (fw_cfg_max_cpus() != 1)
		return;
	for (unsigned i = 0; i < ndisks; i++)
		if (disks[i]->vq.event_idx) {
			pr_warn("virtio-blk: QEMU says maxcpus=1: QEMU before 8.1 then leaves out "
				"memory barriers and may lose an interrupt (docs/storage.md, \"A lost "
				"interrupt\"); start it with -smp 1,maxcpus=2\n");
			return;
		}
}

/*
 * Finds every virtio block function on the PCI bus and registers them,
 * in bus order, as vda, vdb, ... The kernel argument virtio=legacy makes
 * transitional devices use their legacy interface (to test that path).
 * Needs interrupts on: registering a disk reads its partition table.
 */
void
virtio_blk_init(void)
{
	const char *mode = karg_get("virtio");
	bool allow_modern = !(mode && strcmp(mode, "legacy") == 0);
	struct found f = { .n = 0 };

	pci_for_each(collect, &f);
	for (unsigned i = 0; i < f.n; i++) {
		struct pci_dev *pdev = f.pdev[i];
		int err = probe(pdev, allow_modern);
		if (err)
			pr_err("virtio-blk: %02x:%02x.%u: cannot use the device (error %d)\n",
			       pdev->bus, pdev->dev, pdev->fn, err);
	}
	warn_if_barriers_may_go();
}
