/*
 * kernel/fs/bcache.c - the metadata block cache of the root disk: what
 * Linux's buffer cache does for ext2's superblock, group descriptors,
 * bitmaps, inode tables, indirect blocks and directories.
 *
 * Without it, every pointer ext2_bmap follows and every directory entry
 * a lookup reads is a disk request (the reader reads a few bytes at a
 * time, kernel/fs/ext2.c); with it, a unit (one file system block) is
 * read once and then found in memory:
 *
 *   hash[unit % BCACHE_HASH] -> buf -> buf ...     find a unit: O(1)
 *   lru: most recent <-> ... <-> least recent      who goes when full
 *
 * At most BCACHE_MAX units are kept; a new one takes the place of the
 * least recently used (written first if dirty). A write changes the
 * cached copy and marks it dirty; bcache_sync() writes the dirty units.
 * Name operations call it at their end (their metadata is on the disk
 * when the system call returns); a write(2) to a file leaves its block
 * allocations and inode dirty here, and the flusher (mm/flusher.c, after
 * dirty_expire_centisecs: bcache_dirty_since), fsync and sync write them.
 *
 * File data never goes through here: regular files' blocks are read and
 * written by the page cache around this cache. A block that changes role
 * (an indirect block freed, then reused for data) is forgotten when it
 * is freed (bcache_forget), so no stale copy can be written over data.
 *
 * Memory: each unit is one kmalloc of the block size; drop_caches
 * (kernel/sysctl.c) and the shutdown free the clean ones. The bound keeps
 * it small (256 units: 256 KiB with 1 KiB blocks) rather than a shrinker:
 * reclaim (mm/reclaim.c) has no shrinker interface yet.
 * Disk I/O goes through a page-sized bounce buffer: blk_rw wants
 * segments of whole sectors, and a small kmalloc may cross a page.
 */
#include "kernel/fs/bcache.h"
#include "drivers/blk.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/heap.h"
#include "mm/layout.h"

#define BCACHE_MAX  256             /* units kept at most */
#define BCACHE_HASH 64              /* hash chains */

struct buf {
	uint64_t unit;                  /* which unit of the device */
	bool dirty;
	struct list_head lru;           /* most recently used first */
	struct buf *next;               /* hash chain */
	char *data;                     /* unit bytes */
};

static struct blk_device *dev;
static uint32_t unit_size = 1024;   /* until bcache_init: the superblock's size */
static struct buf *hash[BCACHE_HASH];
static struct list_head lru = LIST_HEAD_INIT(lru);
static uint64_t nr_cached, nr_dirty, hits, misses;
static uint64_t dirty_since;        /* jiffies when the cache went from clean to dirty */

/* Reads or writes unit u from or to data, through a page-sized bounce buffer. */
static int
unit_io(enum blk_op op, uint64_t u, char *data)
{
	char *bounce = kmalloc(PAGE_SIZE);
	int err;

	if (!bounce)
		return -ENOMEM;
	if (op == BLK_WRITE)
		memcpy(bounce, data, unit_size);
	err = blk_rw(dev, op, u * (unit_size / SECTOR_SIZE), bounce, unit_size);
	if (!err && op == BLK_READ)
		memcpy(data, bounce, unit_size);
	kfree(bounce);
	if (err && err != -ENOMEM)
		pr_err("bcache: %s: %s error at block %lu\n", dev->name,
		       op == BLK_READ ? "read" : "write", u);
	return err == -ENOMEM ? err : err ? -EIO : 0;
}

static struct buf *
find(uint64_t u)
{
	for (struct buf *b = hash[u % BCACHE_HASH]; b; b = b->next)
		if (b->unit == u)
			return b;
	return NULL;
}

/* Takes b out of the hash, the LRU and the counts, and frees it. */
static void
free_buf(struct buf *b)
{
	struct buf **pp = &hash[b->unit % BCACHE_HASH];

	while (*pp != b)
		pp = &(*pp)->next;
	*pp = b->next;
	list_del(&b->lru);
	nr_cached--;
	nr_dirty -= b->dirty;
	kfree(b->data);
	kfree(b);
}

/* Marks unit u dirty again after a failed write, if it is still cached. */
static void
redirty(uint64_t u)
{
	struct buf *b = find(u);

	if (b && !b->dirty) {
		b->dirty = true;
		nr_dirty++;
	}
}

/* Makes room for one more unit: the least recently used goes, written first if dirty. */
static int
evict_one(void)
{
	struct buf *b;
	int err;

	if (nr_cached < BCACHE_MAX || list_empty(&lru))
		return 0;
	b = list_entry(lru.prev, struct buf, lru);
	uint64_t u = b->unit;
	if (b->dirty) {
		/* As in bcache_sync: clean first, and look again after the sleep. */
		b->dirty = false;
		nr_dirty--;
		if ((err = unit_io(BLK_WRITE, u, b->data))) {
			redirty(u);
			return err;
		}
		b = find(u);
	}
	if (b && !b->dirty)
		free_buf(b);
	return 0;
}

/*
 * The cached unit u, read from the disk if it is not cached (unless
 * whole: the caller overwrites all of it). NULL with *err. Sleeps.
 */
static struct buf *
get(uint64_t u, bool whole, int *err)
{
	struct buf *b = find(u);

	if (b) {
		hits++;
		list_del(&b->lru);
		list_add(&b->lru, &lru);
		return b;
	}
	misses++;
	if ((*err = evict_one()))
		return NULL;
	b = kmalloc(sizeof(*b));
	char *data = kmalloc(unit_size);
	if (!b || !data) {
		kfree(b);
		kfree(data);
		*err = -ENOMEM;
		return NULL;
	}
	if (!whole && (*err = unit_io(BLK_READ, u, data))) {
		kfree(b);
		kfree(data);
		return NULL;
	}
	/* Slept for the disk: someone else may have brought it in meanwhile. */
	struct buf *again = find(u);
	if (again) {
		kfree(b);
		kfree(data);
		return again;
	}
	*b = (struct buf){ .unit = u, .data = data, .next = hash[u % BCACHE_HASH] };
	hash[u % BCACHE_HASH] = b;
	list_add(&b->lru, &lru);
	nr_cached++;
	return b;
}

/* Copies between the cache and buf, unit by unit: write says which way. */
static int
copy(uint64_t off, void *buf, size_t len, bool write)
{
	char *p = buf;
	int err = 0;

	while (len > 0) {
		uint64_t u = off / unit_size;
		size_t in = off % unit_size, n = MIN(len, unit_size - in);
		struct buf *b = get(u, write && n == unit_size, &err);
		if (!b)
			return err;
		if (write) {
			memcpy(b->data + in, p, n);
			nr_dirty += !b->dirty;
			b->dirty = true;
		} else {
			memcpy(p, b->data + in, n);
		}
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

int
bcache_read(uint64_t off, void *buf, size_t len)
{
	return copy(off, buf, len, false);
}

int
bcache_write(uint64_t off, const void *buf, size_t len)
{
	bool was_clean = nr_dirty == 0;
	int err = copy(off, (void *)buf, len, true);      /* only read from when writing */

	if (was_clean && nr_dirty)
		dirty_since = jiffies;
	return err;
}

/* When the oldest dirty unit was dirtied (jiffies), or 0 if none is dirty. */
uint64_t
bcache_dirty_since(void)
{
	if (nr_dirty == 0)
		dirty_since = 0;
	return dirty_since;
}

/* The dirty unit with the lowest number. nr_dirty > 0. */
static struct buf *
lowest_dirty(void)
{
	struct buf *low = NULL;
	struct list_head *pos;

	list_for_each(pos, &lru) {
		struct buf *b = list_entry(pos, struct buf, lru);
		if (b->dirty && (!low || b->unit < low->unit))
			low = b;
	}
	return low;
}

/*
 * Writes the dirty units, lowest first so the disk sees one sweep, and
 * neighbours together: the dirty units that follow the lowest one make
 * one request of up to a page (a group's bitmaps and inode table lie
 * side by side, as do the superblock and the descriptors). See bcache.h.
 */
int
bcache_sync(void)
{
	uint32_t per_page = PAGE_SIZE / unit_size;

	while (nr_dirty > 0) {
		char *bounce = kmalloc(PAGE_SIZE);
		struct buf *b = lowest_dirty();
		uint64_t first = b->unit;
		uint32_t n = 0;
		if (!bounce)
			return -ENOMEM;
		/* Clean before the write: a change made while we sleep marks it
		 * dirty again. The data is copied before the sleep; a unit may
		 * be gone when we wake (forgotten, evicted). */
		while (b && b->dirty && n < per_page) {
			memcpy(bounce + n * unit_size, b->data, unit_size);
			b->dirty = false;
			nr_dirty--;
			n++;
			b = find(first + n);
		}
		int err = blk_rw(dev, BLK_WRITE, first * (unit_size / SECTOR_SIZE), bounce, n * unit_size);
		kfree(bounce);
		if (err) {
			pr_err("bcache: %s: write error at blocks %lu-%lu\n", dev->name, first, first + n - 1);
			for (uint32_t i = 0; i < n; i++)
				redirty(first + i);
			return err == -ENOMEM ? err : -EIO;
		}
	}
	return 0;
}

void
bcache_forget(uint64_t u)
{
	struct buf *b = find(u);

	if (b)
		free_buf(b);
}

uint64_t
bcache_drop_clean(void)
{
	struct list_head *pos, *tmp;
	uint64_t n = 0;

	list_for_each_safe(pos, tmp, &lru) {
		struct buf *b = list_entry(pos, struct buf, lru);
		if (!b->dirty) {
			free_buf(b);
			n++;
		}
	}
	return n;
}

void
bcache_init(struct blk_device *d, uint32_t unit)
{
	bcache_sync();
	while (!list_empty(&lru))
		free_buf(list_entry(lru.next, struct buf, lru));
	dev = d;
	unit_size = unit;
}

/* Bytes of cached blocks: /proc/meminfo's Buffers. */
uint64_t
bcache_bytes(void)
{
	return nr_cached * unit_size;
}

void
bcache_stats(uint64_t *cached, uint64_t *dirty, uint64_t *h, uint64_t *m)
{
	*cached = nr_cached;
	*dirty = nr_dirty;
	*h = hits;
	*m = misses;
}
