/*
 * mm/pagecache.h - file data in whole pages, found by (file, page index).
 */
#ifndef MM_PAGECACHE_H
#define MM_PAGECACHE_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "mm/errseq.h"
#include "mm/page.h"

struct address_space;
struct writeback_control;

struct address_space_ops {
	/* Fills page (locked, not up to date) with the file's data at
	 * page->index; sleeps for the disk. Returns 0 or -errno. */
	int (*readpage)(struct address_space *mapping, struct page *page);
	/* Starts writing a locked page that writeback has made clean and
	 * PG_WRITEBACK (mm/writeback.c) to the file's blocks, and returns
	 * without waiting: end_page_writeback() is called when the write
	 * completes, with its status - also when nothing could be
	 * submitted. The write may wait in wbc for the pass's next pages
	 * until end_writepages. Sleeps (the block map, a request). NULL:
	 * the file system keeps no dirty pages (tmpfs: they go to swap). */
	void (*writepage)(struct address_space *mapping, struct page *page,
			  struct writeback_control *wbc);
	/* The end of a writeback pass: what wbc still holds is submitted. */
	void (*end_writepages)(struct address_space *mapping, struct writeback_control *wbc);
	/* A shared mapping's first store to page (mm/fault_shared.c): the
	 * file system gives it blocks. 0, -EAGAIN (the page left the file:
	 * fault again), -ENOSPC, -EIO, -ENOMEM. Sleeps. NULL: nothing to do. */
	int (*page_mkwrite)(struct address_space *mapping, struct page *page);
};

/* The cached pages of one file: a radix tree indexed by page number. */
struct address_space {
	void *root;                   /* a node, or a page when height == 0 */
	unsigned height;              /* levels of 512-way nodes */
	uint64_t nrpages;
	const struct address_space_ops *ops;
	void *host;                   /* the inode */
	struct list_head i_mmap;      /* regions that map this file (mm/rmap.c) */
	/* Writeback (mm/writeback.c): */
	uint64_t nrdirty;             /* pages PG_DIRTY */
	uint64_t nrwriteback;         /* pages PG_WRITEBACK */
	uint64_t dirtied_when;        /* jiffies: when the oldest dirty page was dirtied */
	uint64_t writeback_index;     /* where the last partial pass stopped: the next starts there */
	struct list_head dirty_link;  /* on the list of dirty mappings while nrdirty > 0 */
	errseq_t wb_err;              /* the last writeback error (each open file sees it once) */
};

/* May sleep (the disk, a page locked by someone else, the door's reclaim). */
struct page *pagecache_get_page(struct address_space *mapping, uint64_t index, int *err, bool *major);
void lock_page(struct page *page);

/* Never sleep. */
struct page *pagecache_find(struct address_space *mapping, uint64_t index);
struct page *pagecache_find_next(struct address_space *mapping, uint64_t *index);
swp_entry_t pagecache_find_swap(struct address_space *mapping, uint64_t index);
int pagecache_add(struct address_space *mapping, uint64_t index, struct page *page);
int pagecache_set_swap(struct address_space *mapping, uint64_t index, swp_entry_t e);
void pagecache_init_mapping(struct address_space *mapping, const struct address_space_ops *ops, void *host);
uint64_t pagecache_drop_all(struct address_space *mapping);
void pagecache_release_mapping(struct address_space *mapping);
void pagecache_remove(struct page *page);
void unlock_page(struct page *page);
extern uint64_t nr_pagecache_pages;

#endif
