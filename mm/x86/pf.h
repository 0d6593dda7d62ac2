/*
 * mm/x86/pf.h - the page-fault and double-fault entry points.
 */
#ifndef MM_X86_PF_H
#define MM_X86_PF_H

#include "kernel/types.h"

/* A page fault, decoded from CR2 and the error code (SDM Vol. 3A 4.7). */
struct fault {
	vaddr_t addr;
	bool present;   /* the page was mapped; the access broke its protection */
	bool write;
	bool user;      /* from ring 3 */
	bool exec;      /* an instruction fetch */
	bool reserved;  /* a reserved bit was set in some entry: a kernel bug */
};

void pf_init(void);

#endif
