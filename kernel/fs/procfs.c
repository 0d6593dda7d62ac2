/*
 * kernel/fs/procfs.c - /proc files, in Linux's formats (docs/design.md section 8).
 *
 * A file's text is generated when it is opened, into a buffer the open
 * file owns; reads then come from that snapshot, as with an in-memory file.
 *
 *   /proc/meminfo       MemTotal, MemFree, MemAvailable, Cached, AnonPages, ...
 *   /proc/vmstat        one "name value" line per counter (mm/vmstat.c)
 *   /proc/pressure/memory  some/full stall averages and totals (kernel/psi.c)
 *   /proc/memsnap       a snapshot of every frame and swap slot, one JSON line
 *                       (mm/memsnap.c; pagoda's own: Linux has no such file)
 *   /proc/PID/status    Name, State, Tgid, Pid, PPid, VmSize, VmLck, VmRSS, VmSwap, Threads
 *   /proc/PID/maps      one line per region, as Linux prints them
 *   /proc/PID/smaps, smaps_rollup  what each region costs (kernel/fs/procfs_smaps.c)
 *   /proc/PID/oom_score, oom_score_adj (writable: -1000..1000)
 *   /proc/PID/limits    the resource limits (getrlimit(2)), Linux's table
 *   /proc/PID/cgroup    "0::/a/b": its control group (cgroup v2 only)
 *   /proc/sys/vm/...    the tunables (kernel/sysctl.c)
 *   /proc/self/...      the same for the calling process (thread-self: thread)
 *
 * kernel/fs/vfs.c sends it every path under /proc.
 */
#include "kernel/fs/procfs.h"
#include "kernel/fs/procfs_smaps.h"
#include "kernel/thread.h"
#include "kernel/cgroup.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fault_inject.h"
#include "kernel/sched.h"
#include "kernel/sysctl.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "mm/swap.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/heap.h"
#include "mm/memsnap.h"
#include "mm/mlock.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/vmstat.h"

#define PROCFS_BUF 16384

static int
gen_meminfo(char *buf, size_t size)
{
	uint64_t kib = PAGE_SIZE / 1024;

	return snprintf(buf, size,
			"MemTotal:       %8lu kB\n"
			"MemFree:        %8lu kB\n"
			"MemAvailable:   %8lu kB\n"
			"Cached:         %8lu kB\n"
			"AnonPages:      %8lu kB\n"
			"SwapCached:     %8lu kB\n"
			"Unevictable:    %8lu kB\n"
			"Mlocked:        %8lu kB\n"
			"SwapTotal:      %8lu kB\n"
			"SwapFree:       %8lu kB\n",
			pmm_stats.usable * kib, pmm_free_frames() * kib,
			(pmm_free_frames() + nr_pagecache_pages) * kib,
			nr_pagecache_pages * kib, vmstat[NR_ANON_PAGES] * kib,
			swap_cached_pages() * kib, vmstat[NR_MLOCK] * kib, vmstat[NR_MLOCK] * kib,
			swap_total_slots() * kib, swap_free_slots() * kib);
}

static int
gen_vmstat(char *buf, size_t size)
{
	int n = 0;

	for (int i = 0; i < NR_VMSTAT_ITEMS; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s %lu\n", vmstat_names[i], vmstat[i]);
	return n;
}

static const char *
state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNABLE: return t == current ? "R (running)" : "R (runnable)";
	case TASK_SLEEPING: return "S (sleeping)";
	case TASK_STOPPED: return "T (stopped)";
	default: return "Z (zombie)";
	}
}

static int
gen_status(const struct task *t, char *buf, size_t size)
{
	uint64_t vm = t->mm ? mm_total_vm(t->mm) >> 10 : 0, rss = t->mm ? t->mm->rss * 4 : 0;
	uint64_t swap = t->mm ? t->mm->swap_ents * 4 : 0, locked = t->mm ? mm_locked_vm(t->mm) >> 10 : 0;

	const struct task *p = t->leader->parent;

	return snprintf(buf, size,
			"Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
			"VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmRSS:\t%8lu kB\nVmSwap:\t%8lu kB\n"
			"Threads:\t%d\n",
			t->name, state_name(t), t->leader->pid, t->pid, p ? p->pid : 0, vm, locked, rss, swap,
			t->leader->nr_threads);
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
		int len = snprintf(buf + n, size - (size_t)n, "%08lx-%08lx %c%c%cp %08lx %s %lu",
				   v->start, v->end, v->prot & VMA_READ ? 'r' : '-',
				   v->prot & VMA_WRITE ? 'w' : '-', v->prot & VMA_EXEC ? 'x' : '-',
				   v->file ? v->pgoff * PAGE_SIZE : 0, v->file ? "08:01" : "00:00",
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

static void
procfs_release(struct file *f)
{
	kfree(f->priv);
}

/* The machine's memory pressure: the root group's (kernel/psi.c). */
static int
gen_pressure_memory(char *buf, size_t size)
{
	return psi_show(&cgroup_root.psi, buf, size);
}

static const struct file_ops procfs_ops = {
	.read = memfile_read,
	.release = procfs_release,
};

static const struct {
	const char *name;
	int (*generate)(char *buf, size_t size);
} files[] = {
	{ "meminfo", gen_meminfo },
	{ "vmstat", gen_vmstat },
	{ "pressure/memory", gen_pressure_memory },
};

static const struct {
	const char *name;
	int (*generate)(const struct task *t, char *buf, size_t size);
} task_files[] = {
	{ "status", gen_status },
	{ "maps", gen_maps },
	{ "oom_score", gen_oom_score },
	{ "oom_score_adj", gen_oom_score_adj },
	{ "limits", gen_limits },
	{ "cgroup", gen_cgroup },
};

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

/* A read-only file holding the text one of the generators wrote. */
static int
snapshot(int flags, struct file **out, int (*gen)(char *, size_t),
	 int (*gen_task)(const struct task *, char *, size_t), const struct task *t)
{
	char *buf;
	struct file *f;
	int n;

	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	buf = kmalloc(PROCFS_BUF);
	f = buf ? file_alloc(&procfs_ops, flags, S_IFREG | 0444) : NULL;
	if (!f) {
		kfree(buf);
		return -ENOMEM;
	}
	n = gen ? gen(buf, PROCFS_BUF) : gen_task(t, buf, PROCFS_BUF);
	f->priv = buf;
	f->data = buf;
	f->size = (uint64_t)MIN(MAX(n, 0), PROCFS_BUF - 1);
	*out = f;
	return 0;
}

/* /proc/memsnap: one snapshot, in a buffer as large as it needs (PROCFS_BUF is too small). */
static int
open_memsnap(int flags, struct file **out)
{
	size_t len;
	char *buf;
	struct file *f;

	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	buf = memsnap_take("proc", &len);
	f = buf ? file_alloc(&procfs_ops, flags, S_IFREG | 0444) : NULL;
	if (!f) {
		kfree(buf);
		return -ENOMEM;
	}
	f->priv = buf;
	f->data = buf;
	f->size = len;
	*out = f;
	return 0;
}

/* "self/maps" or "12/status": the task (and *rest = the file name), or NULL. */
static struct task *
task_of(const char *name, const char **rest)
{
	uint64_t pid;
	char num[16];
	const char *slash = strchr(name, '/');

	if (!slash || slash - name >= (long)sizeof(num))
		return NULL;
	*rest = slash + 1;
	if (strncmp(name, "self/", 5) == 0)
		return current->leader;           /* the process; thread-self is the thread */
	if (strncmp(name, "thread-self/", 12) == 0)
		return current;
	memcpy(num, name, (size_t)(slash - name));
	num[slash - name] = '\0';
	if (parse_u64(num, &pid) != 0)
		return NULL;
	return task_find((int)pid);
}

/* Opens /proc/name read-only. Returns 0, -ENOENT, -EACCES or -ENOMEM. */
int
procfs_open(const char *name, int flags, struct file **out)
{
	const char *rest;
	struct task *t;

	if (strcmp(name, "memsnap") == 0)
		return open_memsnap(flags, out);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (strcmp(name, files[i].name) == 0)
			return snapshot(flags, out, files[i].generate, NULL, NULL);
	if (strncmp(name, "fault-injection/", 16) == 0)
		return fault_inject_open(name + 16, flags, out);
	if (strncmp(name, "sys/", 4) == 0)
		return sysctl_open(name + 4, flags, out);
	t = task_of(name, &rest);
	if (!t)
		return -ENOENT;
	if (strcmp(rest, "oom_score_adj") == 0 && (flags & O_ACCMODE) != O_RDONLY) {
		struct file *f = file_alloc(&oom_adj_ops, flags, S_IFREG | 0644);
		if (!f)
			return -ENOMEM;
		f->priv = (void *)(uintptr_t)t->pid;   /* whose: looked up again at write time */
		*out = f;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(task_files); i++)
		if (strcmp(rest, task_files[i].name) == 0)
			return snapshot(flags, out, NULL, task_files[i].generate, t);
	if (strcmp(rest, "smaps") == 0 || strcmp(rest, "smaps_rollup") == 0)
		return procfs_smaps_open(t, rest, flags, out);     /* kernel/fs/procfs_smaps.c */
	return -ENOENT;
}
