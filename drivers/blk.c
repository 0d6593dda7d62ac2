/*
 * drivers/blk.c - the block layer: named devices, MBR partitions, request
 * checking and accounting, and a synchronous helper.
 *
 *   ext2 / swap / tests ---> blk_submit(req) --(partition -> disk sector,
 *   bounds, counters)--> disk->ops->submit() ---> ATA or virtio-blk
 *                                                   |  interrupt
 *   req->done(req) <--------- blk_complete() <------+
 *
 * Partitions (MBR, the classic PC partition table in sector 0) become
 * devices of their own: "hda1" starts at some sector of "hda". Every
 * device counts its requests and sectors, so a test can see how many disk
 * reads a piece of work took.
 */
#include "drivers/blk.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/vmstat.h"

static struct list_head devices = LIST_HEAD_INIT(devices);

struct mbr_entry {
	uint8_t status, chs_first[3], type, chs_last[3];
	uint32_t lba_first, nsectors;
} __packed;

static void
add_device(struct blk_device *dev)
{
	uint64_t flags = irq_save();

	list_add_tail(&dev->link, &devices);
	irq_restore(flags);
}

/* Reads the MBR of disk and registers each primary partition as a device. */
static void
scan_partitions(struct blk_device *disk)
{
	uint8_t *mbr = kmalloc(SECTOR_SIZE);
	const struct mbr_entry *e;

	if (!mbr)
		return;
	if (blk_rw(disk, BLK_READ, 0, mbr, SECTOR_SIZE) != 0 || mbr[510] != 0x55 || mbr[511] != 0xaa) {
		kfree(mbr);
		return;
	}
	e = (const struct mbr_entry *)(mbr + 446);
	for (int i = 0; i < 4; i++) {
		if (e[i].type == 0 || e[i].nsectors == 0)
			continue;
		if ((uint64_t)e[i].lba_first + e[i].nsectors > disk->nsectors) {
			pr_warn("blk: %s: partition %d runs past the end of the disk; ignored\n",
				disk->name, i + 1);
			continue;
		}
		struct blk_device *p = kzalloc(sizeof(*p));
		if (!p)
			break;
		snprintf(p->name, sizeof(p->name), "%s%d", disk->name, i + 1);
		p->disk = disk;
		p->start_sector = e[i].lba_first;
		p->nsectors = e[i].nsectors;
		p->read_only = disk->read_only;
		add_device(p);
		pr_info("blk: %s: sectors %lu-%lu (%lu MiB), type %#x\n", p->name, p->start_sector,
			p->start_sector + p->nsectors - 1, p->nsectors >> 11, e[i].type);
	}
	kfree(mbr);
}

/*
 * Makes a whole disk known (name, nsectors, ops set by its driver) and
 * registers its partitions. Needs interrupts on: it reads sector 0.
 */
int
blk_register_disk(struct blk_device *disk)
{
	disk->disk = disk;
	disk->start_sector = 0;
	add_device(disk);
	pr_info("blk: %s: %lu sectors (%lu MiB)%s\n", disk->name, disk->nsectors,
		disk->nsectors >> 11, disk->read_only ? ", read-only" : "");
	scan_partitions(disk);
	return 0;
}

struct blk_device *
blk_find(const char *name)
{
	struct list_head *pos;

	list_for_each(pos, &devices) {
		struct blk_device *d = list_entry(pos, struct blk_device, link);
		if (strcmp(d->name, name) == 0)
			return d;
	}
	return NULL;
}

/* The first whole disk registered, or NULL. */
struct blk_device *
blk_first_disk(void)
{
	struct list_head *pos;

	list_for_each(pos, &devices) {
		struct blk_device *d = list_entry(pos, struct blk_device, link);
		if (d->disk == d)
			return d;
	}
	return NULL;
}

void
blk_for_each(void (*fn)(struct blk_device *dev, void *arg), void *arg)
{
	struct list_head *pos;

	list_for_each(pos, &devices)
		fn(list_entry(pos, struct blk_device, link), arg);
}

/*
 * Checks a request and hands it to the disk's driver. Returns 0 (done()
 * will be called), or -EINVAL (bad shape), -ENXIO (past the end), -EROFS,
 * or the driver's error (done() will not be called).
 */
int
blk_submit(struct blk_request *req)
{
	struct blk_device *dev = req->dev, *disk = dev->disk;
	uint64_t bytes = 0;

	if (req->nsegs == 0 || req->nsegs > BLK_MAX_SEGS)
		return -EINVAL;
	for (uint32_t i = 0; i < req->nsegs; i++) {
		const struct blk_segment *s = &req->segs[i];
		vaddr_t va = (vaddr_t)s->buf;
		if (s->len == 0 || s->len % SECTOR_SIZE ||
		    ALIGN_DOWN(va, PAGE_SIZE) != ALIGN_DOWN(va + s->len - 1, PAGE_SIZE))
			return -EINVAL;
		bytes += s->len;
	}
	req->nsectors = (uint32_t)(bytes >> SECTOR_SHIFT);
	if (req->sector + req->nsectors > dev->nsectors || req->sector + req->nsectors < req->sector)
		return -ENXIO;
	if (req->op == BLK_WRITE && dev->read_only)
		return -EROFS;
	req->disk_sector = dev->start_sector + req->sector;
	req->status = 0;
	vmstat[req->op == BLK_READ ? PGPGIN : PGPGOUT] += req->nsectors / 2;
	for (struct blk_device *d = dev;; d = disk) {
		d->nr_requests++;
		if (req->op == BLK_READ)
			d->sectors_read += req->nsectors;
		else
			d->sectors_written += req->nsectors;
		if (d == disk)
			break;
	}
	return disk->ops->submit(disk, req);
}

/* Drivers call this when a request is over (interrupt context is fine). */
void
blk_complete(struct blk_request *req, int status)
{
	req->status = status;
	if (status) {
		req->dev->nr_errors++;
		if (req->dev != req->dev->disk)
			req->dev->disk->nr_errors++;
	}
	if (req->done)
		req->done(req);
}

struct sync_wait {
	struct wait_queue wq;
	volatile bool finished;
};

static void
sync_done(struct blk_request *req)
{
	struct sync_wait *w = req->private;

	w->finished = true;
	wait_wake_all(&w->wq);
}

/*
 * Reads or writes len bytes (whole sectors) at sector and sleeps until
 * the disk is done. buf may cross pages: it is cut into segments. Returns
 * 0 or -errno (-EIO when the disk reported an error).
 */
int
blk_rw(struct blk_device *dev, enum blk_op op, uint64_t sector, void *buf, size_t len)
{
	struct blk_request *req = kzalloc(sizeof(*req));
	struct sync_wait w = { .finished = false };
	char *p = buf;
	int err;

	if (!req)
		return -ENOMEM;
	wait_init(&w.wq);
	while (len > 0 && req->nsegs < BLK_MAX_SEGS) {
		uint32_t chunk = (uint32_t)MIN(len, PAGE_SIZE - ((vaddr_t)p & (PAGE_SIZE - 1)));
		req->segs[req->nsegs++] = (struct blk_segment){ p, chunk };
		p += chunk;
		len -= chunk;
	}
	if (len > 0) {
		kfree(req);
		return -EINVAL;
	}
	req->dev = dev;
	req->op = op;
	req->sector = sector;
	req->done = sync_done;
	req->private = &w;
	err = blk_submit(req);
	if (!err) {
		uint64_t flags = irq_save();
		while (!w.finished)
			wait_sleep(&w.wq);
		irq_restore(flags);
		err = req->status;
	}
	kfree(req);
	return err;
}
