/*
 * kernel/fs/procfs.c - /proc: the kernel's figures as text files, in
 * Linux's formats (docs/design.md section 8). This file is the door:
 * it turns a path under /proc into an open file, lists the directories
 * and answers for the links; the texts are written by
 *
 *   kernel/fs/procfs_sys.c   /proc/meminfo, vmstat, stat, uptime, loadavg,
 *                            cpuinfo, swaps, pressure/memory
 *   kernel/fs/procfs_pid.c   /proc/PID/stat, statm, status, cmdline, comm,
 *                            maps, oom_score, oom_score_adj, limits, cgroup
 *   kernel/sysctl.c          /proc/sys/vm/..., /proc/sys/debug/...
 *   kernel/fault_inject.c    /proc/fault-injection/...
 *   mm/memsnap.c             /proc/memsnap: every frame and swap slot, one
 *                            JSON line (pagoda's own: Linux has no such file)
 *
 * and here:
 *   /proc               a directory: the files above, self, and one
 *                       directory per process (getdents64, in pid order)
 *   /proc/PID           a directory of the files of procfs_pid.c and exe
 *   /proc/PID/smaps, smaps_rollup  what each region costs (kernel/fs/procfs_smaps.c)
 *   /proc/self          a link to the caller's PID (thread-self, the
 *                       caller's thread, is a directory here, not a link)
 *   /proc/PID/exe       a link to the program the process runs: readlink
 *                       gives its path; path lookup (kernel/fs/vfs_lookup.c)
 *                       follows both, as any other link
 *
 * A file's text is generated when it is opened, into a buffer the open
 * file owns; reads then come from that snapshot, as with an in-memory
 * file. kernel/fs/vfs.c sends it every path under /proc, relative to
 * /proc and without "." or "..": "" for /proc itself, "12/stat".
 */
#include "kernel/fs/procfs.h"
#include "kernel/fs/procfs_smaps.h"
#include "kernel/fs/mount.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fault_inject.h"
#include "kernel/fs/procfs_internal.h"
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sysctl.h"
#include "kernel/vsprintf.h"
#include "mm/heap.h"
#include "mm/memsnap.h"
#include "mm/mm.h"

#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

static void
procfs_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops procfs_ops = {
	.read = memfile_read,
	.release = procfs_release,
};

/* A read-only file holding text (kmalloc'ed, owned by the file from here on). */
static int
open_text(char *text, size_t len, int flags, struct file **out)
{
	struct file *f;

	if ((flags & O_ACCMODE) != O_RDONLY) {
		kfree(text);
		return -EACCES;
	}
	if (flags & O_DIRECTORY) {
		kfree(text);
		return -ENOTDIR;
	}
	f = text ? file_alloc(&procfs_ops, flags, S_IFREG | 0444) : NULL;
	if (!f) {
		kfree(text);
		return -ENOMEM;
	}
	f->priv = text;
	f->data = text;
	f->size = len;
	*out = f;
	return 0;
}

/* A file whose text one of the generators writes: sys's (t NULL) or t's. */
static int
open_generated(int (*gen)(char *, size_t), int (*gen_task)(const struct task *, char *, size_t),
	       const struct task *t, int flags, struct file **out)
{
	char *buf = kmalloc(PROCFS_BUF);
	int n = 0;

	if (buf && (flags & O_ACCMODE) == O_RDONLY)
		n = gen ? gen(buf, PROCFS_BUF) : gen_task(t, buf, PROCFS_BUF);
	return open_text(buf, (size_t)MIN(MAX(n, 0), PROCFS_BUF - 1), flags, out);
}

/*
 * "self/maps", "12", "thread-self/stat": the task the first name stands
 * for (a process's leader; thread-self: the calling thread), with *rest =
 * what follows it ("" for the directory itself). NULL if there is none.
 */
static struct task *
task_of(const char *name, const char **rest)
{
	const char *slash = strchr(name, '/');
	size_t len = slash ? (size_t)(slash - name) : strlen(name);
	char num[16];
	uint64_t pid;

	*rest = slash ? slash + 1 : name + len;
	if (len == 4 && strncmp(name, "self", 4) == 0)
		return current->leader;
	if (len == 11 && strncmp(name, "thread-self", 11) == 0)
		return current;
	if (len == 0 || len >= sizeof(num))
		return NULL;
	memcpy(num, name, len);
	num[len] = '\0';
	if (parse_u64(num, &pid) != 0 || pid == 0 || pid > 0x7fffffff)
		return NULL;
	return task_find((int)pid);
}

/*
 * If name is a link, its target into buf (NUL-terminated, truncated to
 * size) and the target's length; -EINVAL if it is not a link, -ENOENT if
 * there is no such process or, for exe, the task runs no program (a
 * kernel thread, a zombie).
 */
static int
link_target(const char *name, char *buf, size_t size)
{
	const char *rest;
	struct task *t;

	if (strcmp(name, "self") == 0)
		return snprintf(buf, size, "%d", current->leader->pid);
	if (strncmp(name, "sys/", 4) == 0 || strncmp(name, "fault-injection/", 16) == 0)
		return -EINVAL;
	t = task_of(name, &rest);
	if (!t || strcmp(rest, "exe") != 0)
		return -EINVAL;
	if (!t->mm || !t->mm->exe_path[0])
		return -ENOENT;
	return snprintf(buf, size, "%s", t->mm->exe_path);
}

/* readlink(2) of /proc/name: the target's length, -EINVAL (not a link) or -ENOENT. */
int
procfs_readlink(const char *name, char *buf, size_t size)
{
	struct file *f;
	int n = link_target(name, buf, size);

	if (n != -EINVAL)
		return n;
	if (procfs_open(name, O_RDONLY, &f) != 0)
		return -ENOENT;
	file_put(f);
	return -EINVAL;
}

/* Entry i of a directory: /proc (pid 0) or /proc/PID. NULL past the fixed entries. */
static const char *
fixed_entry(int pid, uint64_t i, uint8_t *type)
{
	*type = DT_DIR;
	if (i < 2)
		return i == 0 ? "." : "..";
	i -= 2;
	*type = DT_REG;
	if (pid) {
		if (i < procfs_nr_pid_files)
			return procfs_pid_files[i].name;
		*type = DT_LNK;
		return i == procfs_nr_pid_files ? "exe" : NULL;
	}
	for (size_t k = 0; k < procfs_nr_sys_files; k++)
		if (!strchr(procfs_sys_files[k].name, '/') && i-- == 0)
			return procfs_sys_files[k].name;      /* pressure/ is not listed */
	if (i == 0)
		return "memsnap";
	*type = DT_LNK;
	return i == 1 ? "self" : NULL;
}

#define PID_ENTRIES (1UL << 32)   /* offsets from here on: pid + PID_ENTRIES, in /proc */

/*
 * getdents64 of /proc or /proc/PID. f->offset is the next entry's number
 * among the fixed ones, or past them PID_ENTRIES + the pid to go on from:
 * a process that exits between two calls does not make others skipped.
 * Returns bytes, or -EINVAL if not even one entry fits, as Linux.
 */
static int
dir_getdents(struct file *f, void *kbuf, size_t size)
{
	int pid = (int)(uintptr_t)f->priv;
	size_t used = 0;
	const char *name;
	uint8_t type;
	char num[16];
	struct task *t;

	while (f->offset < PID_ENTRIES && (name = fixed_entry(pid, f->offset, &type)) != NULL) {
		if (!dirent_put(kbuf, size, &used, f->offset + 1, (int64_t)f->offset + 1, type, name))
			return used ? (int)used : -EINVAL;
		f->offset++;
	}
	if (pid)
		return (int)used;
	f->offset = MAX(f->offset, PID_ENTRIES);
	while ((t = task_next_process((int)(f->offset - PID_ENTRIES))) != NULL) {
		uint64_t next = PID_ENTRIES + (uint64_t)t->pid + 1;
		snprintf(num, sizeof(num), "%d", t->pid);
		if (!dirent_put(kbuf, size, &used, next - 1, (int64_t)next, DT_DIR, num))
			return used ? (int)used : -EINVAL;
		f->offset = next;
	}
	return (int)used;
}

/* read(2) of a directory, as Linux answers it. */
static long
dir_read(struct file *f, void *buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return -EISDIR;
}

static const struct file_ops dir_ops = {
	.read = dir_read,
	.getdents = dir_getdents,
};

/* /proc itself (pid 0) or /proc/PID: a directory that lists, read-only. */
static int
open_dir(int pid, int flags, struct file **out)
{
	struct file *f;

	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	f = file_alloc(&dir_ops, flags, S_IFDIR | 0555);
	if (!f)
		return -ENOMEM;
	f->priv = (void *)(uintptr_t)pid;
	*out = f;
	return 0;
}

/* /proc/memsnap: one snapshot, in a buffer as large as it needs (PROCFS_BUF is too small). */
static int
open_memsnap(int flags, struct file **out)
{
	size_t len = 0;
	char *buf = (flags & O_ACCMODE) == O_RDONLY ? memsnap_take("proc", &len) : NULL;

	if (!buf && (flags & O_ACCMODE) == O_RDONLY)
		return -ENOMEM;
	return open_text(buf, len, flags, out);
}

/* A file (or directory, or link) of the process t: rest is "" or "stat", "exe" ... */
static int
open_in_task(struct task *t, const char *rest, int flags, struct file **out)
{
	if (rest[0] == '\0')
		return open_dir(t->leader->pid, flags, out);
	if (strcmp(rest, "exe") == 0)         /* path lookup follows the link: reached, it was not followed */
		return t->mm && t->mm->exe_path[0] ? -ELOOP : -ENOENT;
	if (strcmp(rest, "oom_score_adj") == 0 && (flags & O_ACCMODE) != O_RDONLY)
		return procfs_open_oom_score_adj(t, flags, out);
	if (strcmp(rest, "comm") == 0 && (flags & O_ACCMODE) != O_RDONLY)
		return procfs_open_comm(t, flags, out);
	if (strcmp(rest, "smaps") == 0 || strcmp(rest, "smaps_rollup") == 0)
		return procfs_smaps_open(t, rest, flags, out);     /* kernel/fs/procfs_smaps.c */
	for (size_t i = 0; i < procfs_nr_pid_files; i++)
		if (strcmp(rest, procfs_pid_files[i].name) == 0)
			return open_generated(NULL, procfs_pid_files[i].generate, t, flags, out);
	return -ENOENT;
}

/*
 * Opens /proc/name (name relative to /proc, normalized). Returns 0,
 * -ENOENT, -EACCES (writing a read-only file), -EISDIR (writing a
 * directory), -ENOTDIR or -ENOMEM.
 */
int
procfs_open(const char *name, int flags, struct file **out)
{
	const char *rest;
	struct task *t;

	if (name[0] == '\0')
		return open_dir(0, flags, out);
	if (strcmp(name, "memsnap") == 0)
		return open_memsnap(flags, out);
	for (size_t i = 0; i < procfs_nr_sys_files; i++)
		if (strcmp(name, procfs_sys_files[i].name) == 0)
			return open_generated(procfs_sys_files[i].generate, NULL, NULL, flags, out);
	if (strncmp(name, "fault-injection/", 16) == 0)
		return fault_inject_open(name + 16, flags, out);
	if (strncmp(name, "sys/", 4) == 0)
		return sysctl_open(name + 4, flags, out);
	t = task_of(name, &rest);
	return t ? open_in_task(t, rest, flags, out) : -ENOENT;
}

static int
proc_open(struct mount *m, const char *rel, int flags, struct file **out)
{
	(void)m;
	return procfs_open(rel, flags, out);
}

static int
proc_readlink(struct mount *m, const char *rel, char *buf, size_t size)
{
	(void)m;
	return procfs_readlink(rel, buf, size);
}

/*
 * Path lookup's question (kernel/fs/vfs_lookup.c): is a link on the way to
 * rel? Only two names can be: "self" as the first name (to the caller's
 * PID), and "exe" as the second after a PID (to the program's path).
 */
static int
proc_find_link(struct mount *m, const char *rel, bool last, size_t *end, char *buf, size_t size)
{
	char name[24];
	size_t first = 0;
	int n;

	(void)m;
	while (rel[first] && rel[first] != '/')
		first++;
	if (first == 4 && strncmp(rel, "self", 4) == 0 && (last || rel[4])) {
		*end = 4;
		return link_target("self", buf, size);
	}
	if (rel[first] != '/' || strncmp(rel + first + 1, "exe", 3) != 0 || first + 4 >= sizeof(name) ||
	    (rel[first + 4] && rel[first + 4] != '/') || (!last && !rel[first + 4]))
		return 0;
	memcpy(name, rel, first + 4);
	name[first + 4] = '\0';
	n = link_target(name, buf, size);
	*end = first + 4;
	return n > 0 ? n : 0;                 /* no such process or program: the operation says so */
}

/* Mounted at /proc by kernel/fs/vfs.c. */
const struct fs_type proc_fs_type = {
	.name = "proc",
	.open = proc_open,
	.readlink = proc_readlink,
	.find_link = proc_find_link,
};
