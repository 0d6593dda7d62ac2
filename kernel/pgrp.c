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
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"

struct group_search {
	int pgid, sid;           /* what to find */
	bool found;
	bool same_session;       /* found in session sid */
};

static void
look_for_group(struct task *t, void *arg)
{
	struct group_search *s = arg;

	if (!t->is_kernel_thread && t->state != TASK_ZOMBIE && t->pgid == s->pgid) {
		s->found = true;
		s->same_session |= t->sid == s->sid;
	}
}

static void
session_of_member(struct task *t, void *arg)
{
	struct group_search *s = arg;

	if (!s->found && !t->is_kernel_thread && t->state != TASK_ZOMBIE && t->pgid == s->pgid) {
		s->found = true;
		s->sid = t->sid;
	}
}

/* A live process pid that the caller may act on (itself or its child); NULL if none. */
static struct task *
self_or_child(int pid)
{
	struct task *t = pid == 0 ? current : task_find(pid);

	if (!t || t->is_kernel_thread || t->state == TASK_ZOMBIE)
		return NULL;
	return t == current || t->parent == current ? t : NULL;
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
	struct group_search s;

	if (pgid < 0)
		return -EINVAL;
	if (!t)
		return -ESRCH;
	if (pgid == 0)
		pgid = t->pid;
	if (t->sid == t->pid || t->sid != current->sid)
		return -EPERM;
	if (pgid != t->pid) {
		s = (struct group_search){ .pgid = pgid, .sid = t->sid };
		task_for_each(look_for_group, &s);
		if (!s.same_session)
			return -EPERM;
	}
	t->pgid = pgid;
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
	struct group_search s = { .pgid = current->pid };

	task_for_each(look_for_group, &s);
	if (current->pgid == current->pid || s.found)
		return -EPERM;
	current->sid = current->pgid = current->pid;
	return current->sid;
}

long
sys_getsid(int pid)
{
	struct task *t = pid == 0 ? current : task_find(pid);

	return t && !t->is_kernel_thread ? t->sid : -ESRCH;
}

/* The session of process group pgid (one of its live members'), or 0 if it has none. */
int
pgrp_session(int pgid)
{
	struct group_search s = { .pgid = pgid, .sid = 0 };

	task_for_each(session_of_member, &s);
	return s.found ? s.sid : 0;
}

struct group_signal {
	int pgid, sig, sent;
	struct ksiginfo info;
};

static void
signal_member(struct task *t, void *arg)
{
	struct group_signal *g = arg;

	if (!t->is_kernel_thread && t->state != TASK_ZOMBIE && t->pgid == g->pgid) {
		if (g->sig)
			signal_send_info(t, g->sig, &g->info);
		g->sent++;
	}
}

/* kill(-pgid, sig) and kill(0, sig): every process of the group. Returns 0 or -ESRCH. */
int
pgrp_signal(int pgid, int sig, const struct ksiginfo *info)
{
	struct group_signal g = { .pgid = pgid, .sig = sig, .info = *info };

	task_for_each(signal_member, &g);
	return g.sent ? 0 : -ESRCH;
}
