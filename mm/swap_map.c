/*
 * mm/swap_map.c - the swap slot map: which slots of the swap area are
 * free, which are held and by how many page tables, which are bad.
 *
 * A slot is in use while page-table entries hold it (the count: fork
 * makes two) or while its page sits in the swap cache (SWAP_MAP_CACHED),
 * like Linux's swap_map[] with SWAP_HAS_CACHE. It is free exactly when
 * its entry is 0:
 *
 *   slot:    0        1       2       3        4         5
 *         [  BAD   |   2   |   0   |   C   |  C + 1  |  BAD  | ... ]
 *           the      two     free    being   cached,   a bad
 *           header   PTEs            evicted one PTE   page
 *
 * Slots are handed out from a cursor that moves forward and wraps, so
 * pages evicted together get neighbouring slots and go out in one write
 * request, and a scan faults them back in order (readahead). When the
 * cursor meets a slot in use, it jumps to the next run of SWAP_CLUSTER
 * free slots rather than take the free slots scattered between used ones
 * (Linux allocates swap by clusters for the same reason): after fork and
 * exits have freed slots here and there, forkswap's writes went from 5.6
 * to 8 pages per request. Bad slots
 * (listed by mkswap, or a write that failed) are never handed out again.
 *
 * A count that reaches SWAP_MAP_MAX sticks: the map no longer knows how
 * many hold the slot, so it keeps the slot forever rather than free it
 * while someone holds it (Linux 2.6's SWAP_MAP_MAX; Linux now chains
 * continuation pages instead).
 *
 * Where it sits: at the bottom of fault -> reclaim -> swap. Reclaim takes
 * slots (swap_alloc_cached), unmapping and fork add holders (swap_duplicate),
 * swap-in faults and exits let go (swap_put); mm/swap.c does the calls
 * and keeps the swap cache (which page is in which slot), the disk I/O
 * and the locking. This file only counts: pure C without global state,
 * tested on the host (tests/unit/test_swap_map.c).
 * Locking: the caller's (interrupts off in mm/swap.c).
 */
#include "mm/swap_map.h"
#include "kernel/errno.h"

/*
 * Sets m up over map[0 .. nslots) (nslots >= 2, the caller's memory):
 * every slot free except slot 0 (the header) and the bad pages listed in
 * bad[]. That list comes from the disk: entries out of range or repeated
 * are skipped.
 */
void
swap_map_init(struct swap_map *m, uint16_t *map, uint32_t nslots, const uint32_t *bad,
	      uint32_t nr_bad)
{
	for (uint32_t s = 0; s < nslots; s++)
		map[s] = 0;
	map[0] = SWAP_MAP_BAD;          /* the header is no slot; not counted in nbad */
	*m = (struct swap_map){ .map = map, .nslots = nslots, .free = nslots - 1, .nbad = 0,
				.cursor = 1, .freed_since_search = SWAP_CLUSTER };
	for (uint32_t i = 0; i < nr_bad; i++)
		if (bad[i] > 0 && bad[i] < nslots)
			swap_map_mark_bad(m, bad[i]);
}

/* The slot after s, wrapping over the header. */
static uint32_t
next_slot(const struct swap_map *m, uint32_t s)
{
	return s + 1 < m->nslots ? s + 1 : 1;
}

/* Are slots [s, s + SWAP_CLUSTER) all free (and inside the map)? */
static bool
free_run_at(const struct swap_map *m, uint32_t s)
{
	if (s + SWAP_CLUSTER > m->nslots)
		return false;
	for (uint32_t i = 0; i < SWAP_CLUSTER; i++)
		if (m->map[s + i] != 0)
			return false;
	return true;
}

/*
 * Where the next allocations start once the run the cursor was in has
 * ended: the first run of SWAP_CLUSTER free slots from the cursor on
 * (wrapping), so that the next batch of pages goes out in one write and
 * comes back in one read. If there is none, the search is not repeated
 * until SWAP_CLUSTER slots have been freed since (freed_since_search), and
 * the cursor just moves on to the next free slot.
 */
static void
seek_free_run(struct swap_map *m)
{
	uint32_t s = m->cursor;

	if (m->freed_since_search >= SWAP_CLUSTER) {
		m->freed_since_search = 0;
		for (uint32_t n = 0; n < m->nslots; n++, s = next_slot(m, s)) {
			if (free_run_at(m, s)) {
				m->cursor = s;
				return;
			}
		}
	}
	while (m->map[m->cursor] != 0)
		m->cursor = next_slot(m, m->cursor);
}

/*
 * Takes a free slot, marks it cached (the caller is about to put a page
 * there) and returns it; 0 when no slot is free. Slots are taken in order
 * from the cursor, and when the cursor meets a slot in use, it jumps to
 * the next run of free slots (seek_free_run).
 */
uint32_t
swap_map_alloc(struct swap_map *m)
{
	uint32_t s;

	if (m->free == 0)
		return 0;
	if (m->map[m->cursor] != 0)
		seek_free_run(m);
	s = m->cursor;
	m->cursor = next_slot(m, s);
	m->map[s] = SWAP_MAP_CACHED;
	m->free--;
	return s;
}

static bool
valid_slot(const struct swap_map *m, uint32_t slot)
{
	return slot > 0 && slot < m->nslots;
}

/*
 * One more page table holds slot. Returns 0, or -EINVAL if the slot is
 * free (nobody may hold a slot the map could hand out).
 */
int
swap_map_dup(struct swap_map *m, uint32_t slot)
{
	if (!valid_slot(m, slot) || m->map[slot] == 0)
		return -EINVAL;
	if ((m->map[slot] & SWAP_MAP_MAX) < SWAP_MAP_MAX)
		m->map[slot]++;
	return 0;
}

static void
slot_freed(struct swap_map *m)
{
	m->free++;
	m->freed_since_search++;
}

/*
 * One page table less holds slot; the slot is free when nothing holds it
 * and it is not cached. A count at SWAP_MAP_MAX stays (see the top).
 * Returns 0, or -EINVAL if no page table held it.
 */
int
swap_map_put(struct swap_map *m, uint32_t slot)
{
	unsigned count;

	if (!valid_slot(m, slot) || (count = m->map[slot] & SWAP_MAP_MAX) == 0)
		return -EINVAL;
	if (count < SWAP_MAP_MAX)
		m->map[slot]--;
	if (m->map[slot] == 0)
		slot_freed(m);
	return 0;
}

/* The page of slot (in use, or free: then it is free no longer) entered the swap cache. */
void
swap_map_cache(struct swap_map *m, uint32_t slot)
{
	if (m->map[slot] == 0)
		m->free--;
	m->map[slot] |= SWAP_MAP_CACHED;
}

/* The page of slot left the swap cache: the slot is free if nothing holds it. */
void
swap_map_uncache(struct swap_map *m, uint32_t slot)
{
	if (!(m->map[slot] & SWAP_MAP_CACHED))
		return;
	m->map[slot] &= ~SWAP_MAP_CACHED;
	if (m->map[slot] == 0)
		slot_freed(m);
}

/*
 * Slot is never handed out again (a bad page, or a write to it failed).
 * Whoever holds it keeps holding it; it just never becomes free.
 */
void
swap_map_mark_bad(struct swap_map *m, uint32_t slot)
{
	if (m->map[slot] & SWAP_MAP_BAD)
		return;
	if (m->map[slot] == 0)
		m->free--;
	m->map[slot] |= SWAP_MAP_BAD;
	m->nbad++;
}

/* How many page tables hold slot (SWAP_MAP_MAX: at least that many). */
unsigned
swap_map_count(const struct swap_map *m, uint32_t slot)
{
	return m->map[slot] & SWAP_MAP_MAX;
}

bool
swap_map_bad(const struct swap_map *m, uint32_t slot)
{
	return m->map[slot] & SWAP_MAP_BAD;
}
