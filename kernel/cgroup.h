/*
 * kernel/cgroup.h - control groups (cgroup v2): a tree of groups that
 * processes belong to; the memory controller is mm/memcg.c's.
 */
#ifndef KERNEL_CGROUP_H
#define KERNEL_CGROUP_H

#include "kernel/list.h"
#include "kernel/psi.h"
#include "kernel/types.h"

struct task;
struct mem_cgroup;

#define CGROUP_NAME_MAX 255       /* Linux's NAME_MAX */

struct cgroup {
	char name[CGROUP_NAME_MAX + 1];   /* "" for the root */
	struct cgroup *parent;            /* NULL for the root */
	struct list_head children;        /* its subgroups, through their sibling */
	struct list_head sibling;
	int nr_procs;                     /* processes in it (not below) */
	int refs;                         /* the tree's, and one per open file */
	bool removed;                     /* rmdir'd: only open files keep it */
	bool subtree_memory;              /* "memory" in its cgroup.subtree_control */
	struct mem_cgroup *memcg;         /* its memory; NULL for the root */
	struct psi_group psi;             /* memory.pressure (the root's: /proc/pressure/memory) */
};

extern struct cgroup cgroup_root;

struct cgroup *cgroup_of(const struct task *t);
struct mem_cgroup *cgroup_memcg(const struct cgroup *cg);
struct cgroup *cgroup_lookup(const char *path, const char **rest);
int cgroup_mkdir(const char *path);
int cgroup_rmdir(const char *path);
int cgroup_attach(struct task *t, struct cgroup *cg);
int cgroup_attach_process(struct task *leader, struct cgroup *cg);
void cgroup_fork(struct task *child, const struct task *parent);
void cgroup_exit(struct task *t);
bool cgroup_memory_enabled(const struct cgroup *cg);
int cgroup_path(const struct cgroup *cg, char *buf, size_t size);
void cgroup_get(struct cgroup *cg);
void cgroup_put(struct cgroup *cg);

#endif
