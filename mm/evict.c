/*
 * mm/evict.c - the front of the replacement policies: which one runs,
 * and the calls the rest of mm makes (mm/evict.h says what each means).
 *
 * Everything here forwards to the policy's ops on the lists a page
 * belongs to. Today that is one set for the whole machine; when memory
 * groups come, evict_lists_of() will return the page's group's lists and
 * nothing else changes. None of these functions sleeps.
 */
#include "mm/evict.h"
#include "kernel/printk.h"

static struct evict_lists lists;

/* Sets up the policy's lists. Boot time, before any user page exists. */
void
evict_init(void)
{
	lists.ops = &evict_lru_ops;
	lists.ops->init(&lists);
	pr_info("evict: replacement policy %s\n", lists.ops->name);
}

const char *
evict_policy_name(void)
{
	return lists.ops->name;
}

/* The lists that manage p (later: its memory group's). */
struct evict_lists *
evict_lists_of(const struct page *p)
{
	return &lists;
}

/* p (mapped or cached just now) may be evicted from now on. Does nothing if it already may. */
void
evict_add(struct page *p)
{
	struct evict_lists *l = evict_lists_of(p);

	if (!(p->flags & PG_LRU))
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

/*
 * Up to nr pages of kind to evict, off the lists, in victims[]; looks at
 * up to nr pages (added to *scanned). Returns how many victims.
 */
int
evict_choose(enum evict_kind kind, int nr, struct page **victims, uint64_t *scanned)
{
	return lists.ops->choose(&lists, kind, nr, victims, scanned);
}

/*
 * A victim that was not evicted goes back on its lists (unless a fault
 * already put it back while reclaim waited for its write).
 */
void
evict_putback(struct page *p)
{
	struct evict_lists *l = evict_lists_of(p);

	if (!(p->flags & PG_LRU))
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

/* How many pages of kind the policy holds now. */
uint64_t
evict_count(enum evict_kind kind)
{
	uint64_t n = 0;

	for (int i = 0; i < lists.nlists; i++)
		if (lists.list[i].kind == kind)
			n += lists.list[i].nr;
	return n;
}
