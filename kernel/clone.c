/*
 * kernel/clone.c - making a task from the caller: fork, vfork and clone.
 *
 * They are one operation, Linux's clone(2), with flags saying what the
 * child shares with its parent rather than copies:
 *
 *   fork()      nothing shared: a copy-on-write address space (mm_fork),
 *               copies of the descriptor table, directory and actions
 *   vfork()     the address space itself (CLONE_VM), and the parent sleeps
 *               until the child calls execve or exits (CLONE_VFORK)
 *   a thread    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
 *   (pthreads)  CLONE_THREAD: everything, and it joins the caller's process
 *               (kernel/thread.c), with its own stack (newsp) and TLS
 *               (CLONE_SETTLS); its tid goes to *parent_tid
 *               (CLONE_PARENT_SETTID) and *child_tid is cleared with a
 *               futex wake when it exits (CLONE_CHILD_CLEARTID), which is
 *               what pthread_join waits for
 *
 * The child starts in user mode with the caller's registers, 0 in RAX.
 * As in Linux, CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM;
 * namespaces and pidfds are not supported (EINVAL).
 */
#include "kernel/clone.h"
#include "kernel/cgroup.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define CLONE_KNOWN (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_VFORK | \
		     CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |                \
		     CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED |               \
		     CLONE_UNTRACED | CLONE_CHILD_SETTID | CLONE_PTRACE)

/* Linux's checks in copy_process(). */
static int
check_flags(unsigned long flags)
{
	if (flags & ~CLONE_KNOWN)
		return -EINVAL;                 /* namespaces, pidfd, ... */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & (CLONE_PARENT | CLONE_THREAD)) && current->leader->pid == 1)
		return -EINVAL;                 /* init's siblings would have no parent to reap them */
	return 0;
}

/* The child's address space: the caller's own (CLONE_VM) or a copy-on-write copy. */
static int
give_mm(struct task *child, unsigned long flags)
{
	if (flags & CLONE_VM) {
		child->mm = mm_get(current->mm);
		return 0;
	}
	child->mm = mm_fork(current->mm);
	return child->mm ? 0 : -ENOMEM;
}

/* The child's registers: the caller's, 0 from the call, its own stack and TLS if given. */
static void
give_registers(struct task *child, unsigned long flags, vaddr_t newsp, uint64_t tls)
{
	proc_user_entry_frame(child);
	*child->user_frame = *current->user_frame;
	child->user_frame->rax = 0;
	if (newsp)
		child->user_frame->rsp = newsp;
	child->fs_base = (flags & CLONE_SETTLS) ? tls : current->fs_base;
	fpu_save(child->fpu);                 /* the caller's registers, as they are now */
}

/* The per-process values every thread holds a copy of (kernel/thread.c). */
static void
copy_process_values(struct task *child)
{
	child->pgid = current->pgid;
	child->sid = current->sid;
	child->oom_score_adj = current->oom_score_adj;
	memcpy(child->rlim, current->rlim, sizeof(child->rlim));
	cgroup_fork(child, current);
}

/* Where the child belongs: the caller's process, or a new one that is a child of someone. */
static void
place_child(struct task *child, unsigned long flags)
{
	uint64_t irq = irq_save();

	if (flags & CLONE_THREAD) {
		thread_join(child, current->leader);
		child->exit_signal = 0;
	} else {
		child->exit_signal = (int)(flags & CSIGNAL);
		proc_adopt((flags & CLONE_PARENT) ? current->leader->parent : current->leader, child);
	}
	irq_restore(irq);
}

/* The tids clone writes: *parent_tid in the caller's memory, *child_tid in the child's. */
static int
write_tids(struct task *child, unsigned long flags, int *uparent_tid, int *uchild_tid)
{
	if ((flags & CLONE_PARENT_SETTID) && copy_to_user(uparent_tid, &child->pid, sizeof(int)))
		return -EFAULT;
	if ((flags & CLONE_CHILD_SETTID) &&
	    mm_copy_to(child->mm, (vaddr_t)uchild_tid, &child->pid, sizeof(int)) != 0)
		return -EFAULT;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (vaddr_t)uchild_tid;
	return 0;
}

/* The caller of vfork sleeps until its child has let go of the address space. */
static void
wait_for_vfork_child(void)
{
	uint64_t flags = irq_save();

	while (!current->vfork_done)
		wait_sleep(&current->vfork_wait);    /* not even SIGKILL: the child uses our memory */
	irq_restore(flags);
}

/* The child execs or exits: its vfork parent may go on. */
void
vfork_release(struct task *child)
{
	uint64_t flags = irq_save();
	struct task *parent = child->vfork_parent;

	if (parent) {
		child->vfork_parent = NULL;
		parent->vfork_done = true;
		wait_wake_all(&parent->vfork_wait);
	}
	irq_restore(flags);
}

/* A task that undoes a half-made child (it never ran). */
static void
discard_child(struct task *child)
{
	if (child->mm)
		mm_put(child->mm);
	child->mm = NULL;
	cgroup_exit(child);
	task_free(child);
}

/*
 * clone(2): a new task from the caller. Returns the child's pid (tid) to
 * the caller - the child sees 0 - or -errno.
 */
long
proc_clone(unsigned long flags, vaddr_t newsp, int *uparent_tid, int *uchild_tid, uint64_t tls)
{
	struct task *child;
	int err, pid;

	if ((err = check_flags(flags)) != 0)
		return err;
	if ((child = task_alloc(current->name)) == NULL)
		return -ENOMEM;
	copy_process_values(child);
	if ((err = give_mm(child, flags)) != 0 ||
	    (err = thread_tables_clone(child, current, flags)) != 0 ||
	    (err = write_tids(child, flags, uparent_tid, uchild_tid)) != 0) {
		discard_child(child);
		return err;
	}
	give_registers(child, flags, newsp, tls);
	signal_fork(child, current, (flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM);
	place_child(child, flags);
	if (flags & CLONE_VFORK) {
		current->vfork_done = false;
		child->vfork_parent = current;
	}
	pid = child->pid;
	task_make_runnable(child);
	if (flags & CLONE_VFORK)
		wait_for_vfork_child();
	return pid;
}

long
sys_clone(unsigned long flags, unsigned long newsp, int *uparent_tid, int *uchild_tid,
	  unsigned long tls)
{
	return proc_clone(flags, newsp, uparent_tid, uchild_tid, tls);
}

long
sys_fork(void)
{
	return proc_clone(SIGCHLD, 0, NULL, NULL, 0);
}

long
sys_vfork(void)
{
	return proc_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
}
