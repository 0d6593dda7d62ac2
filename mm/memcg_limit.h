/*
 * mm/memcg_limit.h - cgroup v2's memory.max and memory.swap.max, enforced.
 */
#ifndef MM_MEMCG_LIMIT_H
#define MM_MEMCG_LIMIT_H

#include "mm/memcg.h"

/* Sleeps (swap writes, an OOM victim's exit). False: the caller was killed. */
bool memcg_limit_make_room(struct mem_cgroup *g);
void memcg_limit_enforce(struct mem_cgroup *g);

/* Never sleep. */
bool memcg_may_swap(const struct mem_cgroup *g);
bool memcg_swap_allowed(const struct page *p);
void memcg_swap_charge(struct page *p);
void memcg_swap_uncharge(swp_entry_t e);

#endif
