/*
 * kernel/sched.c - round-robin scheduling of tasks, woken ones first.
 *
 *    woken queue: head -> [task W] -> ...   (were sleeping: run before the others)
 *    run queue:   head -> [task B] -> [task C] -> ...  (runnable, waiting for the CPU)
 *    running:     current                  (never on a queue)
 *    sleeping:    on some wait queue, or on the timed-sleep list
 *
 * schedule() puts the running task at the back of the run queue (if it is
 * still runnable) and switches to the first woken task, else to the run
 * queue's first; with nothing to run, the idle task (the boot context,
 * pid 0) halts the CPU until an interrupt.
 *
 * Wakeup preemption: a task that slept (on the disk, a pipe, a timer) goes
 * to the woken queue and the running task gives way at its next return to
 * user mode. Without it a page-in's waiter, woken by the disk's interrupt,
 * waited behind every CPU-bound task's whole slice, once per page. Linux's
 * CFS gets the same from vruntime (a sleeper's is behind the runners').
 * The preempted task goes to the back of the run queue, so tasks that keep
 * waking each other cannot keep the others from the CPU. The timer tick (HZ) counts down the running task's slice and
 * asks for a reschedule when it runs out; the switch happens on the way
 * back to user mode (kernel/trap.c, kernel/syscall.c). The kernel itself
 * is not preempted (like Linux without CONFIG_PREEMPT): kernel threads
 * sleep or yield. Interrupts off is the lock: there is one CPU.
 */
#include "kernel/sched.h"
#include "drivers/blk.h"
#include "drivers/timer.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/haltpoll.h"
#include "kernel/cputime.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/switch.h"
#include "kernel/thread.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/mm.h"


struct task *current;
static struct task idle_task;
static struct list_head run_queue = LIST_HEAD_INIT(run_queue);
static struct list_head woken_queue = LIST_HEAD_INIT(woken_queue);
static struct list_head timed_sleepers = LIST_HEAD_INIT(timed_sleepers);
static struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
static int next_pid = 2;           /* pid 1 is init's (kernel/proc.c) */
static uint64_t total_forks;       /* tasks ever made: /proc/stat's "processes" */
static volatile bool need_resched;

extern char boot_stack_top[];

static struct list_head dead_tasks = LIST_HEAD_INIT(dead_tasks);   /* exited threads, to free */

static void
task_init_fields(struct task *t, const char *name)
{
	strlcpy(t->name, name, sizeof(t->name));
	t->state = TASK_RUNNABLE;
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->run_link);
	wait_init(&t->child_exited);
	wait_init(&t->vfork_wait);
	rlimit_init_defaults(t->rlim);
	thread_group_init(t);
	t->exit_signal = SIGCHLD;
}

/* The boot context becomes the idle task, pid 0. */
void
sched_init(void)
{
	task_init_fields(&idle_task, "idle");
	idle_task.is_kernel_thread = true;
	idle_task.kstack_top = (vaddr_t)boot_stack_top;
	list_add_tail(&idle_task.all_link, &all_tasks);
	current = &idle_task;
	percpu_init();
	percpu_set_kernel_stack(idle_task.kstack_top);
}

/* A new task with a kernel stack and a pid, not yet runnable; NULL if out of memory. */
struct task *
task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	uint64_t flags;

	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	t->fpu = kmalloc(FPU_STATE_SIZE);
	if (!t->kstack_top || !t->fpu || thread_tables_alloc(t) != 0) {
		if (t->kstack_top)
			kstack_free(t->kstack_top);
		kfree(t->fpu);
		thread_tables_release(t);
		kfree(t);
		return NULL;
	}
	fpu_init_state(t->fpu);
	task_init_fields(t, name);
	t->state = TASK_SLEEPING;     /* until task_make_runnable() */
	flags = irq_save();
	t->pid = next_pid++;
	t->start_time = jiffies;
	total_forks++;
	list_add_tail(&t->all_link, &all_tasks);
	irq_restore(flags);
	return t;
}

/* Frees a task that will never run again (a reaped zombie). */
void
task_free(struct task *t)
{
	uint64_t flags = irq_save();

	list_del(&t->all_link);
	irq_restore(flags);
	kstack_free(t->kstack_top);
	kfree(t->fpu);
	thread_tables_release(t);
	kfree(t);
}

/*
 * The running thread has exited and nobody will collect it (a thread is
 * not a child): it is freed by the next task to run, since its kernel
 * stack is still the one in use. Interrupts off; does not return.
 */
__noreturn void
task_exit_dead(void)
{
	current->state = TASK_DEAD;
	list_del(&current->all_link);       /* no longer found by pid */
	list_add_tail(&current->run_link, &dead_tasks);
	schedule();
	panic("task_exit_dead: a dead thread ran again");
}

static void
free_dead_tasks(void)
{
	while (!list_empty(&dead_tasks)) {
		struct task *t = list_first_entry(&dead_tasks, struct task, run_link);
		if (t == current)
			return;
		list_del(&t->run_link);
		task_free(t);
	}
}

/* Starts fn(arg) in a new kernel thread. Returns the task, or NULL. */
struct task *
task_create_kernel(const char *name, void (*fn)(void *), void *arg)
{
	struct task *t = task_alloc(name);
	struct switch_frame *sf;

	if (!t)
		return NULL;
	t->is_kernel_thread = true;
	sf = (struct switch_frame *)(t->kstack_top - sizeof(*sf));
	*sf = (struct switch_frame){ .r12 = (uint64_t)fn, .r13 = (uint64_t)arg,
				     .ret = (uint64_t)kthread_start };
	t->saved_rsp = (vaddr_t)sf;
	task_make_runnable(t);
	return t;
}

/*
 * Puts t at the back of the run queue, or, if it was sleeping, of the
 * woken queue, and asks the running task to give way (see the top).
 * Any context.
 */
void
task_make_runnable(struct task *t)
{
	uint64_t flags = irq_save();
	bool woke = t->state == TASK_SLEEPING;

	t->state = TASK_RUNNABLE;
	if (t != &idle_task)
		psi_task_runnable(t);
	if (t != current && t != &idle_task) {
		list_del(&t->run_link);
		list_add_tail(&t->run_link, woke ? &woken_queue : &run_queue);
		if (woke && current != &idle_task)
			need_resched = true;
	}
	irq_restore(flags);
}

/* The task to run next, taken off its queue: the first woken one, else the run queue's first. */
static struct task *
take_next(void)
{
	struct list_head *q = !list_empty(&woken_queue) ? &woken_queue : &run_queue;
	struct task *t;

	if (list_empty(q))
		return NULL;
	t = list_first_entry(q, struct task, run_link);
	list_del(&t->run_link);
	return t;
}

static bool
anything_runnable(void)
{
	return !list_empty(&woken_queue) || !list_empty(&run_queue);
}

static void
switch_to(struct task *next)
{
	struct task *prev = current;

	if (prev->fpu)
		fpu_save(prev->fpu);
	current = next;
	percpu_set_kernel_stack(next->kstack_top);
	mm_activate(next->mm);
	if (next->fpu)
		fpu_restore(next->fpu);
	if (!next->is_kernel_thread)
		wrmsr(MSR_FS_BASE, next->fs_base);
	context_switch(&prev->saved_rsp, next->saved_rsp);
}

/*
 * Gives the CPU to the next runnable task. Returns when we run again.
 * Requests the task held back under a plug go to their disks first
 * (Linux's sched_submit_work()): whatever it waits for may need them.
 */
void
schedule(void)
{
	uint64_t flags = irq_save();
	struct task *prev = current, *next = &idle_task;

	if (prev->plug)
		blk_flush_plug(prev->plug);

	need_resched = false;
	if (prev->state == TASK_RUNNABLE && prev != &idle_task)
		list_add_tail(&prev->run_link, &run_queue);
	else
		psi_task_stopped(prev);
	/* The idle task itself may wait (kmain's drivers and in-kernel tests
	 * sleep on disk I/O): with nothing else to run, wait for the
	 * interrupt that wakes someone. */
	while (!anything_runnable() && idle_task.state != TASK_RUNNABLE)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	if (anything_runnable())
		next = take_next();
	next->ticks_left = TIME_SLICE_TICKS;
	if (next != prev) {
		cputime_count_switch(prev);
		switch_to(next);
	}
	free_dead_tasks();
	irq_restore(flags);
}

/* Wakes t if it sleeps - on a wait queue, the timed list or nowhere (any context). */
void
task_wake(struct task *t)
{
	uint64_t flags = irq_save();

	if (t->state == TASK_SLEEPING) {
		list_del(&t->run_link);
		task_make_runnable(t);
	}
	irq_restore(flags);
}

void
sched_yield_now(void)
{
	schedule();
}

/* The timer interrupt: wake sleepers that are due, count down the slice. */
void
sched_tick(void)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &timed_sleepers) {
		struct task *t = list_entry(pos, struct task, run_link);
		if (t->wake_at <= jiffies) {
			list_del(&t->run_link);
			task_make_runnable(t);
		}
	}
	if (current != &idle_task && current->ticks_left > 0 && --current->ticks_left == 0)
		need_resched = true;
}

bool
sched_need_resched(void)
{
	return need_resched;
}

/* Sleeps until jiffies reaches jiffy, or a signal wakes us earlier. */
void
sched_sleep_until(uint64_t jiffy)
{
	uint64_t flags = irq_save();

	if (jiffies < jiffy) {
		current->wake_at = jiffy;
		current->state = TASK_SLEEPING;
		list_add_tail(&current->run_link, &timed_sleepers);
		schedule();
	}
	irq_restore(flags);
}

/*
 * Sleeps until task_wake() or a signal, or until jiffy if it is not 0.
 * The caller has interrupts off and looks at its condition again after.
 */
void
sched_sleep(uint64_t jiffy)
{
	if (jiffy) {
		sched_sleep_until(jiffy);
		return;
	}
	current->state = TASK_SLEEPING;
	schedule();
}

struct task *
task_find(int pid)
{
	struct list_head *pos;

	list_for_each(pos, &all_tasks) {
		struct task *t = list_entry(pos, struct task, all_link);
		if (t->pid == pid)
			return t;
	}
	return NULL;
}

/* Calls fn for every task (interrupts off; fn must not sleep). */
void
task_for_each(void (*fn)(struct task *t, void *arg), void *arg)
{
	uint64_t flags = irq_save();
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &all_tasks)
		fn(list_entry(pos, struct task, all_link), arg);
	irq_restore(flags);
}

/*
 * Waits for a task to become runnable: polls for up to the limit
 * kernel/haltpoll.c keeps, then halts until an interrupt. Returns with
 * interrupts off and a task runnable.
 */
static void
idle_wait(struct haltpoll *hp)
{
	uint64_t start = timer_uptime_ns(), until = start + hp->limit_ns;

	sti();                          /* handlers run, and may wake someone */
	while (!anything_runnable() && timer_uptime_ns() < until)
		__asm__ volatile("pause");
	cli();
	while (!anything_runnable())
		__asm__ volatile("sti; hlt; cli" ::: "memory");   /* no wake-up lost between them */
	haltpoll_idled(hp, timer_uptime_ns() - start);
}

/*
 * The idle task: wait until a task is runnable, run it. The argument
 * idle=halt (Linux's) halts at once, never polling.
 */
__noreturn void
sched_idle(void)
{
	static struct haltpoll hp;
	const char *idle = karg_get("idle");

	haltpoll_init(&hp, idle && strcmp(idle, "halt") == 0 ? 0 : HALTPOLL_MAX_NS);
	for (;;) {
		cli();
		if (!anything_runnable())
			idle_wait(&hp);
		schedule();
	}
}

/* The idle task (pid 0): its ticks are the machine's idle time. */
bool
task_is_idle(const struct task *t)
{
	return t == &idle_task;
}

/*
 * Tasks (threads) that are runnable now, the running one included, the
 * idle task not: /proc/loadavg's first count and the load average's input.
 */
int
sched_nr_running(void)
{
	uint64_t flags = irq_save();
	struct list_head *pos;
	int n = 0;

	list_for_each(pos, &all_tasks) {
		const struct task *t = list_entry(pos, struct task, all_link);
		n += t->state == TASK_RUNNABLE && t != &idle_task;
	}
	irq_restore(flags);
	return n;
}

/* Every task but the idle task, zombies included (Linux's nr_threads). */
int
sched_nr_tasks(void)
{
	uint64_t flags = irq_save();
	struct list_head *pos;
	int n = 0;

	list_for_each(pos, &all_tasks)
		n += list_entry(pos, struct task, all_link) != &idle_task;
	irq_restore(flags);
	return n;
}

/* The pid given last, and how many tasks were ever made (/proc/loadavg, /proc/stat). */
int
sched_last_pid(void)
{
	return next_pid - 1;
}

uint64_t
sched_total_forks(void)
{
	return total_forks;
}

/* The process (a leader) with the smallest pid >= pid, or NULL: /proc's listing, in pid order. */
struct task *
task_next_process(int pid)
{
	uint64_t flags = irq_save();
	struct list_head *pos;
	struct task *best = NULL;

	list_for_each(pos, &all_tasks) {
		struct task *t = list_entry(pos, struct task, all_link);
		if (t == t->leader && t != &idle_task && t->pid >= pid && (!best || t->pid < best->pid))
			best = t;
	}
	irq_restore(flags);
	return best;
}
