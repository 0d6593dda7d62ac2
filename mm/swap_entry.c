/*
 * mm/swap_entry.c - packing an area and a slot into a swap entry, and
 * unpacking them (the layout is drawn in mm/swap_entry.h).
 *
 * Three one-line functions, out of line in a file of their own rather
 * than inline in the header: nearly every file of mm/ includes the
 * header, and lab 7 (docs/labs/lab7.md) has students write these, so a
 * change here recompiles one file instead of about ninety. The price is
 * a call where the inline version was a shift or a mask.
 */
#include "mm/swap_entry.h"
#include "kernel/panic.h"

/* The entry for slot of area (area < SWP_MAX_AREAS, slot < SWP_MAX_SLOTS). */
swp_entry_t
swp_entry(unsigned area, uint32_t slot)
{
	/* LAB 7 BEGIN: pack area and slot into one value, as mm/swap_entry.h draws it */
	return (swp_entry_t){ (uint32_t)area << SWP_SLOT_BITS | slot };
	/* LAB 7 STUB: (void)area; (void)slot; */
	/* LAB 7 STUB: panic("lab 7: swp_entry: encoding an area and a slot not implemented"); */
	/* LAB 7 END */
}

/* The area e names. */
unsigned
swp_area(swp_entry_t e)
{
	/* LAB 7 BEGIN: the area's bits of the value */
	return e.val >> SWP_SLOT_BITS;
	/* LAB 7 STUB: (void)e; */
	/* LAB 7 STUB: panic("lab 7: swp_area: decoding a swap entry not implemented"); */
	/* LAB 7 END */
}

/* The slot e names, in its area. */
uint32_t
swp_slot(swp_entry_t e)
{
	/* LAB 7 BEGIN: the slot's bits of the value */
	return e.val & (SWP_MAX_SLOTS - 1);
	/* LAB 7 STUB: (void)e; */
	/* LAB 7 STUB: panic("lab 7: swp_slot: decoding a swap entry not implemented"); */
	/* LAB 7 END */
}
