/*
 * mm/memcg.h - memory groups: a process's own share of frames
 * (RLIMIT_RSS, enforced by local replacement), and cgroup v2's memory
 * controller (kernel/cgroup.c, /sys/fs/cgroup: docs/memory-groups.md).
 */
#ifndef MM_MEMCG_H
#define MM_MEMCG_H

#include "mm/evict.h"

struct mm;
struct vma;
struct cgroup;

#define MEMCG_NO_LIMIT UINT64_MAX   /* memory.max and memory.swap.max "max" */

/* memory.events, in Linux's order. */
enum memcg_event { MEMCG_LOW, MEMCG_HIGH, MEMCG_MAX, MEMCG_OOM, MEMCG_OOM_KILL, MEMCG_NR_EVENTS };

/*
 * Linux's name (struct mem_cgroup). Two kinds: one per address space that
 * has an RLIMIT_RSS (cgroup == NULL), and one per cgroup v2 group below
 * the root. A page is charged to one group and, through parent, to every
 * group above it: usage counts the group's own pages and its descendants'.
 */
struct mem_cgroup {
	struct evict_lists lists;   /* its own pages, under the policy in use */
	struct mem_cgroup *parent;  /* charged too (a cgroup v2 group), or NULL */
	struct cgroup *cgroup;      /* the v2 group this is the memory of; NULL: RLIMIT_RSS's */
	struct list_head link;      /* every group (memcg_for_each_in) */
	uint64_t limit;             /* frames it may hold: RLIMIT_RSS or memory.max in pages */
	uint64_t usage;             /* frames charged to it (and its descendants) now */
	uint64_t charged;           /* pages brought in for it, ever (cgroup v1's pgpgin) */
	uint64_t evicted;           /* its own pages it evicted to stay within limit */
	int refs;                   /* owner, children, one per charged page and swap slot */
	/* cgroup v2's files (kernel/fs/cgroupfs.c); all hierarchical. */
	uint64_t peak;              /* memory.peak, in pages */
	uint64_t nr_anon, nr_file;  /* memory.stat anon and file, in pages */
	uint64_t high;              /* memory.high in pages: above it, throttled */
	uint64_t min, low;          /* memory.min, memory.low in pages: protected from global reclaim */
	bool oom_group;             /* memory.oom.group: the OOM killer takes the whole group */
	uint64_t swap_limit;        /* memory.swap.max in slots */
	uint64_t swap_usage;        /* memory.swap.current in slots */
	uint64_t pgfault, pgmajfault;
	uint64_t events[MEMCG_NR_EVENTS];
};

/* Never sleep. */
struct mem_cgroup *memcg_for_fault(struct mm *mm, const struct vma *v);
struct mem_cgroup *memcg_current(void);
struct mem_cgroup *memcg_create_v2(struct cgroup *cg, struct mem_cgroup *parent);
void memcg_charge(struct mem_cgroup *g, struct page *p);
void memcg_uncharge(struct page *p);
void memcg_put(struct mem_cgroup *g);
bool memcg_is_descendant(const struct mem_cgroup *g, const struct mem_cgroup *ancestor);
void memcg_count_fault(struct mem_cgroup *g, bool major);
void memcg_event(struct mem_cgroup *g, enum memcg_event e);
uint64_t memcg_swapcached(const struct mem_cgroup *g);
int memcg_global_quota(struct mem_cgroup *g, int nr, bool breach_low, bool *below_low);
void memcg_for_each_in(struct mem_cgroup *g, void (*fn)(struct mem_cgroup *m, void *arg),
		       void *arg);

/* Sleeps (swap writes; an OOM victim's exit). False: the caller was killed. */
bool memcg_make_room(struct mem_cgroup *g);

#endif
