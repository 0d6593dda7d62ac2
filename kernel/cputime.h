/*
 * kernel/cputime.h - CPU time, context switch and fault accounting.
 */
#ifndef KERNEL_CPUTIME_H
#define KERNEL_CPUTIME_H

#include "kernel/task.h"

/* The machine's time in ticks, as the "cpu" line of /proc/stat counts it. */
struct cpu_usage {
	uint64_t user, system, idle;
};

extern struct cpu_usage cpustat;
extern uint64_t nr_context_switches;

void cputime_tick(bool user);
void cputime_count_switch(struct task *prev);
void cputime_thread_exit(struct task *t);
void cputime_note_rss(struct task *t, uint64_t rss_pages);
void cputime_process(const struct task *leader, struct task_acct *sum);
void cputime_process_and_children(const struct task *leader, struct task_acct *sum);
void cputime_reap(struct task *parent, const struct task *child, struct task_acct *used);

#endif
