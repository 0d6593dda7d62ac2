/*
 * tests/unit/test_swap_area.c - mm/swap_area.c: which swap area the next
 * slot comes from, and the priorities areas get.
 *
 * Areas here are table entries with a slot map of their own (no disk):
 * the highest priority with a free slot first; equal priorities take
 * turns by SWAP_CLUSTER slots; a full area or one being emptied by
 * swapoff is passed by; automatic priorities go -2, -3, ... and close up
 * when one goes. A long random run (allocations, frees, swapoffs and
 * swapons) is checked against the rule "never a lower priority while a
 * higher one has room".
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include "mm/swap_area.h"

#define NSLOTS 200

static uint16_t maps[SWP_MAX_AREAS][NSLOTS];
static unsigned long long rng = 777;

/* Empties the table (the file's own state: the rotation and least_priority come back too). */
static void
reset(void)
{
	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_areas[i].used)
			swap_area_release(&swap_areas[i]);
	memset(swap_areas, 0, sizeof(swap_areas));
}

/* A new area of nslots slots, enabled with priority prio (or automatic). */
static struct swap_area *
add(uint32_t nslots, bool prefer, int prio)
{
	struct swap_area *a = swap_area_new();

	CHECK(a != NULL);
	swap_map_init(&a->slots, maps[a->id], nslots, NULL, 0);
	a->dev = (struct blk_device *)1;          /* taken: swap_area_new() passes it by */
	swap_area_enable(a, prefer, prio);
	return a;
}

/* Takes one slot as mm/swap.c does; returns the area's id, or -1 when all are full. */
static int
take(void)
{
	struct swap_area *a = swap_area_choose();

	if (!a)
		return -1;
	CHECK(swap_map_alloc(&a->slots) != 0);
	return (int)a->id;
}

static void
automatic_priorities(void)
{
	struct swap_area *a, *b, *c;

	reset();
	a = add(10, false, 0);
	b = add(10, false, 0);
	c = add(10, true, 5);
	CHECK(a->prio == -2 && b->prio == -3 && c->prio == 5);
	swap_area_release(a);                      /* -2 goes: -3 moves up */
	CHECK(b->prio == -2 && c->prio == 5);
	a = add(10, false, 0);
	CHECK(a->prio == -3);
	reset();
}

static void
higher_priority_first(void)
{
	reset();
	struct swap_area *low = add(NSLOTS, false, 0), *high = add(20, true, 10);
	for (int i = 0; i < 19; i++)               /* 19 usable slots: slot 0 is the header */
		CHECK(take() == (int)high->id);
	CHECK(take() == (int)low->id);              /* high is full now */
	CHECK(take() == (int)low->id);
	reset();
}

static void
equal_priorities_take_turns_by_clusters(void)
{
	reset();
	struct swap_area *a = add(NSLOTS, true, 3), *b = add(NSLOTS, true, 3), *c = add(NSLOTS, false, 0);
	int first = take();

	CHECK(first == (int)a->id || first == (int)b->id);
	for (int i = 1; i < SWAP_CLUSTER; i++)
		CHECK(take() == first);
	int second = take();
	CHECK(second != first && second != (int)c->id);
	for (int i = 1; i < SWAP_CLUSTER; i++)
		CHECK(take() == second);
	CHECK(take() == first);                    /* back to the first */
	reset();
}

static void
emptied_area_gives_nothing(void)
{
	reset();
	struct swap_area *a = add(NSLOTS, true, 3), *b = add(NSLOTS, true, 1);
	swap_area_disable(a);
	for (int i = 0; i < 40; i++)
		CHECK(take() == (int)b->id);
	swap_area_resume(a);
	CHECK(take() == (int)a->id);
	reset();
	CHECK(swap_area_choose() == NULL);         /* no area at all */
}

static void
all_full_is_null(void)
{
	reset();
	add(3, true, 1);
	add(3, true, 1);
	for (int i = 0; i < 4; i++)
		CHECK(take() >= 0);
	CHECK(take() == -1);
	reset();
}

/* Random steps; after each allocation, no area of higher priority than the chosen one had room. */
static void
random_run_respects_priorities(void)
{
	reset();
	for (int i = 0; i < 5; i++)
		add(20 + (uint32_t)(unit_xorshift(&rng) % NSLOTS / 2), unit_xorshift(&rng) % 2,
		    (int)(unit_xorshift(&rng) % 3));
	for (int step = 0; step < 20000; step++) {
		unsigned r = (unsigned)(unit_xorshift(&rng) % 100);
		struct swap_area *a = &swap_areas[unit_xorshift(&rng) % 5];
		if (r < 60) {
			struct swap_area *got = swap_area_choose();
			for (unsigned i = 0; i < SWP_MAX_AREAS; i++) {
				const struct swap_area *o = &swap_areas[i];
				bool room = o->used && o->writeok && o->slots.free > 0;
				CHECK(!room || !got || o->prio <= got->prio);
				CHECK(got || !room);
			}
			if (got)
				swap_map_alloc(&got->slots);
		} else if (r < 95) {
			uint32_t s = 1 + (uint32_t)(unit_xorshift(&rng) % (a->slots.nslots - 1));
			if (a->used && swap_map_count(&a->slots, s) == 0 && a->slots.map[s] == SWAP_MAP_CACHED)
				swap_map_uncache(&a->slots, s);    /* the page left: the slot is free */
		} else if (a->writeok) {
			swap_area_disable(a);
		} else if (a->used) {
			swap_area_resume(a);
		}
	}
	reset();
}

int
main(void)
{
	RUN(automatic_priorities);
	RUN(higher_priority_first);
	RUN(equal_priorities_take_turns_by_clusters);
	RUN(emptied_area_gives_nothing);
	RUN(all_full_is_null);
	RUN(random_run_respects_priorities);
	UNIT_EXIT();
}
