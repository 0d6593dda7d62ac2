/*
 * mm/pagecache.c - the page cache: file data kept in whole pages.
 *
 * Every page of a file that has been read stays in memory, found again by
 * (file, page index) - the struct page records both (owner = the file's
 * address_space, index = the page number). A clean cached page is the
 * cheapest memory to reclaim: its original is on disk, so it can simply
 * be dropped and read again. (Anonymous memory has no original: it can
 * only go to swap.)
 *
 * Each file's pages are indexed by a small radix tree, a "page table for
 * files": 512 slots per node, one level per 9 bits of the page index.
 *
 *   height 2:  root [ 0 | 1 | ... ]          index = 0b xxxxxxxxx yyyyyyyyy
 *                     |                               level 2   level 1
 *                   node [ p0 | p1 | ... ]   --> struct page
 *
 * Reading a page nobody has read yet: allocate a frame, mark it locked,
 * insert it, then ask the file system to fill it (sleeping for the disk).
 * A second reader arriving meanwhile finds the locked page and sleeps
 * until it is unlocked instead of reading it a second time. A page is
 * up to date (PG_UPTODATE) once its data is in; a failed read removes it.
 *
 * A slot may also hold a *value* instead of a page: a swap entry, tagged
 * with bit 0 (a struct page pointer is always even), as Linux's xarray
 * stores xa_mk_value(). Only shared memory (mm/shmem.c) puts values in its
 * tree: a shmem page that went to swap leaves its swap entry in its slot,
 * so the object still finds its data by index. Files on disk never have
 * values; pagecache_find() reads a value slot as empty.
 */
#include "mm/pagecache.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/evict.h"
#include "mm/memcg.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/vmstat.h"

#define SLOTS_SHIFT 9
#define SLOTS (1u << SLOTS_SHIFT)

/* Nodes are never freed: a file's tree only grows (pages come and go). */
struct pc_node {
	void *slot[SLOTS];
};

uint64_t nr_pagecache_pages;
static struct wait_queue page_waiters = WAIT_QUEUE_INIT(page_waiters);

void
pagecache_init_mapping(struct address_space *mapping, const struct address_space_ops *ops, void *host)
{
	*mapping = (struct address_space){ .ops = ops, .host = host };
	list_init(&mapping->i_mmap);
	list_init(&mapping->dirty_link);
}

/* The largest index a tree of this height can hold, plus one. */
static uint64_t
capacity(unsigned height)
{
	return height >= 7 ? UINT64_MAX : 1UL << (SLOTS_SHIFT * height);
}

/* Returns the slot for index, growing the tree (and allocating nodes) if alloc. */
static void **
lookup_slot(struct address_space *m, uint64_t index, bool alloc)
{
	void **slot = &m->root;

	while (index >= capacity(m->height)) {
		/* Grow at the top: the old root becomes slot 0 of a new root. */
		struct pc_node *n = alloc ? kzalloc(sizeof(*n)) : NULL;
		if (!n)
			return NULL;
		n->slot[0] = m->root;
		m->root = n;
		m->height++;
	}
	for (unsigned level = m->height; level > 0; level--) {
		struct pc_node *n = *slot;
		if (!n) {
			if (!alloc || !(n = kzalloc(sizeof(*n))))
				return NULL;
			*slot = n;
		}
		unsigned i = (index >> (SLOTS_SHIFT * (level - 1))) & (SLOTS - 1);
		slot = &n->slot[i];
	}
	return slot;
}

static bool
is_value(const void *entry)
{
	return (uintptr_t)entry & 1;
}

/* The cached page at index (no reference taken), or NULL (also for a swap entry). */
struct page *
pagecache_find(struct address_space *mapping, uint64_t index)
{
	void **slot = lookup_slot(mapping, index, false);

	return slot && !is_value(*slot) ? *slot : NULL;
}

/* The first page in entry (a subtree of the given level, whose first index is base) at start or after. */
static struct page *
next_in(void *entry, unsigned level, uint64_t base, uint64_t start, uint64_t *found)
{
	struct pc_node *n = entry;
	uint64_t span;

	if (!entry)
		return NULL;
	if (level == 0) {
		if (is_value(entry) || base < start)
			return NULL;
		*found = base;
		return entry;
	}
	span = 1UL << (SLOTS_SHIFT * (level - 1));
	for (uint64_t i = start > base ? (start - base) / span : 0; i < SLOTS; i++) {
		struct page *p = next_in(n->slot[i], level - 1, base + i * span, start, found);
		if (p)
			return p;
	}
	return NULL;
}

/*
 * The cached page with the lowest index >= *index, which it sets, or
 * NULL: empty parts of the tree are skipped whole, so a walk over a big
 * sparse file costs its pages, not its size (writeback's walks). No
 * reference is taken. Never sleeps.
 */
struct page *
pagecache_find_next(struct address_space *mapping, uint64_t *index)
{
	if (*index >= capacity(mapping->height))
		return NULL;
	return next_in(mapping->root, mapping->height, 0, *index, index);
}

/* The swap entry a slot holds instead of a page (mm/shmem.c), or val 0. */
swp_entry_t
pagecache_find_swap(struct address_space *mapping, uint64_t index)
{
	void **slot = lookup_slot(mapping, index, false);

	if (!slot || !is_value(*slot))
		return (swp_entry_t){ 0 };
	return (swp_entry_t){ (uint32_t)((uintptr_t)*slot >> 1) };
}

void
lock_page(struct page *page)
{
	uint64_t flags = irq_save();

	while (page->flags & PG_LOCKED)
		wait_sleep(&page_waiters);
	page->flags |= PG_LOCKED;
	irq_restore(flags);
}

void
unlock_page(struct page *page)
{
	page->flags &= ~PG_LOCKED;
	wait_wake_all(&page_waiters);
}

static void
wait_on_page(struct page *page)
{
	uint64_t flags = irq_save();

	while (page->flags & PG_LOCKED)
		wait_sleep(&page_waiters);
	irq_restore(flags);
}

static int
insert(struct address_space *m, uint64_t index, struct page *page)
{
	void **slot = lookup_slot(m, index, true);

	if (!slot)
		return -ENOMEM;
	ASSERT(!*slot);
	*slot = page;
	page->owner = m;
	page->index = index;
	m->nrpages++;
	nr_pagecache_pages++;
	return 0;
}

static void
remove(struct address_space *m, struct page *page)
{
	void **slot = lookup_slot(m, page->index, false);

	ASSERT(slot && *slot == page);
	*slot = NULL;
	page->owner = NULL;
	m->nrpages--;
	nr_pagecache_pages--;
}

/*
 * Returns the up-to-date page at index with a reference the caller drops
 * with put_page(), reading it from the file if it is not cached (then
 * *major is set). Returns NULL with *err = -ENOMEM or the read's error.
 * Sleeps. Interrupts on.
 */
struct page *
pagecache_get_page(struct address_space *mapping, uint64_t index, int *err, bool *major)
{
	struct page *page, *fresh = NULL;

	*major = false;
	for (;;) {
		page = pagecache_find(mapping, index);
		if (page) {
			if (fresh)
				put_page(fresh);       /* someone read it while we slept */
			get_page(page);
			wait_on_page(page);        /* someone may be reading it right now */
			if (page->flags & PG_UPTODATE)
				return page;
			put_page(page);
			*err = -EIO;
			return NULL;
		}
		if (fresh)
			break;
		/* May sleep (reclaim): look again afterwards. */
		if (memcg_current() && !memcg_make_room(memcg_current())) {
			*err = -ENOMEM;            /* our group's OOM victim */
			return NULL;
		}
		fresh = alloc_user_page(false);
		if (!fresh) {
			*err = -ENOMEM;
			return NULL;
		}
	}
	page = fresh;
	page->flags |= PG_LOCKED;
	if ((*err = insert(mapping, index, page)) != 0) {
		put_page(page);
		return NULL;
	}
	get_page(page);                        /* one for the cache, one for the caller */
	evict_add(page);
	if (memcg_current())
		memcg_charge(memcg_current(), page);   /* whoever brings it in pays (cgroup v2) */
	*major = true;
	*err = mapping->ops->readpage(mapping, page);
	if (*err == 0)
		page->flags |= PG_UPTODATE;
	else
		remove(mapping, page);         /* a later reader tries the disk again */
	unlock_page(page);
	if (*err) {
		put_page(page);                /* the cache's reference */
		put_page(page);                /* ours */
		return NULL;
	}
	return page;
}

/*
 * Drops every cached page of the file that nobody else uses; dirty pages
 * and pages being written stay (their data is not on the disk yet).
 * Returns how many were dropped.
 */
uint64_t
pagecache_drop_all(struct address_space *mapping)
{
	uint64_t dropped = 0, limit = capacity(mapping->height);

	for (uint64_t i = 0; i < limit && mapping->nrpages > 0; i++) {
		struct page *p = pagecache_find(mapping, i);
		if (p && p->refcount == 1 && p->mapcount == 0 &&
		    !(p->flags & (PG_LOCKED | PG_DIRTY | PG_WRITEBACK))) {
			remove(mapping, p);
			p->flags &= ~PG_UPTODATE;
			put_page(p);
			dropped++;
		}
	}
	return dropped;
}

static void
free_nodes(void *node, unsigned level)
{
	struct pc_node *n = node;

	if (!n || level == 0)
		return;
	for (unsigned i = 0; i < SLOTS; i++)
		free_nodes(n->slot[i], level - 1);
	kfree(n);
}

/* Frees the tree of a mapping that holds no pages any more. */
void
pagecache_release_mapping(struct address_space *mapping)
{
	ASSERT(mapping->nrpages == 0);
	free_nodes(mapping->root, mapping->height);
	mapping->root = NULL;
	mapping->height = 0;
}

/*
 * Puts page at index of mapping, whose slot must be empty; the cache takes
 * a reference of its own. For mm/shmem.c, whose pages are created, not
 * read. Returns 0 or -ENOMEM (no memory for a node of the tree). Never
 * sleeps.
 */
int
pagecache_add(struct address_space *mapping, uint64_t index, struct page *page)
{
	int err = insert(mapping, index, page);

	if (err == 0) {
		get_page(page);
		page->flags |= PG_UPTODATE;
	}
	return err;
}

/*
 * Stores swap entry e in the slot at index, which must be empty or hold
 * a value already (mm/shmem.c: a page that went to swap, or came back and
 * left). Val 0 empties the slot. The slot exists whenever it held a page
 * or a value, so this only allocates for a new index: -ENOMEM then.
 */
int
pagecache_set_swap(struct address_space *mapping, uint64_t index, swp_entry_t e)
{
	void **slot = lookup_slot(mapping, index, !swp_none(e));

	if (!slot)
		return swp_none(e) ? 0 : -ENOMEM;
	ASSERT(!*slot || is_value(*slot));
	*slot = swp_none(e) ? NULL : (void *)(((uintptr_t)e.val << 1) | 1);
	return 0;
}

/* Takes a page out of its file's cache and drops the cache's reference. */
void
pagecache_remove(struct page *page)
{
	remove(page->owner, page);
	page->flags &= ~PG_UPTODATE;
	put_page(page);
}
