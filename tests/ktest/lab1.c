/*
 * tests/ktest/lab1.c - lab 1 (docs/labs/lab1.md): what boot/entry.asm left
 * behind, checked from 64-bit C.
 *
 * mm/kas.c loaded the kernel's own tables long ago, but the boot tables
 * are still in .bss, unchanged since the switch: boot_pml4 and the tables
 * its entries point to. The tests walk them as the CPU did during boot -
 * through physical addresses, one level at a time, honouring 1 GiB and
 * 2 MiB pages - reading each table through the direct map. The control
 * registers are read as the kernel inherited them: nothing after
 * boot/entry.asm clears CR0.WP, CR4.PAE or the EFER bits.
 *
 * These tests read raw entries on purpose (their subject is the entry
 * format, Intel SDM Vol. 3A 4.5), so they include mm/x86/pte.h.
 */
#include "kernel/cpu.h"
#include "kernel/ktest.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "mm/x86/pte.h"

extern pte_t boot_pml4[];          /* boot/entry.asm */

#define BOOT_MAPPED_BYTES PAGE_SIZE_1G   /* each view must map the first GiB */

#define CR0_PE   (1UL << 0)
#define CR0_WP   (1UL << 16)
#define CR0_PG   (1UL << 31)
#define CR4_PAE  (1UL << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define EFER_NXE (1UL << 11)

/* One address translated by the boot tables, as the CPU would do it. */
struct boot_walk {
	bool mapped;
	paddr_t pa;
	bool writable;      /* R/W set at every level */
	bool user;          /* U/S set at every level: ring 3 could use it */
	int level;          /* of the entry that was missing or bad */
	const char *why;    /* when !mapped */
};

static struct boot_walk
boot_translate(vaddr_t va)
{
	struct boot_walk w = { .writable = true, .user = true };
	const pte_t *table = boot_pml4;

	for (int level = 4; level >= 1; level--) {
		pte_t e = table[pt_index(va, level)];
		w.level = level;
		if (!(e & PTE_P)) {
			w.why = "entry not present";
			return w;
		}
		w.writable = w.writable && (e & PTE_W);
		w.user = w.user && (e & PTE_U);
		if (level == 4 && (e & PTE_PS)) {
			w.why = "PS set in a PML4 entry (a reserved bit there)";
			return w;
		}
		if (level == 1 || (e & PTE_PS)) {
			uint64_t size = 1UL << pt_shift(level);
			/* In a large-page entry bit 12 is PAT, not address: mask it. */
			w.pa = (pte_addr(e) & ~(size - 1)) + (va & (size - 1));
			w.mapped = true;
			return w;
		}
		table = phys_to_virt(pte_addr(e));
	}
	return w;
}

/*
 * Checks that base + pa maps physical pa, writable and supervisor-only,
 * for one address in every 2 MiB of the first GiB (each at a different
 * offset inside its 2 MiB, so an entry that points at the wrong frame
 * shows). Fails the running test at the first address that does not.
 */
static void
check_view(vaddr_t base, const char *name)
{
	for (paddr_t pa = 0; pa < BOOT_MAPPED_BYTES; pa += PAGE_SIZE_2M) {
		paddr_t want = pa + (((pa / PAGE_SIZE_2M) * 0x1234) & (PAGE_SIZE_2M - 1));
		struct boot_walk w = boot_translate(base + want);
		if (!w.mapped) {
			ktest_fail(__FILE__, __LINE__, "%s: %#lx is not mapped: level %d: %s",
				   name, base + want, w.level, w.why);
			return;
		}
		if (w.pa != want) {
			ktest_fail(__FILE__, __LINE__, "%s: %#lx maps physical %#lx, not %#lx",
				   name, base + want, w.pa, want);
			return;
		}
		if (!w.writable) {
			ktest_fail(__FILE__, __LINE__, "%s: %#lx is read-only (R/W clear at some level)",
				   name, base + want);
			return;
		}
		if (w.user) {
			ktest_fail(__FILE__, __LINE__, "%s: %#lx is user-accessible (U/S set at every level)",
				   name, base + want);
			return;
		}
	}
}

/* The identity map: boot code runs at physical addresses until it jumps up. */
KTEST_GROUP(lab1_boot_identity_map, "lab1")
{
	check_view(0, "identity map");
}

/* The direct map: phys_to_virt() works from kmain's first line. */
KTEST_GROUP(lab1_boot_direct_map, "lab1")
{
	check_view(DIRECT_MAP_BASE, "direct map");
}

/* The kernel image's view: where the kernel is linked. */
KTEST_GROUP(lab1_boot_kernel_map, "lab1")
{
	check_view(KERNEL_VMA, "kernel map");
	KT_ASSERT(boot_translate((vaddr_t)boot_pml4).mapped);
	KT_ASSERT_EQ(boot_translate((vaddr_t)boot_pml4).pa, virt_to_phys(boot_pml4));
}

/* CR0.PG and CR4.PAE (long mode needs both), CR0.WP (the kernel obeys read-only pages). */
KTEST_GROUP(lab1_paging_control_bits, "lab1")
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	KT_ASSERT(cr0 & CR0_PE);
	KT_ASSERT(cr0 & CR0_PG);
	KT_ASSERT(cr4 & CR4_PAE);
	if (!(cr0 & CR0_WP))
		ktest_fail(__FILE__, __LINE__, "CR0.WP is clear (CR0 %#lx): the kernel could write "
			   "to read-only pages, and copy-on-write would not work", cr0);
}

/* EFER.LME was set by the boot code, EFER.LMA by the CPU; NXE where the CPU has NX. */
KTEST_GROUP(lab1_efer_long_mode_and_nx, "lab1")
{
	uint64_t efer = rdmsr(MSR_EFER);

	KT_ASSERT(efer & EFER_LME);
	KT_ASSERT(efer & EFER_LMA);
	if (cpu.nx && !(efer & EFER_NXE))
		ktest_fail(__FILE__, __LINE__, "the CPU has NX (CPUID 0x80000001 EDX bit 20) but "
			   "EFER.NXE is clear (EFER %#lx)", efer);
	if (!cpu.nx)
		KT_ASSERT(!(efer & EFER_NXE));
}
