/*
 * kernel/cputime.c - who used the CPU: ticks, context switches, faults.
 *
 * Accounting is by sampling, as Linux without CONFIG_VIRT_CPU_ACCOUNTING:
 * each timer tick (HZ a second) is charged whole to whatever it
 * interrupted - the running task's user time if the CPU was in ring 3,
 * its system time if it was in the kernel, the machine's idle time if
 * the idle task had the CPU. A task that runs in short bursts between
 * ticks may so be charged more or less than it used; over many ticks it
 * evens out.
 *
 *   timer tick --> cputime_tick() --> current->acct.utime or .stime, cpustat
 *   thread exits --> cputime_thread_exit() --> leader->acct_gone
 *   parent reaps a child --> cputime_reap() --> parent->acct_children
 *
 * A process's figures (times(2), getrusage(2), /proc/PID/stat) are the
 * sum of its live threads and of those that have exited; a parent's
 * "children" figures are what its reaped children used, their own reaped
 * children included, as Linux's cutime and cstime.
 */
#include "kernel/cputime.h"
#include "kernel/sched.h"
#include "kernel/thread.h"

struct cpu_usage cpustat;
uint64_t nr_context_switches;

/* Charges one timer tick; user says if it interrupted ring 3. Interrupts off. */
void
cputime_tick(bool user)
{
	if (task_is_idle(current)) {
		cpustat.idle++;
	} else if (user) {
		current->acct.utime++;
		cpustat.user++;
	} else {
		current->acct.stime++;
		cpustat.system++;
	}
}

/*
 * prev gives the CPU to another task: a voluntary switch if it goes to
 * sleep (or stops, or exits), an involuntary one if it is still runnable
 * (its slice ran out, or it yielded). Interrupts off.
 */
void
cputime_count_switch(struct task *prev)
{
	nr_context_switches++;
	if (prev->state == TASK_RUNNABLE)
		prev->acct.nivcsw++;
	else
		prev->acct.nvcsw++;
}

static void
acct_add(struct task_acct *sum, const struct task_acct *a)
{
	sum->utime += a->utime;
	sum->stime += a->stime;
	sum->min_flt += a->min_flt;
	sum->maj_flt += a->maj_flt;
	sum->nvcsw += a->nvcsw;
	sum->nivcsw += a->nivcsw;
	sum->maxrss_kib = MAX(sum->maxrss_kib, a->maxrss_kib);
}

/* A thread other than the leader has exited: the process keeps what it used. */
void
cputime_thread_exit(struct task *t)
{
	if (t != t->leader)
		acct_add(&t->leader->acct_gone, &t->acct);
}

/* The largest resident set t's process has had, as far as we saw (rss in pages). */
void
cputime_note_rss(struct task *t, uint64_t rss_pages)
{
	t->acct.maxrss_kib = MAX(t->acct.maxrss_kib, rss_pages * (PAGE_SIZE / 1024));
}

/* What the whole process of leader has used: its live threads and the exited ones. */
void
cputime_process(const struct task *leader, struct task_acct *sum)
{
	*sum = leader->acct_gone;
	if (leader->state == TASK_ZOMBIE)   /* it has left the thread list, its figures stay */
		acct_add(sum, &leader->acct);
	for (struct task *t = thread_first(leader); t; t = thread_next(leader, t))
		acct_add(sum, &t->acct);
}

/* What leader's process used with its reaped children's share: wait4's rusage (Linux's RUSAGE_BOTH). */
void
cputime_process_and_children(const struct task *leader, struct task_acct *sum)
{
	cputime_process(leader, sum);
	acct_add(sum, &leader->acct_children);
}

/*
 * The zombie child is being reaped by parent (a leader): the parent's
 * children figures grow by what the child used and what its own reaped
 * children used (Linux's __exit_signal() and wait_task_zombie()). That
 * sum goes to *used too, if not NULL (wait4's rusage).
 */
void
cputime_reap(struct task *parent, const struct task *child, struct task_acct *used)
{
	struct task_acct sum;

	cputime_process_and_children(child, &sum);
	acct_add(&parent->acct_children, &sum);
	if (used)
		*used = sum;
}
