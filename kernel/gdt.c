/*
 * kernel/gdt.c - the 64-bit GDT and the TSS (Intel SDM Vol. 3A 3.4.5, 8.7).
 *
 * In long mode segments are nearly flat, but the GDT still says which
 * code runs in ring 0 or ring 3, and the TSS says which stack the CPU
 * switches to on an interrupt from user mode (rsp0) and which separate
 * stacks some exceptions always use (the Interrupt Stack Table). A double
 * fault gets its own IST stack so that a kernel stack overflow - a page
 * fault that cannot even push its frame - still reaches a handler that
 * can report it instead of a triple fault and a silent reset.
 *
 * The selector order is fixed by sysret: user data must sit 8 bytes and
 * 64-bit user code 16 bytes above STAR[63:48] (= SEL_USER_CODE32).
 */
#include "kernel/gdt.h"
#include "kernel/string.h"

#define IST_STACK_SIZE 8192

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct gdt_pointer {
	uint16_t limit;
	uint64_t base;
} __packed;

static struct tss tss;
static uint64_t gdt[8];
static uint8_t ist_stacks[2][IST_STACK_SIZE] __aligned(16);

/* Access byte and flags of a code/data descriptor; base and limit are ignored. */
static uint64_t
segment(bool code, int dpl)
{
	uint64_t access = 0x92;              /* present, code/data, writable */
	uint64_t flags = 0xc;                /* 4 KiB granularity, 32-bit */

	if (code) {
		access = 0x9a;               /* present, code, readable */
		flags = 0xa;                 /* 4 KiB granularity, long mode */
	}
	access |= (uint64_t)dpl << 5;
	return 0xffff | (access << 40) | (flags << 52) | (0xfUL << 48);
}

static void
set_tss_descriptor(int index, vaddr_t base, uint32_t limit)
{
	gdt[index] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		     (0x89UL << 40) |                     /* present, 64-bit TSS */
		     ((uint64_t)((limit >> 16) & 0xf) << 48) |
		     (((base >> 24) & 0xff) << 56);
	gdt[index + 1] = base >> 32;
}

static void
load_gdt_and_segments(void)
{
	struct gdt_pointer p = { sizeof(gdt) - 1, (uint64_t)gdt };

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		: : "m"(p), "i"(SEL_KERNEL_CODE), "i"(SEL_KERNEL_DATA) : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

void
gdt_init(void)
{
	gdt[0] = 0;
	gdt[SEL_KERNEL_CODE / 8] = segment(true, 0);
	gdt[SEL_KERNEL_DATA / 8] = segment(false, 0);
	gdt[SEL_USER_CODE32 / 8] = (segment(true, 3) & ~(1UL << 53)) | (1UL << 54); /* 32-bit */
	gdt[SEL_USER_DATA / 8] = segment(false, 3);
	gdt[SEL_USER_CODE / 8] = segment(true, 3);

	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)&ist_stacks[0][IST_STACK_SIZE];
	tss.ist[IST_NMI - 1] = (uint64_t)&ist_stacks[1][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);         /* no I/O bitmap: ring 3 gets no ports */
	set_tss_descriptor(SEL_TSS / 8, (vaddr_t)&tss, sizeof(tss) - 1);

	load_gdt_and_segments();
}

/* The stack the CPU loads when an interrupt or syscall arrives from ring 3. */
void
tss_set_kernel_stack(vaddr_t rsp0)
{
	tss.rsp[0] = rsp0;
}

/* Used by the backtrace to accept frame pointers on the IST stacks. */
bool
gdt_on_ist_stack(vaddr_t addr)
{
	return addr >= (vaddr_t)ist_stacks && addr < (vaddr_t)ist_stacks + sizeof(ist_stacks);
}
