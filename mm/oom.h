/*
 * mm/oom.h - the out-of-memory killer.
 */
#ifndef MM_OOM_H
#define MM_OOM_H

#include "kernel/task.h"

/*
 * The choice while the OOM killer looks at every task: start from
 * { NULL, 0, oom_total_pages() } and hand each task to oom_consider().
 */
struct oom_choice {
	struct task *victim;           /* NULL: nobody may be killed, so far */
	long points;                   /* the victim's badness (0 before the first) */
	uint64_t totalpages;           /* RAM + swap in pages: oom_score_adj's scale */
};

/* Never sleep. */
long oom_badness(const struct task *t, uint64_t totalpages);
void oom_consider(struct oom_choice *c, struct task *t);
bool oom_kill(struct task *invoker);
struct mem_cgroup;
bool oom_kill_memcg(struct mem_cgroup *g, struct task *invoker);
void oom_kill_allocating_task(struct task *t);
uint64_t oom_total_pages(void);

#endif
