/*
 * mm/evict.c - the front of the replacement policies: which one runs,
 * whose lists a page is on, and the calls the rest of mm makes
 * (mm/evict.h says what each means).
 *
 * There is one set of lists for the machine, and one for each memory
 * group (mm/memcg.c: a process with an RLIMIT_RSS): a page is on its
 * group's lists if it is charged to one, else on the machine's. All of
 * them are run by the same policy, chosen at boot (evict=fifo) or at
 * run time (/proc/sys/vm/evict_policy), and global reclaim takes from
 * all of them: the machine's first, then the groups' in turn, each as
 * far as its memory.min and memory.low allow (mm/memcg_protect.c).
 *
 * Switching policy is safe at any time because nothing here sleeps:
 * every page comes off its lists through the old policy and goes back
 * on through the new one, oldest first. Pages reclaim holds at that
 * moment come back through the new policy's putback.
 */
#include "mm/evict.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memcg.h"
#include "mm/memcg_limit.h"

static const struct evict_ops *const policies[] = {
	&evict_lru_ops, &evict_fifo_ops, &evict_clock_ops, &evict_scanmru_ops,
};

static const struct evict_ops *policy = &evict_lru_ops;
static struct evict_lists machine;                        /* pages of no group */
static struct list_head all_lists = LIST_HEAD_INIT(all_lists);   /* machine's first */

static const struct evict_ops *
find_policy(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(policies); i++)
		if (strcmp(policies[i]->name, name) == 0)
			return policies[i];
	return NULL;
}

/* l starts empty under the policy in use, and global reclaim sees it. */
void
evict_lists_register(struct evict_lists *l)
{
	l->ops = policy;
	l->ops->init(l);
	list_add_tail(&l->link, &all_lists);
}

/* l, empty now, goes away. */
void
evict_lists_unregister(struct evict_lists *l)
{
	list_del(&l->link);
}

/* Sets up the machine's lists under the policy evict= names. Boot time, before any user page. */
void
evict_init(void)
{
	const char *name = karg_get("evict");

	if (name && !find_policy(name))
		pr_warn("evict: no policy \"%s\": using %s\n", name, policy->name);
	else if (name)
		policy = find_policy(name);
	evict_lists_register(&machine);
	pr_info("evict: replacement policy %s\n", policy->name);
}

const char *
evict_policy_name(void)
{
	return policy->name;
}

/* Moves every page of l from its policy's lists to ops's, oldest first. */
static void
switch_lists(struct evict_lists *l, const struct evict_ops *ops)
{
	struct list_head moving = LIST_HEAD_INIT(moving);
	struct page *p;

	for (int i = 0; i < l->nlists; i++) {
		while ((p = evict_list_oldest(&l->list[i])) != NULL) {
			l->ops->remove(l, p);
			p->flags &= ~PG_EVICT_POLICY;
			list_add_tail(&p->lru, &moving);
		}
	}
	l->ops = ops;
	ops->init(l);
	while (!list_empty(&moving)) {
		p = list_first_entry(&moving, struct page, lru);
		list_del(&p->lru);
		ops->add(l, p);
	}
}

/* /proc/sys/vm/evict_policy: runs policy name from now on. 0 or -EINVAL. */
int
evict_set_policy(const char *name)
{
	const struct evict_ops *ops = find_policy(name);
	struct list_head *pos;

	if (!ops)
		return -EINVAL;
	list_for_each(pos, &all_lists)
		switch_lists(list_entry(pos, struct evict_lists, link), ops);
	policy = ops;
	return 0;
}

/* The lists that manage p: its memory group's, or the machine's. */
struct evict_lists *
evict_lists_of(const struct page *p)
{
	return p->memcg ? &p->memcg->lists : &machine;
}

/*
 * p (mapped or cached just now) may be evicted from now on. Does nothing
 * if it already may, or if a locked region maps it (mm/mlock.c).
 */
void
evict_add(struct page *p)
{
	struct evict_lists *l = evict_lists_of(p);

	if (!(p->flags & (PG_LRU | PG_MLOCKED)))
		l->ops->add(l, p);
}

/* p is being freed: off the lists, if it is on them. */
void
evict_remove(struct page *p)
{
	struct evict_lists *l = evict_lists_of(p);

	if (p->flags & PG_LRU)
		l->ops->remove(l, p);
}

/* The group whose lists l are, or NULL for the machine's. */
static struct mem_cgroup *
owner_of(struct evict_lists *l)
{
	return l == &machine ? NULL : container_of(l, struct mem_cgroup, lists);
}

/* One turn over every set of lists, each asked for what its group's protection allows. */
static int
choose_from_all(enum evict_kind kind, int nr, struct page **victims, uint64_t *scanned,
		bool breach_low)
{
	struct list_head *pos;
	int n = 0;

	list_for_each(pos, &all_lists) {
		struct evict_lists *l = list_entry(pos, struct evict_lists, link);
		struct mem_cgroup *g = owner_of(l);
		bool below_low;
		int quota, got;
		if (n == nr)
			break;
		if (kind == EVICT_ANON && !memcg_may_swap(g))
			continue;                 /* its group is at memory.swap.max */
		quota = MIN(nr - n, memcg_global_quota(g, nr - n, breach_low, &below_low));
		got = quota > 0 ? l->ops->choose(l, kind, quota, victims + n, scanned) : 0;
		if (got && below_low)
			memcg_event(g, MEMCG_LOW);
		n += got;
	}
	return n;
}

/*
 * Global reclaim: up to nr pages of kind to evict, off the lists, in
 * victims[]; the policy looks at the machine's lists first, then at each
 * group's, as far as the group's memory.min and memory.low let it
 * (mm/memcg_protect.c: memory.low gives way only when there was nothing
 * else to look at). The first group goes to the back afterwards, so that
 * every group takes its turn. Adds the pages looked at to *scanned.
 * Returns how many victims.
 */
int
evict_choose(enum evict_kind kind, int nr, struct page **victims, uint64_t *scanned)
{
	uint64_t before = *scanned;
	int n = choose_from_all(kind, nr, victims, scanned, false);

	if (n == 0 && *scanned == before)
		n = choose_from_all(kind, nr, victims, scanned, true);
	if (machine.link.next != &all_lists && machine.link.next->next != &all_lists) {
		/* two groups or more: the first goes to the back */
		struct list_head *first = machine.link.next;
		list_del(first);
		list_add_tail(first, &all_lists);
	}
	return n;
}

/*
 * A victim that was not evicted goes back on its lists (unless a fault
 * already put it back while reclaim waited for its write, or a locked
 * region maps it now: mm/mlock.c).
 */
void
evict_putback(struct page *p)
{
	struct evict_lists *l = evict_lists_of(p);

	if (!(p->flags & (PG_LRU | PG_MLOCKED)))     /* locked meanwhile: it stays off */
		l->ops->putback(l, p);
}

/* p was used where no accessed bit records it (read() of a cached page). */
void
evict_accessed(struct page *p)
{
	struct evict_lists *l = evict_lists_of(p);

	if (l->ops->accessed)
		l->ops->accessed(l, p);
}

/* How many pages of kind l holds. */
uint64_t
evict_lists_count(const struct evict_lists *l, enum evict_kind kind)
{
	uint64_t n = 0;

	for (int i = 0; i < l->nlists; i++)
		if (l->list[i].kind == kind)
			n += l->list[i].nr;
	return n;
}

/*
 * How many pages of kind all the lists hold now that global reclaim could
 * take: anonymous pages of groups at memory.swap.max do not count (as
 * Linux's get_scan_count() scans no anonymous pages where none can swap).
 */
uint64_t
evict_count(enum evict_kind kind)
{
	struct list_head *pos;
	uint64_t n = 0;

	list_for_each(pos, &all_lists) {
		struct evict_lists *l = list_entry(pos, struct evict_lists, link);
		if (kind != EVICT_ANON || memcg_may_swap(owner_of(l)))
			n += evict_lists_count(l, kind);
	}
	return n;
}
