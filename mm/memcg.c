/*
 * mm/memcg.c - memory groups: a fixed number of frames for a process's
 * mmap'd anonymous memory, and local replacement within them.
 *
 * Textbooks give each process a fixed allocation of frames: when it
 * faults with all of them in use, one of its own pages is evicted (local
 * replacement), chosen by the replacement policy. RLIMIT_RSS says how
 * many (Linux accepts it but has not enforced it since 2.6; its memory
 * cgroups do the same job, with the same parts as here: a group's own
 * lists, a charge per page, reclaim inside the group at its limit).
 *
 *   fault in an mmap'd anonymous region of a process with an RLIMIT_RSS
 *     |
 *     +-- usage >= limit?  memcg_make_room(): the policy chooses one of
 *     |                    the group's pages, reclaim evicts it now
 *     |                    (written to swap and freed before we go on)
 *     +-- a frame, mapped --> memcg_charge(): usage + 1, on the group's lists
 *     ...
 *   the frame is freed --> memcg_uncharge(): usage - 1
 *
 * Only pages of mmap'd anonymous regions are charged: a program's code,
 * data, heap and stack are outside the count, so an experiment gets
 * exactly the frames it asks for (docs/policies.md). A page is charged
 * to the group of the process that brought it in, for as long as it is
 * in memory (after fork the child's copies are charged to the child).
 * When nothing of the group can be evicted just now (no swap, or all its
 * pages already on their way out), the group goes over its limit rather
 * than fail the fault. Global reclaim takes from groups too (mm/evict.c).
 *
 * A group lives as long as its address space or any page charged to it.
 *
 * cgroup v2 groups (kernel/cgroup.c) use the same struct: every page a
 * process of a group below the root brings in - anonymous or page cache -
 * is charged to its group and, through parent, to each group above;
 * their limit is memory.max, enforced in mm/memcg_limit.c. An RLIMIT_RSS
 * group's parent is the v2 group its process was in when it was made.
 */
#include "mm/memcg.h"
#include "kernel/rlimit.h"
#include "kernel/cgroup.h"
#include "kernel/task.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/memcg_limit.h"
#include "mm/reclaim.h"

static struct list_head all_groups = LIST_HEAD_INIT(all_groups);

/* The caller's RLIMIT_RSS in frames (at least one), or 0 if it has none. */
static uint64_t
rss_limit_frames(void)
{
	uint64_t cur = current->rlim[RLIMIT_RSS].rlim_cur;

	return cur == RLIM_INFINITY ? 0 : MAX(cur / PAGE_SIZE, 1);
}

/* A new group under parent (which it holds a reference on), with one reference for its owner. */
static struct mem_cgroup *
memcg_create(struct mem_cgroup *parent)
{
	struct mem_cgroup *g = kzalloc(sizeof(*g));

	if (g) {
		g->refs = 1;                  /* its owner's */
		g->parent = parent;
		g->limit = g->high = g->swap_limit = MEMCG_NO_LIMIT;
		if (parent)
			parent->refs++;
		evict_lists_register(&g->lists);
		list_add_tail(&g->link, &all_groups);
	}
	return g;
}

/* The memory of cgroup v2 group cg (kernel/cgroup.c), below parent (NULL: below the root). */
struct mem_cgroup *
memcg_create_v2(struct cgroup *cg, struct mem_cgroup *parent)
{
	struct mem_cgroup *g = memcg_create(parent);

	if (g)
		g->cgroup = cg;
	return g;
}

/* The v2 group the caller's new pages are charged to; NULL in the root (or a kernel thread). */
struct mem_cgroup *
memcg_current(void)
{
	return current && current->cgroup ? cgroup_memcg(current->cgroup) : NULL;
}

/*
 * The group a fault at v in mm (the caller's) charges its new page to:
 * for an mmap'd anonymous region under an RLIMIT_RSS, the address
 * space's group, its limit brought up to date; else the caller's cgroup
 * v2 group. NULL if the page is not counted (no limit and the root
 * group; or no memory for a group just now: the limit waits for the next fault).
 */
struct mem_cgroup *
memcg_for_fault(struct mm *mm, const struct vma *v)
{
	uint64_t limit;

	if (!(v->flags & VMA_MMAP) || (limit = rss_limit_frames()) == 0)
		return memcg_current();
	if (!mm->memcg && (mm->memcg = memcg_create(memcg_current())) == NULL)
		return memcg_current();
	mm->memcg->limit = limit;
	return mm->memcg;
}

/*
 * Local replacement: while g holds its limit or more, evict one of its
 * pages, synchronously. Gives up (and lets g go over) when the policy
 * has looked at every page twice without finding one that could go.
 */
static void
make_room_locally(struct mem_cgroup *g)
{
	uint64_t looks = 0;

	while (g->usage >= g->limit && looks <= 2 * g->usage + 2) {
		uint64_t before = looks;
		g->evicted += reclaim_from(&g->lists, &looks);
		if (looks == before)
			break;                    /* nothing to look at, or no swap */
	}
}

/*
 * Room for one more page of g: an RLIMIT_RSS group evicts its own pages
 * (above); a v2 group and its ancestors reclaim, and OOM-kill, within
 * themselves (mm/memcg_limit.c). Returns false if the caller was chosen
 * as the OOM victim: its fault should not go on.
 */
bool
memcg_make_room(struct mem_cgroup *g)
{
	if (!g->cgroup) {
		make_room_locally(g);
		g = g->parent;
	}
	return !g || memcg_limit_make_room(g);
}

/* p counts (delta 1) or no longer counts (-1) in g and every group above it. */
static void
count_page(struct mem_cgroup *g, const struct page *p, int delta)
{
	for (struct mem_cgroup *a = g; a; a = a->parent) {
		a->usage += (uint64_t)(int64_t)delta;
		a->peak = MAX(a->peak, a->usage);
		if (p->flags & PG_ANON)
			a->nr_anon += (uint64_t)(int64_t)delta;
		else
			a->nr_file += (uint64_t)(int64_t)delta;
	}
}

/*
 * p, just brought in for g, is charged to it and goes on g's lists. A
 * page charged already (to g, or to the process that brought it in
 * first) stays where it is.
 */
void
memcg_charge(struct mem_cgroup *g, struct page *p)
{
	bool listed = p->flags & PG_LRU;

	if (p->memcg)
		return;
	if (listed)
		evict_remove(p);              /* readahead put it on the machine's lists */
	p->memcg = g;
	g->charged++;
	g->refs++;
	count_page(g, p, 1);
	if (listed)
		evict_add(p);
}

/* p is being freed (and is off the lists): its group has a frame less. */
void
memcg_uncharge(struct page *p)
{
	struct mem_cgroup *g = p->memcg;

	if (!g)
		return;
	p->memcg = NULL;
	count_page(g, p, -1);
	memcg_put(g);
}

/* Drops a reference; the last one frees the group (its lists are empty by then). */
void
memcg_put(struct mem_cgroup *g)
{
	if (g && --g->refs == 0) {
		struct mem_cgroup *parent = g->parent;
		evict_lists_unregister(&g->lists);
		list_del(&g->link);
		kfree(g);
		memcg_put(parent);
	}
}

/* Is g ancestor itself, or below it? */
bool
memcg_is_descendant(const struct mem_cgroup *g, const struct mem_cgroup *ancestor)
{
	for (; g; g = g->parent)
		if (g == ancestor)
			return true;
	return false;
}

/* Calls fn for g and every group below it (RLIMIT_RSS groups included). */
void
memcg_for_each_in(struct mem_cgroup *g, void (*fn)(struct mem_cgroup *m, void *arg), void *arg)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &all_groups) {
		struct mem_cgroup *m = list_entry(pos, struct mem_cgroup, link);
		if (memcg_is_descendant(m, g))
			fn(m, arg);
	}
}

/* memory.events: e happened to g, which counts for every group above it too. */
void
memcg_event(struct mem_cgroup *g, enum memcg_event e)
{
	for (; g; g = g->parent)
		g->events[e]++;
}

/* A page fault by a process of g (memory.stat pgfault, pgmajfault). */
void
memcg_count_fault(struct mem_cgroup *g, bool major)
{
	for (; g; g = g->parent) {
		if (major)
			g->pgmajfault++;
		else
			g->pgfault++;
	}
}

/*
 * memory.stat swapcached: pages of g (or below) in the swap cache. Counted
 * when asked, over every frame: a file read is rare, a counter kept at
 * each swap-cache change would touch mm/swap.c's lab code.
 */
uint64_t
memcg_swapcached(const struct mem_cgroup *g)
{
	uint64_t n = 0;

	for (pfn_t pfn = 0; pfn < max_pfn; pfn++)
		if ((pages[pfn].flags & PG_SWAPCACHE) && memcg_is_descendant(pages[pfn].memcg, g))
			n++;
	return n;
}
