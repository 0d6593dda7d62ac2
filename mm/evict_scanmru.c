/*
 * mm/evict_scanmru.c - "scanmru": lru2, plus most-recently-used eviction
 * for pages that came in with a scan - the idea of SEQ (Glass and Cao,
 * "Adaptive page replacement based on memory reference behavior",
 * SIGMETRICS 1997).
 *
 * LRU is at its worst on a loop over more pages than memory holds: each
 * page is evicted just before it is used again, and every access faults.
 * The best choice there (Belady's OPT) evicts the page used longest from
 * now - in a loop, the most recently used one - so that most of the loop
 * stays in memory and only the rest cycles through one frame.
 *
 * A scan shows up as pages brought in one after the other at rising page
 * numbers of one file or one anonymous family (SCAN_RUN of them, each at
 * most SCAN_GAP past the one before, so that pages still in memory, or
 * read ahead, do not break the run). Those pages go on a scan stack of their own and are
 * evicted newest first; every other page lives on lru2's lists:
 *
 *   lru2's lists (mm/evict_lru.c)              scan stack, per kind
 *   active   [ ... ]                           [ newest ... oldest ]
 *   inactive [ ... ] <-- a scan page used        ^ choose() takes from here first
 *                        again is promoted
 *
 * A scan page used again since it came in is not part of a scan after all:
 * when it reaches the head of the stack it moves to lru2's inactive list
 * instead of being evicted. (Its accessed bit is cleared as soon as the
 * next scan page comes in, so the access that brought it in does not
 * count.) On a loop over twice the memory this keeps half the loop
 * resident (docs/policies.md).
 */
#include "mm/evict.h"
#include "mm/rmap.h"

#define SCAN_RUN 32        /* pages in a row before they count as a scan: one reclaim batch */
#define SCAN_GAP 16        /* how far apart "in a row" may be: twice a readahead window */

enum { SCAN_ANON = 4, SCAN_FILE = 5, NR_SCANMRU_LISTS };

static struct evict_list *
stack_of(struct evict_lists *l, enum evict_kind kind)
{
	return &l->list[kind == EVICT_ANON ? SCAN_ANON : SCAN_FILE];
}

static void
scanmru_init(struct evict_lists *l)
{
	evict_lru_ops.init(l);              /* lists 0..3 */
	l->list[SCAN_ANON] = (struct evict_list){ .name = "scan_anon", .kind = EVICT_ANON };
	l->list[SCAN_FILE] = (struct evict_list){ .name = "scan_file", .kind = EVICT_FILE };
	list_init(&l->list[SCAN_ANON].pages);
	list_init(&l->list[SCAN_FILE].pages);
	l->nlists = NR_SCANMRU_LISTS;
	l->run = (struct evict_run){ 0 };
}

/* Does p continue the run of pages added before it: same owner, a little further on? */
static bool
continues_run(struct evict_run *run, const struct page *p)
{
	return p->owner == run->owner && p->index > run->index &&
	       p->index - run->index <= SCAN_GAP;
}

static void
scanmru_add(struct evict_lists *l, struct page *p)
{
	struct evict_run *run = &l->run;

	run->length = continues_run(run, p) ? run->length + 1 : 1;
	run->owner = p->owner;
	run->index = p->index;
	if (run->length < SCAN_RUN) {
		evict_lru_ops.add(l, p);
		return;
	}
	if (run->last)
		page_referenced(run->last);  /* its first use is over: from now on, a use is a reuse */
	p->flags |= PG_LRU | PG_SCAN;
	evict_list_add(stack_of(l, evict_kind_of(p)), p);
	run->last = p;
}

static void
scanmru_remove(struct evict_lists *l, struct page *p)
{
	if (!(p->flags & PG_SCAN)) {
		evict_lru_ops.remove(l, p);
		return;
	}
	evict_list_del(stack_of(l, evict_kind_of(p)), p);
	p->flags &= ~(PG_LRU | PG_SCAN);
	if (l->run.last == p)
		l->run.last = NULL;
}

/* The newest page of the scan stack that has not been used again, or NULL. */
static struct page *
newest_unused_scan_page(struct evict_lists *l, enum evict_kind kind, uint64_t *scanned)
{
	struct evict_list *stack = stack_of(l, kind);

	while (!list_empty(&stack->pages)) {
		struct page *p = list_first_entry(&stack->pages, struct page, lru);
		bool newest = p == l->run.last;
		(*scanned)++;
		scanmru_remove(l, p);
		if (newest || page_referenced(p) == 0)
			return p;
		evict_lru_ops.add(l, p);      /* used again: it was not a scan after all */
	}
	return NULL;
}

/* Scan pages first, newest first; then what lru2 chooses. */
static int
scanmru_choose(struct evict_lists *l, enum evict_kind kind, int nr, struct page **victims,
	       uint64_t *scanned)
{
	struct page *p;
	int n = 0;

	while (n < nr && (p = newest_unused_scan_page(l, kind, scanned)) != NULL)
		victims[n++] = p;
	if (n < nr)
		n += evict_lru_ops.choose(l, kind, nr - n, victims + n, scanned);
	return n;
}

/* A victim that stays goes back where pages that are not scans go. */
static void
scanmru_putback(struct evict_lists *l, struct page *p)
{
	evict_lru_ops.putback(l, p);
}

static void
scanmru_accessed(struct evict_lists *l, struct page *p)
{
	if (p->flags & PG_SCAN) {
		scanmru_remove(l, p);         /* read() again: not a scan page any more */
		evict_lru_ops.add(l, p);
	}
	evict_lru_ops.accessed(l, p);
}

const struct evict_ops evict_scanmru_ops = {
	.name = "scanmru",
	.init = scanmru_init,
	.add = scanmru_add,
	.remove = scanmru_remove,
	.choose = scanmru_choose,
	.putback = scanmru_putback,
	.accessed = scanmru_accessed,
};
