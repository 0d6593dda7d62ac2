/*
 * kernel/x86.h - one-instruction helpers: port I/O, MSRs, CPUID, flags.
 *
 * Only instructions that have nothing to do with paging live here; CR2,
 * CR3 and invlpg belong to mm/x86/ (docs/design.md section 2).
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include "kernel/types.h"

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#define MSR_FS_BASE        0xc0000100   /* user TLS pointer (arch_prctl) */
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102   /* swapped with GS_BASE by swapgs */

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * Fills buf with pseudo-random bytes: the time-stamp counter, stirred by
 * xorshift. Not cryptographic; enough for AT_RANDOM and hash seeds.
 */
static inline void
pseudo_random_bytes(void *buf, size_t n)
{
	uint64_t x = rdtsc() ^ 0x9e3779b97f4a7c15UL;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		((uint8_t *)buf)[i] = (uint8_t)x;
	}
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs
cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t
read_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline void cli(void) { __asm__ volatile("cli" : : : "memory"); }
static inline void sti(void) { __asm__ volatile("sti" : : : "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" : : : "memory"); }
static inline void pause(void) { __asm__ volatile("pause"); }

#define RFLAGS_TF (1UL << 8)          /* trap flag: #DB after each instruction */
#define RFLAGS_IF (1UL << 9)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_RF (1UL << 16)

/* Disables interrupts; returns the old flags for irq_restore(). */
static inline uint64_t
irq_save(void)
{
	uint64_t flags = read_rflags();
	cli();
	return flags;
}

static inline void
irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

#endif
