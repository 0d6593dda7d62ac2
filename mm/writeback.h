/*
 * mm/writeback.h - dirty page-cache pages and writing them back (Linux's
 * mm/page-writeback.c and fs/fs-writeback.c, simplified). See mm/writeback.c.
 */
#ifndef MM_WRITEBACK_H
#define MM_WRITEBACK_H

#include "kernel/types.h"
#include "mm/page.h"

struct address_space;

/* /proc/sys/vm, Linux's names and defaults (Documentation/admin-guide/sysctl/vm.rst). */
extern unsigned vm_dirty_background_ratio;     /* 10 (% of dirtyable memory) */
extern unsigned vm_dirty_ratio;                /* 20 */
extern unsigned vm_dirty_expire_centisecs;     /* 3000 */
extern unsigned vm_dirty_writeback_centisecs;  /* 500 */
extern uint64_t vm_dirty_background_bytes;     /* 0: use the ratio */
extern uint64_t vm_dirty_bytes;                /* 0: use the ratio */

/* How thorough a writeback pass is (Linux's enum writeback_sync_modes). */
enum wb_sync_mode {
	WB_SYNC_NONE,    /* start writes; skip pages already being written (the flusher, reclaim) */
	WB_SYNC_ALL,     /* every dirty page, waiting for a write in flight first (fsync, sync) */
};

/*
 * One writeback pass over a file (Linux's struct writeback_control): the
 * file system may keep the request it is filling here, to add the next
 * pages to it, until address_space_ops.end_writepages.
 */
struct writeback_control {
	enum wb_sync_mode mode;
	void *fs_private;
};

/* What a file system gives writeback: its metadata (ext2: the block cache). */
struct writeback_fs_ops {
	/* Writes the dirty metadata: all of it, or with expired_only what has
	 * been dirty longer than dirty_expire_centisecs. 0 or -errno. Sleeps. */
	int (*write_metadata)(bool expired_only);
};

/* Never sleep; any context unless said. */
bool set_page_dirty(struct page *page);
bool clear_page_dirty_for_io(struct page *page);
void cancel_dirty_page(struct page *page);
void set_page_writeback(struct page *page);
void end_page_writeback(struct page *page, int err);      /* interrupt handlers too */
void mapping_set_error(struct address_space *mapping, int err);
void writeback_dirty_limits(uint64_t *background, uint64_t *limit);
uint64_t writeback_dirtyable_pages(void);
bool writeback_over_background(void);
void writeback_register_fs(const struct writeback_fs_ops *ops);
void writeback_forget_mapping(struct address_space *mapping);
bool writeback_for_reclaim(struct page *page);

/* Sleep. */
void wait_on_page_writeback(struct page *page);
uint64_t writeback_mapping(struct address_space *mapping, enum wb_sync_mode mode, uint64_t budget);
void writeback_wait_mapping(struct address_space *mapping);
int writeback_and_wait_mapping(struct address_space *mapping);
uint64_t writeback_some(uint64_t budget, bool expired_only);
int writeback_metadata(bool expired_only);
int writeback_sync_all(void);
void balance_dirty_pages(struct address_space *mapping);
bool writeback_throttle_reclaim(int round);

/* mm/flusher.c: the flusher thread. */
void flusher_start(void);
void flusher_stop(void);
void flusher_wake(void);
void flusher_wake_for_reclaim(void);

#endif
