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
 */
#include "mm/memcg.h"
#include "kernel/rlimit.h"
#include "kernel/task.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/reclaim.h"

/* The caller's RLIMIT_RSS in frames (at least one), or 0 if it has none. */
static uint64_t
rss_limit_frames(void)
{
	uint64_t cur = current->rlim[RLIMIT_RSS].rlim_cur;

	return cur == RLIM_INFINITY ? 0 : MAX(cur / PAGE_SIZE, 1);
}

static struct mem_cgroup *
memcg_create(void)
{
	struct mem_cgroup *g = kzalloc(sizeof(*g));

	if (g) {
		g->refs = 1;                  /* the address space's */
		evict_lists_register(&g->lists);
	}
	return g;
}

/*
 * The group a fault at v in mm (the caller's) charges its new page to,
 * with its limit brought up to date; NULL if the page is not counted:
 * not an mmap'd anonymous region, no limit, or no memory for a group
 * just now (then the limit waits for the next fault).
 */
struct mem_cgroup *
memcg_for_fault(struct mm *mm, const struct vma *v)
{
	uint64_t limit;

	if (!(v->flags & VMA_MMAP) || (limit = rss_limit_frames()) == 0)
		return NULL;
	if (!mm->memcg && (mm->memcg = memcg_create()) == NULL)
		return NULL;
	mm->memcg->limit = limit;
	return mm->memcg;
}

/*
 * Local replacement: while g holds its limit or more, evict one of its
 * pages, synchronously. Gives up (and lets g go over) when the policy
 * has looked at every page twice without finding one that could go.
 */
void
memcg_make_room(struct mem_cgroup *g)
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
	g->usage++;
	g->charged++;
	g->refs++;
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
	g->usage--;
	memcg_put(g);
}

/* Drops a reference; the last one frees the group (its lists are empty by then). */
void
memcg_put(struct mem_cgroup *g)
{
	if (g && --g->refs == 0) {
		evict_lists_unregister(&g->lists);
		kfree(g);
	}
}
