/*
 * kernel/fs/ext2fs_writeback.c - ext2's side of writeback: writing a
 * dirty page to its blocks (asynchronously), the metadata, fsync and sync.
 * The policy - which pages, when - is mm/writeback.c's; this file only
 * knows where a page's bytes go on the disk.
 *
 *   mm/writeback.c: page locked, clean, PG_WRITEBACK
 *        |
 *        v
 *   ext2fs_writepage: the page's blocks (ext2_bmap), each run of
 *        neighbouring blocks added to the request the pass is filling
 *        (consecutive pages whose blocks follow on: one request, up to
 *        BLK_MAX_SEGS pieces); a request that cannot grow is submitted,
 *        the last one at the end of the pass (ext2fs_end_writepages)
 *        :
 *        :  (the disk's interrupt, per request)
 *        v
 *   request_done: each page whose last piece this was ends its writeback
 *                 (end_page_writeback), with the first error if any
 *
 * Blocks are allocated when a page is dirtied (write(2), or the first
 * store through a shared mapping), never here: writeback needs no
 * allocation and no lock. The block map of a dirty page cannot change
 * under us: only truncate frees blocks, and it waits for the pages it
 * drops to finish their writeback first (ext2fs_file.c).
 *
 * fsync (Linux's ext2_fsync: generic_buffers_fsync): the file's dirty
 * pages are written and waited for, then the inode and the rest of the
 * dirty metadata (the block cache, whole: the file's bitmaps and indirect
 * blocks are in it), then the disk's write cache is flushed. A writeback
 * error is reported once per open file description (mm/errseq.h).
 */
#include "drivers/blk.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/fs/bcache.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/ext2_write.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/writeback.h"

/* One page on its way to the disk: its pieces still out, and the first error. */
struct page_io {
	struct page *page;
	int pending;                   /* pieces in requests not yet done, plus one while adding them */
	int status;
	bool redirty;                  /* a piece found no memory: the page must be written again */
};

/* One reference to io is gone; the last ends the page's writeback. Interrupts off. */
static void
page_io_put(struct page_io *io)
{
	if (--io->pending > 0)
		return;
	if (io->status) {
		struct inode *inode = ((struct address_space *)io->page->owner)->host;
		pr_err("ext2: write error in page %lu of inode %u: %d\n", io->page->index,
		       inode->e2.ino, io->status);
	}
	if (io->redirty)
		set_page_dirty(io->page);
	end_page_writeback(io->page, io->status);
	kfree(io);
}

/*
 * The request a writeback pass is filling (wbc->fs_private): pieces of
 * consecutive pages whose blocks follow each other on the disk go in one
 * request, up to BLK_MAX_SEGS of them, as Linux's mpage_writepages()
 * builds one bio. Each piece (segment) belongs to one page.
 */
struct wb_request {
	struct blk_request *req;
	struct page_io *io[BLK_MAX_SEGS];   /* whose piece each segment is */
	uint64_t next_sector;               /* where a piece must start to join */
};

/* A request is done: each of its pages hears of it. Interrupt context, or from blk_submit. */
static void
request_done(struct blk_request *req)
{
	struct wb_request *w = req->private;
	uint64_t flags = irq_save();       /* blk_submit completes an injected failure at once */

	for (uint32_t i = 0; i < req->nsegs; i++) {
		if (req->status && !w->io[i]->status)
			w->io[i]->status = -EIO;
		page_io_put(w->io[i]);
	}
	blk_request_free(req);
	kfree(w);
	irq_restore(flags);
}

/* Sends the request being filled, if any. Process context. */
static void
submit_pending(struct writeback_control *wbc)
{
	struct wb_request *w = wbc->fs_private;

	if (!w)
		return;
	wbc->fs_private = NULL;
	if (blk_submit(w->req) != 0) {      /* refused: done() will not be called */
		w->req->status = -EIO;
		request_done(w->req);
	}
}

/*
 * Adds blocks [block, block + n), at data in io's page, to the request
 * being filled - or to a new one if they do not follow it on the disk or
 * it is full. 0, or -ENOMEM (nothing added). Sleeps (a request).
 */
static int
add_run(struct writeback_control *wbc, struct page_io *io, int64_t block, char *data, uint32_t n)
{
	uint32_t bs = ext2fs_fs()->block_size;
	uint64_t sector = (uint64_t)block * (bs / SECTOR_SIZE), flags;
	struct wb_request *w = wbc->fs_private;

	if (w && (w->next_sector != sector || w->req->nsegs == BLK_MAX_SEGS)) {
		submit_pending(wbc);
		w = NULL;
	}
	if (!w) {
		if ((w = kmalloc(sizeof(*w))) == NULL)
			return -ENOMEM;
		w->req = blk_request_alloc();
		*w->req = (struct blk_request){ .dev = ext2fs_blk(), .op = BLK_WRITE, .sector = sector,
						.done = request_done, .private = w };
		wbc->fs_private = w;
	}
	w->req->segs[w->req->nsegs] = (struct blk_segment){ data, n * bs };  /* inside one page */
	w->io[w->req->nsegs++] = io;
	w->next_sector = sector + (uint64_t)n * (bs / SECTOR_SIZE);
	flags = irq_save();
	io->pending++;
	irq_restore(flags);
	return 0;
}

/*
 * address_space_ops.writepage (mm/pagecache.h, set in ext2fs.c): the
 * page's blocks inside the file, in runs of neighbours, each added to the
 * pass's request (add_run). Holes (a block the file does not have: bytes
 * never written) are skipped, as Linux's block_write_full_page skips
 * unmapped buffers. Sleeps (the block map).
 */
void
ext2fs_writepage(struct address_space *mapping, struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct ext2_fs *fs = ext2fs_fs();
	uint32_t bs = fs->block_size, per_page = PAGE_SIZE / bs;
	uint64_t first = page->index * per_page;
	char *data = page_address(page);
	struct page_io *io = kmalloc(sizeof(*io));
	uint64_t flags;

	if (!io) {
		set_page_dirty(page);       /* no memory to track it: try again later */
		end_page_writeback(page, 0);
		return;
	}
	*io = (struct page_io){ .page = page, .pending = 1 };
	for (uint32_t i = 0; i < per_page && (first + i) * bs < inode->e2.size;) {
		int64_t b = ext2_bmap(fs, &inode->e2, first + i);
		uint32_t run = 1;
		if (b <= 0) {
			if (b < 0)
				io->status = (int)b;
			i++;
			continue;
		}
		while (i + run < per_page && (first + i + run) * bs < inode->e2.size &&
		       ext2_bmap(fs, &inode->e2, first + i + run) == b + run)
			run++;
		if (add_run(wbc, io, b, data + i * bs, run) != 0)
			io->redirty = true;
		i += run;
	}
	flags = irq_save();
	page_io_put(io);                    /* our reference: maybe the last */
	irq_restore(flags);
}

/* address_space_ops.end_writepages: the pass is over, its last request goes. */
void
ext2fs_end_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	(void)mapping;
	submit_pending(wbc);
}

/* writeback_fs_ops.write_metadata: the block cache, when its oldest change has expired. */
static int
ext2_write_metadata(bool expired_only)
{
	uint64_t since = bcache_dirty_since();
	uint64_t expire = (uint64_t)vm_dirty_expire_centisecs * HZ / 100;

	if (since == 0 || (expired_only && jiffies - since < expire))
		return 0;
	return bcache_sync();
}

static const struct writeback_fs_ops ext2_writeback_ops = {
	.write_metadata = ext2_write_metadata,
};

/* The mount is read-write from now on: the flusher may write its metadata. */
void
ext2fs_writeback_init(void)
{
	writeback_register_fs(&ext2_writeback_ops);
}

/*
 * fsync(2) and fdatasync(2) of an ext2 file: its data written and waited
 * for, then its inode and the dirty metadata, then the disk's cache
 * flushed. Returns 0, or -EIO once per open file description for a
 * writeback error since it last looked (Linux's file_check_and_advance_wb_err),
 * or the metadata's error. fdatasync writes the same: the metadata a
 * later read needs (size, block map) is most of it here. Sleeps.
 */
int
ext2fs_fsync(struct file *f, bool datasync)
{
	struct inode *inode = f->priv;
	int err, merr;

	(void)datasync;
	writeback_and_wait_mapping(&inode->mapping);
	down_write(&ext2fs_lock);
	merr = ext2_write_inode(ext2fs_fs(), &inode->e2);
	up_write(&ext2fs_lock);
	if (!merr)
		merr = bcache_sync();
	if (!merr)
		merr = blk_flush(ext2fs_blk());
	err = errseq_check_and_advance(&inode->mapping.wb_err, &f->wb_err);
	return err ? err : merr;
}

/*
 * sync(2): every file's dirty pages and all metadata written and waited
 * for, then the disk's cache flushed. 0 or -errno (sync(2) itself
 * returns nothing; syncfs(2) reports it). Sleeps.
 */
int
ext2fs_sync(void)
{
	int err = writeback_sync_all();

	return err ? err : blk_flush(ext2fs_blk());
}
