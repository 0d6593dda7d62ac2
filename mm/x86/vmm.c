/*
 * mm/x86/vmm.c - 4-level page tables (Intel SDM Vol. 3A 4.5): the only
 * code in the kernel that reads or writes page-table entries. The
 * interface the rest of the kernel uses is mm/vmm.h.
 *
 *   virtual address:  | PML4 idx | PDPT idx |  PD idx  |  PT idx  | offset |
 *                      47      39 38      30 29      21 20      12 11     0
 *   level:                 4          3          2          1
 *
 * vmm_walk() goes down the levels in one loop, optionally allocating the
 * tables that are missing. Intermediate entries are always present and
 * writable (user-accessible in the lower half): only the leaf decides
 * what an access may do. Unmapping frees tables that became empty, except
 * the kernel half's level-3 tables, which every address space shares
 * through its copy of the PML4's upper half (mm/kas.c).
 *
 * The decision code of mm/ (mm/fault.c, mm/rmap.c, mm/mm.c) walks once
 * to an entry, then reads it (vmm_read: empty, a page, a swap entry) and
 * changes it through that pointer - never a second walk for the same
 * decision.
 *
 * TLB rule (docs/design.md section 12): whoever weakens or removes a present mapping
 * flushes it before returning; a new mapping needs no flush, since x86
 * never caches a not-present entry (SDM 4.10.4.3).
 */
#include "mm/vmm.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/x86/mmu.h"
#include "mm/x86/pte.h"

static bool nx_enabled;
static uint64_t nr_table_pages;

/* Called once, before any mapping: whether EFER.NXE is on (boot/entry.asm). */
void
vmm_init(bool nx)
{
	nx_enabled = nx;
}

static bool
is_user_address(vaddr_t va)
{
	return va < USER_TOP;
}

/* Turns VMM_* flags into leaf PTE bits. */
static pte_t
prot_to_bits(unsigned prot)
{
	pte_t bits = PTE_P;

	if (prot & VMM_WRITE)
		bits |= PTE_W;
	if (prot & VMM_USER)
		bits |= PTE_U;
	if (prot & VMM_GLOBAL)
		bits |= PTE_G;
	if (prot & VMM_NOCACHE)
		bits |= PTE_PCD | PTE_PWT;     /* UC with the power-on PAT (SDM Vol. 3A 11.12.3) */
	if (!(prot & VMM_EXEC) && nx_enabled)
		bits |= PTE_NX;
	return bits;
}

static unsigned
bits_to_prot(pte_t e)
{
	unsigned prot = VMM_READ;

	if (e & PTE_W)
		prot |= VMM_WRITE;
	if (e & PTE_U)
		prot |= VMM_USER;
	if (e & PTE_G)
		prot |= VMM_GLOBAL;
	if (e & PTE_PCD)
		prot |= VMM_NOCACHE;
	if (!(e & PTE_NX))
		prot |= VMM_EXEC;
	return prot;
}

static pte_t *
table_at(pte_t e)
{
	return phys_to_virt(pte_addr(e));
}

/* Returns a zeroed page-table page (its kernel virtual address), or NULL. */
pte_t *
vmm_new_table(void)
{
	struct page *p = pmm_alloc_pages(0);

	if (!p)
		return NULL;
	p->flags |= PG_PGTABLE;
	nr_table_pages++;
	memset(page_address(p), 0, PAGE_SIZE);
	return page_address(p);
}

/* Frees a page-table page from vmm_new_table() (a PML4 too, when its mm goes). */
void
vmm_free_table(pte_t *table)
{
	struct page *p = virt_to_page(table);

	p->flags &= ~PG_PGTABLE;
	nr_table_pages--;
	pmm_free_pages(p, 0);
}

/* How many page-table pages exist now, in all address spaces. */
uint64_t
vmm_table_pages(void)
{
	return nr_table_pages;
}

/*
 * Returns the entry that translates va at the given level (1: a 4 KiB
 * page, 2: 2 MiB, 3: 1 GiB), or NULL if a table on the way is missing
 * (and alloc is false, or no memory is left) or a larger page is in the way.
 */
static pte_t *
walk_to_level(pte_t *pml4, vaddr_t va, int level, bool alloc)
{
	/* LAB 2 BEGIN: go down from the PML4 in one loop, making missing tables when asked */
	pte_t *table = pml4;

	for (int l = 4; l > level; l--) {
		pte_t *e = &table[pt_index(va, l)];
		if (!pte_present(*e)) {
			pte_t *next = alloc ? vmm_new_table() : NULL;
			if (!next)
				return NULL;
			*e = virt_to_phys(next) | PTE_P | PTE_W |
			     (is_user_address(va) ? PTE_U : 0);
		} else if (pte_huge(*e)) {
			return NULL;
		}
		table = table_at(*e);
	}
	return &table[pt_index(va, level)];
	/* LAB 2 STUB: (void)pml4; (void)va; (void)level; (void)alloc; */
	/* LAB 2 STUB: panic("lab 2: walk_to_level: the page-table walk not implemented"); */
	/* LAB 2 END */
}

/*
 * Returns the level-1 entry for va, or NULL. With alloc, missing tables are
 * allocated zeroed. The entry may be present, empty, or (later) hold a swap
 * entry.
 */
pte_t *
vmm_walk(pte_t *pml4, vaddr_t va, bool alloc)
{
	return walk_to_level(pml4, va, 1, alloc);
}

/*
 * Makes sure the PML4 entry covering va points to a level-3 table. The
 * kernel creates these once for each kernel-half region, before any
 * process copies the PML4. Returns 0 or -ENOMEM.
 */
int
vmm_ensure_pml4_entry(pte_t *pml4, vaddr_t va)
{
	return walk_to_level(pml4, va, 3, true) ? 0 : -ENOMEM;
}

/* Maps the 4 KiB page at va to pa. Returns 0, -ENOMEM, or -EEXIST. */
int
vmm_map(pte_t *pml4, vaddr_t va, paddr_t pa, unsigned prot)
{
	/* LAB 2 BEGIN: find the level-1 entry (making tables) and fill it in */
	pte_t *e = vmm_walk(pml4, va, true);

	if (!e)
		return -ENOMEM;
	if (pte_present(*e))
		return -EEXIST;
	*e = pa | prot_to_bits(prot);
	return 0;
	/* LAB 2 STUB: (void)pml4; (void)va; (void)pa; (void)prot; */
	/* LAB 2 STUB: panic("lab 2: vmm_map: mapping a page not implemented"); */
	/* LAB 2 END */
}

/* Maps len bytes page by page; on failure unmaps what it mapped. */
int
vmm_map_range(pte_t *pml4, vaddr_t va, paddr_t pa, size_t len, unsigned prot)
{
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		int err = vmm_map(pml4, va + off, pa + off, prot);
		if (err) {
			vmm_unmap_range(pml4, va, off);
			return err;
		}
	}
	return 0;
}

/* Maps one 2 MiB or 1 GiB page (the direct map uses these). */
int
vmm_map_large(pte_t *pml4, vaddr_t va, paddr_t pa, size_t page_size, unsigned prot)
{
	int level = page_size == PAGE_SIZE_1G ? 3 : 2;
	pte_t *e;

	if ((va | pa) & (page_size - 1) || (page_size != PAGE_SIZE_1G && page_size != PAGE_SIZE_2M))
		return -EINVAL;
	e = walk_to_level(pml4, va, level, true);
	if (!e)
		return -ENOMEM;
	if (pte_present(*e))
		return -EEXIST;
	*e = pa | prot_to_bits(prot) | PTE_PS;
	return 0;
}

static bool
table_is_empty(const pte_t *table)
{
	for (int i = 0; i < PT_ENTRIES; i++)
		if (table[i])
			return false;
	return true;
}

/*
 * Frees the tables under `table` (a table of the given level) that hold
 * nothing for [start, end). Returns true if `table` itself is now empty.
 */
static bool
prune(pte_t *table, int level, vaddr_t base, vaddr_t start, vaddr_t end)
{
	unsigned shift = pt_shift(level);

	for (unsigned i = pt_index(start, level); i < PT_ENTRIES; i++) {
		vaddr_t lo = base + ((vaddr_t)i << shift);
		if (lo >= end)
			break;
		pte_t e = table[i];
		if (level == 1 || !pte_present(e) || pte_huge(e))
			continue;
		/* Kernel-half level-3 tables are shared by every address space. */
		bool shared = level == 4 && !is_user_address(lo);
		if (prune(table_at(e), level - 1, lo, MAX(start, lo), end) && !shared) {
			vmm_free_table(table_at(e));
			table[i] = 0;
		}
	}
	return table_is_empty(table);
}

/* Prunes with 48-bit addresses, so that the index arithmetic is plain. */
static void
prune_range(pte_t *pml4, vaddr_t va, size_t len)
{
	const vaddr_t mask48 = (1UL << 48) - 1;

	prune(pml4, 4, 0, va & mask48, ((va + len - 1) & mask48) + 1);
}

/*
 * Removes the mapping of va (4 KiB pages only), flushes its TLB entry and
 * frees the tables left empty. Stores the frame it mapped in *old_pa (if
 * not NULL). Returns 0, or -ENOENT if nothing was mapped.
 */
int
vmm_unmap(pte_t *pml4, vaddr_t va, paddr_t *old_pa)
{
	/* LAB 2 BEGIN: empty the entry, flush it from the TLB, free the tables left empty */
	pte_t *e = vmm_walk(pml4, va, false);

	if (!e || !pte_present(*e))
		return -ENOENT;
	if (old_pa)
		*old_pa = pte_addr(*e);
	vmm_clear(e, va);
	prune_range(pml4, va, PAGE_SIZE);
	return 0;
	/* LAB 2 STUB: (void)pml4; (void)va; (void)old_pa; */
	/* LAB 2 STUB: panic("lab 2: vmm_unmap: unmapping a page not implemented"); */
	/* LAB 2 END */
}

/* Unmaps every 4 KiB page in [va, va+len) (holes are fine), then frees empty tables. */
void
vmm_unmap_range(pte_t *pml4, vaddr_t va, size_t len)
{
	for (vaddr_t a = va; a < va + len; a += PAGE_SIZE) {
		pte_t *e = vmm_walk(pml4, a, false);
		if (e && pte_present(*e))
			vmm_clear(e, a);
	}
	vmm_free_empty_tables(pml4, va, len);
}

/* Frees the page tables that map nothing in [va, va+len). */
void
vmm_free_empty_tables(pte_t *pml4, vaddr_t va, size_t len)
{
	if (len)
		prune_range(pml4, va, len);
}

/* Changes what an access to the page mapped at va may do; -ENOENT if none is. */
int
vmm_protect(pte_t *pml4, vaddr_t va, unsigned prot)
{
	pte_t *e = vmm_walk(pml4, va, false);

	if (!e || !pte_present(*e))
		return -ENOENT;
	vmm_set_prot(e, va, prot);
	return 0;
}

/*
 * Looks va up as the MMU would. Returns true and sets *pa (with the page
 * offset) and *prot if it is mapped; large pages included.
 */
bool
vmm_translate(pte_t *pml4, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	/* LAB 2 BEGIN: walk as the MMU does: stop at a missing entry or at a page of any size */
	pte_t *table = pml4;

	for (int level = 4; level >= 1; level--) {
		pte_t e = table[pt_index(va, level)];
		if (!pte_present(e))
			return false;
		if (level == 1 || pte_huge(e)) {
			vaddr_t offset_mask = (1UL << pt_shift(level)) - 1;
			if (pa)
				*pa = (pte_addr(e) & ~offset_mask) | (va & offset_mask);
			if (prot)
				*prot = bits_to_prot(e);
			return true;
		}
		table = table_at(e);
	}
	return false;
	/* LAB 2 STUB: (void)pml4; (void)va; (void)pa; (void)prot; */
	/* LAB 2 STUB: panic("lab 2: vmm_translate: the MMU's walk not implemented"); */
	/* LAB 2 END */
}

/* ---- One entry at a time: found once by vmm_walk() or vmm_next_entry() ---- */

/*
 * Finds the first level-1 entry at or above va and below end that is not
 * empty (a page or a swap entry), skipping missing tables whole. Returns
 * its address and sets *pte, or returns end. Lower half only (no large
 * pages there).
 */
vaddr_t
vmm_next_entry(pte_t *pml4, vaddr_t va, vaddr_t end, pte_t **pte)
{
	while (va < end) {
		pte_t *table = pml4;
		int level = 4;
		for (; level >= 1; level--) {
			pte_t *e = &table[pt_index(va, level)];
			if (level == 1 && *e) {
				*pte = e;
				return va;
			}
			if (!pte_present(*e))
				break;
			table = table_at(*e);
		}
		/* Nothing at this level: skip to the next entry of the same level. */
		vaddr_t span = 1UL << pt_shift(level);
		vaddr_t next = ALIGN_DOWN(va, span) + span;
		if (next <= va)
			break;
		va = next;
	}
	return end;
}

/* Decodes a level-1 entry: empty, a page (frame, rights, A and D), or a swap entry. */
struct vmm_entry
vmm_read(pte_t value)
{
	if (pte_is_swap(value))
		return (struct vmm_entry){ .kind = VMM_SWAP, .swap = pte_swap_entry(value) };
	if (!pte_present(value))
		return (struct vmm_entry){ .kind = VMM_NONE };
	return (struct vmm_entry){ .kind = VMM_PAGE, .pa = pte_addr(value),
				   .prot = bits_to_prot(value), .accessed = value & PTE_A,
				   .dirty = value & PTE_D };
}

/* Whatever the entry held, it holds old no more: flush what the TLB may cache. */
static struct vmm_entry
exchange(pte_t *pte, vaddr_t va, pte_t new)
{
	pte_t old = *pte;

	*pte = new;
	if (pte_present(old))
		invlpg(va);
	return vmm_read(old);
}

/* Makes the entry for va map pa with prot (it may have held anything). */
void
vmm_set_page(pte_t *pte, vaddr_t va, paddr_t pa, unsigned prot)
{
	exchange(pte, va, pa | prot_to_bits(prot));
}

/*
 * Makes the entry for va a swap entry. Returns what it held before: for a
 * page, reclaim learns from the D bit whether the page was written since
 * it was mapped - in the same walk that unmaps it.
 */
struct vmm_entry
vmm_set_swap(pte_t *pte, vaddr_t va, swp_entry_t e)
{
	return exchange(pte, va, pte_make_swap(e));
}

/* Empties the entry for va. Returns what it held. */
struct vmm_entry
vmm_clear(pte_t *pte, vaddr_t va)
{
	return exchange(pte, va, 0);
}

/*
 * Moves the entry for src_va to dst, whole: frame or swap entry, rights,
 * A and D bits (mremap). src is empty afterwards, its TLB entry flushed;
 * dst must have been empty - an empty entry is never cached, so dst's
 * address needs no flush.
 */
void
vmm_move_entry(pte_t *src, vaddr_t src_va, pte_t *dst)
{
	pte_t value = *src;

	exchange(src, src_va, 0);
	*dst = value;
}

/* Changes the rights of the page the entry maps; keeps A and D. */
void
vmm_set_prot(pte_t *pte, vaddr_t va, unsigned prot)
{
	pte_t old = *pte;

	*pte = pte_addr(old) | (old & (PTE_A | PTE_D)) | prot_to_bits(prot);
	invlpg(va);
}

/*
 * Has the entry changed since it held seen - the check a fault handler
 * makes after sleeping? The accessed and dirty bits do not count:
 * reclaim clears A while the handler sleeps (page_referenced()), which
 * leaves the mapping what it was; counting it would send a handler that
 * sleeps in reclaim round and round.
 */
bool
vmm_entry_changed(const pte_t *pte, pte_t seen)
{
	return ((*pte ^ seen) & ~(PTE_A | PTE_D)) != 0;
}

/*
 * Clears the accessed bit of a present entry and says whether it was set:
 * has the page been used since we last looked? (the second chance of
 * reclaim, mm/evict_lru.c). Flushes the TLB entry, so that the next use
 * sets the bit again.
 */
bool
vmm_test_and_clear_accessed(pte_t *pte, vaddr_t va)
{
	if (!pte_present(*pte) || !(*pte & PTE_A))
		return false;
	*pte &= ~PTE_A;
	invlpg(va);
	return true;
}

/*
 * Write-protects a present entry and clears its dirty bit (Linux's
 * page_mkclean_one): the page's data is about to be written to its file,
 * and a store after this must fault so the page is marked dirty again.
 * Returns whether D was set (a store the page's flags have not seen).
 */
bool
vmm_mkclean(pte_t *pte, vaddr_t va)
{
	bool dirty;

	if (!pte_present(*pte) || !(*pte & (PTE_W | PTE_D)))
		return false;
	dirty = *pte & PTE_D;
	*pte &= ~(PTE_W | PTE_D);
	invlpg(va);
	return dirty;
}
