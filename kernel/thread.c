/*
 * kernel/thread.c - threads: several tasks that are one process.
 *
 * A thread is a task like any other: it has its own registers, kernel
 * stack, signal mask and pending signals, and the scheduler runs it on its
 * own. What makes it a thread is what it shares with the others of its
 * process (its thread group), each shared piece counted by its users:
 *
 *     task A (leader, pid 7) ---+--> mm        (CLONE_VM)
 *     task B (tid 8)         ---+--> fd_table  (CLONE_FILES)
 *     task C (tid 9)         ---+--> fs_struct (CLONE_FS: the directory)
 *                               +--> sighand   (CLONE_SIGHAND: the actions)
 *
 * The first task of the process, its leader, stands for the process: its
 * pid is the process's (getpid() in every thread, Linux's tgid), it is the
 * one in its parent's list of children and holds what wait4 reports. It
 * keeps the list of live threads. The process ends when its last thread
 * does (kernel/proc.c); a thread other than the leader leaves nothing to
 * collect. A few per-process values (process group, rlimits, cgroup,
 * oom_score_adj) are copied into every thread and changed in all of them
 * together, which keeps their many readers simple.
 *
 * Signals follow Linux: a signal sent to the process (kill) is pending for
 * the process (the leader's shared_pending), and the first thread that
 * does not block it takes it - one is woken for it; a signal sent to a
 * thread (tgkill, a fault) stays with it; a fatal one ends every thread;
 * a stop stops them all.
 */
#include "kernel/thread.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/heap.h"

void
thread_group_init(struct task *t)
{
	t->leader = t;
	list_init(&t->threads);
	list_add_tail(&t->thread_link, &t->threads);
	t->nr_threads = 1;
}

/*
 * A task's own tables: no descriptors, the root as directory, default
 * actions. Returns 0, or -ENOMEM with what it got for thread_tables_release().
 */
int
thread_tables_alloc(struct task *t)
{
	t->files = fd_table_alloc();
	if ((t->fs = kzalloc(sizeof(*t->fs))) != NULL) {
		t->fs->refs = 1;
		t->fs->umask = UMASK_DEFAULT;
		strlcpy(t->fs->cwd, "/", sizeof(t->fs->cwd));
	}
	if ((t->sighand = kzalloc(sizeof(*t->sighand))) != NULL)
		t->sighand->refs = 1;
	return t->files && t->fs && t->sighand ? 0 : -ENOMEM;
}

void
thread_fs_release(struct task *t)
{
	if (t->fs && --t->fs->refs == 0)
		kfree(t->fs);
	t->fs = NULL;
}

void
thread_tables_release(struct task *t)
{
	fd_table_put(t->files);
	t->files = NULL;
	thread_fs_release(t);
	if (t->sighand && --t->sighand->refs == 0)
		kfree(t->sighand);
	t->sighand = NULL;
}

/*
 * The child's tables for clone(flags): the parent's own, shared, for each
 * CLONE_ flag given; copies of them otherwise (child has fresh ones from
 * task_alloc(), which it gives up or fills). Returns 0 or -ENOMEM.
 */
int
thread_tables_clone(struct task *child, const struct task *parent, unsigned long flags)
{
	if (flags & CLONE_FILES) {
		fd_table_put(child->files);
		child->files = parent->files;
		child->files->refs++;
	} else if (fd_table_copy(child->files, parent->files) != 0) {
		return -ENOMEM;
	}
	if (flags & CLONE_FS) {
		thread_fs_release(child);
		child->fs = parent->fs;
		child->fs->refs++;
	} else {
		child->fs->umask = parent->fs->umask;
		memcpy(child->fs->cwd, parent->fs->cwd, sizeof(child->fs->cwd));
	}
	if (flags & CLONE_SIGHAND) {
		kfree(child->sighand);
		child->sighand = parent->sighand;
		child->sighand->refs++;
	} else {
		memcpy(child->sighand->action, parent->sighand->action, sizeof(child->sighand->action));
	}
	return 0;
}

/* execve: a process sharing its actions with another (CLONE_SIGHAND) gets its own copy. */
int
thread_sighand_unshare(struct task *t)
{
	struct sighand *own;

	if (t->sighand->refs == 1)
		return 0;
	if ((own = kmalloc(sizeof(*own))) == NULL)
		return -ENOMEM;
	*own = *t->sighand;
	own->refs = 1;
	t->sighand->refs--;
	t->sighand = own;
	return 0;
}

/* t (new, not yet running) becomes a thread of leader's process. */
void
thread_join(struct task *t, struct task *leader)
{
	uint64_t flags = irq_save();

	list_del(&t->thread_link);
	t->leader = leader;
	t->nr_threads = 0;
	list_add_tail(&t->thread_link, &leader->threads);
	leader->nr_threads++;
	irq_restore(flags);
}

/* t has exited: it leaves its group. Returns true if it was the last (the process has ended). */
bool
thread_leave(struct task *t)
{
	uint64_t flags = irq_save();
	bool last;

	list_del(&t->thread_link);
	last = --t->leader->nr_threads == 0;
	irq_restore(flags);
	return last;
}

struct task *
thread_first(const struct task *leader)
{
	if (list_empty(&leader->threads))
		return NULL;
	return list_first_entry(&leader->threads, struct task, thread_link);
}

struct task *
thread_next(const struct task *leader, const struct task *t)
{
	if (t->thread_link.next == &leader->threads)
		return NULL;
	return list_entry(t->thread_link.next, struct task, thread_link);
}

/*
 * Which thread to wake for a signal sent to the process (Linux's
 * complete_signal()): the running one if it may take it, else the first
 * that does not block it; if all block it, the first (it waits in the
 * process's pending set). NULL if none is left.
 */
struct task *
thread_pick_for_signal(struct task *leader, int sig)
{
	if (current->leader == leader && !(current->blocked_signals & SIGBIT(sig)))
		return current;
	for (struct task *t = thread_first(leader); t; t = thread_next(leader, t))
		if (!(t->blocked_signals & SIGBIT(sig)))
			return t;
	return thread_first(leader);
}

/* SIGKILL for every other thread of the caller's process (exit_group, a fatal signal, execve). */
void
thread_kill_others(void)
{
	struct task *leader = current->leader;
	uint64_t flags = irq_save();

	for (struct task *t = thread_first(leader); t; t = thread_next(leader, t)) {
		if (t == current)
			continue;
		t->pending_signals |= SIGBIT(SIGKILL);
		t->stop_requested = false;
		if (t->state == TASK_STOPPED)
			task_make_runnable(t);
		task_wake(t);
	}
	irq_restore(flags);
}

/* The caller took a stop signal: the other threads stop too, as soon as they head for user mode. */
void
thread_stop_others(void)
{
	struct task *leader = current->leader;
	uint64_t flags = irq_save();

	for (struct task *t = thread_first(leader); t; t = thread_next(leader, t)) {
		if (t != current) {
			t->stop_requested = true;
			task_wake(t);
		}
	}
	irq_restore(flags);
}

/* SIGCONT or SIGKILL: every stopped thread runs again. Returns true if any was stopped. Interrupts off. */
bool
thread_resume_group(struct task *leader)
{
	bool any = false;

	for (struct task *t = thread_first(leader); t; t = thread_next(leader, t)) {
		any |= t->stop_requested || t->state == TASK_STOPPED;
		t->stop_requested = false;
		if (t->state == TASK_STOPPED)
			task_make_runnable(t);
	}
	return any;
}

/*
 * The caller, a thread of old (a leader that has exited), becomes the
 * process: it takes old's pid, place among its parent's children, its own
 * children and what wait4 reports, and old is freed (Linux's de_thread()).
 * Interrupts off.
 */
static void
take_over_leader(struct task *old)
{
	struct task *me = current;

	me->pid = old->pid;
	me->parent = old->parent;
	list_add(&me->sibling, &old->sibling);
	list_del(&old->sibling);
	while (!list_empty(&old->children)) {
		struct task *c = list_first_entry(&old->children, struct task, sibling);
		list_del(&c->sibling);
		c->parent = me;
		list_add_tail(&c->sibling, &me->children);
	}
	me->exit_signal = old->exit_signal;
	me->shared_pending = old->shared_pending;
	memcpy(me->shared_siginfo, old->shared_siginfo, sizeof(me->shared_siginfo));
	me->alarm_at = old->alarm_at;
	me->alarm_every = old->alarm_every;
	list_del(&me->thread_link);
	thread_group_init(me);
	task_free(old);
}

/*
 * execve in a process with several threads: every other thread is killed
 * and the caller waits until they are gone; it is then the whole process.
 * Returns 0, or -EINTR if the process itself is being killed meanwhile.
 */
int
thread_exec_alone(void)
{
	struct task *leader = current->leader;
	uint64_t flags = irq_save();

	if (leader->nr_threads == 1 && leader == current) {
		irq_restore(flags);
		return 0;
	}
	if (leader->group_exiting) {
		irq_restore(flags);
		return -EINTR;
	}
	leader->group_exiting = true;       /* they die without changing the exit status */
	thread_kill_others();
	while (leader->nr_threads > 1)
		wait_sleep(&leader->child_exited);
	leader->group_exiting = false;
	if (leader != current)
		take_over_leader(leader);
	irq_restore(flags);
	return 0;
}
