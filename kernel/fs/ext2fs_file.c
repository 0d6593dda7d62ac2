/*
 * kernel/fs/ext2fs_file.c - regular ext2 files in the kernel: opening,
 * writing through the page cache, truncating, and the last close of a
 * file that was unlinked while open.
 *
 * A write goes into the cached page first, then to the disk before
 * write(2) returns (write-through):
 *
 *   write(fd) --> ext2fs_file_write --> pagecache_get_page (read it if needed)
 *                                        | copy the user's bytes in
 *                                        v
 *                 ext2fs_writepage(page, from, to): the blocks under the
 *                 changed bytes, allocated if they are holes (ext2_bmap_alloc),
 *                 written in runs of neighbouring blocks --> blk_rw --> driver
 *                                        v
 *                 the inode (size, i_blocks, mtime), bitmaps and counts:
 *                 the metadata cache, then bcache_sync() --> disk
 *
 * So reads, mmap and other processes see the new bytes at once (they
 * are in the one cached page), and the disk has them when the call
 * returns. The writeback slice will stop at "mark the page dirty" and
 * let a flusher call ext2fs_writepage later; nothing else here changes.
 *
 * Only the blocks under the bytes written are written (and allocated):
 * a write of one byte into a 4 KiB page over 1 KiB blocks leaves the
 * page's other blocks holes, as Linux's block_write_begin does.
 *
 * Deleting a file nobody names (links 0) waits for the last close, as
 * in Linux: the inode stays in memory with opens > 0 (an "orphan"), and
 * ext2fs_release deletes it. A crash before that leaves an inode e2fsck
 * finds unattached and frees.
 *
 * All changes hold ext2fs_lock (one writer at a time: an allocation
 * sleeps for the disk half way). Readers do not take it.
 */
#include "kernel/fs/ext2fs.h"
#include "drivers/blk.h"
#include "kernel/errno.h"
#include "kernel/fs/bcache.h"
#include "kernel/fs/ext2_write.h"
#include "kernel/printk.h"
#include "kernel/rwsem.h"
#include "kernel/string.h"
#include "kernel/uapi.h"
#include "mm/evict.h"
#include "mm/pmm.h"
#include "mm/rmap.h"

#define EXT2_MAX_FILE (1ull << 40)      /* what ext2.c reads back as plausible */

struct rwsem ext2fs_lock = { 0, false, WAIT_QUEUE_INIT(ext2fs_lock.wq) };   /* see the top */

/*
 * Writes the blocks of page under bytes [from, to) of the page that lie
 * inside the file. alloc: a hole there gets a block; else holes stay.
 * Neighbouring blocks go in one request. Returns 0, -ENOSPC (the blocks
 * before the one that failed are written), -EIO. Sleeps. Holds
 * ext2fs_lock. The inode is changed in memory only: the caller writes it.
 */
int
ext2fs_writepage(struct inode *inode, struct page *page, uint32_t from, uint32_t to, bool alloc)
{
	struct ext2_fs *fs = ext2fs_fs();
	uint32_t bs = fs->block_size, per_page = PAGE_SIZE / bs;
	uint64_t first = page->index * per_page;
	char *data = page_address(page);
	int64_t run_start = 0;
	uint32_t run_i = 0, run_len = 0;
	int err = 0;

	for (uint32_t i = 0; i <= per_page; i++) {      /* i == per_page: the last run's write */
		int64_t b = 0;
		bool inside = i < per_page && i * bs < to && (i + 1) * bs > from &&
			      (first + i) * bs < inode->e2.size;
		bool fresh;
		if (inside && !err)
			b = alloc ? ext2_bmap_alloc(fs, &inode->e2, first + i, &fresh)
				  : ext2_bmap(fs, &inode->e2, first + i);
		if (b < 0) {
			err = (int)b;
			b = 0;
		}
		if (run_len && b == run_start + run_len && i == run_i + run_len) {
			run_len++;
			continue;
		}
		if (run_len) {                  /* the run ends: write it */
			int werr = blk_rw(ext2fs_blk(), BLK_WRITE, (uint64_t)run_start * (bs / SECTOR_SIZE),
					  data + run_i * bs, run_len * bs);
			if (werr) {
				pr_err("ext2: write error in blocks %ld-%ld (inode %u): %d\n", run_start,
				       run_start + run_len - 1, inode->e2.ino, werr);
				err = err ? err : -EIO;
			}
		}
		run_start = b;
		run_i = i;
		run_len = b ? 1 : 0;
	}
	return err;
}

static uint32_t
fs_block_size(void)
{
	return ext2fs_fs()->block_size;
}

/* Writes the inode and the metadata cache: the end of every change. */
static int
commit(struct inode *inode)
{
	int err = ext2_write_inode(ext2fs_fs(), &inode->e2);
	int serr = bcache_sync();

	return err ? err : serr;
}

/* The bytes of page from in_page on, past the file's end, are zeros (mmap shows them). */
static void
zero_past_end(struct inode *inode, struct page *page)
{
	uint64_t start = page->index * PAGE_SIZE;

	if (inode->e2.size < start + PAGE_SIZE) {
		uint64_t keep = inode->e2.size > start ? inode->e2.size - start : 0;
		memset((char *)page_address(page) + keep, 0, PAGE_SIZE - keep);
	}
}

/*
 * Copies chunk bytes into the page at f->offset and writes its blocks.
 * On failure the file keeps its old size and no block past it.
 */
static int
write_chunk(struct file *f, struct inode *inode, const char *buf, size_t chunk)
{
	uint64_t index = f->offset / PAGE_SIZE, in_page = f->offset % PAGE_SIZE;
	uint64_t old_size = inode->e2.size;
	bool major;
	int err;
	struct page *p = pagecache_get_page(&inode->mapping, index, &err, &major);

	if (!p)
		return err;
	memcpy((char *)page_address(p) + in_page, buf, chunk);
	inode->e2.size = MAX(old_size, f->offset + chunk);
	err = ext2fs_writepage(inode, p, (uint32_t)in_page, (uint32_t)(in_page + chunk), true);
	if (err) {
		/* ENOSPC half way: back to the old size, blocks past it freed. */
		ext2_truncate_blocks(ext2fs_fs(), &inode->e2, old_size);
		zero_past_end(inode, p);
	}
	if (in_page == 0)
		evict_accessed(p);
	put_page(p);
	return err;
}

/* write(2) of a regular file: O_APPEND, holes past the end, ENOSPC, EFBIG. */
static long
ext2fs_file_write(struct file *f, const void *buf, size_t len)
{
	struct inode *inode = f->priv;
	size_t done = 0;
	int err = 0;

	if (!ext2fs_writable())
		return -EROFS;                  /* remounted read-only since it was opened */
	down_write(&ext2fs_lock);
	if (f->flags & O_APPEND)
		f->offset = inode->e2.size;
	if (f->offset >= EXT2_MAX_FILE) {
		up_write(&ext2fs_lock);
		return -EFBIG;
	}
	len = MIN(len, EXT2_MAX_FILE - f->offset);
	while (done < len && !err) {
		size_t chunk = MIN(len - done, PAGE_SIZE - f->offset % PAGE_SIZE);
		size_t to_block_end = fs_block_size() - f->offset % fs_block_size();
		err = write_chunk(f, inode, (const char *)buf + done, chunk);
		/* The disk is full: what fits in the blocks left goes in, one block at a
		 * time, and write() is short, as Linux's. */
		if (err == -ENOSPC && chunk > to_block_end)
			err = write_chunk(f, inode, (const char *)buf + done, chunk = to_block_end);
		if (!err) {
			done += chunk;
			f->offset += chunk;
		}
	}
	inode->e2.mtime = inode->e2.ctime = ext2_now(ext2fs_fs());
	int cerr = commit(inode);
	f->size = inode->e2.size;
	up_write(&ext2fs_lock);
	if (done)
		return (long)done;
	return err ? err : cerr;
}

/* Pages wholly past size leave the cache (and every mapping: a touch there is SIGBUS). */
static void
drop_pages_past(struct inode *inode, uint64_t size)
{
	uint64_t first = (size + PAGE_SIZE - 1) / PAGE_SIZE, end = (inode->e2.size + PAGE_SIZE - 1) / PAGE_SIZE;

	for (uint64_t i = first; i < end && inode->mapping.nrpages; i++) {
		struct page *p = pagecache_find(&inode->mapping, i);
		if (p) {
			try_to_unmap(p);
			pagecache_remove(p);
		}
	}
}

/*
 * The file's size becomes size (truncate, ftruncate, O_TRUNC). Shrinking
 * frees the blocks past it and zeroes the rest of its last block, in the
 * cache and on the disk, so that growing it again reads zeros. Sleeps;
 * takes ext2fs_lock. 0, -EFBIG, -EIO.
 */
int
ext2fs_set_size(struct inode *inode, uint64_t size)
{
	struct ext2_fs *fs = ext2fs_fs();
	int err = 0;

	if (size > EXT2_MAX_FILE)
		return -EFBIG;
	if (!ext2fs_writable())
		return -EROFS;
	down_write(&ext2fs_lock);
	if (size < inode->e2.size) {
		drop_pages_past(inode, size);
		err = ext2_truncate_blocks(fs, &inode->e2, size);
		if (!err && size % fs->block_size) {
			bool major;
			struct page *p = pagecache_get_page(&inode->mapping, size / PAGE_SIZE, &err, &major);
			if (p) {
				zero_past_end(inode, p);
				err = ext2fs_writepage(inode, p, size % PAGE_SIZE, PAGE_SIZE, false);
				put_page(p);
			}
		}
	} else {
		inode->e2.size = size;
	}
	inode->e2.mtime = inode->e2.ctime = ext2_now(fs);
	int cerr = commit(inode);
	up_write(&ext2fs_lock);
	return err ? err : cerr;
}

static int
ext2fs_file_truncate(struct file *f, uint64_t size)
{
	struct inode *inode = f->priv;
	int err = ext2fs_set_size(inode, size);

	f->size = inode->e2.size;
	return err;
}

/*
 * An inode nobody names nor has open is deleted (its blocks and inode
 * freed) and forgotten. Holds ext2fs_lock. Sleeps.
 */
void
ext2fs_put_inode(struct inode *inode)
{
	if (inode->e2.links || inode->opens)
		return;
	int err = ext2_delete_inode(ext2fs_fs(), &inode->e2);
	if (!err)
		err = bcache_sync();
	if (err)
		pr_err("ext2: deleting inode %u: error %d\n", inode->e2.ino, err);
	ext2fs_forget_inode(inode);
}

/* The last close of a file or directory: an unlinked one goes now. */
void
ext2fs_release(struct file *f)
{
	struct inode *inode = f->priv;

	if (--inode->opens == 0 && inode->e2.links == 0) {
		down_write(&ext2fs_lock);
		ext2fs_put_inode(inode);
		up_write(&ext2fs_lock);
	}
}

static const struct file_ops ext2_file_ops = {
	.read = ext2fs_file_read, .write = ext2fs_file_write, .truncate = ext2fs_file_truncate,
	.fstat = ext2fs_fstat, .release = ext2fs_release,
};

/* Opens a regular file (or FIFO, ...: read as a file here). O_TRUNC empties it if opened to write. */
int
ext2fs_open_file(struct inode *inode, int flags, struct file **out)
{
	struct file *f;
	int err;

	if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY && inode->e2.size &&
	    (err = ext2fs_set_size(inode, 0)))
		return err;
	f = file_alloc(&ext2_file_ops, flags, inode->e2.mode);
	if (!f)
		return -ENOMEM;
	f->priv = inode;
	f->size = inode->e2.size;
	f->ino = inode->e2.ino;
	f->mapping = &inode->mapping;
	inode->opens++;
	*out = f;
	return 0;
}
