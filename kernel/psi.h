/*
 * kernel/psi.h - pressure stall information: how much time tasks lose
 * waiting for memory (/proc/pressure/memory, memory.pressure).
 */
#ifndef KERNEL_PSI_H
#define KERNEL_PSI_H

#include "kernel/psi_avg.h"
#include "kernel/types.h"

struct task;
struct cgroup;

enum psi_kind { PSI_SOME, PSI_FULL, PSI_NR_KINDS };

/* One group's view (a cgroup's; the root's is the machine's). */
struct psi_group {
	uint32_t nr_running;            /* its runnable tasks (and its subgroups'), the running one too */
	uint32_t nr_memstall;           /* tasks stalled on memory, running or asleep */
	uint32_t nr_memstall_running;   /* those of them that are runnable (reclaiming) */
	uint64_t state_since;           /* ns: when the counts last changed */
	uint64_t total_ns[PSI_NR_KINDS];
	struct psi_avgs avgs[PSI_NR_KINDS];
	uint64_t avgs_updated;          /* ns: the last 2 s update */
};

/* Never sleep; any context. */
bool psi_memstall_enter(void);
void psi_memstall_leave(bool was_stalled);
void psi_task_runnable(struct task *t);
void psi_task_stopped(struct task *t);
void psi_task_leave_groups(struct task *t);
void psi_task_join_groups(struct task *t);
void psi_tick(void);
int psi_show(struct psi_group *g, char *buf, size_t size);

#endif
