/*
 * mm/fault.h - a page fault as memory management sees it, and the verdict.
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include "kernel/types.h"

struct mm;

/* Decoded by mm/x86/pf.c from CR2 and the error code (SDM Vol. 3A 4.7). */
struct fault {
	vaddr_t addr;
	bool present;   /* the page was mapped; the access broke its protection */
	bool write;
	bool user;      /* from ring 3 */
	bool exec;      /* an instruction fetch */
	bool reserved;  /* a reserved bit was set in some entry: a kernel bug */
};

enum fault_result {
	FAULT_OK,       /* fixed: retry the access */
	FAULT_SEGV,     /* no region, or the region forbids the access */
	FAULT_OOM,      /* no memory for the page */
	FAULT_SIGBUS,   /* the file has no data there, or reading it failed */
};

/* May sleep (disk reads, reclaim). */
enum fault_result vm_fault(struct mm *mm, const struct fault *f, const char **why);
enum fault_result vm_swapin(struct mm *mm, vaddr_t va);

#endif
