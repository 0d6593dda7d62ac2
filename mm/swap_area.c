/*
 * mm/swap_area.c - the table of swap areas, and the order in which they
 * give slots out.
 *
 * Up to SWP_MAX_AREAS areas are in use at once (Linux's MAX_SWAPFILES is
 * 32 too); an area's index in the table is the area number in the swap
 * entries of its pages (mm/swap_entry.h). The one found at boot and every
 * area swapon(2) adds sit here, each with its own slot map, swap cache,
 * and map from slots to disk sectors (mm/swap_extent.c).
 *
 * Which area a page goes to, as Linux decides it:
 *
 *   priority   10: [area 2]                     all of area 2 first,
 *               0: [area 1] [area 3]            then 1 and 3 taking turns,
 *              -2: [area 0]                     then area 0
 *
 * Higher priority first, and only an area that is full lets the next
 * priority have its turn. Areas of equal priority take turns by clusters
 * of SWAP_CLUSTER slots: a batch of evictions still gets neighbouring
 * slots in one area (one write), and the load is spread over the disks
 * (Linux rotates its list of equal-priority areas as it allocates by
 * clusters). swapon without SWAP_FLAG_PREFER gives -2, -3, -4, ... in
 * the order the areas come (Linux's least_priority; -1 is left to mean
 * "the node's own" in Linux's NUMA scheme), and a swapoff of such an area
 * moves the ones below it up by one.
 *
 * An area being emptied by swapoff (mm/swapoff.c) is not writeok: it
 * gives no slots, and no longer counts in SwapTotal and SwapFree, as in
 * Linux; its slots still in use stay readable until they are all back.
 *
 * Locking: the table changes under swapon's lock (mm/swapon.c), with
 * interrupts off around what the swap-out path reads (writeok, prio).
 */
#include "mm/swap_area.h"
#include "kernel/panic.h"

struct swap_area swap_areas[SWP_MAX_AREAS];

static int least_priority = -1;     /* the last automatic priority given */
static struct swap_area *turn;      /* the area whose turn it is (swap_area_choose) */

/* The area e names. Panics for an area that is not in use: no entry may name one. */
struct swap_area *
swap_area_of(swp_entry_t e)
{
	struct swap_area *a = &swap_areas[swp_area(e)];

	if (!a->used)
		panic("swap_area_of: entry %#x names area %u, which is not in use", e.val, a->id);
	return a;
}

/* A free entry of the table (its id set, everything else zero), or NULL: all 32 are in use. */
struct swap_area *
swap_area_new(void)
{
	for (unsigned i = 0; i < SWP_MAX_AREAS; i++) {
		struct swap_area *a = &swap_areas[i];
		if (!a->used && !a->dev) {
			*a = (struct swap_area){ .id = i };
			return a;
		}
	}
	return NULL;
}

/* Slots a page can go to: all but the header and the bad ones. */
uint64_t
swap_area_size(const struct swap_area *a)
{
	return a->slots.nslots - 1 - a->slots.nbad;
}

/* Slots in use: held by page tables or by the swap cache. */
uint64_t
swap_area_inuse(const struct swap_area *a)
{
	return swap_area_size(a) - a->slots.free;
}

/*
 * a (its slots, cache and device set up) starts taking pages, with
 * priority prio if prefer, else the next automatic one (-2, -3, ...).
 */
void
swap_area_enable(struct swap_area *a, bool prefer, int prio)
{
	a->prio = prefer ? prio : --least_priority;
	a->used = true;
	a->writeok = true;
}

/* swapoff starts: a gives no more slots. */
void
swap_area_disable(struct swap_area *a)
{
	a->writeok = false;
	if (turn == a)
		turn = NULL;
}

/* swapoff gave up (ENOMEM): a takes pages again, with its priority as it was. */
void
swap_area_resume(struct swap_area *a)
{
	a->writeok = true;
}

/*
 * a is gone (swapoff emptied it; the caller frees its memory). An
 * automatic priority leaves no gap: the areas below it move up by one.
 */
void
swap_area_release(struct swap_area *a)
{
	if (a->prio < 0) {
		for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
			if (swap_areas[i].used && swap_areas[i].prio < a->prio)
				swap_areas[i].prio++;
		least_priority++;
	}
	a->used = a->writeok = false;
	a->dev = NULL;
	if (turn == a)
		turn = NULL;
}

/* Can a take a page now? */
static bool
has_room(const struct swap_area *a)
{
	return a->used && a->writeok && a->slots.free > 0;
}

/*
 * The area the next slot comes from, or NULL when every area is full (or
 * there is none). The current area keeps its turn for SWAP_CLUSTER slots
 * while it is among the highest priority with room; then the next one of
 * that priority, by table order and wrapping, has its turn.
 */
struct swap_area *
swap_area_choose(void)
{
	bool any = false;
	int best = 0;
	unsigned from;

	for (unsigned i = 0; i < SWP_MAX_AREAS; i++) {
		if (has_room(&swap_areas[i]) && (!any || swap_areas[i].prio > best))
			best = swap_areas[i].prio;
		any = any || has_room(&swap_areas[i]);
	}
	if (!any)
		return NULL;
	if (turn && has_room(turn) && turn->prio == best && turn->given < SWAP_CLUSTER) {
		turn->given++;
		return turn;
	}
	from = turn ? turn->id + 1 : 0;
	for (unsigned k = 0; k < SWP_MAX_AREAS; k++) {
		struct swap_area *a = &swap_areas[(from + k) % SWP_MAX_AREAS];
		if (has_room(a) && a->prio == best) {
			turn = a;
			a->given = 1;
			return a;
		}
	}
	panic("swap_area_choose: an area of priority %d has room but was not found", best);
}
