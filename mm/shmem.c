/*
 * mm/shmem.c - shared memory: the third kind of page.
 *
 * A page-cache page belongs to a file: it is found by (file, index), every
 * process that maps the file shares it, and a clean one can be dropped -
 * the disk has its original. An anonymous page belongs to the address
 * spaces that map it, and can only go to swap. A shmem page is in between
 * (Linux's mm/shmem.c, behind tmpfs files and MAP_SHARED|MAP_ANONYMOUS):
 * it belongs to an object and is found by (object, index), like file data,
 * but no file is behind it, so under pressure it goes to swap, like
 * anonymous memory; and it comes back by (object, index) -> swap entry.
 *
 * The object keeps one tree from index to what is there - the page cache's
 * radix tree (mm/pagecache.c), whose slots may also hold a swap entry
 * tagged as a value, as Linux's xarray does:
 *
 *   index:   0        1        2        3        4
 *          [page]  [swap 17] [empty] [page]  [swap 18]
 *             |                         |
 *          struct page (PG_SHMEM, owner = the object's address_space)
 *
 * Why that tree: it already exists and is tested; 512 slots per node, so
 * a 1 GiB object (262144 pages) is two levels and its nodes take 0.2% of
 * its size when full; a sparse object pays only for the nodes it touches;
 * and since its pages sit in an address_space, reverse mapping (i_mmap),
 * /proc/meminfo's Cached and the fault path treat them as they treat file
 * pages. A flat array would cost 8 bytes per page of the size, touched or not.
 *
 * The life of a shmem page:
 *
 *   fault / read / write      reclaim chooses it           write done
 *   ---------------------> [page in tree] --unmap all--> [page in tree and in
 *   new zeroed frame                      PTEs cleared     the swap cache, locked
 *                                                          while written]
 *   <--- swap-in: read into the swap cache,   [swap entry in tree] <-------+
 *        then moved into the tree; the slot   the object holds the slot;
 *        is freed at once (Linux does too)    the frame is freed
 *
 * Its PTEs are cleared, not turned into swap entries: a mapper that
 * touches the page again faults, and the fault asks the object (mm/fault.c
 * do_shmem_fault). The object is the one place that knows where the data
 * is, however many processes map it, and read()/write() of a tmpfs file
 * find it the same way. A page read back gives its slot up at once rather
 * than stay clean in the swap cache: a shmem page is written through
 * mappings and write() alike, with no dirty bit of a PTE to tell, and
 * Linux's shmem_swapin_folio() frees the slot too.
 *
 * Concurrency (docs/memory.md): one CPU, no preemption; whoever sleeps
 * (a swap read, a frame through the door) looks at the slot again after.
 * A page being written out is PG_LOCKED: shmem_getpage() waits for it, so
 * nobody maps or changes a page whose copy is on its way to disk.
 */
#include "mm/shmem.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/evict.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

/* The largest object: slot indexes fit the tree, sizes fit an off_t with room. */
#define SHMEM_MAX_SIZE (1UL << 46)

static uint64_t next_ino = 1;

/* Fills nothing: a shmem page is never read from a file (shmem_getpage() makes it). */
static int
shmem_readpage(struct address_space *mapping, struct page *page)
{
	return -EIO;
}

static const struct address_space_ops shmem_aops = { .readpage = shmem_readpage };

static uint64_t
pages_of(uint64_t size)
{
	return ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
}

/* The object whose page tree mapping is, or NULL if mapping is a file's. */
struct shmem_object *
shmem_of_mapping(struct address_space *mapping)
{
	if (!mapping || mapping->ops != &shmem_aops)
		return NULL;
	return (struct shmem_object *)((char *)mapping - offsetof(struct shmem_object, mapping));
}

/* Every object, for swapoff (shmem_next_live). */
static struct list_head all_objects = LIST_HEAD_INIT(all_objects);

/* A new object of size bytes, all zero (no page yet), with one reference; NULL if none. */
struct shmem_object *
shmem_create(uint64_t size)
{
	struct shmem_object *obj;

	if (size > SHMEM_MAX_SIZE)
		return NULL;
	obj = kzalloc(sizeof(*obj));
	if (!obj)
		return NULL;
	pagecache_init_mapping(&obj->mapping, &shmem_aops, obj);
	obj->size = size;
	obj->refcount = 1;
	obj->ino = next_ino++;
	list_add_tail(&obj->all_link, &all_objects);
	return obj;
}

void
shmem_get(struct shmem_object *obj)
{
	obj->refcount++;
}

/* Drops a reference; the last one frees every page and swap slot, and the tree. */
void
shmem_put(struct shmem_object *obj)
{
	ASSERT(obj->refcount > 0);
	if (--obj->refcount > 0)
		return;
	shmem_truncate(obj, 0);
	ASSERT(obj->mapping.nrpages == 0 && obj->nr_swapped == 0);
	pagecache_release_mapping(&obj->mapping);
	list_del(&obj->all_link);
	kfree(obj);
}

uint64_t
shmem_size(const struct shmem_object *obj)
{
	return obj->size;
}

/* ---- Finding a page: resident, on swap, or new ---- */

/* Whether index holds nothing (never written, or truncated): it reads as zeros. */
static bool
is_hole(struct shmem_object *obj, uint64_t index)
{
	return !pagecache_find(&obj->mapping, index) && swp_none(pagecache_find_swap(&obj->mapping, index));
}

/*
 * A new zeroed page, put in the tree at index (an empty slot). 0, -ENOMEM,
 * or -EAGAIN when the slot was filled or cut off while we slept.
 */
static int
add_new_page(struct shmem_object *obj, uint64_t index, struct page **pagep)
{
	struct page *p = alloc_user_page(true);       /* may sleep */
	int err;

	if (!p)
		return -ENOMEM;
	/* Slept: someone may have filled the slot, or truncated the object, meanwhile. */
	if (!is_hole(obj, index) || index >= pages_of(obj->size)) {
		put_page(p);
		return -EAGAIN;
	}
	p->flags |= PG_SHMEM;
	err = pagecache_add(&obj->mapping, index, p);
	if (err) {
		put_page(p);
		return err;
	}
	vmstat_inc(NR_SHMEM);
	evict_add(p);
	*pagep = p;                                   /* the allocation's reference */
	return 0;
}

/*
 * p, just read from slot e into the swap cache, becomes the object's page
 * at index again: out of the swap cache, into the tree, and the slot is
 * freed (see the top of the file). Keeps our reference.
 */
static void
move_into_object(struct shmem_object *obj, uint64_t index, struct page *p, swp_entry_t e)
{
	swap_cache_delete(p);                 /* the cache's reference; the tree's hold keeps the slot */
	if (p->flags & PG_ANON)
		vmstat_dec(NR_ANON_PAGES);    /* swap-in makes every page anonymous first */
	p->flags = (p->flags & ~(PG_ANON | PG_READAHEAD)) | PG_SHMEM;
	pagecache_set_swap(&obj->mapping, index, (swp_entry_t){ 0 });
	if (pagecache_add(&obj->mapping, index, p) != 0)
		panic("shmem: move_into_object: the slot of index %lu is gone", index);
	swap_put(e);                          /* the tree held the slot: now nobody does */
	obj->nr_swapped--;
	vmstat_dec(NR_SHMEM_SWAPPED);
	vmstat_inc(NR_SHMEM);
	if (!(p->flags & PG_LRU))
		evict_add(p);
}

static struct swap_ra shmem_ra;    /* readahead's state for all objects (Linux: one for all shmem) */

/*
 * Readahead by index (as mm/fault_swap.c's swap_neighbours() goes by
 * address): the swap entries of the object's pages around index, in the
 * window mm/swap.c's policy gives (1 when readahead has not been paying;
 * ahead of a forward scan). Pages next to each other in an object tend
 * to be used together. Linux reads around a shmem page's slot instead;
 * its neighbours in the object are found here without a look at the slot
 * map. Returns how many entries it put in ahead[].
 */
static int
swap_neighbours(struct shmem_object *obj, uint64_t index, swp_entry_t *ahead)
{
	uint64_t lo, win = swap_readahead_window(&shmem_ra, index, &lo);
	uint64_t end = MIN(lo + win, pages_of(obj->size));
	int n = 0;

	for (uint64_t i = lo; i < end && n < SWAP_RA_PAGES; i++) {
		swp_entry_t e = pagecache_find_swap(&obj->mapping, i);
		if (i != index && !swp_none(e))
			ahead[n++] = e;
	}
	return n;
}

/*
 * Reads the page at index back from swap slot e (through the swap cache,
 * as an anonymous swap-in does: two readers of one slot read it once),
 * with its swapped-out neighbours in the object (readahead: they wait in
 * the swap cache until their index is asked for, or reclaim drops them).
 * Returns 0 with the page, -EAGAIN when the slot changed while we slept
 * (look again), -EIO (a bad slot) or -ENOMEM.
 */
static int
swap_in(struct shmem_object *obj, uint64_t index, swp_entry_t e, struct page **pagep)
{
	struct page *p = swap_cache_lookup(e);
	int err = 0;

	if (!p) {
		swp_entry_t ahead[SWAP_RA_PAGES];
		if (swap_entry_bad(e))
			return -EIO;
		p = swap_readin(e, ahead, swap_neighbours(obj, index, ahead), &err);
		if (!p)
			return err == -ENOENT ? -EAGAIN : err;
	} else {
		swap_readahead_used(p, &shmem_ra, index);
	}
	while (p->flags & (PG_LOCKED | PG_WRITEBACK)) {
		lock_page(p);                 /* sleeps until its read is done */
		unlock_page(p);
	}
	/* Slept: is e still the object's entry, and still this page's slot? */
	if (!swp_same(pagecache_find_swap(&obj->mapping, index), e) || !(p->flags & PG_SWAPCACHE) ||
	    !swp_same(p->swap, e)) {
		swap_cache_release(p);        /* nobody else will look for it */
		put_page(p);
		return -EAGAIN;
	}
	move_into_object(obj, index, p, e);
	*pagep = p;
	return 0;
}

/*
 * The page at index of obj, with a reference the caller drops with
 * put_page(): the resident page; or read back from swap (*major, if major
 * is not NULL); or a new zeroed page. Returns 0, -EINVAL (index beyond the
 * size), -ENOMEM, or -EIO (its swap slot could not be read). Sleeps.
 */
int
shmem_getpage(struct shmem_object *obj, uint64_t index, struct page **pagep, bool *major)
{
	int err;

	if (major)
		*major = false;
	for (;;) {
		struct page *p;
		swp_entry_t e;

		if (index >= pages_of(obj->size))
			return -EINVAL;
		if ((p = pagecache_find(&obj->mapping, index)) != NULL) {
			if (p->flags & PG_LOCKED) {   /* on its way to swap: wait, look again */
				get_page(p);
				lock_page(p);
				unlock_page(p);
				put_page(p);
				continue;
			}
			get_page(p);
			*pagep = p;
			return 0;
		}
		e = pagecache_find_swap(&obj->mapping, index);
		if (!swp_none(e)) {
			err = swap_in(obj, index, e, pagep);
			if (err == 0 && major)
				*major = true;
		} else {
			err = add_new_page(obj, index, pagep);
		}
		if (err != -EAGAIN)
			return err;
	}
}

/* ---- read, write, truncate: what a tmpfs file does ---- */

/*
 * Copies up to len bytes at off into buf, stopping at the size. A hole
 * reads as zeros without a page being made for it (Linux reads
 * ZERO_PAGE). Returns the bytes copied (0 at or past the size), or -ENOMEM
 * / -EIO if not even the first could be. Sleeps.
 */
long
shmem_read(struct shmem_object *obj, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len && off + done < obj->size) {
		uint64_t pos = off + done, index = pos / PAGE_SIZE, in = pos % PAGE_SIZE;
		size_t chunk = MIN(MIN(len - done, PAGE_SIZE - in), obj->size - pos);
		struct page *p;
		int err;

		if (is_hole(obj, index)) {
			memset((char *)buf + done, 0, chunk);
			done += chunk;
			continue;
		}
		err = shmem_getpage(obj, index, &p, NULL);       /* may sleep */
		if (err == -EINVAL)
			break;                /* truncated while we slept: the end is nearer */
		if (err)
			return done ? (long)done : err;
		memcpy((char *)buf + done, (char *)page_address(p) + in, chunk);
		evict_accessed(p);            /* a use no PTE saw */
		put_page(p);
		done += chunk;
	}
	return (long)done;
}

/*
 * Copies len bytes from buf to off, growing the size if the write ends
 * past it (the bytes between the old size and off read as zeros). Returns
 * the bytes written, or -EFBIG (past SHMEM_MAX_SIZE), -ENOMEM, -EIO if
 * not even the first could be; the size then grows only as far as the
 * bytes written. Sleeps.
 */
long
shmem_write(struct shmem_object *obj, uint64_t off, const void *buf, size_t len)
{
	uint64_t old_size = obj->size;
	size_t done = 0;

	if (off > SHMEM_MAX_SIZE || len > SHMEM_MAX_SIZE - off)
		return -EFBIG;
	while (done < len) {
		uint64_t pos = off + done, index = pos / PAGE_SIZE, in = pos % PAGE_SIZE;
		size_t chunk = MIN(len - done, PAGE_SIZE - in);
		struct page *p;
		int err;

		if (pos + chunk > obj->size)
			obj->size = pos + chunk;      /* shmem_getpage serves indexes below the size */
		err = shmem_getpage(obj, index, &p, NULL);
		if (err) {
			if (obj->size == pos + chunk)     /* nobody grew it further meanwhile */
				obj->size = MAX(old_size, pos);
			return done ? (long)done : err;
		}
		memcpy((char *)page_address(p) + in, (const char *)buf + done, chunk);
		evict_accessed(p);
		put_page(p);
		done += chunk;
	}
	return (long)done;
}

/*
 * Frees what the object holds at index: a page (unmapped from every
 * mapper first; one on its way to swap is left to its reclaimer, which
 * finds it no longer in the object) or a swap slot. Never sleeps.
 */
static void
drop_index(struct shmem_object *obj, uint64_t index)
{
	struct page *p = pagecache_find(&obj->mapping, index);
	swp_entry_t e;

	if (p) {
		try_to_unmap(p);              /* a shmem page's PTEs are simply cleared */
		pagecache_remove(p);          /* the tree's reference */
		vmstat_dec(NR_SHMEM);
		return;
	}
	e = pagecache_find_swap(&obj->mapping, index);
	if (swp_none(e))
		return;
	pagecache_set_swap(&obj->mapping, index, (swp_entry_t){ 0 });
	swap_put(e);
	obj->nr_swapped--;
	vmstat_dec(NR_SHMEM_SWAPPED);
}

/* Zeroes the bytes of the page at index from byte `from` on, if it holds data. Sleeps. */
static int
zero_tail(struct shmem_object *obj, uint64_t index, size_t from)
{
	struct page *p;
	int err;

	if (is_hole(obj, index))
		return 0;
	err = shmem_getpage(obj, index, &p, NULL);
	if (err)
		return err;
	memset((char *)page_address(p) + from, 0, PAGE_SIZE - from);
	put_page(p);
	return 0;
}

/*
 * Sets the object's size to size bytes. Shrinking frees every page and
 * swap slot wholly past the new end (mappers of them lose them: a later
 * touch there is SIGBUS, as for a file) and zeroes the rest of the new last
 * page, so that growing again reads zeros there. Growing allocates
 * nothing. Returns 0, -EFBIG, or the error of reading back the last page.
 * Sleeps only to read the new last page back from swap.
 */
int
shmem_truncate(struct shmem_object *obj, uint64_t size)
{
	uint64_t old_pages = pages_of(obj->size);

	if (size > SHMEM_MAX_SIZE)
		return -EFBIG;
	if (size >= obj->size) {
		obj->size = size;
		return 0;
	}
	obj->size = size;                     /* first: a fault meanwhile sees the new end */
	for (uint64_t i = pages_of(size); i < old_pages; i++) {
		if (obj->mapping.nrpages == 0 && obj->nr_swapped == 0)
			break;                /* nothing left anywhere: no need to look further */
		drop_index(obj, i);
	}
	if (size % PAGE_SIZE)
		return zero_tail(obj, size / PAGE_SIZE, size % PAGE_SIZE);
	return 0;
}

/* ---- Reclaim's side: a shmem page goes to swap ---- */

/*
 * Reclaim chose page, a shmem page: prepares it to be written to swap.
 * Every PTE mapping it is cleared (through reverse mapping: the object's
 * regions), then it gets a slot and goes into the swap cache, where the
 * write finds it. Returns false if it must stay: it left its object
 * (truncated), is in use for I/O, still mapped, or swap is full. Never
 * sleeps.
 */
bool
shmem_prepare_swap_out(struct page *page)
{
	if (!page->owner || (page->flags & (PG_LOCKED | PG_SWAPCACHE)))
		return false;
	if (!swap_enabled() || swap_free_slots() == 0)
		return false;                 /* before unmapping: nothing would be gained */
	try_to_unmap(page);
	if (page->mapcount > 0)
		return false;
	return !swp_none(swap_alloc_cached(page));
}

/*
 * The write of page (a shmem page in the swap cache, unlocked, with the
 * reclaimer's reference) to its slot succeeded. If nobody took it
 * meanwhile, the object's slot now holds the swap entry and the frame is
 * freed (returns 1). If it was mapped again, is in use (a read or write
 * holds it) or left the object (truncated), it stays in memory - or is
 * freed with the object - and its slot is let go (returns 0). Drops the
 * reclaimer's reference either way. Never sleeps.
 */
int
shmem_finish_swap_out(struct page *page)
{
	struct shmem_object *obj = shmem_of_mapping(page->owner);
	swp_entry_t e = page->swap;
	uint64_t index = page->index;

	/* Holders when it can go: the tree, the swap cache, the reclaimer. */
	if (!obj || page->mapcount > 0 || page->refcount != 3) {
		swap_cache_delete(page);
		evict_putback(page);
		put_page(page);
		return 0;
	}
	swap_duplicate(e);                    /* the object holds the slot now */
	pagecache_remove(page);               /* the tree's reference */
	pagecache_set_swap(&obj->mapping, index, e);
	obj->nr_swapped++;
	vmstat_dec(NR_SHMEM);
	vmstat_inc(NR_SHMEM_SWAPPED);
	swap_cache_delete(page);              /* the cache's reference */
	put_page(page);                       /* ours: the frame is free */
	return 1;
}

/* ---- MAP_SHARED | MAP_ANONYMOUS: a region over an object of its own ---- */

static void
anon_file_release(struct file *f)
{
	shmem_put(f->priv);
}

static const struct file_ops anon_file_ops = { .release = anon_file_release };

/*
 * The file a shared anonymous mapping of size bytes maps: a new object
 * behind it, whose last reference goes with the file's. Linux does the
 * same (shmem_zero_setup()) and names it as /dev/zero, deleted, in
 * /proc/PID/maps. Returns the file (one reference) or NULL.
 */
struct file *
shmem_anon_file(uint64_t size)
{
	struct shmem_object *obj = shmem_create(size);
	struct file *f = obj ? file_alloc(&anon_file_ops, O_RDWR, S_IFREG | 0600) : NULL;

	if (!f) {
		if (obj)
			shmem_put(obj);
		return NULL;
	}
	f->priv = obj;
	f->mapping = &obj->mapping;
	f->size = size;
	f->ino = obj->ino;
	strlcpy(f->path, "/dev/zero (deleted)", sizeof(f->path));
	return f;
}

/* ---- For swapoff: every object ---- */

/*
 * The first live object after prev in the list of every object (from the
 * start if prev is NULL), with a reference taken; NULL at the end. An
 * object being freed (no references left) is passed by. The caller may
 * sleep between calls while it holds prev, and then drops it (mm/swapoff.c).
 */
struct shmem_object *
shmem_next_live(struct shmem_object *prev)
{
	struct list_head *pos = prev ? prev->all_link.next : all_objects.next;

	for (; pos != &all_objects; pos = pos->next) {
		struct shmem_object *obj = list_entry(pos, struct shmem_object, all_link);
		if (obj->refcount > 0) {
			shmem_get(obj);
			return obj;
		}
	}
	return NULL;
}
