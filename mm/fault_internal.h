/*
 * mm/fault_internal.h - what the fault handlers share: one fault being
 * handled (struct fault_ctx) and how each reports it. For mm/fault.c and
 * mm/fault_swap.c only.
 */
#ifndef MM_FAULT_INTERNAL_H
#define MM_FAULT_INTERNAL_H

#include "kernel/printk.h"
#include "kernel/task.h"
#include "mm/fault.h"
#include "mm/fault_trace.h"
#include "mm/memcg.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

/* One fault being handled: where it is, and what its PTE held when we looked. */
struct fault_ctx {
	struct mm *mm;
	struct vma *vma;
	const struct fault *f;
	vaddr_t va;                  /* the page's address */
	pte_t *pte;                  /* its level-1 entry */
	pte_t seen;                  /* the entry's value when vm_fault() read it */
	struct vmm_entry entry;      /* ... decoded */
	struct mem_cgroup *memcg;    /* a new page is charged to it (RLIMIT_RSS), or NULL */
	const char *why;             /* for SEGV and SIGBUS: why, in a few words */
};

/*
 * Every handler reports its fault here: one line for it if the trace=fault
 * filter wants it (mm/fault_trace.c), and a major fault counts for the
 * caller's memory group (memory.stat pgmajfault).
 */
static inline void
trace(const struct fault_ctx *c, const char *kind, bool major)
{
	int pid = current ? current->pid : 0;

	if (major)
		memcg_count_fault(memcg_current(), true);
	if (fault_trace_wanted(pid, c->f->addr, kind, major))
		printk("fault: pid %d addr %#lx %s %s %s\n", pid, c->f->addr,
		       c->f->write ? "write" : c->f->exec ? "exec" : "read", kind,
		       major ? "major" : "minor");
}

/*
 * A fault had to wait for a disk: the machine's pgmajfault, and the task's
 * maj_flt instead of its min_flt (handle_fault() counted it minor), since
 * Linux counts a task's fault as one or the other (/proc/PID/stat).
 */
static inline void
count_major_fault(void)
{
	vmstat_inc(PGMAJFAULT);
	current->acct.min_flt--;
	current->acct.maj_flt++;
}

/* Did the PTE change while we slept? Then the access should just fault again. */
static inline bool
pte_changed(const struct fault_ctx *c)
{
	return vmm_entry_changed(c->pte, c->seen);
}

/* mm/fault_swap.c: the PTE holds a swap entry. */
enum fault_result do_swap_fault(struct fault_ctx *c);

#endif
