/*
 * mm/memsnap.c - a snapshot of physical memory: what every frame holds
 * and for whom, which swap slots are in use, and the /proc/vmstat
 * counters, as one line of JSON. tools/viz/ turns a run's snapshots into
 * a picture of memory over time (docs/viz.md).
 *
 * It only reads - struct page (mm/page.h), the buddy allocator's marks,
 * the swap slot map, the counters - and changes nothing. It is not on the
 * fault -> reclaim -> swap path: mm/memsnapd.c decides when a snapshot is
 * taken and sends it out; /proc/memsnap gives one on demand.
 *
 * Frames are written as runs, so that a 2 GiB machine (524288 frames)
 * takes kilobytes, not megabytes. Neighbouring frames with the same state,
 * flags, counts and owner, whose index goes up by one (a file's pages in
 * order, the pages of an array), make one run:
 *
 *   "frames":"COUNT,STATE,FLAGS,REF,MAP,OWNER,INDEX;COUNT,STATE,..."
 *
 *   STATE  F free (in a buddy block)     R reserved (firmware, kernel image, pages[])
 *          K kernel (heap, stacks, ...)  P page table
 *          C page cache                  A anonymous
 *          W swap cache, clean           D swap cache, dirty (its slot is stale)
 *          L locked for I/O (being read in, or written to swap)
 *   FLAGS  struct page's flags, in hex; REF its refcount; MAP its mapcount
 *   OWNER  pN process N's anonymous memory (a process that maps it, found
 *          by the reverse map), p? a family whose processes are gone; fN the file
 *          "files"[N] (the path a process mapped it by), f? a file no process
 *          maps (read with read()); - none
 *   INDEX  the first frame's page index: its page in the file, or its
 *          virtual page number (vaddr >> 12); 0 when it has no owner
 *
 * Free frames are written with flags and counts 0: the buddy allocator
 * marks only the first frame of a free block, and a free frame's fields
 * mean nothing. Swap slots are runs too, "COUNT,STATE,USERS": H the
 * header, B bad, F free, U held by USERS page tables (and maybe cached),
 * C only in the swap cache; with several swap areas, one area's runs
 * after the other's in table order, each starting with its H.
 */
#include "mm/memsnap.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/mm.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/swap_map.h"
#include "mm/vmm.h"
#include "mm/vmstat.h"

#define MAX_PROCS 64          /* processes named in one snapshot (more: "p?") */
#define MAX_FILES 64          /* files named in one snapshot (more: "f?") */
#define OWNER_NONE 0
#define OWNER_LOST_ANON (-1000)   /* an anonymous page whose family we cannot name */
#define OWNER_LOST_FILE (-1001)   /* a file no process maps (or beyond MAX_FILES) */

/*
 * Who may own frames, gathered once at the start of a snapshot: the
 * processes, and the files their regions map. A frame's owner pointer is
 * only compared with these, never followed: a comparison needs nothing
 * of the object, which may have gone since (put_page() clears the owner
 * of a frame it frees, but a snapshot must not rely on every path doing so).
 */
struct owners {
	int nprocs;
	struct task *procs[MAX_PROCS];
	int nfiles;
	const struct address_space *files[MAX_FILES];
	const char *paths[MAX_FILES];
};

/* A run of frames that look alike (see the top of the file). */
struct run {
	uint64_t count;
	char state;
	uint32_t flags;
	int32_t ref, map;
	int owner;                /* > 0 a pid, < 0 -(file + 1), or OWNER_* */
	uint64_t index;
	bool indexed;             /* index goes up by one along the run */
};

static uint64_t snapshots;    /* numbered from 0, whatever channel took them */

/* ---- Writing text into the sink ---- */

static void
append(struct memsnap_sink *s, const char *text, size_t n)
{
	for (size_t i = 0; i < n; i++, s->len++) {
		if (s->flush) {
			if (s->used == s->size) {
				s->flush(s->buf, s->used);
				s->used = 0;
			}
			s->buf[s->used++] = text[i];
		} else if (s->len < s->size) {
			s->buf[s->len] = text[i];
		}
	}
}

static void __printf(2, 3)
put(struct memsnap_sink *s, const char *fmt, ...)
{
	char tmp[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	append(s, tmp, (size_t)MIN(MAX(n, 0), (int)sizeof(tmp) - 1));
}

/* A JSON string: a character that would need escaping becomes '?'. */
static void
put_string(struct memsnap_sink *s, const char *str)
{
	append(s, "\"", 1);
	for (; *str; str++)
		append(s, *str == '"' || *str == '\\' || (unsigned char)*str < ' ' ? "?" : str, 1);
	append(s, "\"", 1);
}

/* ---- Frames ---- */

static void
add_files(struct owners *o, const struct mm *mm)
{
	const struct list_head *pos;

	list_for_each(pos, &mm->vmas) {
		const struct vma *v = list_entry(pos, struct vma, link);
		int i = 0;
		if (!v->file || !v->file->mapping)
			continue;
		while (i < o->nfiles && o->files[i] != v->file->mapping)
			i++;
		if (i == o->nfiles && o->nfiles < MAX_FILES) {
			o->files[o->nfiles] = v->file->mapping;
			o->paths[o->nfiles++] = v->file->path;
		}
	}
}

static void
add_process(struct task *t, void *arg)
{
	struct owners *o = arg;

	if (t->mm && t == t->leader && t->state != TASK_ZOMBIE && o->nprocs < MAX_PROCS) {
		o->procs[o->nprocs++] = t;
		add_files(o, t->mm);
	}
}

/*
 * The pid of a process whose page tables map p (anonymous): the reverse
 * map finds it. A page nobody maps (only in the swap cache) goes to the
 * first live process of its fork family, compared by pointer only: the
 * family may be gone.
 */
static int
anon_owner(struct page *p, const struct owners *o)
{
	struct mm *mm = rmap_first_mapper(p);

	for (int i = 0; i < o->nprocs; i++)
		if (mm ? o->procs[i]->mm == mm : o->procs[i]->mm->anon_root == p->owner)
			return o->procs[i]->pid;
	return OWNER_LOST_ANON;
}

/* Which of the mapped files p (a page-cache page) belongs to; OWNER_LOST_FILE: one no process maps. */
static int
file_owner(const struct page *p, const struct owners *o)
{
	for (int i = 0; i < o->nfiles; i++)
		if (o->files[i] == p->owner)
			return -(i + 1);
	return OWNER_LOST_FILE;
}

/* What a frame in use holds, from its flags. Order matters: a page being
 * written to swap is anonymous and in the swap cache too, but the thing
 * to see is that it is locked for I/O. */
static char
frame_state(const struct page *p)
{
	if (p->flags & PG_RESERVED)
		return 'R';
	if (p->flags & PG_PGTABLE)
		return 'P';
	if (p->flags & (PG_SLAB | PG_KMALLOC | PG_KSTACK))
		return 'K';
	if (p->flags & (PG_LOCKED | PG_WRITEBACK))
		return 'L';
	if (p->flags & PG_SWAPCACHE)
		return p->flags & PG_DIRTY ? 'D' : 'W';
	if (p->flags & PG_ANON)
		return 'A';
	if (p->owner && (p->flags & PG_UPTODATE))
		return 'C';          /* the page cache's, read in */
	return 'K';
}

static struct run
describe(struct page *p, struct owners *o)
{
	struct run r = { .count = 1, .state = frame_state(p), .flags = p->flags,
			 .ref = p->refcount, .map = p->mapcount, .owner = OWNER_NONE };

	/* Anonymous, or the page cache's: a locked page with an owner is one being read in. */
	if (p->owner && (p->flags & (PG_ANON | PG_UPTODATE | PG_LOCKED)) &&
	    r.state != 'R' && r.state != 'P' && r.state != 'K') {
		r.owner = p->flags & PG_ANON ? anon_owner(p, o) : file_owner(p, o);
		r.index = p->index;
		r.indexed = true;
	}
	return r;
}

static bool
continues(const struct run *r, const struct run *next)
{
	return r->state == next->state && r->flags == next->flags && r->ref == next->ref &&
	       r->map == next->map && r->owner == next->owner && r->indexed == next->indexed &&
	       (!r->indexed || next->index == r->index + r->count);
}

static void
put_run(struct memsnap_sink *s, const struct run *r, bool first)
{
	char owner[16] = "-";

	if (r->owner == OWNER_LOST_ANON || r->owner == OWNER_LOST_FILE)
		snprintf(owner, sizeof(owner), r->owner == OWNER_LOST_ANON ? "p?" : "f?");
	else if (r->owner > 0)
		snprintf(owner, sizeof(owner), "p%d", r->owner);
	else if (r->owner < 0)
		snprintf(owner, sizeof(owner), "f%d", -r->owner - 1);
	put(s, "%s%lu,%c,%x,%d,%d,%s,%lu", first ? "" : ";", r->count, r->state, r->flags, r->ref,
	    r->map, owner, r->index);
}

static void
put_frames(struct memsnap_sink *s, struct owners *o)
{
	static const struct run free_frame = { .count = 1, .state = 'F' };
	struct run cur = { 0 };
	pfn_t free_end = 0;
	bool first = true;

	for (pfn_t pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);
		if (p->flags & PG_BUDDY)
			free_end = pfn + (1UL << p->order);
		struct run next = pfn < free_end ? free_frame : describe(p, o);
		if (pfn > 0 && continues(&cur, &next)) {
			cur.count++;
			continue;
		}
		if (pfn > 0) {
			put_run(s, &cur, first);
			first = false;
		}
		cur = next;
	}
	if (max_pfn > 0)
		put_run(s, &cur, first);
}

/* ---- Swap slots ---- */

static char
slot_state(const struct swap_map *m, uint32_t slot, unsigned *users)
{
	*users = 0;
	if (slot == 0)
		return 'H';
	if (swap_map_bad(m, slot))
		return 'B';
	*users = swap_map_count(m, slot);
	if (*users)
		return 'U';
	return m->map[slot] & SWAP_MAP_CACHED ? 'C' : 'F';
}

/* Area m's slots as runs "count,state,users", each after a ';' unless it is the very first. */
static void
put_area(struct memsnap_sink *s, const struct swap_map *m, bool *first)
{
	uint32_t start = 0;
	unsigned users, next_users;

	for (uint32_t slot = 1; slot <= m->nslots; slot++) {
		char state = slot_state(m, start, &users), next = 0;
		if (slot < m->nslots)
			next = slot_state(m, slot, &next_users);
		if (slot < m->nslots && next == state && next_users == users)
			continue;
		put(s, "%s%u,%c,%u", *first ? "" : ";", slot - start, state, users);
		*first = false;
		start = slot;
	}
}

/* Every area's slots, one after the other in table order: each starts with its header (H). */
static void
put_swap(struct memsnap_sink *s)
{
	bool first = true;

	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_slot_map(i))
			put_area(s, swap_slot_map(i), &first);
}

/* Slots of every area, headers included: the length of the swap picture. */
static uint64_t
all_slots(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_slot_map(i))
			n += swap_slot_map(i)->nslots;
	return n;
}

/* ---- The whole line ---- */

static void
put_counters(struct memsnap_sink *s)
{
	put(s, "\"vmstat\":{");
	for (int i = 0; i < NR_VMSTAT_ITEMS; i++)
		put(s, "%s\"%s\":%lu", i ? "," : "", vmstat_names[i], vmstat[i]);
	put(s, "},\"mem\":{\"free\":%lu,\"pagecache\":%lu,\"anon\":%lu,\"swapcache\":%lu,",
	    pmm_free_frames(), nr_pagecache_pages, vmstat[NR_ANON_PAGES], swap_cached_pages());
	put(s, "\"swap_total\":%lu,\"swap_free\":%lu,\"page_tables\":%lu,\"kernel_stacks\":%lu,",
	    swap_total_slots(), swap_free_slots(), vmm_table_pages(), kstack_pages());
	put(s, "\"heap\":%lu,\"usable\":%lu}", heap_stats.slab_pages + heap_stats.large_pages,
	    pmm_stats.usable);
}

static void
put_owners(struct memsnap_sink *s, const struct owners *o)
{
	put(s, ",\"procs\":[");
	for (int i = 0; i < o->nprocs; i++) {
		const struct task *t = o->procs[i];
		put(s, "%s{\"pid\":%d,\"name\":", i ? "," : "", t->pid);
		put_string(s, t->name);
		put(s, ",\"rss\":%lu,\"swap\":%lu}", t->mm->rss, t->mm->swap_ents);
	}
	put(s, "],\"files\":[");
	for (int i = 0; i < o->nfiles; i++) {
		put(s, i ? "," : "");
		put_string(s, o->paths[i]);
	}
	put(s, "]");
}

static void
write_snapshot(struct memsnap_sink *s, const char *why, uint64_t seq)
{
	struct owners o = { 0 };
	uint64_t flags = irq_save();

	task_for_each(add_process, &o);
	put(s, "{\"seq\":%lu,\"ms\":%lu,\"why\":\"%s\",\"pfns\":%lu,\"frames\":\"", seq,
	    timer_uptime_ns() / 1000000, why, max_pfn);
	put_frames(s, &o);
	put(s, "\",\"slots\":%lu,\"swap\":\"", all_slots());
	put_swap(s);
	put(s, "\",");
	put_counters(s);
	put_owners(s, &o);
	put(s, "}\n");
	irq_restore(flags);
}

/* Writes one snapshot to sink (see memsnap.h). Never sleeps. */
void
memsnap_write(struct memsnap_sink *sink, const char *why)
{
	write_snapshot(sink, why, snapshots++);
	if (sink->flush && sink->used) {
		sink->flush(sink->buf, sink->used);
		sink->used = 0;
	}
}

/*
 * One snapshot in a kmalloc'd buffer of its own, NUL-terminated, its
 * length in *len; NULL when memory is short. The text is measured first;
 * allocating the buffer changes a few frames (they are in the snapshot,
 * as the kernel frames they are), hence the room to spare. Never sleeps.
 */
char *
memsnap_take(const char *why, size_t *len)
{
	struct memsnap_sink measure = { 0 };

	write_snapshot(&measure, why, snapshots);
	for (int tries = 0; tries < 3; tries++) {
		size_t size = measure.len + measure.len / 8 + 1024;
		struct memsnap_sink s = { .buf = kmalloc(size), .size = size };
		if (!s.buf)
			return NULL;
		write_snapshot(&s, why, snapshots);
		if (s.len < size) {
			s.buf[s.len] = '\0';
			*len = s.len;
			snapshots++;
			return s.buf;
		}
		measure.len = s.len;
		kfree(s.buf);
	}
	return NULL;
}
