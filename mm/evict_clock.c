/*
 * mm/evict_clock.c - "clock": FIFO with a second chance for pages in use.
 *
 * The frames form a circle and a hand goes round it. At the page under
 * the hand: used since the hand last passed (its accessed bit set, in any
 * PTE that maps it) - clear the bit and move on; not used - that is the
 * victim. A new page takes the victim's place, just behind the hand, with
 * its accessed bit set by the access that brought it in.
 *
 *         +--> newest ... ... oldest --+        one list per kind: the
 *         |                            | hand   circle cut open at the
 *         +-- (second chance) <--------+        hand, which is the tail
 *
 * Here the circle is a list cut open at the hand: the tail is the page
 * under the hand, a page given a second chance moves to the head (it is
 * now just behind the hand), and so does a new page. The hardware's
 * accessed bit is exactly the bit the textbook algorithm keeps, so the
 * kernel's fault count equals a simulation's step for step
 * (tools/policysim.c; docs/policies.md).
 */
#include "mm/evict.h"
#include "mm/rmap.h"

static struct evict_list *
circle_of(struct evict_lists *l, enum evict_kind kind)
{
	return &l->list[kind];
}

static void
clock_init(struct evict_lists *l)
{
	l->nlists = NR_EVICT_KINDS;
	l->list[EVICT_ANON] = (struct evict_list){ .name = "clock_anon", .kind = EVICT_ANON };
	l->list[EVICT_FILE] = (struct evict_list){ .name = "clock_file", .kind = EVICT_FILE };
	for (int i = 0; i < NR_EVICT_KINDS; i++)
		list_init(&l->list[i].pages);
}

static void
clock_add(struct evict_lists *l, struct page *p)
{
	p->flags |= PG_LRU;
	evict_list_add(circle_of(l, evict_kind_of(p)), p);
}

static void
clock_remove(struct evict_lists *l, struct page *p)
{
	evict_list_del(circle_of(l, evict_kind_of(p)), p);
	p->flags &= ~PG_LRU;
}

/*
 * Moves the hand until it has nr victims. Every page it passes over has
 * its bit cleared, so two sweeps of the circle always find one (unless
 * the circle is empty).
 */
static int
clock_choose(struct evict_lists *l, enum evict_kind kind, int nr, struct page **victims,
	     uint64_t *scanned)
{
	struct evict_list *circle = circle_of(l, kind);
	uint64_t budget = 2 * circle->nr + 1;
	struct page *p;
	int n = 0;

	while (n < nr && budget-- > 0 && (p = evict_list_oldest(circle)) != NULL) {
		(*scanned)++;
		clock_remove(l, p);
		if (page_referenced(p) > 0)
			clock_add(l, p);              /* second chance: behind the hand */
		else
			victims[n++] = p;
	}
	return n;
}

const struct evict_ops evict_clock_ops = {
	.name = "clock",
	.init = clock_init,
	.add = clock_add,
	.remove = clock_remove,
	.choose = clock_choose,
	.putback = clock_add,
};
