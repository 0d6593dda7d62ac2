/*
 * kernel/cpu.h - which optional CPU features we found, and turning them on.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "kernel/types.h"

struct cpu_features {
	bool nx;          /* no-execute pages (EFER.NXE, enabled in boot/entry.asm) */
	bool pdpe1gb;     /* 1 GiB pages */
	bool pge;         /* global pages survive CR3 reloads */
	bool smep;        /* the kernel may not execute user pages */
	bool smap;        /* the kernel may not touch user pages except inside stac/clac */
	bool umip;        /* sgdt/sidt/... are privileged */
	bool pcid;        /* process-context identifiers (not used) */
};

extern struct cpu_features cpu;

void cpu_detect(void);
void cpu_enable_protections(void);
void cpu_print_features(void);

#define FPU_STATE_SIZE 512
void cpu_enable_fpu(void);
void fpu_init_state(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);

#endif
