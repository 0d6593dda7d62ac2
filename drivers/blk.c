/*
 * drivers/blk.c - the block layer: named devices, MBR partitions, request
 * checking and accounting, a pool of requests, and batches of requests
 * submitted together and waited for together.
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
#include "drivers/blk_stats.h"
#include "kernel/errno.h"
#include "kernel/fault_inject.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/kas.h"
#include "mm/layout.h"
#include "mm/mempool.h"
#include "mm/vmstat.h"

static struct list_head devices = LIST_HEAD_INIT(devices);

struct mbr_entry {
	uint8_t status, chs_first[3], type, chs_last[3];
	uint32_t lba_first, nsectors;
} __packed;

static void
add_device(struct blk_device *dev)
{
	uint64_t flags;

	dev->make_it_fail = fault_inject_disk_mode(dev->name);
	flags = irq_save();
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
 * fail_make_request (kernel/fault_inject.c): should this request fail
 * without reaching the disk? Only on a device (or the disk of a
 * partition) marked make-it-fail for this direction, as Linux's
 * should_fail_request().
 */
static bool
injected_failure(const struct blk_request *req, uint64_t bytes)
{
	unsigned want = req->op == BLK_READ ? FAIL_READS : FAIL_WRITES;

	return ((req->dev->make_it_fail | req->dev->disk->make_it_fail) & want) &&
	       should_fail(&fail_make_request, bytes);
}

/*
 * Starts a plug: until blk_finish_plug(), the requests this task submits
 * reach their drivers, but the devices hear of them only at the end.
 * Inside another plug, the outer one does the work. Process context.
 */
void
blk_start_plug(struct blk_plug *plug)
{
	plug->ndisks = 0;
	if (!current->plug)
		current->plug = plug;
}

/* Tells each disk the plug remembers about its new requests, and forgets them. Any context. */
void
blk_flush_plug(struct blk_plug *plug)
{
	for (unsigned i = 0; i < plug->ndisks; i++)
		plug->disks[i]->ops->commit(plug->disks[i]);
	plug->ndisks = 0;
}

/* Ends a plug: the devices hear of everything submitted under it. */
void
blk_finish_plug(struct blk_plug *plug)
{
	blk_flush_plug(plug);
	if (current->plug == plug)
		current->plug = NULL;
}

/*
 * After a submit: the device hears of the request now, or, when the task
 * holds a plug with room for this disk, when the plug is flushed.
 */
static void
commit_or_plug(struct blk_device *disk)
{
	struct blk_plug *plug = current->plug;
	unsigned i;

	if (!disk->ops->commit)
		return;                       /* the driver started the request itself */
	for (i = 0; plug && i < plug->ndisks; i++)
		if (plug->disks[i] == disk)
			return;               /* already remembered */
	if (plug && plug->ndisks < BLK_PLUG_DISKS) {
		plug->disks[plug->ndisks++] = disk;
		return;
	}
	disk->ops->commit(disk);
}

/*
 * Checks a request and hands it to the disk's driver. Returns 0 (done()
 * will be called), or -EINVAL (bad shape, or a buffer without a physical
 * address: on a kernel stack), -ENXIO (past the end), -EROFS,
 * or the driver's error (done() will not be called). A request that
 * fault injection fails is completed at once with -EIO, as a disk error.
 * Under a plug, the device may hear of the request only when the plug is
 * flushed. Process context.
 */
int
blk_submit(struct blk_request *req)
{
	struct blk_device *dev = req->dev, *disk = dev->disk;
	uint64_t bytes = 0;
	int err;

	if (req->op == BLK_FLUSH ? req->nsegs != 0 : req->nsegs == 0 || req->nsegs > BLK_MAX_SEGS)
		return -EINVAL;
	for (uint32_t i = 0; i < req->nsegs; i++) {
		const struct blk_segment *s = &req->segs[i];
		vaddr_t va = (vaddr_t)s->buf;
		if (s->len == 0 || s->len % SECTOR_SIZE || !kas_has_phys(s->buf, s->len) ||
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
	if (injected_failure(req, bytes)) {
		uint64_t flags = irq_save();         /* done() expects interrupt context */
		blk_stats_start(req);
		blk_complete(req, -EIO);
		irq_restore(flags);
		return 0;
	}
	if (req->op != BLK_FLUSH)
		vmstat[req->op == BLK_READ ? PGPGIN : PGPGOUT] += req->nsectors / 2;
	for_dev_and_disk(d, dev) {
		d->nr_requests++;
		if (req->op == BLK_READ)
			d->sectors_read += req->nsectors;
		else if (req->op == BLK_WRITE)
			d->sectors_written += req->nsectors;
		else
			d->nr_flushes++;
	}
	blk_stats_start(req);                    /* before: the interrupt may come at once */
	err = disk->ops->submit(disk, req);
	if (err)
		blk_stats_cancel(req);
	else
		commit_or_plug(disk);
	return err;
}

/*
 * Linux's device numbers: IDE hda = 3:0 (partitions 3:1...), hdb = 3:64;
 * virtio vda = 254:0, vdb = 254:16 (Linux gives virtio-blk a dynamic major).
 */
void
blk_devt(const struct blk_device *dev, unsigned *major, unsigned *minor)
{
	const char *name = dev->disk->name;
	unsigned part = dev == dev->disk ? 0 : (unsigned)(dev->name[strlen(name)] - '0');
	unsigned unit = (unsigned)(name[2] - 'a');

	*major = name[0] == 'h' ? 3 : 254;
	*minor = (name[0] == 'h' ? unit * 64 : unit * 16) + part;
}

/* Calls the report op of every disk that has one and was used. */
void
blk_report(void)
{
	struct list_head *pos;

	list_for_each(pos, &devices) {
		struct blk_device *d = list_entry(pos, struct blk_device, link);
		if (d->disk == d && d->ops->report && d->nr_requests > 0)
			d->ops->report(d);
	}
}

/* Drivers call this when a request is over (interrupt context is fine). */
void
blk_complete(struct blk_request *req, int status)
{
	req->status = status;
	blk_stats_done(req);
	if (status)
		for_dev_and_disk(d, req->dev)
			d->nr_errors++;
	if (req->done)
		req->done(req);
}

/*
 * Every request comes from here: the pool keeps REQUEST_RESERVE requests
 * aside, so a swap write that frees memory can always get one, however
 * little memory is left (mm/mempool.c). Two would do for progress (as
 * Linux's BIO_POOL_SIZE); four let kswapd and a few direct reclaimers
 * each have one in hand without waiting for another's to complete.
 */
#define REQUEST_RESERVE 4
static struct mempool request_pool;

/* Fills the request pool's reserve. Boot time, before any disk. */
void
blk_init(void)
{
	if (mempool_init(&request_pool, "blk_request", REQUEST_RESERVE, sizeof(struct blk_request)))
		panic("blk_init: no memory for the request reserve");
}

/* A zeroed request; never NULL. May sleep until one is freed. */
struct blk_request *
blk_request_alloc(void)
{
	return mempool_alloc(&request_pool);
}

/* Gives a request back to the pool. Any context. */
void
blk_request_free(struct blk_request *req)
{
	mempool_free(&request_pool, req);
}

void
blk_batch_init(struct blk_batch *b, void (*request_done)(struct blk_request *req))
{
	*b = (struct blk_batch){ .request_done = request_done };
	wait_init(&b->wq);
}

/*
 * A request of a batch is over: count it, show it to request_done, and
 * wake the waiter if it was the last. Only then: the waiter wants them
 * all, and waking it for each would make it run, look and sleep again
 * as many times (a 32-request swap write, once per interrupt). No wake-up
 * is lost: the waiter looks at pending with interrupts off before it
 * sleeps, and this runs with interrupts off. Interrupts off.
 */
static void
batch_request_done(struct blk_request *req)
{
	struct blk_batch *b = req->batch;

	if (req->status) {
		b->failed++;
		if (!b->status)
			b->status = req->status;
	}
	b->pending--;
	if (b->request_done)
		b->request_done(req);          /* may free req: not touched after */
	if (b->pending == 0)
		wait_wake_all(&b->wq);         /* b may be gone once the waiter runs */
}

/*
 * Submits req as part of b. A request the block layer refuses (bad
 * shape, past the end) completes at once with that error, through
 * request_done like any other; its error is also returned (0 otherwise).
 * Does not sleep.
 */
int
blk_batch_submit(struct blk_batch *b, struct blk_request *req)
{
	uint64_t flags;
	int err;

	req->batch = b;
	req->done = batch_request_done;
	flags = irq_save();
	b->pending++;
	irq_restore(flags);
	err = blk_submit(req);
	if (err) {
		flags = irq_save();
		req->status = err;
		batch_request_done(req);
		irq_restore(flags);
	}
	return err;
}

/*
 * Sleeps until every request of b is over, woken once by the last.
 * Returns 0 or the first error.
 */
int
blk_batch_wait(struct blk_batch *b)
{
	uint64_t flags = irq_save();

	while (b->pending > 0) {
		b->sleeps++;
		wait_sleep(&b->wq);
	}
	irq_restore(flags);
	return b->status;
}

/*
 * Reads or writes len bytes (whole sectors) at sector and sleeps until
 * the disk is done. buf may cross pages: it is cut into segments. Returns
 * 0 or -errno (-EIO when the disk reported an error).
 */
int
blk_rw(struct blk_device *dev, enum blk_op op, uint64_t sector, void *buf, size_t len)
{
	struct blk_request *req;
	struct blk_batch batch;
	char *p = buf;

	req = blk_request_alloc();
	while (len > 0 && req->nsegs < BLK_MAX_SEGS) {
		uint32_t chunk = (uint32_t)MIN(len, PAGE_SIZE - ((vaddr_t)p & (PAGE_SIZE - 1)));
		req->segs[req->nsegs++] = (struct blk_segment){ p, chunk };
		p += chunk;
		len -= chunk;
	}
	if (len > 0) {
		blk_request_free(req);
		return -EINVAL;
	}
	req->dev = dev;
	req->op = op;
	req->sector = sector;
	blk_batch_init(&batch, NULL);
	blk_batch_submit(&batch, req);
	blk_batch_wait(&batch);
	blk_request_free(req);
	return batch.status;
}

/*
 * Waits until everything written to dev's disk so far is on the medium,
 * not only in the disk's write cache: a BLK_FLUSH request. 0 or -EIO.
 * Process context; sleeps.
 */
int
blk_flush(struct blk_device *dev)
{
	struct blk_request *req = blk_request_alloc();
	struct blk_batch batch;

	req->dev = dev;
	req->op = BLK_FLUSH;
	blk_batch_init(&batch, NULL);
	blk_batch_submit(&batch, req);
	blk_batch_wait(&batch);
	blk_request_free(req);
	return batch.status;
}
