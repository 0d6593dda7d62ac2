/*
 * mm/memcg_limit.c - cgroup v2's limits: memory.max and memory.swap.max.
 *
 * A page about to be charged to a group that is (or has an ancestor that
 * is) at its memory.max must first find room inside that group - Linux's
 * try_charge():
 *
 *   usage + 1 > max ?
 *     |-- count "max" in memory.events
 *     |-- reclaim the group's own pages (its lists and its subgroups'):
 *     |     file pages are dropped; anonymous pages go to swap only while
 *     |     every group above them is under its memory.swap.max
 *     |-- freed some: look again
 *     +-- nothing more to reclaim: "oom" in memory.events, and the OOM
 *         killer chooses among the group's processes only (mm/oom.c);
 *         nobody to kill: the group goes over its limit
 *
 * memory.high is softer: a group above it is throttled, never killed
 * (Linux's mem_cgroup_handle_over_high()). The charging task reclaims
 * the group's pages until it is under high again ("high" in
 * memory.events), and if reclaim cannot get it there it sleeps a tick
 * before it goes on: the group runs, slower, near its high mark.
 *
 * Swap slots are charged too (memory.swap.current): to the group of the
 * page that gets the slot, when it gets it, and uncharged when the slot
 * is free again; an array beside the slot map remembers whose each slot is
 * (Linux's swap_cgroup). Global reclaim respects memory.swap.max as well.
 */
#include "mm/memcg_limit.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/task.h"
#include "mm/heap.h"
#include "mm/oom.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "drivers/timer.h"

/*
 * Groups one reclaim pass looks at, at most: a group with more subgroups
 * than that is reclaimed from its first ones (docs/memory-groups.md).
 */
#define MAX_GROUPS 32

/* How long an OOM victim gets to exit, in yields (as mm/reclaim.c's wait_for_victim). */
#define VICTIM_WAIT_YIELDS 20

struct group_set {
	struct mem_cgroup *g[MAX_GROUPS];
	int n;
};

static void
collect(struct mem_cgroup *m, void *arg)
{
	struct group_set *s = arg;

	if (s->n < MAX_GROUPS) {
		m->refs++;                     /* alive while reclaim sleeps */
		s->g[s->n++] = m;
	}
}

/*
 * One pass over g and the groups below it: each gives up to a batch of
 * file pages, then (if swap is on) of anonymous ones; pages whose groups
 * are at memory.swap.max come back (mm/reclaim.c asks memcg_swap_allowed).
 * Returns the frames freed; *scanned grows by the pages looked at.
 */
static uint64_t
reclaim_group(struct mem_cgroup *g, uint64_t *scanned)
{
	struct group_set set = { .n = 0 };
	uint64_t freed = 0;

	memcg_for_each_in(g, collect, &set);
	for (int i = 0; i < set.n; i++) {
		freed += reclaim_lists(&set.g[i]->lists, EVICT_FILE, scanned);
		freed += reclaim_lists(&set.g[i]->lists, EVICT_ANON, scanned);
	}
	for (int i = 0; i < set.n; i++)
		memcg_put(set.g[i]);
	return freed;
}

/* The OOM killer's victim in g is exiting: yield until its pages are back (or a while). */
static void
wait_for_victim(struct mem_cgroup *g, uint64_t pages)
{
	for (int i = 0; i < VICTIM_WAIT_YIELDS && g->usage + pages > g->limit; i++)
		schedule();
}

/*
 * Room in g for pages more (1 for a charge; 0 when memory.max was just
 * lowered). Reclaim goes on until it frees something or has looked at
 * every page of the group twice (the LRU needs two looks to see that a
 * page is unused: mm/reclaim.c's LOOKS_BEFORE_GIVING_UP).
 */
static bool
room_in(struct mem_cgroup *g, uint64_t pages)
{
	uint64_t scanned = 0;
	bool counted = false;

	while (g->usage + pages > g->limit) {
		uint64_t before = scanned;
		if (!counted) {
			memcg_event(g, MEMCG_MAX);
			counted = true;
		}
		if (fatal_signal_pending(current))
			return false;
		if (reclaim_group(g, &scanned) > 0)
			continue;
		if (scanned > before && scanned < 2 * g->usage + 2)
			continue;                  /* not every page seen twice yet */
		memcg_event(g, MEMCG_OOM);
		if (!oom_kill_memcg(g, current))
			return true;               /* nobody to kill: over the limit */
		if (fatal_signal_pending(current))
			return false;              /* we are the victim */
		wait_for_victim(g, pages);
		scanned = 0;
	}
	return true;
}

/* room_in(), the caller stalled on memory meanwhile (kernel/psi.c). */
static bool
room_in_stalled(struct mem_cgroup *g, uint64_t pages)
{
	bool stalled = psi_memstall_enter(), ok = room_in(g, pages);

	psi_memstall_leave(stalled);
	return ok;
}

/* Reclaims g until it is under memory.high, or nothing more comes back. */
static void
reclaim_to_high(struct mem_cgroup *g)
{
	uint64_t scanned = 0;

	while (g->usage >= g->high && !fatal_signal_pending(current))
		if (reclaim_group(g, &scanned) == 0)
			break;
}

/*
 * g is at or above its memory.high: reclaim it back under, and if that
 * fails, sleep a tick as a penalty (Linux sleeps longer the further over
 * the group is, up to 2 s; one tick is enough to slow it down here).
 */
static void
throttle_over_high(struct mem_cgroup *g)
{
	bool stalled = psi_memstall_enter();

	memcg_event(g, MEMCG_HIGH);
	reclaim_to_high(g);
	if (g->usage >= g->high && !fatal_signal_pending(current))
		sched_sleep_until(jiffies + 1);
	psi_memstall_leave(stalled);
}

/*
 * Makes room for one more page in g and every group above it: under each
 * one's memory.high (throttling) and memory.max (reclaim, then OOM).
 * Returns false if the caller was killed meanwhile (it should not take
 * the page). Sleeps.
 */
bool
memcg_limit_make_room(struct mem_cgroup *g)
{
	for (struct mem_cgroup *a = g; a; a = a->parent) {
		if (a->usage >= a->high)
			throttle_over_high(a);
		if (a->usage + 1 > a->limit && !room_in_stalled(a, 1))
			return false;
	}
	return true;
}

/*
 * memory.max or memory.high of g was just written (by the caller, who
 * may be in g): bring g under them now, as Linux's memory_max_write()
 * and memory_high_write() do - reclaim, and for max the OOM killer.
 * Sleeps.
 */
void
memcg_limit_enforce(struct mem_cgroup *g)
{
	reclaim_to_high(g);
	room_in_stalled(g, 0);
}

/* Whether a page of g may get a swap slot: g and every group above it are under memory.swap.max. */
bool
memcg_may_swap(const struct mem_cgroup *g)
{
	for (const struct mem_cgroup *a = g; a; a = a->parent)
		if (a->swap_usage >= a->swap_limit)
			return false;
	return true;
}

bool
memcg_swap_allowed(const struct page *p)
{
	return memcg_may_swap(p->memcg);
}

/* p just got its slot (p->swap): charged to p's group and those above it. */
void
memcg_swap_charge(struct page *p)
{
	struct mem_cgroup *g = p->memcg, **owner = g ? swap_slot_owner(p->swap) : NULL;

	if (!owner)
		return;
	*owner = g;
	g->refs++;
	for (struct mem_cgroup *a = g; a; a = a->parent)
		a->swap_usage++;
}

/* e's slot is free again: its group has one slot less. */
void
memcg_swap_uncharge(swp_entry_t e)
{
	struct mem_cgroup **owner = swap_slot_owner(e), *g = owner ? *owner : NULL;

	if (!g)
		return;
	*owner = NULL;
	for (struct mem_cgroup *a = g; a; a = a->parent)
		a->swap_usage--;
	memcg_put(g);
}
