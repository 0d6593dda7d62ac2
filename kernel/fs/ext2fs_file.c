/*
 * kernel/fs/ext2fs_file.c - regular ext2 files in the kernel: opening,
 * writing into the page cache, truncating, and the last close of a file
 * that was unlinked while open.
 *
 * A write goes into the cached page, which becomes dirty; the disk hears
 * of it later (write-back, as Linux):
 *
 *   write(fd) --> ext2fs_file_write --> pagecache_get_page (read it if needed)
 *                                        | copy the user's bytes in
 *                                        v
 *                 the blocks under the changed bytes, allocated now if
 *                 they are holes (ext2_bmap_alloc: ENOSPC is write's error,
 *                 not writeback's); the inode (size, mtime) and the
 *                 bitmaps changed in the metadata cache (kernel/fs/bcache.c)
 *                                        v
 *                 set_page_dirty --> balance_dirty_pages (mm/writeback.c):
 *                 above dirty_ratio the writer waits for writeback
 *
 * The flusher, fsync, sync and reclaim write the page later
 * (kernel/fs/ext2fs_writeback.c). Reads, mmap and other processes see
 * the new bytes at once: they are in the one cached page.
 *
 * Only the blocks under the bytes written are allocated: a write of one
 * byte into a 4 KiB page over 1 KiB blocks leaves the page's other blocks
 * holes, as Linux's block_write_begin does.
 *
 * Deleting a file nobody names (links 0) waits for the last close, as
 * in Linux: the inode stays in memory with opens > 0 (an "orphan"), and
 * ext2fs_release deletes it. A crash before that leaves an inode e2fsck
 * finds unattached and frees.
 *
 * Locks: a write(2) or truncate holds its inode's rwsem (Linux's i_rwsem)
 * throughout, and ext2fs_lock (one changer of the file system at a time:
 * an allocation sleeps for the disk half way) for each page; it waits
 * for writeback (balance_dirty_pages) between pages, holding only the
 * first. Readers and writeback take neither.
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
#include "mm/swapon.h"
#include "mm/writeback.h"

#define EXT2_MAX_FILE (1ull << 40)      /* what ext2.c reads back as plausible */

struct rwsem ext2fs_lock = { 0, false, WAIT_QUEUE_INIT(ext2fs_lock.wq) };   /* see the top */

/*
 * Gives the page's blocks under bytes [from, to) that lie inside the file
 * a block each if they are holes (Linux's block_write_begin, get_block
 * with create). Returns 0 or -ENOSPC, -EIO: the blocks before the one
 * that failed are allocated. Sleeps. Holds ext2fs_lock. The inode is
 * changed in memory only: the caller writes it.
 */
static int
alloc_blocks(struct inode *inode, struct page *page, uint32_t from, uint32_t to)
{
	struct ext2_fs *fs = ext2fs_fs();
	uint32_t bs = fs->block_size, per_page = PAGE_SIZE / bs;
	uint64_t first = page->index * per_page;

	for (uint32_t i = 0; i < per_page; i++) {
		bool fresh;
		if (i * bs >= to || (i + 1) * bs <= from || (first + i) * bs >= inode->e2.size)
			continue;
		int64_t b = ext2_bmap_alloc(fs, &inode->e2, first + i, &fresh);
		if (b < 0)
			return (int)b;
	}
	return 0;
}

/*
 * address_space_ops.page_mkwrite: the first store to page through a
 * shared mapping (mm/fault_shared.c). The page's blocks inside the file
 * are allocated now, so writeback never needs to (Linux's
 * block_page_mkwrite). 0, -EAGAIN (truncated meanwhile), -ENOSPC, -EIO,
 * -EROFS (remounted read-only).
 * Sleeps; takes ext2fs_lock.
 */
int
ext2fs_page_mkwrite(struct address_space *mapping, struct page *page)
{
	struct inode *inode = mapping->host;
	int err = -EAGAIN;

	if (!ext2fs_writable())
		return -EROFS;                  /* remounted read-only: the store is SIGBUS */
	down_write(&ext2fs_lock);
	if (page->owner == mapping && page->index * PAGE_SIZE < inode->e2.size) {
		err = alloc_blocks(inode, page, 0, PAGE_SIZE);
		inode->e2.mtime = inode->e2.ctime = ext2_now(ext2fs_fs());
		int cerr = ext2_write_inode(ext2fs_fs(), &inode->e2);
		err = err ? err : cerr;
	}
	up_write(&ext2fs_lock);
	return err;
}

static uint32_t
fs_block_size(void)
{
	return ext2fs_fs()->block_size;
}

/* The inode, into the metadata cache: the end of every change (written back later). */
static int
commit(struct inode *inode)
{
	return ext2_write_inode(ext2fs_fs(), &inode->e2);
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
 * Copies chunk bytes into the page at f->offset, allocates the blocks
 * under them and marks the page dirty. On failure the file keeps its old
 * size and no block past it. Holds ext2fs_lock. Sleeps.
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
	err = alloc_blocks(inode, p, (uint32_t)in_page, (uint32_t)(in_page + chunk));
	if (err) {
		/* ENOSPC half way: back to the old size, blocks past it freed. */
		ext2_truncate_blocks(ext2fs_fs(), &inode->e2, old_size);
		zero_past_end(inode, p);
	} else {
		set_page_dirty(p);
	}
	if (in_page == 0)
		evict_accessed(p);
	put_page(p);
	return err;
}

/*
 * write(2) of a regular file: O_APPEND, holes past the end, ENOSPC, EFBIG.
 * A page at a time under ext2fs_lock; between pages the writer may be
 * throttled (balance_dirty_pages) with only its inode's rwsem held.
 */
static long
ext2fs_file_write(struct file *f, const void *buf, size_t len)
{
	struct inode *inode = f->priv;
	size_t done = 0;
	int err = 0, cerr = 0;

	if (!ext2fs_writable())
		return -EROFS;                  /* remounted read-only since it was opened */
	if (swap_file_active(inode->e2.ino))
		return -ETXTBSY;                /* swap I/O owns its blocks (Linux: IS_SWAPFILE) */
	down_write(&inode->rwsem);
	if (f->flags & O_APPEND)
		f->offset = inode->e2.size;
	if (f->offset >= EXT2_MAX_FILE) {
		up_write(&inode->rwsem);
		return -EFBIG;
	}
	len = MIN(len, EXT2_MAX_FILE - f->offset);
	while (done < len && !err) {
		size_t chunk = MIN(len - done, PAGE_SIZE - f->offset % PAGE_SIZE);
		size_t to_block_end = fs_block_size() - f->offset % fs_block_size();
		down_write(&ext2fs_lock);
		err = write_chunk(f, inode, (const char *)buf + done, chunk);
		/* The disk is full: what fits in the blocks left goes in, one block at a
		 * time, and write() is short, as Linux's. */
		if (err == -ENOSPC && chunk > to_block_end)
			err = write_chunk(f, inode, (const char *)buf + done, chunk = to_block_end);
		if (!err) {
			done += chunk;
			f->offset += chunk;
		}
		inode->e2.mtime = inode->e2.ctime = ext2_now(ext2fs_fs());
		cerr = commit(inode);
		f->size = inode->e2.size;
		up_write(&ext2fs_lock);
		balance_dirty_pages(&inode->mapping);
	}
	up_write(&inode->rwsem);
	if (done)
		return (long)done;
	return err ? err : cerr;
}

/*
 * Pages wholly past size leave the cache (and every mapping: a touch there
 * is SIGBUS). A write in flight is waited for first: its blocks are about
 * to be freed and may be reused. Their dirty data goes nowhere.
 */
static void
drop_pages_past(struct inode *inode, uint64_t size)
{
	uint64_t index = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	struct page *p;

	while ((p = pagecache_find_next(&inode->mapping, &index)) != NULL) {
		get_page(p);
		wait_on_page_writeback(p);
		if (p->owner == &inode->mapping) {    /* still there after the sleep */
			try_to_unmap(p);
			cancel_dirty_page(p);
			pagecache_remove(p);
		}
		put_page(p);
		index++;
	}
}

/*
 * The file's size becomes size (truncate, ftruncate, O_TRUNC). Shrinking
 * frees the blocks past it and zeroes the rest of its last block, in the
 * cache and on the disk, so that growing it again reads zeros. Sleeps;
 * takes ext2fs_lock. 0, -EFBIG, -EIO, -ETXTBSY (an active swap file).
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
	if (swap_file_active(inode->e2.ino))
		return -ETXTBSY;
	down_write(&inode->rwsem);
	down_write(&ext2fs_lock);
	if (size < inode->e2.size) {
		drop_pages_past(inode, size);
		err = ext2_truncate_blocks(fs, &inode->e2, size);
		if (!err && size % fs->block_size) {
			/* The tail of the last block: zeros in the cache, and on the disk
			 * when the page is written back (growing the file reads them). */
			bool major;
			struct page *p = pagecache_get_page(&inode->mapping, size / PAGE_SIZE, &err, &major);
			if (p) {
				zero_past_end(inode, p);
				set_page_dirty(p);
				flusher_start();      /* someone must write it */
				put_page(p);
			}
		}
	} else {
		inode->e2.size = size;
	}
	inode->e2.mtime = inode->e2.ctime = ext2_now(fs);
	int cerr = commit(inode);
	up_write(&ext2fs_lock);
	up_write(&inode->rwsem);
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
	writeback_forget_mapping(&inode->mapping);   /* before its blocks are freed */
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
	.fstat = ext2fs_fstat, .release = ext2fs_release, .fsync = ext2fs_fsync,
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
	f->wb_err = errseq_sample(&inode->mapping.wb_err);
	inode->opens++;
	*out = f;
	return 0;
}
