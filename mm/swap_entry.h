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
 * The packing and unpacking are in mm/swap_entry.c.
 */
#ifndef MM_SWAP_ENTRY_H
#define MM_SWAP_ENTRY_H

#include "kernel/types.h"

typedef struct { uint32_t val; } swp_entry_t;

#define SWP_SLOT_BITS 27
#define SWP_MAX_AREAS 32
#define SWP_MAX_SLOTS (1u << SWP_SLOT_BITS)

/* The entry for slot of area (area < SWP_MAX_AREAS, slot < SWP_MAX_SLOTS). */
swp_entry_t swp_entry(unsigned area, uint32_t slot);
/* The area e names. */
unsigned swp_area(swp_entry_t e);
/* The slot e names, in its area. */
uint32_t swp_slot(swp_entry_t e);

static inline bool swp_none(swp_entry_t e) { return e.val == 0; }
static inline bool swp_same(swp_entry_t a, swp_entry_t b) { return a.val == b.val; }

#endif
