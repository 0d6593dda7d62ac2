/*
 * mm/swap_entry.h - the name of a page's copy on swap: a swap entry.
 *
 * A swapped-out page's PTEs hold its swap entry (mm/x86/pte.h encodes it
 * in a not-present PTE); a page in the swap cache keeps it in struct page.
 * It names one slot of one swap area:
 *
 *    31     27 26                              0
 *   +---------+---------------------------------+
 *   |  area   |              slot               |
 *   +---------+---------------------------------+
 *
 * area 0..31 (Linux's MAX_SWAPFILES is 32 too); slot 0..2^27-1, that is
 * up to 512 GiB of 4 KiB pages per area. Slot 0 of every area is its
 * header, so val 0 never names a page: it means "no entry".
 *
 * A struct, not a bare integer, so that a swap entry can never be used
 * as an address or a frame number by mistake (docs/design.md section 12).
 */
#ifndef MM_SWAP_ENTRY_H
#define MM_SWAP_ENTRY_H

#include "kernel/panic.h"
#include "kernel/types.h"

typedef struct { uint32_t val; } swp_entry_t;

#define SWP_SLOT_BITS 27
#define SWP_MAX_AREAS 32
#define SWP_MAX_SLOTS (1u << SWP_SLOT_BITS)

/* The entry for slot of area (area < SWP_MAX_AREAS, slot < SWP_MAX_SLOTS). */
static inline swp_entry_t
swp_entry(unsigned area, uint32_t slot)
{
	/* LAB 7 BEGIN: pack area and slot into one value, as drawn above */
	return (swp_entry_t){ (uint32_t)area << SWP_SLOT_BITS | slot };
	/* LAB 7 STUB: (void)area; (void)slot; */
	/* LAB 7 STUB: panic("lab 7: swp_entry: encoding an area and a slot not implemented"); */
	/* LAB 7 END */
}

/* The area e names. */
static inline unsigned
swp_area(swp_entry_t e)
{
	/* LAB 7 BEGIN: the area's bits of the value */
	return e.val >> SWP_SLOT_BITS;
	/* LAB 7 STUB: (void)e; */
	/* LAB 7 STUB: panic("lab 7: swp_area: decoding a swap entry not implemented"); */
	/* LAB 7 END */
}

/* The slot e names, in its area. */
static inline uint32_t
swp_slot(swp_entry_t e)
{
	/* LAB 7 BEGIN: the slot's bits of the value */
	return e.val & (SWP_MAX_SLOTS - 1);
	/* LAB 7 STUB: (void)e; */
	/* LAB 7 STUB: panic("lab 7: swp_slot: decoding a swap entry not implemented"); */
	/* LAB 7 END */
}

static inline bool swp_none(swp_entry_t e) { return e.val == 0; }
static inline bool swp_same(swp_entry_t a, swp_entry_t b) { return a.val == b.val; }

#endif
