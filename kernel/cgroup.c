/*
 * kernel/cgroup.c - the tree of control groups (cgroup v2) and which
 * group each process is in. kernel/fs/cgroupfs.c shows it at
 * /sys/fs/cgroup; the memory of each group is mm/memcg.c's.
 *
 *   /sys/fs/cgroup            the root: always there, every process at boot
 *     +-- a                   mkdir: a group, with its own memory (memcg)
 *     |   +-- b               nested: b's pages are charged to a as well
 *     +-- c
 *
 * A process is in exactly one group; fork puts the child in its parent's
 * group, writing a pid to cgroup.procs moves a process (its pages stay
 * charged where they are, as in Linux). A group may be removed only when
 * no process is in it and it has no subgroups (EBUSY otherwise). Pages
 * still charged to a removed group keep its memory until they are freed.
 * The root is represented by a NULL task->cgroup too, so that kernel
 * threads and early tasks need no setup. Nothing here sleeps.
 */
#include "kernel/cgroup.h"
#include "kernel/thread.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/memcg.h"

struct cgroup cgroup_root = {
	.children = LIST_HEAD_INIT(cgroup_root.children),
	.refs = 1,
	.subtree_memory = true,   /* memory is available everywhere (docs/memory-groups.md) */
};

/* The group t is in (never NULL). */
struct cgroup *
cgroup_of(const struct task *t)
{
	return t->cgroup ? t->cgroup : &cgroup_root;
}

/* The memory of cg; NULL for the root, whose processes' pages are not charged. */
struct mem_cgroup *
cgroup_memcg(const struct cgroup *cg)
{
	return cg->memcg;
}

/* Whether cg has the memory.* files: its parent passes memory down (cgroup.subtree_control). */
bool
cgroup_memory_enabled(const struct cgroup *cg)
{
	return cg->parent && cg->parent->subtree_memory;
}

static struct cgroup *
find_child(struct cgroup *cg, const char *name, size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &cg->children) {
		struct cgroup *c = list_entry(pos, struct cgroup, sibling);
		if (strlen(c->name) == len && strncmp(c->name, name, len) == 0)
			return c;
	}
	return NULL;
}

/*
 * Walks path ("a/b/memory.max", relative to the root, no leading '/')
 * as far as it names groups. Returns the last group found, with *rest
 * pointing at what was left (after its '/'; "" if the whole path is groups).
 */
struct cgroup *
cgroup_lookup(const char *path, const char **rest)
{
	struct cgroup *cg = &cgroup_root, *c;

	for (;;) {
		size_t len = 0;
		while (*path == '/')
			path++;
		while (path[len] && path[len] != '/')
			len++;
		if (len == 0 || (c = find_child(cg, path, len)) == NULL)
			break;
		cg = c;
		path += len;
	}
	*rest = path;
	return cg;
}

/* The name of a new group: a single component, not a file's name. */
static int
check_name(const char *name)
{
	size_t len = strlen(name);

	if (len > CGROUP_NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 0 || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	/* Linux refuses a name that could be taken for a controller's file. */
	if (strncmp(name, "cgroup.", 7) == 0 || strncmp(name, "memory.", 7) == 0)
		return -EEXIST;
	return 0;
}

/*
 * mkdir path (relative to the root): a new group. Returns 0, -EEXIST,
 * -ENOENT (a parent is missing), -ENOTDIR (a parent is a file),
 * -EINVAL, -ENAMETOOLONG or -ENOMEM.
 */
int
cgroup_mkdir(const char *path)
{
	const char *rest;
	struct cgroup *parent = cgroup_lookup(path, &rest), *cg;
	uint64_t flags;
	int err;

	if (rest[0] == '\0')
		return -EEXIST;
	if (strchr(rest, '/'))
		return strncmp(rest, "cgroup.", 7) == 0 || strncmp(rest, "memory.", 7) == 0 ?
		       -ENOTDIR : -ENOENT;
	if ((err = check_name(rest)) != 0)
		return err;
	cg = kzalloc(sizeof(*cg));
	if (!cg)
		return -ENOMEM;
	cg->memcg = memcg_create_v2(cg, parent->memcg);
	if (!cg->memcg) {
		kfree(cg);
		return -ENOMEM;
	}
	strlcpy(cg->name, rest, sizeof(cg->name));
	cg->parent = parent;
	cg->refs = 1;
	list_init(&cg->children);
	flags = irq_save();                /* the timer's PSI update walks the tree */
	list_add_tail(&cg->sibling, &parent->children);
	irq_restore(flags);
	cgroup_get(parent);
	return 0;
}

/*
 * rmdir path: removes an empty group. Returns 0, -ENOENT, -ENOTDIR (a
 * file), -EBUSY (the root, or processes or subgroups in it).
 */
int
cgroup_rmdir(const char *path)
{
	const char *rest;
	struct cgroup *cg = cgroup_lookup(path, &rest);
	uint64_t flags;

	if (rest[0] != '\0')
		return strchr(rest, '/') == NULL && (strncmp(rest, "cgroup.", 7) == 0 ||
						     strncmp(rest, "memory.", 7) == 0) ? -ENOTDIR : -ENOENT;
	if (cg == &cgroup_root || cg->nr_procs > 0 || !list_empty(&cg->children))
		return -EBUSY;
	flags = irq_save();
	list_del(&cg->sibling);
	irq_restore(flags);
	cg->removed = true;
	cgroup_put(cg);
	return 0;
}

void
cgroup_get(struct cgroup *cg)
{
	cg->refs++;
}

/* Drops a reference; the last frees a removed group (its memory lives on while pages hold it). */
void
cgroup_put(struct cgroup *cg)
{
	struct cgroup *parent = cg->parent;

	if (cg == &cgroup_root || --cg->refs > 0)
		return;
	cg->memcg->cgroup = NULL;
	memcg_put(cg->memcg);
	kfree(cg);
	cgroup_put(parent);
}

/* t is in cg from now on; its pressure counts move with it, in one step. */
static void
set_group(struct task *t, struct cgroup *cg)
{
	uint64_t flags = irq_save();

	psi_task_leave_groups(t);
	t->cgroup = cg == &cgroup_root ? NULL : cg;
	psi_task_join_groups(t);
	irq_restore(flags);
}

/* Moves t into cg. Returns 0, or -ENOENT if cg was removed meanwhile. */
int
cgroup_attach(struct task *t, struct cgroup *cg)
{
	struct cgroup *old = cgroup_of(t);

	if (cg->removed)
		return -ENOENT;
	old->nr_procs--;
	cg->nr_procs++;
	cgroup_get(cg);
	set_group(t, cg);
	cgroup_put(old);
	return 0;
}

/* Moves every thread of leader's process into cg (cgroup.procs). Returns 0 or -ENOENT. */
int
cgroup_attach_process(struct task *leader, struct cgroup *cg)
{
	int err = 0;

	for (struct task *t = thread_first(leader); t && !err; t = thread_next(leader, t))
		err = cgroup_attach(t, cg);
	return err;
}

/* child, just made by fork, starts in parent's group. */
void
cgroup_fork(struct task *child, const struct task *parent)
{
	struct cgroup *cg = cgroup_of(parent);

	cg->nr_procs++;
	cgroup_get(cg);
	set_group(child, cg);
}

/* t is exiting: it leaves its group, which may be removed from now on. */
void
cgroup_exit(struct task *t)
{
	struct cgroup *cg = cgroup_of(t);

	cg->nr_procs--;
	set_group(t, &cgroup_root);
	cgroup_put(cg);
}

/* "/a/b" (or "/" for the root), as Linux's /proc/PID/cgroup says it. Returns its length. */
int
cgroup_path(const struct cgroup *cg, char *buf, size_t size)
{
	char tmp[256] = "";

	if (!cg || !cg->parent) {
		strlcpy(buf, cg ? "/" : "(removed)", size);
		return (int)strlen(buf);
	}
	for (; cg->parent; cg = cg->parent) {
		size_t n = strlen(cg->name), have = strlen(tmp);
		if (n + 1 + have + 1 > sizeof(tmp))
			break;
		memmove(tmp + n + 1, tmp, have + 1);
		tmp[0] = '/';
		memcpy(tmp + 1, cg->name, n);
	}
	strlcpy(buf, tmp, size);
	return (int)strlen(buf);
}
