/*
 * mm/mm.h - a process's address space: its page tables and its regions.
 *
 * mm's concurrency rule (docs/memory.md has it whole): one CPU, no kernel
 * preemption - a task in the kernel runs until it sleeps or returns to
 * user mode. Interrupts are masked only around state interrupt handlers
 * touch (the frame allocator, heap, swap map and cache, wait queues); page
 * tables, regions, the page cache and the eviction lists are touched by
 * tasks only. So whatever a task checked stays true until it sleeps, and
 * must be checked again after: every function below says whether it may
 * sleep, by the group it is declared in.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include "kernel/list.h"
#include "kernel/rwsem.h"
#include "mm/swap_readahead.h"
#include "mm/vmm.h"

/* What a region allows (VMA_READ.. match PROT_READ.. of mmap). */
enum vma_prot {
	VMA_READ  = 1 << 0,
	VMA_WRITE = 1 << 1,
	VMA_EXEC  = 1 << 2,
};

enum vma_flags {
	VMA_ANON      = 1 << 0,   /* anonymous memory: zero-filled on first touch */
	VMA_GROWSDOWN = 1 << 1,   /* the stack: faults just below it extend it */
	VMA_HEAP      = 1 << 2,   /* the brk heap */
	VMA_MMAP      = 1 << 3,   /* anonymous mmap(): counted against RLIMIT_RSS (mm/memcg.c) */
	VMA_SHARED    = 1 << 4,   /* MAP_SHARED: writes go to the object every mapper sees */
	VMA_LOCKED    = 1 << 5,   /* mlock(): its pages stay in memory (mm/mlock.c) */
	VMA_LOCKONFAULT = 1 << 6, /* ... but only once touched: not faulted in by mlock (MLOCK_ONFAULT) */
};

#define VMA_LOCK_MASK (VMA_LOCKED | VMA_LOCKONFAULT)

struct file;

/*
 * One region [start, end) of an address space with the same rights and
 * backing. A file-backed region maps the file's page pgoff at start; its
 * file data ends at file_end (bytes after it in the last page read as
 * zero; pages wholly after it are beyond the file).
 */
struct vma {
	vaddr_t start, end;
	unsigned prot;
	unsigned flags;
	struct file *file;          /* NULL: anonymous */
	uint64_t pgoff;
	vaddr_t file_end;
	int64_t moved_by;           /* pages mremap() moved it by: see anon_index() in mm/rmap.c */
	struct mm *mm;              /* whose region this is */
	struct list_head link;      /* in mm->vmas, sorted by start */
	struct list_head mapping_link;  /* in the file's i_mmap list (mm/rmap.c) */
	struct swap_ra swap_ra;     /* swap-in readahead's state here (Linux's vma->swap_readahead_info) */
};

struct mm {
	int users;                  /* tasks using it: the threads of a process, a vfork child */
	struct rwsem mmap_lock;     /* faults read, mmap/munmap/mprotect/brk/madvise write */
	pte_t *pml4;
	struct list_head vmas;
	int nvmas;
	vaddr_t brk_start, brk;     /* the heap: [brk_start, brk) */
	vaddr_t mmap_base;          /* mmap() without a hint searches below this */
	uint64_t rss;               /* resident pages mapped here */
	uint64_t rss_shmem;         /* ... of them shared memory pages (RssShmem, mm/shmem.c) */
	uint64_t swap_ents;         /* PTEs holding a swap entry */
	struct anon_root *anon_root;    /* the fork family, for reverse mapping */
	struct list_head anon_link;
	struct mem_cgroup *memcg;   /* RLIMIT_RSS's group, once a fault needs it (mm/memcg.c) */
	/* Set by execve (kernel/exec.c), kept by fork: /proc/PID/cmdline, stat and exe. */
	vaddr_t arg_start, arg_end; /* argv's strings on the initial stack */
	vaddr_t env_start, env_end; /* ... and envp's, right after them */
	char exe_path[64];          /* the program's absolute path, as struct file's path */
	unsigned def_flags;         /* VMA_LOCK_MASK bits every new region gets (mlockall MCL_FUTURE) */
};

#define USER_STACK_TOP    0x00007fffffffe000UL
#define USER_STACK_MAX    (8UL << 20)            /* like ulimit -s 8192 */
#define USER_STACK_INIT   (128UL << 10)
#define USER_MMAP_BASE    (USER_STACK_TOP - USER_STACK_MAX - (1UL << 30))
#define STACK_GUARD_GAP   (256UL << 10)          /* unmapped gap kept below the stack */

/* May sleep (page faults, reclaim). */
int mm_copy_to(struct mm *mm, vaddr_t dst, const void *src, size_t len);
int mm_copy_from(struct mm *mm, void *dst, vaddr_t src, size_t len);

/* Never sleep. */
struct mm *mm_create(void);
void mm_destroy(struct mm *mm);
struct mm *mm_get(struct mm *mm);
void mm_put(struct mm *mm);
struct mm *mm_fork(struct mm *parent);
void mm_activate(struct mm *mm);
int mm_unmap_range(struct mm *mm, vaddr_t start, vaddr_t end);
int mm_protect(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot);
int mm_change_regions(struct mm *mm, vaddr_t start, vaddr_t end,
		      void (*change)(struct mm *mm, struct vma *v, void *arg), void *arg);
void mm_unmap_pages(struct mm *mm, vaddr_t start, vaddr_t end);
uint64_t mm_total_vm(const struct mm *mm);
unsigned vma_to_vmm_prot(const struct vma *vma);

/* mm/vma.c: never sleep. */
struct vma *vma_find(struct mm *mm, vaddr_t addr);
struct vma *vma_find_intersection(struct mm *mm, vaddr_t start, vaddr_t end);
int vma_insert(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags);
int vma_add(struct mm *mm, const struct vma *tmpl);
int vma_split(struct mm *mm, struct vma *vma, vaddr_t at);
void vma_remove(struct mm *mm, struct vma *vma);
vaddr_t vma_find_free(struct mm *mm, size_t len);
void vma_merge_neighbours(struct mm *mm, struct vma *vma);

#endif
