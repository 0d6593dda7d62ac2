/*
 * mm/fault_shared.h - page faults in a file region mapped MAP_SHARED
 * (ext2 files; tmpfs files and shared anonymous memory are mm/shmem.c's).
 */
#ifndef MM_FAULT_SHARED_H
#define MM_FAULT_SHARED_H

#include "mm/fault.h"
#include "mm/mm.h"
#include "mm/vmm.h"

/* One fault, as mm/fault.c saw it. */
struct shared_fault {
	struct mm *mm;
	struct vma *vma;
	vaddr_t va;                  /* the page's address */
	pte_t *pte;                  /* its level-1 entry ... */
	pte_t seen;                  /* ... and its value when the fault began */
	bool write;
	bool major;                  /* out: the page was read from the disk */
	const char *why;             /* out: for SIGBUS, why */
};

bool fault_is_shared_file(const struct vma *vma);
/* Sleeps (the disk, the file system's block allocation). */
enum fault_result shared_file_fault(struct shared_fault *sf);

#endif
