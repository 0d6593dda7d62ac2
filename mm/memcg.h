/*
 * mm/memcg.h - memory groups: a process's own share of frames
 * (RLIMIT_RSS, enforced by local replacement).
 */
#ifndef MM_MEMCG_H
#define MM_MEMCG_H

#include "mm/evict.h"

struct mm;
struct vma;

/* Linux's name (struct mem_cgroup); here one per address space that has a limit. */
struct mem_cgroup {
	struct evict_lists lists;   /* its pages, under the policy in use */
	uint64_t limit;             /* frames it may hold: RLIMIT_RSS in pages */
	uint64_t usage;             /* frames charged to it now */
	uint64_t charged;           /* pages brought in for it, ever (cgroup v1's pgpgin) */
	uint64_t evicted;           /* its own pages it evicted to stay within limit */
	int refs;                   /* its address space, and one per charged page */
};

/* Never sleep. */
struct mem_cgroup *memcg_for_fault(struct mm *mm, const struct vma *v);
void memcg_charge(struct mem_cgroup *g, struct page *p);
void memcg_uncharge(struct page *p);
void memcg_put(struct mem_cgroup *g);

/* Sleeps (swap writes). */
void memcg_make_room(struct mem_cgroup *g);

#endif
