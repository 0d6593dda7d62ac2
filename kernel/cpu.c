/*
 * kernel/cpu.c - CPUID feature detection and the CR4 protection bits.
 *
 * Never assume a feature: QEMU's "-cpu max" under TCG has NX, 1 GiB pages,
 * SMEP, SMAP and UMIP but no PCID, and the default qemu64 has none of the
 * protections (docs/design.md section 4). Bits: Intel SDM Vol. 2A, CPUID;
 * Vol. 3A 2.5 (CR4).
 */
#include "kernel/cpu.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

#define CR0_MP    (1UL << 1)
#define CR0_EM    (1UL << 2)
#define CR0_TS    (1UL << 3)
#define CR4_PGE   (1UL << 7)
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_UMIP  (1UL << 11)
#define CR4_SMEP  (1UL << 20)
#define CR4_SMAP  (1UL << 21)

struct cpu_features cpu;

void
cpu_detect(void)
{
	struct cpuid_regs basic = cpuid(0, 0), leaf1 = cpuid(1, 0), ext = cpuid(0x80000001, 0);

	cpu.pge = leaf1.edx & (1u << 13);
	cpu.pcid = leaf1.ecx & (1u << 17);
	cpu.nx = ext.edx & (1u << 20);
	cpu.pdpe1gb = ext.edx & (1u << 26);
	if (basic.eax >= 7) {
		struct cpuid_regs leaf7 = cpuid(7, 0);
		cpu.smep = leaf7.ebx & (1u << 7);
		cpu.smap = leaf7.ebx & (1u << 20);
		cpu.umip = leaf7.ecx & (1u << 2);
	}
}

/* Sets the CR4 bits of every protection the CPU has. Call after the
 * kernel's final page tables are loaded. */
void
cpu_enable_protections(void)
{
	uint64_t cr4 = read_cr4();

	if (cpu.pge)
		cr4 |= CR4_PGE;
	if (cpu.smep)
		cr4 |= CR4_SMEP;
	if (cpu.smap)
		cr4 |= CR4_SMAP;
	if (cpu.umip)
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
}

static const char *
on_off(bool b)
{
	return b ? "on" : "absent";
}

void
cpu_print_features(void)
{
	pr_info("cpu: NX %s, SMEP %s, SMAP %s, UMIP %s, global pages %s, 1GiB pages %s, PCID %s\n",
		on_off(cpu.nx), on_off(cpu.smep), on_off(cpu.smap), on_off(cpu.umip),
		on_off(cpu.pge), cpu.pdpe1gb ? "used" : "absent",
		cpu.pcid ? "present (unused)" : "absent");
}

/* A task's FPU/SSE registers, as fxsave stores them (512 bytes). */
static uint8_t initial_fpu_state[FPU_STATE_SIZE] __aligned(16);

/*
 * Lets user programs use x87 and SSE (C compilers use SSE for floating
 * point and memcpy). The kernel itself never does (-mgeneral-regs-only),
 * so only a task switch must save and restore these registers.
 */
void
cpu_enable_fpu(void)
{
	__asm__ volatile("mov %%cr0, %%rax\n\t"
			 "and %0, %%rax\n\t"
			 "or %1, %%rax\n\t"
			 "mov %%rax, %%cr0"
			 : : "r"(~(CR0_EM | CR0_TS)), "r"(CR0_MP) : "rax");
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
	fpu_save(initial_fpu_state);
}

/* Gives a new task's state area the clean state (default control words). */
void
fpu_init_state(void *area)
{
	__builtin_memcpy(area, initial_fpu_state, FPU_STATE_SIZE);
}

void
fpu_save(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void
fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}
