/*
 * tests/unit/test_swap_entry.c - mm/swap_entry.c, the name of a page's
 * copy on swap (lab 7, docs/labs/lab7.md): an area and a slot packed into
 * one 32-bit value, as the header's diagram draws it.
 *
 * The layout is checked bit for bit (a PTE and the swap cache keep the
 * value itself, so it must be exactly the documented one), then every
 * area with slots spread over the whole range, and the edges: slot 0 of
 * area 0 is "no entry", the largest area and slot do not spill into each
 * other.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "mm/swap_entry.h"

static void
layout_is_area_above_slot(void)
{
	CHECK(swp_entry(0, 1).val == 1);
	CHECK(swp_entry(0, 12345).val == 12345);
	CHECK(swp_entry(1, 0).val == 1u << 27);
	CHECK(swp_entry(3, 12345).val == (3u << 27 | 12345));
	CHECK(swp_entry(31, SWP_MAX_SLOTS - 1).val == 0xffffffffu);
}

static void
decodes_what_it_encodes(void)
{
	unsigned long long state = 2024;

	for (unsigned area = 0; area < SWP_MAX_AREAS; area++) {
		for (int k = 0; k < 1000; k++) {
			uint32_t slot = (uint32_t)(unit_xorshift(&state) % SWP_MAX_SLOTS);
			swp_entry_t e = swp_entry(area, slot);
			CHECK(swp_area(e) == area);
			CHECK(swp_slot(e) == slot);
		}
	}
}

static void
edges_do_not_spill(void)
{
	swp_entry_t top_slot = swp_entry(0, SWP_MAX_SLOTS - 1), top_area = swp_entry(31, 0);

	CHECK(swp_area(top_slot) == 0 && swp_slot(top_slot) == SWP_MAX_SLOTS - 1);
	CHECK(swp_area(top_area) == 31 && swp_slot(top_area) == 0);
	CHECK(swp_area((swp_entry_t){ 0xffffffffu }) == 31);
	CHECK(swp_slot((swp_entry_t){ 0xffffffffu }) == SWP_MAX_SLOTS - 1);
}

static void
zero_is_no_entry(void)
{
	CHECK(swp_none(swp_entry(0, 0)));
	CHECK(!swp_none(swp_entry(0, 1)));
	CHECK(!swp_none(swp_entry(1, 0)));
	CHECK(swp_same(swp_entry(2, 77), swp_entry(2, 77)));
	CHECK(!swp_same(swp_entry(2, 77), swp_entry(3, 77)));
}

int
main(void)
{
	RUN(layout_is_area_above_slot);
	RUN(decodes_what_it_encodes);
	RUN(edges_do_not_spill);
	RUN(zero_is_no_entry);
	UNIT_EXIT();
}
