/*
 * kernel/psi.c - pressure stall information (PSI, Linux 4.20): the share
 * of time in which tasks could not run because they were waiting for
 * memory, machine-wide (/proc/pressure/memory) and per control group
 * (memory.pressure). Free memory says how much is left; PSI says what
 * the shortage costs, which is what a kubelet or an OOM daemon acts on.
 *
 * A task is stalled on memory (psi_memstall_enter() ... leave()) while it
 *   - reclaims because there was no free frame (mm/reclaim.c),
 *   - reclaims, or is throttled, for its group's memory.max or memory.high
 *     (mm/memcg_limit.c),
 *   - waits for a page to come back from swap (mm/fault.c).
 *
 * Each group counts its tasks (and its subgroups'), and is in a state:
 *
 *   some   at least one task is stalled          nr_memstall > 0
 *   full   and no task of it is doing useful     nr_memstall > 0 and every
 *          work: all the runnable ones stall     runnable task is stalled
 *
 * Whenever a count changes, the time since the last change is added to
 * the totals of the states the group was in (total=, in microseconds).
 * Every 2 s the timer tick turns each group's new stall time into the
 * running averages avg10, avg60 and avg300 (kernel/psi_avg.c).
 *
 * Differences from Linux: one CPU, so no per-CPU states; file refaults
 * are not told apart from first reads (no shadow entries), so only
 * swap-ins count as a stall on the way in; kswapd's own work is not.
 */
#include "kernel/psi.h"
#include "drivers/timer.h"
#include "kernel/cgroup.h"
#include "kernel/task.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"

#define PSI_RUNNING  1u      /* task->psi_flags: counted as runnable */
#define PSI_MEMSTALL 2u      /* ... as stalled on memory */

static bool
in_some(const struct psi_group *g)
{
	return g->nr_memstall > 0;
}

static bool
in_full(const struct psi_group *g)
{
	return g->nr_memstall > 0 && g->nr_running == g->nr_memstall_running;
}

/* The time since the last change goes to the states g was in. */
static void
record_time(struct psi_group *g, uint64_t now)
{
	uint64_t delta = now - g->state_since;

	if (in_some(g))
		g->total_ns[PSI_SOME] += delta;
	if (in_full(g))
		g->total_ns[PSI_FULL] += delta;
	g->state_since = now;
}

/* What a task with flags adds to a group's counts (sign +1) or takes away (-1). */
static void
count(struct psi_group *g, unsigned flags, int sign)
{
	if (flags & PSI_RUNNING)
		g->nr_running += (uint32_t)sign;
	if (flags & PSI_MEMSTALL)
		g->nr_memstall += (uint32_t)sign;
	if ((flags & PSI_RUNNING) && (flags & PSI_MEMSTALL))
		g->nr_memstall_running += (uint32_t)sign;
}

/* t's flags go from old to new, in its group and every group above it. */
static void
change(struct task *t, unsigned old, unsigned new)
{
	uint64_t flags = irq_save(), now = timer_uptime_ns();

	for (struct cgroup *cg = cgroup_of(t); cg; cg = cg->parent) {
		record_time(&cg->psi, now);
		count(&cg->psi, old, -1);
		count(&cg->psi, new, +1);
	}
	t->psi_flags = (uint8_t)new;
	irq_restore(flags);
}

static void
set_flags(struct task *t, unsigned set, unsigned clear)
{
	uint64_t flags = irq_save();
	unsigned old = t->psi_flags, new = (old & ~clear) | set;

	if (new != old)
		change(t, old, new);
	irq_restore(flags);
}

/* The caller starts waiting for memory. Returns whether it already was (nested). */
bool
psi_memstall_enter(void)
{
	bool was = current->psi_flags & PSI_MEMSTALL;

	set_flags(current, PSI_MEMSTALL, 0);
	return was;
}

/* The caller has its memory (unless an outer psi_memstall_enter() is still open). */
void
psi_memstall_leave(bool was_stalled)
{
	if (!was_stalled)
		set_flags(current, 0, PSI_MEMSTALL);
}

/* t may run (kernel/sched.c). */
void
psi_task_runnable(struct task *t)
{
	set_flags(t, PSI_RUNNING, 0);
}

/* t went to sleep or exited (kernel/sched.c, as it switches away). */
void
psi_task_stopped(struct task *t)
{
	set_flags(t, 0, PSI_RUNNING);
}

/* t is about to change groups (kernel/cgroup.c): out of its old ones... */
void
psi_task_leave_groups(struct task *t)
{
	unsigned old = t->psi_flags;

	change(t, old, 0);
	t->psi_flags = (uint8_t)old;
}

/* ... and into its new ones. */
void
psi_task_join_groups(struct task *t)
{
	unsigned flags = t->psi_flags;

	change(t, 0, flags);
}

/*
 * A period is over (the tick says so): g's totals up to now, and its
 * averages. A period that ran to twice its length or more holds missed
 * ones, which count as samples of 0 (Linux's update_averages()).
 */
static void
update(struct psi_group *g, uint64_t now)
{
	uint64_t since = now - g->avgs_updated;
	unsigned missed = since >= 2 * PSI_PERIOD_NS ? (unsigned)(since / PSI_PERIOD_NS - 1) : 0;

	record_time(g, now);
	for (int k = 0; k < PSI_NR_KINDS; k++)
		psi_avgs_update(&g->avgs[k], g->total_ns[k], since - missed * PSI_PERIOD_NS, missed);
	g->avgs_updated = now;
}

static void
update_tree(struct cgroup *cg, uint64_t now)
{
	struct list_head *pos;

	update(&cg->psi, now);
	list_for_each(pos, &cg->children)
		update_tree(list_entry(pos, struct cgroup, sibling), now);
}

/* The timer interrupt: every 2 s (by the tick's count), every group's averages. */
void
psi_tick(void)
{
	if (jiffies % (PSI_PERIOD_NS / (1000000000UL / HZ)) == 0)
		update_tree(&cgroup_root, timer_uptime_ns());
}

/* Linux's format: a "some" and a "full" line. Returns the length. */
int
psi_show(struct psi_group *g, char *buf, size_t size)
{
	static const char *const names[PSI_NR_KINDS] = { "some", "full" };
	uint64_t flags = irq_save();
	int n = 0;

	record_time(g, timer_uptime_ns());
	for (int k = 0; k < PSI_NR_KINDS && (size_t)n < size; k++) {
		const unsigned long *avg = g->avgs[k].avg;
		n += snprintf(buf + n, size - (size_t)n,
			      "%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu total=%lu\n",
			      names[k], psi_avg_int(avg[0]), psi_avg_frac(avg[0]),
			      psi_avg_int(avg[1]), psi_avg_frac(avg[1]), psi_avg_int(avg[2]),
			      psi_avg_frac(avg[2]), g->total_ns[k] / 1000);
	}
	irq_restore(flags);
	return n;
}
