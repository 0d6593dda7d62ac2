/*
 * mm/memcg_protect.c - memory.min and memory.low: the part of a group's
 * memory that global reclaim leaves alone.
 *
 * Global reclaim (kswapd and allocating tasks: mm/reclaim.c) takes pages
 * from the machine's lists and from every group's, in turn (mm/evict.c).
 * Before it asks a group's lists, it asks here how many of its pages it
 * may take (Linux's mem_cgroup_protection() and get_scan_count()):
 *
 *   usage <= memory.min   none: hard protection. Only the group's own
 *                         memory.max, or the OOM killer, can take them.
 *   usage <= memory.low   none while any unprotected page is left to
 *                         look at; after that, as if there were no low
 *                         (and memory.events low + 1)
 *   above both            in proportion to its excess: of the nr pages
 *                         a round wants, nr * (usage - protection) / usage
 *
 * Protection is hierarchical: a group is within its protection only if
 * every group above it (below the root) is within its own, so a parent
 * with memory.min 0 protects nothing below it, as in Linux, and children
 * cannot protect more than their parent allows. (Linux goes further and
 * shares a parent's protection among children asking for more than it
 * has in proportion to their use; here it is all or nothing for them.)
 * RLIMIT_RSS groups (policies.md) take the protection of the cgroup
 * above them. A group's own memory.max reclaim ignores protection.
 */
#include "mm/memcg.h"

/* g's own protection in pages: memory.min, or the larger of min and low. */
static uint64_t
own_protection(const struct mem_cgroup *g, bool breach_low)
{
	return breach_low ? g->min : MAX(g->min, g->low);
}

/*
 * The protection g has in effect: its own, but no more than any v2 group
 * above it allows, and none if one above it is over its own.
 */
static uint64_t
effective_protection(const struct mem_cgroup *g, bool breach_low)
{
	uint64_t prot = MEMCG_NO_LIMIT;

	for (const struct mem_cgroup *a = g; a; a = a->parent) {
		if (!a->cgroup)
			continue;                  /* an RLIMIT_RSS group, or a removed one */
		if (a != g && a->usage > own_protection(a, breach_low))
			return 0;
		prot = MIN(prot, own_protection(a, breach_low));
	}
	return prot == MEMCG_NO_LIMIT ? 0 : prot;
}

/*
 * How many of the nr pages a round of global reclaim wants it may take
 * from g's lists (g NULL: the machine's: all of them). breach_low: the
 * round found nothing unprotected, so memory.low gives way; *below_low
 * then says whether g is one it protected (if reclaim takes from it,
 * that counts "low" in its memory.events: memcg_low_breached()).
 */
int
memcg_global_quota(struct mem_cgroup *g, int nr, bool breach_low, bool *below_low)
{
	uint64_t prot;

	*below_low = false;
	if (!g || g->usage == 0)
		return nr;
	prot = effective_protection(g, breach_low);
	if (g->usage <= prot)
		return 0;
	*below_low = breach_low && g->usage <= effective_protection(g, false);
	return (int)MAX(1, (uint64_t)nr * (g->usage - prot) / g->usage);
}
