/*
 * mm/oom.h - the out-of-memory killer.
 */
#ifndef MM_OOM_H
#define MM_OOM_H

#include "kernel/task.h"

/* Never sleep. */
long oom_badness(const struct task *t, uint64_t totalpages);
bool oom_kill(struct task *invoker);
void oom_kill_allocating_task(struct task *t);
uint64_t oom_total_pages(void);

#endif
