/*
 * drivers/blk.h - the block layer: one request interface for every disk.
 *
 * A request names a device, a starting sector (512 bytes each), a list of
 * buffers, a direction, and a function to call when it completes. Drivers
 * (drivers/ata.c, drivers/virtio_blk.c) queue it and call req->done(req),
 * usually from their interrupt handler, with req->status 0 or -EIO.
 */
#ifndef DRIVERS_BLK_H
#define DRIVERS_BLK_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "kernel/wait.h"

#define SECTOR_SIZE   512
#define SECTOR_SHIFT  9
#define BLK_MAX_SEGS  32      /* buffers per request */
#define BLK_NAME_LEN  16

struct blk_device;
struct blk_request;

/*
 * BLK_FLUSH has no buffers and no sector: it asks the disk to put what
 * its volatile write cache holds on the medium, and completes when that
 * is done (Linux's empty REQ_PREFLUSH bio; ATA's FLUSH CACHE, virtio's
 * VIRTIO_BLK_T_FLUSH). A disk without a volatile cache completes it at once.
 */
enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH };

/* One physically contiguous piece of a request: kernel memory in the direct
 * map or the kernel image (virt_to_phys() works on it), never crossing a
 * page boundary, a multiple of 512 bytes long. */
struct blk_segment {
	void *buf;
	uint32_t len;
};

struct blk_batch;

struct blk_request {
	struct blk_device *dev;       /* as submitted: a disk or a partition */
	enum blk_op op;
	uint64_t sector;              /* from the start of dev */
	uint32_t nsegs;
	struct blk_segment segs[BLK_MAX_SEGS];
	int status;                   /* set by the driver: 0 or -EIO */
	void (*done)(struct blk_request *req);   /* interrupt context; may be NULL */
	void *private;                /* the submitter's */
	struct blk_batch *batch;      /* set by blk_batch_submit() */
	/* Filled in by the block layer before the driver sees the request: */
	uint64_t disk_sector;         /* sector on the whole disk (partition offset added) */
	uint32_t nsectors;            /* total length in sectors */
	struct list_head queue;       /* the driver's to use while it owns the request */
	uint64_t start_ns;            /* when it went to the driver (drivers/blk_stats.c) */
};

struct blk_ops {
	/* Takes the request (already checked: in range, whole sectors) and
	 * starts it or queues it. A driver with a commit op may leave the
	 * device unaware of it until commit() is called. Returns 0, or -errno
	 * if it cannot even queue it (then done() is not called). Called with
	 * interrupts on or off. */
	int (*submit)(struct blk_device *disk, struct blk_request *req);
	/* Optional: tells the device about every request submit() queued
	 * since the last commit (virtio: one notification for all of them;
	 * Linux's commit_rqs). The block layer calls it after each submit,
	 * or once for many when the submitter holds a plug. */
	void (*commit)(struct blk_device *disk);
	/* Optional: prints the driver's own counters for disk (blk_report()). */
	void (*report)(struct blk_device *disk);
};

/* What a disk or partition has done, for /proc/diskstats (drivers/blk_stats.c). */
struct blk_stats {
	uint64_t ios[3], sectors[3], ns[3];   /* completed requests by enum blk_op */
	uint64_t in_flight;                   /* handed to the driver, not completed */
	uint64_t busy_ns, busy_since;         /* time with at least one in flight */
};

/* For d = dev, then its disk if dev is a partition: both keep counters. */
#define for_dev_and_disk(d, dev) \
	for (struct blk_device *d = (dev); d; d = d == d->disk ? NULL : d->disk)

struct blk_device {
	char name[BLK_NAME_LEN];      /* "hda", "vdb", "hda1" */
	uint64_t nsectors;
	struct blk_device *disk;      /* itself for a whole disk; the disk for a partition */
	uint64_t start_sector;        /* on the disk: 0, or where the partition starts */
	const struct blk_ops *ops;    /* whole disks only */
	void *driver_data;
	bool read_only;
	unsigned make_it_fail;        /* fail_make_request may fail these (kernel/fault_inject.h) */
	/* Counters (whole disk and partition each keep their own). */
	uint64_t nr_requests, sectors_read, sectors_written, nr_errors, nr_flushes;
	struct blk_stats stats;
	struct list_head link;
};

/*
 * Requests in flight together, waited for together: submit them all,
 * then sleep once (blk_rw, swap I/O, the drivers' tests). request_done,
 * if given, sees each request as it completes (interrupts off) and may
 * free it: swap I/O gives its pool requests back at once, so none is
 * held by a sleeper (mm/mempool.c).
 */
struct blk_batch {
	int pending;                  /* submitted, not completed yet */
	int failed;                   /* requests that ended with an error */
	int status;                   /* 0, or the first of those errors */
	void (*request_done)(struct blk_request *req);
	struct wait_queue wq;         /* the waiter, woken once: when pending reaches 0 */
	unsigned sleeps;              /* times blk_batch_wait() slept: at most 1 */
};

/*
 * A plug (Linux's struct blk_plug), on the stack of a task that is about
 * to submit several requests: while the task holds it, the devices are
 * not told about each request as it is submitted, only once for all of
 * them when the plug is finished. A task that gives up the CPU flushes
 * its plug first (schedule()), so a request is never held back while
 * its submitter sleeps, waiting for it or for anything else.
 *
 *     blk_start_plug(&plug);
 *     for (...) blk_batch_submit(&batch, req);      queued, device not told
 *     blk_finish_plug(&plug);                       one notification per disk
 *     blk_batch_wait(&batch);
 */
#define BLK_PLUG_DISKS 4      /* disks one plug remembers; any more are told at once */

struct blk_plug {
	struct blk_device *disks[BLK_PLUG_DISKS];   /* with requests the device has not heard of */
	unsigned ndisks;
};

void blk_init(void);
void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);
void blk_flush_plug(struct blk_plug *plug);
struct blk_request *blk_request_alloc(void);
void blk_request_free(struct blk_request *req);
void blk_batch_init(struct blk_batch *b, void (*request_done)(struct blk_request *req));
int blk_batch_submit(struct blk_batch *b, struct blk_request *req);
int blk_batch_wait(struct blk_batch *b);
int blk_register_disk(struct blk_device *disk);
struct blk_device *blk_find(const char *name);
struct blk_device *blk_first_disk(void);
void blk_for_each(void (*fn)(struct blk_device *dev, void *arg), void *arg);
int blk_submit(struct blk_request *req);
int blk_rw(struct blk_device *dev, enum blk_op op, uint64_t sector, void *buf, size_t len);
int blk_flush(struct blk_device *dev);
void blk_complete(struct blk_request *req, int status);
void blk_report(void);
void blk_devt(const struct blk_device *dev, unsigned *major, unsigned *minor);

#endif
