/*
 * mm/evict_fifo.c - "fifo": evict the page that came in first.
 *
 *   [ newest ............................ oldest ]   one list per kind
 *     ^ add                                 choose ^
 *
 * The textbook's first policy, and its cautionary tale: it ignores use
 * altogether, so a page in constant use is thrown out as readily as one
 * touched once, and more frames can mean more faults (Belady's anomaly:
 * 1,2,3,4,1,2,5,1,2,3,4,5 faults 9 times in 3 frames, 10 times in 4;
 * docs/policies.md). A page reclaim could not evict after all (locked,
 * no swap slot) goes back as if it had just come in.
 */
#include "mm/evict.h"

static void
fifo_init(struct evict_lists *l)
{
	evict_init_per_kind(l, "fifo_anon", "fifo_file");
}

/* The nr oldest pages, whatever their use: every page looked at is a victim. */
static int
fifo_choose(struct evict_lists *l, enum evict_kind kind, int nr, struct page **victims,
	    uint64_t *scanned)
{
	struct page *p;
	int n = 0;

	while (n < nr && (p = evict_list_oldest(&l->list[kind])) != NULL) {
		evict_per_kind_remove(l, p);
		victims[n++] = p;
	}
	*scanned += (uint64_t)n;
	return n;
}

const struct evict_ops evict_fifo_ops = {
	.name = "fifo",
	.init = fifo_init,
	.add = evict_per_kind_add,
	.remove = evict_per_kind_remove,
	.choose = fifo_choose,
	.putback = evict_per_kind_add,
};
