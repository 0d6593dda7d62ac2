/*
 * mm/oom.c - when nothing more can be reclaimed, kill the process that
 * deserves it most.
 *
 * The badness of a process is the memory that killing it would give
 * back, in pages (Linux's oom_badness(); the formula is in
 * mm/oom_badness.c):
 *
 *   points = resident pages + swap entries + page-table pages
 *            + oom_score_adj * (RAM + swap in pages) / 1000
 *
 * oom_score_adj (-1000..1000, /proc/PID/oom_score_adj) moves a process up
 * or down; -1000 exempts it. init (pid 1) and kernel threads are never
 * chosen. The victim gets SIGKILL; its memory and swap slots come back
 * when it exits. A report like Linux's lists every candidate.
 *
 * A cgroup v2 group at its memory.max with nothing left to reclaim
 * (mm/memcg_limit.c) has an OOM killer of its own: the same choice, among
 * the processes in the group and its subgroups only.
 *
 * A victim in a group with memory.oom.group 1 takes the whole group with
 * it (the highest such group between the victim's and the one out of
 * memory): a workload whose processes are useless without each other
 * dies as one, as Linux does for containers.
 */
#include "mm/oom.h"
#include "kernel/cgroup.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/memcg.h"
#include "mm/mm.h"
#include "mm/oom_badness.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

uint64_t
oom_total_pages(void)
{
	return pmm_stats.usable + swap_total_slots();
}

/*
 * Points for t (at least 1), or -1 if t may not be killed: init, kernel
 * threads, zombies (their memory is on its way back), oom_score_adj -1000.
 * Never sleeps.
 */
long
oom_badness(const struct task *t, uint64_t totalpages)
{
	/* LAB 8 BEGIN: who may never be killed, and what killing t would give back */
	struct oom_usage u;

	/* Killing init or a kernel thread takes the system down; a zombie frees nothing more. */
	if (!t->mm || t->is_kernel_thread || t->pid == 1 || t->state == TASK_ZOMBIE)
		return -1;
	u = (struct oom_usage){ .rss = t->mm->rss, .swap_ents = t->mm->swap_ents,
				.nvmas = (uint64_t)t->mm->nvmas };
	return oom_badness_points(&u, t->oom_score_adj, totalpages);
	/* LAB 8 STUB: static bool warned; */
	/* LAB 8 STUB: (void)t; (void)totalpages; */
	/* LAB 8 STUB: if (!warned) printk("lab 8: oom_badness not implemented\n"); */
	/* LAB 8 STUB: warned = true; */
	/* LAB 8 STUB: return -1; */
	/* LAB 8 END */
}

/*
 * Linux's oom_evaluate_task(): t becomes c's victim if it may be killed
 * and its badness is higher than that of every task c has seen (on a tie
 * the first one stays). Never sleeps: oom_kill() calls it for every task
 * with interrupts off (task_for_each()).
 */
void
oom_consider(struct oom_choice *c, struct task *t)
{
	/* LAB 8 BEGIN: keep the killable task with the highest badness */
	long points = oom_badness(t, c->totalpages);

	/* -1 (may not be killed) never beats the 0 that a choice starts from. */
	if (points > c->points) {
		c->victim = t;
		c->points = points;
	}
	/* LAB 8 STUB: static bool warned; */
	/* LAB 8 STUB: (void)c; (void)t; */
	/* LAB 8 STUB: if (!warned) printk("lab 8: oom_consider not implemented\n"); */
	/* LAB 8 STUB: warned = true; */
	/* LAB 8 END */
}

/* One line of the report for each process, then the choice. */
static void
consider(struct task *t, void *arg)
{
	struct oom_choice *c = arg;

	if (t != t->leader)
		return;                  /* a process once: its threads share its memory */
	if (t->mm && !t->is_kernel_thread && t->state != TASK_ZOMBIE)
		printk("oom: [%7d] %9lu %8lu %9lu %13d %s\n", t->pid, mm_total_vm(t->mm) >> 12,
		       t->mm->rss, t->mm->swap_ents, t->oom_score_adj, t->name);
	oom_consider(c, t);
}

/*
 * No memory is left and nobody can be killed: the task that needs memory
 * gets SIGKILL itself (an exempt one too: it cannot go on).
 */
void
oom_kill_allocating_task(struct task *t)
{
	printk("oom: no memory left and no process to kill: killing the allocating task %d (%s)\n",
	       t->pid, t->name);
	vmstat_inc(OOM_KILL);
	signal_send(t, SIGKILL);
}

/*
 * memory.oom.group (Linux's mem_cgroup_get_oom_group()): the highest group
 * that has it set, from v's group up to domain, the group out of memory
 * (NULL: the whole machine). NULL if there is none.
 */
static struct mem_cgroup *
oom_group_of(const struct task *v, const struct mem_cgroup *domain)
{
	struct mem_cgroup *found = NULL;

	for (struct mem_cgroup *m = cgroup_memcg(cgroup_of(v)); m; m = m->parent) {
		if (m->oom_group)
			found = m;
		if (m == domain)
			break;
	}
	return found;
}

struct group_kill {
	struct mem_cgroup *group;
	const struct task *victim;
};

static void
send_kill(struct task *t)
{
	vmstat_inc(OOM_KILL);
	memcg_event(cgroup_memcg(cgroup_of(t)), MEMCG_OOM_KILL);
	signal_send(t, SIGKILL);
}

/* The rest of the victim's memory.oom.group: every process that may be killed. */
static void
kill_group_member(struct task *t, void *arg)
{
	struct group_kill *k = arg;
	struct mem_cgroup *m = cgroup_memcg(cgroup_of(t));

	if (t == k->victim || t != t->leader || !m || !memcg_is_descendant(m, k->group) ||
	    t->oom_score_adj == -1000 ||
	    oom_badness(t, 1) < 0)
		return;
	printk("oom: Killed process %d (%s) with the group, oom_score_adj:%d\n", t->pid, t->name,
	       t->oom_score_adj);
	send_kill(t);
}

/* SIGKILL for v, and for its memory.oom.group if it is in one below domain. */
static void
kill_victim(struct task *v, const struct mem_cgroup *domain)
{
	struct group_kill k = { oom_group_of(v, domain), v };
	char path[128];

	send_kill(v);
	if (k.group) {
		cgroup_path(k.group->cgroup, path, sizeof(path));
		printk("oom: Tasks in %s are going to be killed due to memory.oom.group set\n", path);
		task_for_each(kill_group_member, &k);
	}
}

struct dying_search {
	const struct mem_cgroup *g;    /* only in this group (or below); NULL: anywhere */
	struct task *found;
};

static void
find_dying(struct task *t, void *arg)
{
	struct dying_search *s = arg;
	struct mem_cgroup *m = cgroup_memcg(cgroup_of(t));

	if (!s->found && t->mm && !t->is_kernel_thread && t->state != TASK_ZOMBIE &&
	    fatal_signal_pending(t) && (!s->g || (m && memcg_is_descendant(m, s->g))))
		s->found = t;
}

/*
 * A process already killed (by an earlier OOM kill, say) that has not
 * exited yet, in g or anywhere (g NULL). Its memory is on its way back:
 * killing another one too would be one kill too many (Linux aborts the
 * scan the same way: tsk_is_oom_victim()). Says so, and returns true.
 */
static bool
victim_still_exiting(const struct mem_cgroup *g, const struct task *invoker)
{
	struct dying_search s = { g, NULL };

	task_for_each(find_dying, &s);
	if (s.found)
		printk("oom: %s (pid %d) waits: process %d (%s) is already being killed\n",
		       invoker->name, invoker->pid, s.found->pid, s.found->name);
	return s.found != NULL;
}

/*
 * Picks the process with the highest badness and sends it SIGKILL.
 * Returns false if there is none to kill (true also when a process killed
 * before is still exiting: the caller waits for its memory either way).
 */
bool
oom_kill(struct task *invoker)
{
	struct oom_choice c = { .victim = NULL, .points = 0, .totalpages = oom_total_pages() };
	struct task *v;

	if (victim_still_exiting(NULL, invoker))
		return true;
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
	kill_victim(v, NULL);
	return true;
}

struct memcg_choice {
	struct oom_choice c;
	struct mem_cgroup *g;
};

/* consider(), for the tasks in the group (or below it) only. */
static void
consider_in_group(struct task *t, void *arg)
{
	struct memcg_choice *mc = arg;
	struct mem_cgroup *m = cgroup_memcg(cgroup_of(t));

	if (m && memcg_is_descendant(m, mc->g))
		consider(t, &mc->c);
}

/*
 * Memory group g is at its memory.max and nothing of it can be reclaimed:
 * SIGKILL for the process with the highest badness among g's (Linux's
 * mem_cgroup_out_of_memory()); it counts as oom_kill in memory.events of
 * its group and those above. Returns false if g has none to kill.
 */
bool
oom_kill_memcg(struct mem_cgroup *g, struct task *invoker)
{
	struct memcg_choice mc = { { NULL, 0, oom_total_pages() }, g };
	char path[128];
	struct task *v;

	if (victim_still_exiting(g, invoker))
		return true;
	cgroup_path(g->cgroup, path, sizeof(path));
	printk("oom: %s (pid %d): memory cgroup %s out of memory: usage %lu of max %lu pages, "
	       "swap %lu of %lu slots\n", invoker->name, invoker->pid, path, g->usage, g->limit,
	       g->swap_usage, g->swap_limit == MEMCG_NO_LIMIT ? swap_total_slots() : g->swap_limit);
	printk("oom: [  pid  ]  total_vm      rss  swapents oom_score_adj name\n");
	task_for_each(consider_in_group, &mc);
	v = mc.c.victim;
	if (!v) {
		printk("oom: no process of memory cgroup %s can be killed\n", path);
		return false;
	}
	printk("oom: Memory cgroup out of memory: Killed process %d (%s) total-vm:%lukB, rss:%lukB, "
	       "swap:%lukB, oom_score_adj:%d, points %ld, memcg %s\n", v->pid, v->name,
	       mm_total_vm(v->mm) >> 10, v->mm->rss * 4, v->mm->swap_ents * 4, v->oom_score_adj,
	       mc.c.points, path);
	kill_victim(v, g);
	return true;
}
