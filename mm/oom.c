/*
 * mm/oom.c - when nothing more can be reclaimed, kill the process that
 * deserves it most.
 *
 * The badness of a process is the memory that killing it would give
 * back, in pages (Linux's oom_badness()):
 *
 *   points = resident pages + swap entries + page-table pages
 *            + oom_score_adj * (RAM + swap in pages) / 1000
 *
 * oom_score_adj (-1000..1000, /proc/PID/oom_score_adj) moves a process up
 * or down; -1000 exempts it. init (pid 1) and kernel threads are never
 * chosen. The victim gets SIGKILL; its memory and swap slots come back
 * when it exits. A report like Linux's lists every candidate.
 */
#include "mm/oom.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define OOM_SCORE_ADJ_MIN (-1000)

uint64_t
oom_total_pages(void)
{
	return pmm_stats.usable + swap_total_slots();
}

/* Points for t, or -1 if t may not be killed. */
long
oom_badness(struct task *t, uint64_t totalpages)
{
	long points;

	if (!t->mm || t->is_kernel_thread || t->pid == 1 || t->state == TASK_ZOMBIE ||
	    t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return -1;
	points = (long)(t->mm->rss + t->mm->swap_ents + t->mm->nvmas + t->mm->rss / 512);
	points += (long)t->oom_score_adj * (long)totalpages / 1000;
	return points > 0 ? points : 1;
}

struct choice {
	struct task *victim;
	long points;
};

static void
consider(struct task *t, void *arg)
{
	struct choice *c = arg;
	long points = oom_badness(t, oom_total_pages());

	if (t->mm && !t->is_kernel_thread && t->state != TASK_ZOMBIE)
		printk("oom: [%7d] %9lu %8lu %9lu %13d %s\n", t->pid, mm_total_vm(t->mm) >> 12,
		       t->mm->rss, t->mm->swap_ents, t->oom_score_adj, t->name);
	if (points > c->points) {
		c->victim = t;
		c->points = points;
	}
}

/*
 * Picks the process with the highest badness and sends it SIGKILL.
 * Returns false if there is none to kill.
 */
bool
oom_kill(struct task *invoker)
{
	struct choice c = { NULL, 0 };
	struct task *v;

	printk("oom: %s (pid %d) found no memory to reclaim: free %lu frames, swap free %lu of %lu\n",
	       invoker->name, invoker->pid, pmm_free_frames(), swap_free_slots(), swap_total_slots());
	printk("oom: [  pid  ]  total_vm      rss  swapents oom_score_adj name\n");
	task_for_each(consider, &c);
	v = c.victim;
	if (!v) {
		printk("oom: no process can be killed\n");
		return false;
	}
	printk("oom: Out of memory: Killed process %d (%s) total-vm:%lukB, rss:%lukB, swap:%lukB, "
	       "oom_score_adj:%d, points %ld\n", v->pid, v->name, mm_total_vm(v->mm) >> 10,
	       v->mm->rss * 4, v->mm->swap_ents * 4, v->oom_score_adj, c.points);
	vmstat_inc(OOM_KILL);
	signal_send(v, SIGKILL);
	return true;
}
