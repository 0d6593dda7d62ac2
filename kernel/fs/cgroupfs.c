/*
 * kernel/fs/cgroupfs.c - /sys/fs/cgroup: control groups (kernel/cgroup.c)
 * as directories, their knobs and figures as files, in Linux's cgroup v2
 * names and formats (Documentation/admin-guide/cgroup-v2.rst).
 *
 *   /sys/fs/cgroup/                 the root group
 *     cgroup.controllers            "memory": what the parent passes down
 *     cgroup.procs                  its processes' pids; write a pid: move it here
 *     cgroup.subtree_control        "+memory" / "-memory": the children's memory.* files
 *     memory.current                bytes charged (not in the root, as Linux)
 *     memory.max                    "max" or bytes (K, M, G suffixes): the limit
 *     memory.high                   "max" or bytes: above it, throttled
 *     memory.min, memory.low        bytes protected from global reclaim (hard, best effort)
 *     memory.oom.group              1: the OOM killer takes the whole group
 *     memory.peak                   the most memory.current has been
 *     memory.stat                   "anon N", "file N", ... (bytes, and fault counts)
 *     memory.pressure               PSI: some/full stall averages and totals (kernel/psi.c)
 *     memory.events                 low, high, max, oom, oom_kill
 *     memory.swap.current           bytes of swap charged
 *     memory.swap.max               "max" or bytes: 0 means no swap
 *     NAME/                         a subgroup (mkdir, rmdir)
 *
 * A file's text is made when it is opened, as in procfs; a write is
 * acted on at once, and a value the file does not accept (EINVAL)
 * changes nothing. kernel/fs/vfs.c sends it every path under
 * /sys/fs/cgroup, and mkdir and rmdir go to kernel/cgroup.c.
 */
#include "kernel/fs/cgroupfs.h"
#include "kernel/fs/mount.h"
#include "kernel/cgroup.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/vsprintf.h"
#include "mm/heap.h"
#include "mm/memcg.h"
#include "mm/memcg_limit.h"
#include "mm/swap.h"

#define CGROUPFS_BUF 4096

enum which { ANY_GROUP, MEMORY };       /* every group's file, or the memory controller's */

/*
 * A file: its own show and store, or (both NULL) a limit: "max" or bytes,
 * kept in pages at offset limit of struct mem_cgroup.
 */
struct cg_file {
	const char *name;
	enum which which;
	int (*show)(struct cgroup *cg, char *buf, size_t size);
	int (*store)(struct cgroup *cg, const char *text);   /* NULL: read-only */
	size_t limit;
};

#define LIMIT(name, field) { name, MEMORY, NULL, NULL, offsetof(struct mem_cgroup, field) }

/* An open file: whose, which, and the text made at open. */
struct cg_open {
	struct cgroup *cg;
	const struct cg_file *def;
	char *text;
};

static int
show_controllers(struct cgroup *cg, char *buf, size_t size)
{
	return snprintf(buf, size, "%s\n", !cg->parent || cgroup_memory_enabled(cg) ? "memory" : "");
}

static int
show_subtree_control(struct cgroup *cg, char *buf, size_t size)
{
	return snprintf(buf, size, "%s\n", cg->subtree_memory ? "memory" : "");
}

struct procs_buf {
	struct cgroup *cg;
	char *buf;
	size_t size;
	int n;
};

static void
add_pid(struct task *t, void *arg)
{
	struct procs_buf *b = arg;

	if (cgroup_of(t) == b->cg && !t->is_kernel_thread && t->state != TASK_ZOMBIE && t == t->leader &&
	    (size_t)b->n < b->size)
		b->n += snprintf(b->buf + b->n, b->size - (size_t)b->n, "%d\n", t->pid);
}

static int
show_procs(struct cgroup *cg, char *buf, size_t size)
{
	struct procs_buf b = { cg, buf, size, 0 };

	buf[0] = '\0';
	task_for_each(add_pid, &b);
	return b.n;
}

/* A count of pages, as the bytes Linux's memory.* files show. */
static int
show_bytes(uint64_t pages, char *buf, size_t size)
{
	return snprintf(buf, size, "%lu\n", pages * PAGE_SIZE);
}

/* Pages as bytes; "max" for no limit. */
static int
show_limit(uint64_t pages, char *buf, size_t size)
{
	if (pages == MEMCG_NO_LIMIT)
		return snprintf(buf, size, "max\n");
	return show_bytes(pages, buf, size);
}

static int
show_current(struct cgroup *cg, char *buf, size_t size)
{
	return show_bytes(cg->memcg->usage, buf, size);
}

static int
show_oom_group(struct cgroup *cg, char *buf, size_t size)
{
	return snprintf(buf, size, "%d\n", cg->memcg->oom_group);
}

static int
show_pressure(struct cgroup *cg, char *buf, size_t size)
{
	return psi_show(&cg->psi, buf, size);
}

static int
show_peak(struct cgroup *cg, char *buf, size_t size)
{
	return show_bytes(cg->memcg->peak, buf, size);
}

static int
show_swap_current(struct cgroup *cg, char *buf, size_t size)
{
	return show_bytes(cg->memcg->swap_usage, buf, size);
}

static int
show_events(struct cgroup *cg, char *buf, size_t size)
{
	const uint64_t *e = cg->memcg->events;

	return snprintf(buf, size, "low %lu\nhigh %lu\nmax %lu\noom %lu\noom_kill %lu\n",
			e[MEMCG_LOW], e[MEMCG_HIGH], e[MEMCG_MAX], e[MEMCG_OOM], e[MEMCG_OOM_KILL]);
}

/* Linux's memory.stat lines that exist here: sizes in bytes, events as counts. */
static int
show_stat(struct cgroup *cg, char *buf, size_t size)
{
	const struct mem_cgroup *m = cg->memcg;

	return snprintf(buf, size, "anon %lu\nfile %lu\nswapcached %lu\npgfault %lu\npgmajfault %lu\n",
			m->nr_anon * PAGE_SIZE, m->nr_file * PAGE_SIZE,
			memcg_swapcached(m) * PAGE_SIZE, m->pgfault, m->pgmajfault);
}

/*
 * "max", or bytes with Linux's memparse suffixes (K, M, G), rounded down
 * to pages, as Linux's page_counter_memparse(). Returns 0 or -EINVAL.
 */
static int
parse_limit(const char *text, uint64_t *pages)
{
	uint64_t bytes;

	if (strcmp(text, "max") == 0) {
		*pages = MEMCG_NO_LIMIT;
		return 0;
	}
	if (parse_size(text, &bytes) != 0)
		return -EINVAL;
	*pages = bytes / PAGE_SIZE;
	return 0;
}

/* "0" or "1" (Linux: anything else is EINVAL). */
static int
store_oom_group(struct cgroup *cg, const char *text)
{
	uint64_t v;

	if (parse_u64(text, &v) != 0 || v > 1)
		return -EINVAL;
	cg->memcg->oom_group = v == 1;
	return 0;
}

/* "+memory", "-memory", or several of them separated by blanks. */
static int
store_subtree_control(struct cgroup *cg, const char *text)
{
	bool memory = cg->subtree_memory;

	while (*text) {
		size_t len = 0;
		while (*text == ' ')
			text++;
		while (text[len] && text[len] != ' ')
			len++;
		if (len == 0)
			break;
		if (len != 7 || (text[0] != '+' && text[0] != '-') || strncmp(text + 1, "memory", 6))
			return -EINVAL;
		memory = text[0] == '+';
		text += len;
	}
	if (!cg->parent && !memory)
		return -EINVAL;            /* memory is always on at the root here */
	cg->subtree_memory = memory;
	return 0;
}

/* A pid (0: the writer): that process moves into cg. */
static int
store_procs(struct cgroup *cg, const char *text)
{
	uint64_t pid;
	struct task *t;

	if (parse_u64(text, &pid) != 0 || pid > 0x7fffffff)
		return -EINVAL;
	t = pid == 0 ? current : task_find((int)pid);
	if (!t || t->is_kernel_thread || t->state == TASK_ZOMBIE)
		return -ESRCH;
	return cgroup_attach_process(t->leader, cg);
}

static uint64_t *
limit_of(struct cgroup *cg, const struct cg_file *def)
{
	return (uint64_t *)((char *)cg->memcg + def->limit);
}

static bool
is_limit(const struct cg_file *def)
{
	return !def->show;
}

static int
show_file(struct cgroup *cg, const struct cg_file *def, char *buf, size_t size)
{
	return is_limit(def) ? show_limit(*limit_of(cg, def), buf, size) : def->show(cg, buf, size);
}

/*
 * A limit lowered below memory.current is enforced at once, as Linux's
 * memory.max and memory.high writes do (reclaim, and the OOM killer for
 * max); for the others (min, low, swap.max) that finds nothing to do.
 */
static int
store_file(struct cgroup *cg, const struct cg_file *def, const char *text)
{
	int err;

	if (!is_limit(def))
		return def->store(cg, text);
	err = parse_limit(text, limit_of(cg, def));
	if (!err)
		memcg_limit_enforce(cg->memcg);
	return err;
}

static const struct cg_file files[] = {
	{ "cgroup.controllers", ANY_GROUP, show_controllers, NULL, 0 },
	{ "cgroup.procs", ANY_GROUP, show_procs, store_procs, 0 },
	{ "cgroup.subtree_control", ANY_GROUP, show_subtree_control, store_subtree_control, 0 },
	{ "memory.current", MEMORY, show_current, NULL, 0 },
	{ "memory.events", MEMORY, show_events, NULL, 0 },
	LIMIT("memory.high", high),
	LIMIT("memory.low", low),
	LIMIT("memory.max", limit),
	LIMIT("memory.min", min),
	{ "memory.oom.group", MEMORY, show_oom_group, store_oom_group, 0 },
	{ "memory.peak", MEMORY, show_peak, NULL, 0 },
	{ "memory.pressure", MEMORY, show_pressure, NULL, 0 },
	{ "memory.stat", MEMORY, show_stat, NULL, 0 },
	{ "memory.swap.current", MEMORY, show_swap_current, NULL, 0 },
	LIMIT("memory.swap.max", swap_limit),
};

/* Does cg have this file? The memory controller's are in groups it is enabled for. */
static bool
has_file(const struct cgroup *cg, const struct cg_file *def)
{
	return def->which == ANY_GROUP || (cg->parent && cgroup_memory_enabled(cg));
}

static const struct cg_file *
find_file(const struct cgroup *cg, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (strcmp(files[i].name, name) == 0 && has_file(cg, &files[i]))
			return &files[i];
	return NULL;
}

static long
cg_write(struct file *f, const void *buf, size_t len)
{
	struct cg_open *o = f->priv;
	char text[64];
	int err;

	if (o->cg->removed)
		return -ENODEV;
	memfile_write_text(buf, len, text, sizeof(text));
	err = store_file(o->cg, o->def, text);
	return err ? err : (long)len;
}

static void
cg_release(struct file *f)
{
	struct cg_open *o = f->priv;

	cgroup_put(o->cg);
	kfree(o->text);
	kfree(o);
}

static const struct file_ops cg_file_ops = {
	.read = memfile_read,
	.write = cg_write,
	.release = cg_release,
};

static int cg_getdents(struct file *f, void *kbuf, size_t size);

static const struct file_ops cg_dir_ops = {
	.getdents = cg_getdents,
	.release = cg_release,
};

/* An open file of cg: a directory (def NULL) or one of its files. */
static int
open_in(struct cgroup *cg, const struct cg_file *def, int flags, struct file **out)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY;
	bool may_write = def && (def->store || is_limit(def));
	uint32_t mode = !def ? S_IFDIR | 0755 : may_write ? S_IFREG | 0644 : S_IFREG | 0444;
	struct cg_open *o;
	struct file *f;

	if (writing && !may_write)
		return def ? -EACCES : -EISDIR;
	if (def && (flags & O_DIRECTORY))
		return -ENOTDIR;
	o = kzalloc(sizeof(*o));
	if (o && def)
		o->text = kmalloc(CGROUPFS_BUF);
	f = o && (!def || o->text) ? file_alloc(def ? &cg_file_ops : &cg_dir_ops, flags, mode) : NULL;
	if (!f) {
		if (o)
			kfree(o->text);
		kfree(o);
		return -ENOMEM;
	}
	o->cg = cg;
	o->def = def;
	cgroup_get(cg);
	f->priv = o;
	if (def) {
		int n = show_file(cg, def, o->text, CGROUPFS_BUF);
		f->data = o->text;
		f->size = (uint64_t)MIN(MAX(n, 0), CGROUPFS_BUF - 1);
	}
	*out = f;
	return 0;
}

/*
 * Opens path, relative to /sys/fs/cgroup ("" is the root's directory).
 * Returns 0, -ENOENT, -ENOTDIR, -EACCES (writing a read-only file),
 * -EISDIR or -ENOMEM.
 */
int
cgroupfs_open(const char *path, int flags, struct file **out)
{
	const char *rest;
	struct cgroup *cg = cgroup_lookup(path, &rest);
	const struct cg_file *def;

	if (rest[0] == '\0')
		return open_in(cg, NULL, flags, out);
	if (strchr(rest, '/'))
		return find_file(cg, rest) ? -ENOTDIR : -ENOENT;
	def = find_file(cg, rest);
	if (!def)
		return (flags & O_CREAT) ? -EACCES : -ENOENT;
	return open_in(cg, def, flags, out);
}

#define DT_DIR 4
#define DT_REG 8

/* Entry i of cg's directory: ".", "..", its files, its subgroups. NULL past the end. */
static const char *
entry_name(struct cgroup *cg, uint64_t i, uint8_t *type)
{
	struct list_head *pos;

	*type = DT_DIR;
	if (i < 2)
		return i == 0 ? "." : "..";
	i -= 2;
	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		if (!has_file(cg, &files[k]))
			continue;
		if (i-- == 0) {
			*type = DT_REG;
			return files[k].name;
		}
	}
	list_for_each(pos, &cg->children)
		if (i-- == 0)
			return list_entry(pos, struct cgroup, sibling)->name;
	return NULL;
}

/* getdents64: entries from f->offset (an entry number) on. Returns bytes. */
static int
cg_getdents(struct file *f, void *kbuf, size_t size)
{
	struct cg_open *o = f->priv;
	size_t used = 0;
	const char *name;
	uint8_t type;

	while ((name = entry_name(o->cg, f->offset, &type)) != NULL) {
		if (!dirent_put(kbuf, size, &used, f->offset + 1, (int64_t)f->offset + 1, type, name))
			return used ? (int)used : -EINVAL;   /* Linux: buffer too small */
		f->offset++;
	}
	return (int)used;
}

/* A control group's files cannot be removed (Linux: EPERM); rmdir removes the group. */
static int
cg_unlink(struct mount *m, const char *rel)
{
	(void)m, (void)rel;
	return -EPERM;
}

static int
cg_open(struct mount *m, const char *rel, int flags, struct file **out)
{
	(void)m;
	return cgroupfs_open(rel, flags, out);
}

static int
cg_mkdir(struct mount *m, const char *rel)
{
	(void)m;
	return cgroup_mkdir(rel);
}

static int
cg_rmdir(struct mount *m, const char *rel)
{
	(void)m;
	return cgroup_rmdir(rel);
}

/* Mounted at /sys/fs/cgroup by kernel/fs/vfs.c; mkdir and rmdir make and remove groups. */
const struct fs_type cgroup2_fs_type = {
	.name = "cgroup2",
	.open = cg_open,
	.mkdir = cg_mkdir,
	.rmdir = cg_rmdir,
	.unlink = cg_unlink,
};
