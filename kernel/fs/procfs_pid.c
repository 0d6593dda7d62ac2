/*
 * kernel/fs/procfs_pid.c - the files of /proc/PID: one process as text,
 * in Linux's formats (man 5 proc).
 *
 *   stat        52 fields on one line: pid, (comm), state, ppid, ... (below)
 *   statm       sizes in pages: size resident shared text lib data dt
 *   status      Name, State, Tgid, Pid, PPid, VmSize, VmLck, VmRSS, RssShmem, VmSwap, Threads
 *   cmdline     argv as the process has it in memory, each string ending in NUL
 *   comm        the command name (at most 15 characters) and a newline;
 *               writable by the process itself (prctl's PR_SET_NAME is not here)
 *   maps        one line per region, as Linux prints them
 *   oom_score, oom_score_adj (writable: -1000..1000)
 *   limits      the resource limits (getrlimit(2)), Linux's table
 *   cgroup      "0::/a/b": its control group (cgroup v2 only)
 *
 * (exe, a link to the program, is kernel/fs/procfs.c's.) Each generator
 * writes the text into a buffer when the file is opened; reads come from
 * that snapshot. For a process (its leader) the counts are those of all
 * its threads, for /proc/thread-self the thread's own, as Linux.
 */
#include "kernel/fs/procfs_internal.h"
#include "mm/mlock.h"
#include "kernel/cgroup.h"
#include "kernel/cputime.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/tty.h"
#include "kernel/uapi.h"
#include "kernel/vsprintf.h"
#include "mm/mm.h"
#include "mm/shmem.h"
#include "mm/oom.h"

/* The console's device number as Linux encodes tty_nr: it is COM1, /dev/ttyS0 (major 4, minor 64). */
#define TTYS0_MAJOR 4
#define TTYS0_MINOR 64
#define TTY_NR(major, minor) (((minor) & 0xff) | ((major) << 8) | (((minor) & ~0xff) << 12))

static const char *
state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNABLE: return t == current ? "R (running)" : "R (runnable)";
	case TASK_SLEEPING: return "S (sleeping)";
	case TASK_STOPPED: return "T (stopped)";
	case TASK_ZOMBIE: return "Z (zombie)";
	default: return "X (dead)";
	}
}

static int
gen_status(const struct task *t, char *buf, size_t size)
{
	uint64_t vm = t->mm ? mm_total_vm(t->mm) >> 10 : 0, rss = t->mm ? t->mm->rss * 4 : 0;
	uint64_t swap = t->mm ? t->mm->swap_ents * 4 : 0, shmem = t->mm ? t->mm->rss_shmem * 4 : 0;
	uint64_t locked = t->mm ? mm_locked_vm(t->mm) >> 10 : 0;
	const struct task *p = t->leader->parent;

	return snprintf(buf, size,
			"Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
			"VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmRSS:\t%8lu kB\nRssShmem:\t%8lu kB\n"
			"VmSwap:\t%8lu kB\nThreads:\t%d\n",
			t->name, state_name(t), t->leader->pid, t->pid, p ? p->pid : 0, vm, locked, rss, shmem,
			swap,
			t->leader->nr_threads);
}

/* Signals t ignores and catches, as sets (bit n - 1: signal n), for /proc/PID/stat. */
static void
signal_dispositions(const struct task *t, uint64_t *ignored, uint64_t *caught)
{
	*ignored = *caught = 0;
	if (!t->sighand)
		return;
	for (int sig = 1; sig < NSIG; sig++) {
		uint64_t handler = t->sighand->action[sig].handler;
		if (handler == SIG_IGN)
			*ignored |= SIGBIT(sig);
		else if (handler != SIG_DFL)
			*caught |= SIGBIT(sig);
	}
}

/*
 * "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt
 * majflt cmajflt utime stime cutime cstime priority nice num_threads
 * itrealvalue starttime vsize rss rsslim startcode endcode startstack
 * kstkesp kstkeip signal blocked sigignore sigcatch wchan nswap cnswap
 * exit_signal processor rt_priority policy delayacct_blkio_ticks
 * guest_time cguest_time start_data end_data start_brk arg_start arg_end
 * env_start env_end exit_code" (man 5 proc). Times are in clock ticks
 * (USER_HZ = HZ = 100), vsize in bytes, rss in pages. What pagoda does
 * not keep is 0, as Linux prints fields it hides: flags, itrealvalue,
 * the code and stack addresses, kstkesp/kstkeip, wchan, nswap, the
 * real-time and guest figures. priority 20 and nice 0: every task is a
 * normal one of nice 0.
 */
static int
gen_stat(const struct task *t, char *buf, size_t size)
{
	const struct task *leader = t->leader, *parent = leader->parent;
	const struct mm *mm = t->mm;
	struct task_acct a;
	uint64_t ignored, caught;
	bool on_console = t->sid && t->sid == console_tty.sid;
	char state = state_name(t)[0];

	if (t == leader)
		cputime_process(leader, &a);
	else
		a = t->acct;
	signal_dispositions(t, &ignored, &caught);
	return snprintf(buf, size,
			"%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %lu %lu %d %d %d 0 %lu "
			"%lu %lu %lu 0 0 0 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 0 0 %lu %lu %lu "
			"%lu %lu %d\n",
			t->pid, t->name, state, parent ? parent->pid : 0, t->pgid, t->sid,
			on_console ? TTY_NR(TTYS0_MAJOR, TTYS0_MINOR) : 0,
			on_console ? console_tty.fg_pgid : -1, 0u,
			a.min_flt, leader->acct_children.min_flt, a.maj_flt, leader->acct_children.maj_flt,
			a.utime, a.stime, leader->acct_children.utime, leader->acct_children.stime,
			20, 0, leader->nr_threads, t->start_time,
			mm ? mm_total_vm(mm) : 0, mm ? mm->rss : 0, t->rlim[RLIMIT_RSS].rlim_cur,
			t->pending_signals | leader->shared_pending, t->blocked_signals, ignored, caught,
			t->exit_signal, mm ? mm->brk_start : 0, mm ? mm->arg_start : 0,
			mm ? mm->arg_end : 0, mm ? mm->env_start : 0, mm ? mm->env_end : 0,
			t->state == TASK_ZOMBIE ? leader->exit_status : 0);
}

/*
 * "size resident shared text lib data dt", in pages: all regions, the
 * resident pages, the executable regions (text), the writable private
 * ones (data, stack included). shared is 0: pagoda does not count file
 * pages apart from anonymous ones per process; lib and dt are 0 in Linux
 * too.
 */
static int
gen_statm(const struct task *t, char *buf, size_t size)
{
	uint64_t text = 0, data = 0;
	struct list_head *pos;

	if (!t->mm)
		return snprintf(buf, size, "0 0 0 0 0 0 0\n");
	list_for_each(pos, &t->mm->vmas) {
		const struct vma *v = list_entry(pos, struct vma, link);
		if (v->prot & VMA_EXEC)
			text += (v->end - v->start) / PAGE_SIZE;
		else if (v->prot & VMA_WRITE)
			data += (v->end - v->start) / PAGE_SIZE;
	}
	return snprintf(buf, size, "%lu %lu 0 %lu 0 %lu 0\n", mm_total_vm(t->mm) / PAGE_SIZE,
			t->mm->rss, text, data);
}

/*
 * argv as the process holds it: the bytes from arg_start to arg_end of
 * its own memory (Linux reads them there too, so a program that rewrites
 * its argv changes what ps shows). Empty for a kernel thread or a zombie.
 * Sleeps: a page of the stack may have to come back from swap.
 */
static int
gen_cmdline(const struct task *t, char *buf, size_t size)
{
	struct mm *mm = t->mm ? mm_get(t->mm) : NULL;     /* t may exit while we sleep */
	size_t len;
	int err;

	if (!mm)
		return 0;
	len = MIN(mm->arg_end - mm->arg_start, size - 1);
	err = mm_copy_from(mm, buf, mm->arg_start, len);
	mm_put(mm);
	return err ? 0 : (int)len;
}

static int
gen_comm(const struct task *t, char *buf, size_t size)
{
	return snprintf(buf, size, "%s\n", t->name);
}

static int
gen_oom_score(const struct task *t, char *buf, size_t size)
{
	long points = oom_badness(t, oom_total_pages());

	/* Linux scales the badness to 0..1000 of all memory. */
	return snprintf(buf, size, "%ld\n", points < 0 ? 0 : points * 1000 / (long)oom_total_pages());
}

static int
gen_oom_score_adj(const struct task *t, char *buf, size_t size)
{
	return snprintf(buf, size, "%d\n", t->oom_score_adj);
}

/* Linux's table of the resource limits (getrlimit(2)): one line each, "unlimited" or a number. */
static int
gen_limits(const struct task *t, char *buf, size_t size)
{
	static const char *const names[RLIM_NLIMITS][2] = {
		{ "Max cpu time", "seconds" }, { "Max file size", "bytes" },
		{ "Max data size", "bytes" }, { "Max stack size", "bytes" },
		{ "Max core file size", "bytes" }, { "Max resident set", "bytes" },
		{ "Max processes", "processes" }, { "Max open files", "files" },
		{ "Max locked memory", "bytes" }, { "Max address space", "bytes" },
		{ "Max file locks", "locks" }, { "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" }, { "Max nice priority", "" },
		{ "Max realtime priority", "" }, { "Max realtime timeout", "us" },
	};
	int n = snprintf(buf, size, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit",
			 "Units");

	for (int i = 0; i < RLIM_NLIMITS; i++) {
		char soft[24] = "unlimited", hard[24] = "unlimited";
		if (t->rlim[i].rlim_cur != RLIM_INFINITY)
			snprintf(soft, sizeof(soft), "%lu", t->rlim[i].rlim_cur);
		if (t->rlim[i].rlim_max != RLIM_INFINITY)
			snprintf(hard, sizeof(hard), "%lu", t->rlim[i].rlim_max);
		n += snprintf(buf + n, size - (size_t)n, names[i][1][0] ? "%-25s %-20s %-20s %-10s\n" :
			      "%-25s %-20s %-20s \n", names[i][0], soft, hard, names[i][1]);
	}
	return n;
}

/* "00400000-00401000 r-xp 00000000 08:01 12         /bin/prog", as Linux. */
static int
gen_maps(const struct task *t, char *buf, size_t size)
{
	struct list_head *pos;
	int n = 0;

	if (!t->mm)
		return 0;
	list_for_each(pos, &t->mm->vmas) {
		const struct vma *v = list_entry(pos, struct vma, link);
		const char *name = v->file ? v->file->path : (v->flags & VMA_HEAP) ? "[heap]" :
				   (v->flags & VMA_GROWSDOWN) ? "[stack]" : "";
		/* Shared memory lives on Linux's internal tmpfs mount, device 00:01. */
		const char *dev = !v->file ? "00:00" : shmem_of_mapping(v->file->mapping) ? "00:01" : "08:01";
		int len = snprintf(buf + n, size - (size_t)n, "%08lx-%08lx %c%c%c%c %08lx %s %lu",
				   v->start, v->end, v->prot & VMA_READ ? 'r' : '-',
				   v->prot & VMA_WRITE ? 'w' : '-', v->prot & VMA_EXEC ? 'x' : '-',
				   v->flags & VMA_SHARED ? 's' : 'p',
				   v->file ? v->pgoff * PAGE_SIZE : 0, dev,
				   v->file ? v->file->ino : 0UL);
		if (len < 0 || (size_t)(n + len) >= size)
			break;
		n += len;
		n += snprintf(buf + n, size - (size_t)n, "%*s%s\n", name[0] ? MAX(1, 73 - len) : 0,
			      "", name);
		if ((size_t)n >= size)
			return (int)size - 1;
	}
	return n;
}

/* "0::/a/b": the hierarchy (0 for cgroup v2), no controller list, the group's path. */
static int
gen_cgroup(const struct task *t, char *buf, size_t size)
{
	char path[128];

	cgroup_path(cgroup_of(t), path, sizeof(path));
	return snprintf(buf, size, "0::%s\n", path);
}

const struct procfs_pid_file procfs_pid_files[] = {
	{ "stat", gen_stat },
	{ "statm", gen_statm },
	{ "status", gen_status },
	{ "cmdline", gen_cmdline },
	{ "comm", gen_comm },
	{ "maps", gen_maps },
	{ "oom_score", gen_oom_score },
	{ "oom_score_adj", gen_oom_score_adj },
	{ "limits", gen_limits },
	{ "cgroup", gen_cgroup },
};
const size_t procfs_nr_pid_files = ARRAY_SIZE(procfs_pid_files);

/* Writing /proc/PID/oom_score_adj: a number from -1000 to 1000. */
static long
write_oom_score_adj(struct file *f, const void *buf, size_t len)
{
	char text[16];
	bool negative = false;
	uint64_t v;
	struct task *t = task_find((int)(uintptr_t)f->priv);

	memfile_write_text(buf, len, text, sizeof(text));
	char *p = text;
	if (*p == '-') {
		negative = true;
		p++;
	}
	if (!t || parse_u64(p, &v) != 0 || v > 1000)
		return -EINVAL;
	for (struct task *th = thread_first(t->leader); th; th = thread_next(t->leader, th))
		th->oom_score_adj = negative ? -(int)v : (int)v;     /* a process's, in every thread */
	return (long)len;
}

static const struct file_ops oom_adj_ops = {
	.write = write_oom_score_adj,
};

/* /proc/PID/oom_score_adj opened for writing. Returns 0 or -ENOMEM. */
int
procfs_open_oom_score_adj(struct task *t, int flags, struct file **out)
{
	struct file *f = file_alloc(&oom_adj_ops, flags, S_IFREG | 0644);

	if (!f)
		return -ENOMEM;
	f->priv = (void *)(uintptr_t)t->pid;   /* whose: looked up again at write time */
	*out = f;
	return 0;
}

/*
 * Writing /proc/PID/comm: the first 15 bytes become the name, as they
 * are - a newline included, as Linux keeps it. Only a thread of the
 * writer's own process may be renamed (else -EINVAL, as Linux).
 */
static long
write_comm(struct file *f, const void *buf, size_t len)
{
	struct task *t = task_find((int)(uintptr_t)f->priv);

	if (!t || t->leader != current->leader)
		return -EINVAL;
	memset(t->name, 0, sizeof(t->name));
	memcpy(t->name, buf, MIN(len, sizeof(t->name) - 1));
	return (long)len;
}

static const struct file_ops comm_ops = {
	.write = write_comm,
};

/* /proc/PID/comm opened for writing. Returns 0 or -ENOMEM. */
int
procfs_open_comm(struct task *t, int flags, struct file **out)
{
	struct file *f = file_alloc(&comm_ops, flags, S_IFREG | 0644);

	if (!f)
		return -ENOMEM;
	f->priv = (void *)(uintptr_t)t->pid;
	*out = f;
	return 0;
}
