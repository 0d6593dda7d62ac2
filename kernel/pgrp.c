/*
 * kernel/pgrp.c - process groups and sessions, as POSIX and Linux have
 * them: what job control is made of.
 *
 *   session   a login's processes (setsid makes one, its caller leads it)
 *     group   a job: a pipeline the shell runs as one (setpgid); kill()
 *             with -pgid signals all of it, wait4 with -pgid waits for it
 *
 * A process is in exactly one group and one session; fork puts the child
 * in its parent's. A group belongs to one session and is named by the
 * pid of the process that made it; it exists while a process is in it.
 * (The terminal's foreground group, which Ctrl-C signals, is kernel/tty.c's.)
 */
#include "kernel/errno.h"
#include "kernel/thread.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"

struct group_search {
	int pgid;
	int sid;                 /* found: the session of a member; 0: none */
};

static void
session_of_member(struct task *t, void *arg)
{
	struct group_search *s = arg;

	if (!s->sid && !t->is_kernel_thread && t->pgid == s->pgid)
		s->sid = t->sid;
}

/*
 * The session of process group pgid (one of its members'), or 0 if it has
 * none. A zombie is still a member: a process leaves its group when it is
 * reaped, as in Linux. (A shell's pipeline `find | sort` makes find the
 * group's leader; when find has exited before sort joins the group and
 * hands it the terminal, sort's setpgid and tcsetpgrp must still work.)
 */
int
pgrp_session(int pgid)
{
	struct group_search s = { .pgid = pgid, .sid = 0 };

	task_for_each(session_of_member, &s);
	return s.sid;
}

/* A live process pid that the caller may act on (itself or its child); NULL if none. */
static struct task *
self_or_child(int pid)
{
	struct task *t = pid == 0 ? current : task_find(pid);

	if (!t || t->is_kernel_thread || t->state == TASK_ZOMBIE)
		return NULL;
	t = t->leader;                     /* a thread's pid stands for its process */
	return t == current->leader || t->parent == current->leader ? t : NULL;
}

/* Process leader's group and session are pgid and sid: in every thread. */
static void
set_pgrp(struct task *leader, int pgid, int sid)
{
	for (struct task *t = thread_first(leader); t; t = thread_next(leader, t)) {
		t->pgid = pgid;
		t->sid = sid;
	}
}

/*
 * setpgid(pid, pgid): moves the caller or one of its children (pid 0:
 * the caller) into group pgid (0: a new group named by pid), which must be
 * in the same session. ESRCH: not the caller or its child; EPERM: a
 * session leader, another session, a group that does not exist there.
 */
long
sys_setpgid(int pid, int pgid)
{
	struct task *t = self_or_child(pid);

	if (pgid < 0)
		return -EINVAL;
	if (!t)
		return -ESRCH;
	if (pgid == 0)
		pgid = t->pid;
	if (t->sid == t->pid || t->sid != current->sid)
		return -EPERM;
	if (pgid != t->pid && pgrp_session(pgid) != t->sid)
		return -EPERM;
	set_pgrp(t, pgid, t->sid);
	return 0;
}

/* The group of process pid (0: the caller). */
long
sys_getpgid(int pid)
{
	struct task *t = pid == 0 ? current : task_find(pid);

	return t && !t->is_kernel_thread ? t->pgid : -ESRCH;
}

long
sys_getpgrp(void)
{
	return current->pgid;
}

/* A new session and group, both named by the caller, which leads them; EPERM for a group leader. */
long
sys_setsid(void)
{
	int pid = current->leader->pid;

	if (current->pgid == pid || pgrp_session(pid))
		return -EPERM;
	set_pgrp(current->leader, pid, pid);
	return pid;
}

long
sys_getsid(int pid)
{
	struct task *t = pid == 0 ? current : task_find(pid);

	return t && !t->is_kernel_thread ? t->sid : -ESRCH;
}

static bool
in_group(const struct task *t, int pgid)
{
	return t->pgid == pgid;
}

/* kill(-pgid, sig) and kill(0, sig): every process of the group. Returns 0 or -ESRCH. */
int
pgrp_signal(int pgid, int sig, const struct ksiginfo *info)
{
	return signal_each(in_group, pgid, sig, info) ? 0 : -ESRCH;
}
