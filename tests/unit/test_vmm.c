/*
 * tests/unit/test_vmm.c - mm/x86/vmm.c, the 4-level page tables, on the
 * host (lab 2, docs/labs/lab2.md: walk_to_level, vmm_map, vmm_unmap,
 * vmm_translate), with a host array for physical memory
 * (tests/unit/vmm_host.h, which compiles vmm.c into this test).
 *
 * The tables the code builds are read back by a walk written here
 * (ref_entry), so every bit of every entry can be checked: intermediate
 * entries present, writable and - in the lower half only - user; the leaf
 * exactly the frame and the rights asked for (NX unless executable). The
 * addresses exercise every level: different indices at each, the top user
 * page, the kernel half, 2 MiB and 1 GiB pages. Tables must be made when
 * needed and freed when empty (except the kernel half's level-3 tables,
 * shared by every address space), unmaps must flush the TLB entry, and at
 * the end of each case every frame is back. A random run checks the
 * number of tables against a model after every step.
 */
#include "unit.h"
#include "vmm_host.h"

/* ---- Reading the tables by hand ---- */

static unsigned
index_at(vaddr_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * (level - 1))) & 511;
}

static pte_t *
table_of(pte_t e)
{
	paddr_t pa = e & PTE_ADDR;

	if (pa == 0 || pa >= sizeof(ram))
		return NULL;
	return (pte_t *)(ram + pa);
}

/* The entry for va in the table of the given level, or NULL if a table on the way is missing. */
static pte_t *
ref_entry(pte_t *pml4, vaddr_t va, int level)
{
	pte_t *table = pml4;

	for (int l = 4; l > level && table; l--) {
		pte_t e = table[index_at(va, l)];
		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		table = table_of(e);
	}
	return table ? &table[index_at(va, level)] : NULL;
}

/* ref_entry() for an entry the case goes on to use: if it is missing, the case fails. */
static pte_t *
must_entry(pte_t *pml4, vaddr_t va, int level)
{
	pte_t *e = ref_entry(pml4, va, level);

	if (!e)
		panic("the test's own walk finds no level-%d table for %#lx", level, va);
	return e;
}

static int
entries_in(const pte_t *table)
{
	int n = 0;

	for (int i = 0; i < 512; i++)
		n += table[i] != 0;
	return n;
}

/* ---- Per case ---- */

static uint64_t base_tables;       /* vmm_table_pages() with only the PML4 */

static pte_t *
setup(bool nx)
{
	pte_t *pml4;

	memset(in_use, 0, sizeof(in_use));
	memset(frames, 0, sizeof(frames));
	frames_in_use = 0;
	alloc_budget = -1;
	nr_flushed = 0;
	vmm_init(nx);
	pml4 = vmm_new_table();
	base_tables = vmm_table_pages();
	return pml4;
}

/* Tables made since setup(), other than the PML4. */
static long
new_tables(void)
{
	CHECK((long)(vmm_table_pages() - base_tables) == frames_in_use - 1);
	return (long)(vmm_table_pages() - base_tables);
}

/* The case must have given everything back: an empty PML4, no other frame in use. */
static void
finish(pte_t *pml4)
{
	CHECK(entries_in(pml4) == 0);
	CHECK(new_tables() == 0);
	vmm_free_table(pml4);
	CHECK(frames_in_use == 0);
}

#define RW      (VMM_READ | VMM_WRITE)
#define USER_VA 0x400000UL                          /* where programs start */
#define KERN_VA 0xffffc90000001000UL                /* kernel stacks' area: PML4 slot 402 */

/* An intermediate entry as walk_to_level() makes it. */
static bool
is_table_entry(pte_t e, bool user)
{
	pte_t *t = table_of(e);

	return (e & (PTE_P | PTE_W)) == (PTE_P | PTE_W) && !!(e & PTE_U) == user &&
	       !(e & (PTE_PS | PTE_NX)) && t && in_use[virt_to_phys(t) >> PAGE_SHIFT] &&
	       (frames[virt_to_phys(t) >> PAGE_SHIFT].flags & PG_PGTABLE);
}

/* ---- Cases ---- */

static void
map_then_translate(void)
{
	pte_t *pml4 = setup(true);
	vaddr_t va = USER_VA + 5 * PAGE_SIZE;
	paddr_t pa = 0x12345000, got = 0;
	unsigned prot = 0;

	CHECK(!vmm_translate(pml4, va, &got, &prot));
	CHECK(vmm_map(pml4, va, pa, RW | VMM_USER) == 0);
	CHECK(vmm_translate(pml4, va + 0x9a, &got, &prot));
	CHECK(got == pa + 0x9a);
	CHECK(prot == (RW | VMM_USER));
	CHECK(vmm_translate(pml4, va + PAGE_SIZE - 1, NULL, NULL));
	CHECK(!vmm_translate(pml4, va + PAGE_SIZE, &got, &prot));
	CHECK(!vmm_translate(pml4, va - 1, &got, &prot));
	CHECK(vmm_unmap(pml4, va, NULL) == 0);
	finish(pml4);
}

/* Different indices at every level; the top user page; the kernel half. */
static void
walk_reaches_every_level(void)
{
	pte_t *pml4 = setup(true);
	const vaddr_t va = (3UL << 39) | (5UL << 30) | (7UL << 21) | (9UL << 12);
	const vaddr_t top = 0x00007ffffffff000UL;           /* indices 255, 511, 511, 511 */
	const vaddr_t kva = 0xffffc90000000000UL | (6UL << 30) | (4UL << 21) | (2UL << 12);
	pte_t *e;

	CHECK(vmm_walk(pml4, va, false) == NULL);
	CHECK(frames_in_use == 1);                          /* alloc false: nothing made */
	CHECK(vmm_map(pml4, va, 0x5000, VMM_READ) == 0);
	CHECK(entries_in(pml4) == 1 && pml4[3] != 0);
	for (int level = 3; level >= 1; level--) {
		e = ref_entry(pml4, va, level);
		CHECK(e != NULL);
		if (!e)
			return;
		CHECK(*e != 0);
		CHECK((uintptr_t)e % PAGE_SIZE / sizeof(pte_t) == index_at(va, level));
	}
	CHECK(walk_to_level(pml4, va, 3, false) == ref_entry(pml4, va, 3));
	CHECK(walk_to_level(pml4, va, 2, false) == ref_entry(pml4, va, 2));
	CHECK(walk_to_level(pml4, va, 1, false) == ref_entry(pml4, va, 1));
	CHECK(vmm_walk(pml4, va, false) == ref_entry(pml4, va, 1));
	CHECK((*must_entry(pml4, va, 1) & PTE_ADDR) == 0x5000);
	CHECK(new_tables() == 3);

	CHECK(vmm_map(pml4, top, 0x6000, VMM_READ) == 0);
	CHECK(pml4[255] != 0);
	CHECK((*must_entry(pml4, top, 1) & PTE_ADDR) == 0x6000);
	CHECK(vmm_map(pml4, kva, 0x7000, VMM_READ) == 0);
	CHECK(pml4[402] != 0);
	CHECK((*must_entry(pml4, kva, 1) & PTE_ADDR) == 0x7000);
	CHECK(vmm_walk(pml4, kva, false) == ref_entry(pml4, kva, 1));
	CHECK(new_tables() == 9);

	CHECK(vmm_unmap(pml4, va, NULL) == 0);
	CHECK(vmm_unmap(pml4, top, NULL) == 0);
	CHECK(vmm_unmap(pml4, kva, NULL) == 0);
	/* The kernel half's level-3 table stays (every address space shares it). */
	CHECK(entries_in(pml4) == 1 && new_tables() == 1);
	vmm_free_table(table_of(pml4[402]));
	pml4[402] = 0;
	finish(pml4);
}

static void
tables_made_as_needed(void)
{
	pte_t *pml4 = setup(true);
	static const struct { vaddr_t va; long tables; } steps[] = {
		{ USER_VA, 3 },                     /* a PDPT, a PD and a PT */
		{ USER_VA + PAGE_SIZE, 3 },         /* same PT */
		{ USER_VA + (511UL << 12), 3 },     /* last entry of the same PT */
		{ USER_VA + (1UL << 21), 4 },       /* next PT */
		{ USER_VA + (1UL << 30), 6 },       /* next PD, its PT */
		{ USER_VA + (1UL << 39), 9 },       /* next PML4 slot: all three */
	};

	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		CHECK(vmm_map(pml4, steps[i].va, 0x1000 * (i + 1), RW | VMM_USER) == 0);
		CHECK(new_tables() == steps[i].tables);
	}
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		paddr_t pa = 0;
		CHECK(vmm_translate(pml4, steps[i].va, &pa, NULL) && pa == 0x1000 * (i + 1));
	}
	for (size_t i = ARRAY_SIZE(steps); i-- > 0;) {
		CHECK(vmm_unmap(pml4, steps[i].va, NULL) == 0);
		CHECK(new_tables() == (i ? steps[i - 1].tables : 0));
	}
	finish(pml4);
}

static void
entry_bits(void)
{
	pte_t *pml4 = setup(true);
	const vaddr_t code = USER_VA, data = USER_VA + (1UL << 30);
	pte_t *e;
	unsigned prot;

	CHECK(vmm_map(pml4, data, 0x2000, RW | VMM_USER) == 0);
	CHECK(vmm_map(pml4, code, 0x3000, VMM_READ | VMM_EXEC | VMM_USER) == 0);
	CHECK(vmm_map(pml4, KERN_VA, 0x4000, RW | VMM_GLOBAL) == 0);

	e = ref_entry(pml4, data, 1);
	CHECK(e && *e == (0x2000 | PTE_P | PTE_W | PTE_U | PTE_NX));
	e = ref_entry(pml4, code, 1);
	CHECK(e && *e == (0x3000 | PTE_P | PTE_U));
	e = ref_entry(pml4, KERN_VA, 1);
	CHECK(e && *e == (0x4000 | PTE_P | PTE_W | PTE_G | PTE_NX));

	/* Intermediate entries: only the leaf decides what an access may do. */
	for (int level = 4; level >= 2; level--) {
		e = ref_entry(pml4, data, level);
		CHECK(e && is_table_entry(*e, true));
		e = ref_entry(pml4, code, level);
		CHECK(e && is_table_entry(*e, true));
		e = ref_entry(pml4, KERN_VA, level);
		CHECK(e && is_table_entry(*e, false));
	}

	CHECK(vmm_translate(pml4, data, NULL, &prot) && prot == (RW | VMM_USER));
	CHECK(vmm_translate(pml4, code, NULL, &prot) && prot == (VMM_READ | VMM_EXEC | VMM_USER));
	CHECK(vmm_translate(pml4, KERN_VA, NULL, &prot) && prot == (RW | VMM_GLOBAL));

	CHECK(vmm_unmap(pml4, data, NULL) == 0);
	CHECK(vmm_unmap(pml4, code, NULL) == 0);
	CHECK(vmm_unmap(pml4, KERN_VA, NULL) == 0);
	vmm_free_table(table_of(pml4[402]));
	pml4[402] = 0;
	finish(pml4);
}

/* Without EFER.NXE bit 63 is reserved: setting it would fault every access. */
static void
no_nx_bit_without_nxe(void)
{
	pte_t *pml4 = setup(false);
	unsigned prot;
	pte_t *e;

	CHECK(vmm_map(pml4, USER_VA, 0x2000, RW | VMM_USER) == 0);
	e = ref_entry(pml4, USER_VA, 1);
	CHECK(e && *e == (0x2000 | PTE_P | PTE_W | PTE_U));
	CHECK(vmm_translate(pml4, USER_VA, NULL, &prot) && prot == (RW | VMM_USER | VMM_EXEC));
	CHECK(vmm_unmap(pml4, USER_VA, NULL) == 0);
	finish(pml4);
}

static void
map_refuses_a_mapped_page(void)
{
	pte_t *pml4 = setup(true);
	pte_t before;
	paddr_t pa = 0;

	CHECK(vmm_map(pml4, USER_VA, 0x2000, RW | VMM_USER) == 0);
	before = *must_entry(pml4, USER_VA, 1);
	CHECK(vmm_map(pml4, USER_VA, 0x9000, VMM_READ) == -EEXIST);
	CHECK(*must_entry(pml4, USER_VA, 1) == before);
	CHECK(vmm_translate(pml4, USER_VA, &pa, NULL) && pa == 0x2000);
	CHECK(new_tables() == 3);
	CHECK(vmm_unmap(pml4, USER_VA, NULL) == 0);
	finish(pml4);
}

static void
unmap_flushes_and_frees_tables(void)
{
	pte_t *pml4 = setup(true);
	paddr_t old = 0;

	CHECK(vmm_map(pml4, USER_VA, 0x2000, RW | VMM_USER) == 0);
	nr_flushed = 0;
	CHECK(vmm_unmap(pml4, USER_VA, &old) == 0);
	CHECK(old == 0x2000);
	CHECK(was_flushed(USER_VA));
	CHECK(!vmm_translate(pml4, USER_VA, NULL, NULL));
	CHECK(entries_in(pml4) == 0);
	CHECK(new_tables() == 0 && frames_in_use == 1);

	CHECK(vmm_unmap(pml4, USER_VA, &old) == -ENOENT);
	CHECK(vmm_unmap(pml4, USER_VA + (5UL << 39), NULL) == -ENOENT);
	CHECK(frames_in_use == 1);                  /* looking made no table */

	/* An entry that holds a swap entry is not a mapping. */
	CHECK(vmm_map(pml4, USER_VA, 0x2000, RW | VMM_USER) == 0);
	vmm_set_swap(must_entry(pml4, USER_VA, 1), USER_VA, swp_entry(0, 7));
	CHECK(vmm_unmap(pml4, USER_VA, NULL) == -ENOENT);
	vmm_clear(must_entry(pml4, USER_VA, 1), USER_VA);
	vmm_free_empty_tables(pml4, USER_VA, PAGE_SIZE);
	finish(pml4);
}

static void
unmap_keeps_tables_in_use(void)
{
	pte_t *pml4 = setup(true);
	const vaddr_t a = USER_VA, b = USER_VA + PAGE_SIZE, c = USER_VA + (1UL << 21);
	paddr_t pa = 0;

	CHECK(vmm_map(pml4, a, 0x2000, RW | VMM_USER) == 0);
	CHECK(vmm_map(pml4, b, 0x3000, RW | VMM_USER) == 0);
	CHECK(vmm_map(pml4, c, 0x4000, RW | VMM_USER) == 0);
	CHECK(new_tables() == 4);
	CHECK(vmm_unmap(pml4, a, NULL) == 0);
	CHECK(new_tables() == 4);                   /* b still uses the PT */
	CHECK(vmm_translate(pml4, b, &pa, NULL) && pa == 0x3000);
	CHECK(vmm_unmap(pml4, b, NULL) == 0);
	CHECK(new_tables() == 3);                   /* that PT went, c's PD stays */
	CHECK(*must_entry(pml4, a, 2) == 0);
	CHECK(vmm_translate(pml4, c, &pa, NULL) && pa == 0x4000);
	CHECK(vmm_unmap(pml4, c, NULL) == 0);
	finish(pml4);
}

static void
translate_large_pages(void)
{
	pte_t *pml4 = setup(true);
	const vaddr_t va2m = USER_VA + (1UL << 30) + (3UL << 21), va1g = 1UL << 39;
	const paddr_t pa2m = 0x80000000UL + (5UL << 21), pa1g = 7UL << 30;
	paddr_t pa = 0;
	unsigned prot = 0;
	long tables;

	CHECK(vmm_map_large(pml4, va2m, pa2m, PAGE_SIZE_2M, RW | VMM_USER) == 0);
	CHECK(vmm_map_large(pml4, va1g, pa1g, PAGE_SIZE_1G, VMM_READ | VMM_EXEC) == 0);
	CHECK(vmm_translate(pml4, va2m + 0x12345, &pa, &prot));
	CHECK(pa == pa2m + 0x12345 && prot == (RW | VMM_USER));
	CHECK(vmm_translate(pml4, va2m + PAGE_SIZE_2M - 1, &pa, NULL) &&
	      pa == pa2m + PAGE_SIZE_2M - 1);
	CHECK(!vmm_translate(pml4, va2m + PAGE_SIZE_2M, &pa, NULL));
	CHECK(vmm_translate(pml4, va1g + 0x3456789, &pa, &prot));
	CHECK(pa == pa1g + 0x3456789 && prot == (VMM_READ | VMM_EXEC));

	/* A large page is in the way of a 4 KiB one: no table is made under it. */
	tables = new_tables();
	CHECK(vmm_walk(pml4, va2m + PAGE_SIZE, true) == NULL);
	CHECK(vmm_map(pml4, va1g + PAGE_SIZE, 0x2000, VMM_READ) != 0);
	CHECK(new_tables() == tables);
	CHECK(vmm_translate(pml4, va1g + PAGE_SIZE, &pa, NULL) && pa == pa1g + PAGE_SIZE);

	*must_entry(pml4, va2m, 2) = 0;
	*must_entry(pml4, va1g, 3) = 0;
	vmm_free_empty_tables(pml4, va2m, PAGE_SIZE_2M);
	vmm_free_empty_tables(pml4, va1g, PAGE_SIZE_1G);
	finish(pml4);
}

static void
translate_misses_at_every_level(void)
{
	pte_t *pml4 = setup(true);
	paddr_t pa = 0x1234;

	CHECK(!vmm_translate(pml4, USER_VA, &pa, NULL));            /* no PDPT */
	CHECK(vmm_map(pml4, USER_VA, 0x2000, RW | VMM_USER) == 0);
	CHECK(!vmm_translate(pml4, USER_VA + (1UL << 39), &pa, NULL));
	CHECK(!vmm_translate(pml4, USER_VA + (1UL << 30), &pa, NULL));  /* no PD */
	CHECK(!vmm_translate(pml4, USER_VA + (1UL << 21), &pa, NULL));  /* no PT */
	CHECK(!vmm_translate(pml4, USER_VA + PAGE_SIZE, &pa, NULL));    /* empty entry */
	vmm_set_swap(must_entry(pml4, USER_VA + PAGE_SIZE, 1), USER_VA + PAGE_SIZE,
		     swp_entry(1, 0x1234));
	CHECK(!vmm_translate(pml4, USER_VA + PAGE_SIZE, &pa, NULL));    /* swapped out */
	CHECK(frames_in_use == 4);                  /* translating made no table */
	vmm_clear(must_entry(pml4, USER_VA + PAGE_SIZE, 1), USER_VA + PAGE_SIZE);
	CHECK(vmm_unmap(pml4, USER_VA, NULL) == 0);
	finish(pml4);
}

/* Out of frames half way down: -ENOMEM, nothing mapped, what was made can be freed. */
static void
map_fails_cleanly_without_memory(void)
{
	pte_t *pml4 = setup(true);

	for (int budget = 0; budget < 3; budget++) {
		alloc_budget = budget;
		CHECK(vmm_map(pml4, USER_VA, 0x2000, RW | VMM_USER) == -ENOMEM);
		CHECK(!vmm_translate(pml4, USER_VA, NULL, NULL));
		CHECK(new_tables() == budget);
		alloc_budget = -1;
		vmm_free_empty_tables(pml4, USER_VA, PAGE_SIZE);
		CHECK(new_tables() == 0);
	}
	CHECK(vmm_map(pml4, USER_VA, 0x2000, RW | VMM_USER) == 0);
	CHECK(vmm_unmap(pml4, USER_VA, NULL) == 0);
	finish(pml4);
}

/*
 * Pages at 3 x 2 x 2 x 3 addresses (PML4 slots 0, 1, 255; two PDPT, two
 * PD, three PT indices), mapped and unmapped at random. After each step
 * the tables must be exactly those the mapped pages need.
 */
#define NR_ADDRS 36

static vaddr_t
model_va(int i)
{
	static const unsigned l4[] = { 0, 1, 255 }, l3[] = { 0, 511 }, l2[] = { 0, 1 },
			      l1[] = { 0, 1, 511 };

	return (vaddr_t)l4[i / 12] << 39 | (vaddr_t)l3[i / 6 % 2] << 30 |
	       (vaddr_t)l2[i / 3 % 2] << 21 | (vaddr_t)l1[i % 3] << 12;
}

static long
model_tables(const bool mapped[NR_ADDRS])
{
	long n = 0;

	/* For each level, count the distinct prefixes among mapped pages. */
	for (int shift = 39; shift >= 21; shift -= 9) {
		for (int i = 0; i < NR_ADDRS; i++) {
			bool first = mapped[i];
			for (int j = 0; j < i && first; j++)
				if (mapped[j] && model_va(j) >> shift == model_va(i) >> shift)
					first = false;
			n += first;
		}
	}
	return n;
}

static void
random_against_model(void)
{
	pte_t *pml4 = setup(true);
	unsigned long long rng = 2024;
	bool mapped[NR_ADDRS] = { false };
	paddr_t frame[NR_ADDRS] = { 0 };

	for (int step = 0; step < 4000 && !unit_case_failed; step++) {
		int i = (int)(unit_xorshift(&rng) % NR_ADDRS);
		vaddr_t va = model_va(i);
		paddr_t pa = 0;
		if (mapped[i]) {
			CHECK(vmm_unmap(pml4, va, &pa) == 0 && pa == frame[i]);
			CHECK(was_flushed(va));
			nr_flushed = 0;
			mapped[i] = false;
		} else {
			frame[i] = (unit_xorshift(&rng) % 0x100000) << PAGE_SHIFT;
			CHECK(vmm_map(pml4, va, frame[i], RW | VMM_USER) == 0);
			mapped[i] = true;
		}
		CHECK(new_tables() == model_tables(mapped));
		int j = (int)(unit_xorshift(&rng) % NR_ADDRS);
		bool found = vmm_translate(pml4, model_va(j) + 0x10, &pa, NULL);
		CHECK(found == mapped[j] && (!found || pa == frame[j] + 0x10));
	}
	for (int i = 0; i < NR_ADDRS; i++)
		if (mapped[i])
			CHECK(vmm_unmap(pml4, model_va(i), NULL) == 0);
	finish(pml4);
}

int
main(void)
{
	RUN(map_then_translate);
	RUN(walk_reaches_every_level);
	RUN(tables_made_as_needed);
	RUN(entry_bits);
	RUN(no_nx_bit_without_nxe);
	RUN(map_refuses_a_mapped_page);
	RUN(unmap_flushes_and_frees_tables);
	RUN(unmap_keeps_tables_in_use);
	RUN(translate_large_pages);
	RUN(translate_misses_at_every_level);
	RUN(map_fails_cleanly_without_memory);
	RUN(random_against_model);
	UNIT_EXIT();
}
