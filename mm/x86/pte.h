/*
 * mm/x86/pte.h - the bits of an x86-64 page-table entry (Intel SDM Vol. 3A
 * 4.5, tables 4-14 to 4-20). Only mm/x86/ includes this file: everyone
 * else speaks in VMM_READ/VMM_WRITE/... and struct vmm_entry (mm/vmm.h).
 *
 *   63  62..52  51.........12  11..9   8   7   6   5   4    3    2   1   0
 *  +--+-------+--------------+------+---+---+---+---+----+----+---+---+---+
 *  |NX| avail | frame address| avail| G |PS | D | A |PCD |PWT |U/S|R/W| P |
 *  +--+-------+--------------+------+---+---+---+---+----+----+---+---+---+
 *
 * P present; R/W writable; U/S user-accessible; A accessed and D dirty are
 * set by the CPU; PS (in a level-2/3 entry) maps a 2 MiB / 1 GiB page;
 * G global (kept across CR3 loads); NX no-execute.
 */
#ifndef MM_X86_PTE_H
#define MM_X86_PTE_H

#include "mm/vmm.h"

#define PTE_P      (1UL << 0)
#define PTE_W      (1UL << 1)
#define PTE_U      (1UL << 2)
#define PTE_PWT    (1UL << 3)
#define PTE_PCD    (1UL << 4)
#define PTE_A      (1UL << 5)
#define PTE_D      (1UL << 6)
#define PTE_PS     (1UL << 7)
#define PTE_G      (1UL << 8)
#define PTE_NX     (1UL << 63)
#define PTE_ADDR   0x000ffffffffff000UL

#define PT_ENTRIES 512

static inline bool pte_present(pte_t e) { return e & PTE_P; }

/*
 * A swap entry (mm/swap_entry.h) in a PTE that is not present. The CPU
 * ignores every other bit when P is 0, so the entry is free to use them:
 *
 *   63      44 43          12 11      2   1   0
 *  +----------+--------------+---------+---+---+
 *  |   zero   | swap entry   |  zero   | 1 | 0 |    bit 1 marks "swapped out"
 *  +----------+--------------+---------+---+---+    bit 0 (P) stays 0
 *               (area, slot)
 */
#define PTE_SWAP_MARK (1UL << 1)
static inline bool pte_is_swap(pte_t e) { return !(e & PTE_P) && (e & PTE_SWAP_MARK); }
static inline pte_t pte_make_swap(swp_entry_t s) { return ((pte_t)s.val << 12) | PTE_SWAP_MARK; }
static inline swp_entry_t pte_swap_entry(pte_t e) { return (swp_entry_t){ (uint32_t)(e >> 12) }; }
static inline bool pte_huge(pte_t e) { return e & PTE_PS; }
static inline paddr_t pte_addr(pte_t e) { return e & PTE_ADDR; }

/* Bit position of the address bits a level translates: 12, 21, 30, 39. */
static inline unsigned
pt_shift(int level)
{
	return 12 + 9 * (unsigned)(level - 1);
}

static inline unsigned
pt_index(vaddr_t va, int level)
{
	return (va >> pt_shift(level)) & (PT_ENTRIES - 1);
}

#endif
