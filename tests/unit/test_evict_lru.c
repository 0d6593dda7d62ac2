/*
 * tests/unit/test_evict_lru.c - mm/evict_lru.c, the default replacement
 * policy, with a fake "referenced": page_referenced() here returns what
 * the test says each page's PTEs saw (and, like the real one, clears it).
 *
 * Worked cases check each branch of the decision (not used: victim; used
 * once: kept and marked; used again or through two PTEs: active), the
 * order pages are looked at (oldest first), aging of the active list,
 * putback, read() accesses, and that kinds never mix; a random run checks
 * the lists' invariants after every step against the pages' flags.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "mm/evict.h"

#define NPAGES 64

static struct page pg[NPAGES];
static int refs[NPAGES];             /* what the next page_referenced() returns */
static struct evict_lists lists;

/* The fake: how many PTEs used the page since the last look; clears them. */
int
page_referenced(struct page *p)
{
	int n = refs[p - pg];

	refs[p - pg] = 0;
	return n;
}

static void
setup(void)
{
	memset(pg, 0, sizeof(pg));
	memset(refs, 0, sizeof(refs));
	lists = (struct evict_lists){ .ops = &evict_lru_ops };
	evict_lru_ops.init(&lists);
}

static void
add(int i, bool anon)
{
	pg[i].flags = anon ? PG_ANON : 0;
	evict_lru_ops.add(&lists, &pg[i]);
}

static int
choose(enum evict_kind kind, int nr, int *victims)
{
	struct page *v[EVICT_BATCH_MAX];
	uint64_t scanned = 0;
	int n = evict_lru_ops.choose(&lists, kind, nr, v, &scanned);

	for (int i = 0; i < n; i++)
		victims[i] = (int)(v[i] - pg);
	return n;
}

static const struct evict_list *
named(const char *name)
{
	for (int i = 0; i < lists.nlists; i++)
		if (strcmp(lists.list[i].name, name) == 0)
			return &lists.list[i];
	return NULL;
}

static bool
is_active(int i)
{
	return pg[i].flags & PG_ACTIVE;
}

static void
names_four_lists_by_kind(void)
{
	setup();
	CHECK(lists.nlists == 4);
	CHECK(named("inactive_anon") && named("inactive_anon")->kind == EVICT_ANON);
	CHECK(named("active_anon") && named("active_anon")->kind == EVICT_ANON);
	CHECK(named("inactive_file") && named("inactive_file")->kind == EVICT_FILE);
	CHECK(named("active_file") && named("active_file")->kind == EVICT_FILE);
}

static void
unused_pages_go_oldest_first(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	for (int i = 0; i < 10; i++)
		add(i, true);
	CHECK(named("inactive_anon")->nr == 10);
	CHECK(choose(EVICT_ANON, 4, v) == 4);
	CHECK(v[0] == 0 && v[1] == 1 && v[2] == 2 && v[3] == 3);
	for (int i = 0; i < 4; i++)
		CHECK(!(pg[v[i]].flags & PG_LRU));
	CHECK(named("inactive_anon")->nr == 6);
}

static void
used_once_is_kept_and_marked_then_activated(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	add(0, true);
	add(1, true);
	refs[0] = 1;                         /* page 0 was used once */
	CHECK(choose(EVICT_ANON, 2, v) == 1 && v[0] == 1);
	CHECK((pg[0].flags & PG_REFERENCED) && (pg[0].flags & PG_LRU) && !is_active(0));
	refs[0] = 1;                         /* and again by the next look */
	CHECK(choose(EVICT_ANON, 1, v) == 0);
	CHECK(is_active(0) && !(pg[0].flags & PG_REFERENCED));
	CHECK(named("active_anon")->nr == 1 && named("inactive_anon")->nr == 0);
}

static void
marked_but_unused_is_reclaimed(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	add(0, true);
	refs[0] = 1;
	CHECK(choose(EVICT_ANON, 1, v) == 0);          /* marked */
	CHECK(choose(EVICT_ANON, 1, v) == 1 && v[0] == 0);   /* not used since: goes */
	CHECK(!(pg[0].flags & (PG_REFERENCED | PG_LRU)));
}

static void
two_ptes_at_once_activate_at_once(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	add(0, true);
	refs[0] = 2;                         /* shared after fork, both used it */
	CHECK(choose(EVICT_ANON, 1, v) == 0);
	CHECK(is_active(0));
}

static void
aging_moves_unused_active_pages_down(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	for (int i = 0; i < 4; i++) {        /* four active pages: 0 1 2 3, 3 newest */
		add(i, false);
		refs[i] = 2;
	}
	CHECK(choose(EVICT_FILE, 4, v) == 0);
	CHECK(named("active_file")->nr == 4 && named("inactive_file")->nr == 0);
	refs[1] = 1;                         /* only page 1 was used since */
	add(10, false);                      /* inactive (1) < active (4): age */
	CHECK(choose(EVICT_FILE, 2, v) == 2);
	/* Aged a whole batch, here all four: 1 used (back to the active
	 * head), 0, 2, 3 unused (down to the inactive head, in that order);
	 * then the two oldest of the inactive list: 10, then 0. */
	CHECK(is_active(1) && !is_active(0) && !is_active(2) && !is_active(3));
	CHECK(v[0] == 10 && v[1] == 0);
	CHECK(named("inactive_file")->nr == 2 && named("active_file")->nr == 1);
}

static void
kinds_never_mix(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	for (int i = 0; i < 8; i++)
		add(i, i % 2 == 0);              /* even: anon, odd: file */
	int n = choose(EVICT_FILE, 8, v);
	CHECK(n == 4);
	for (int i = 0; i < n; i++)
		CHECK(v[i] % 2 == 1);
	CHECK(named("inactive_anon")->nr == 4);
}

static void
putback_returns_to_the_inactive_head(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	for (int i = 0; i < 3; i++)
		add(i, true);
	CHECK(choose(EVICT_ANON, 1, v) == 1 && v[0] == 0);
	evict_lru_ops.putback(&lists, &pg[0]);     /* locked, say: not evicted */
	CHECK(pg[0].flags & PG_LRU);
	CHECK(choose(EVICT_ANON, 3, v) == 3 && v[0] == 1 && v[1] == 2 && v[2] == 0);
}

static void
remove_takes_a_page_off_any_list(void)
{
	int v[EVICT_BATCH_MAX];

	setup();
	add(0, true);
	add(1, true);
	refs[1] = 2;
	choose(EVICT_ANON, 2, v);                 /* 1 active, 0 chosen */
	evict_lru_ops.add(&lists, &pg[0]);
	evict_lru_ops.remove(&lists, &pg[1]);
	evict_lru_ops.remove(&lists, &pg[0]);
	CHECK(named("active_anon")->nr == 0 && named("inactive_anon")->nr == 0);
	CHECK(!(pg[0].flags & (PG_LRU | PG_ACTIVE)) && !(pg[1].flags & (PG_LRU | PG_ACTIVE)));
}

static void
read_accesses_mark_then_activate(void)
{
	setup();
	add(0, false);
	evict_lru_ops.accessed(&lists, &pg[0]);
	CHECK((pg[0].flags & PG_REFERENCED) && !is_active(0));
	evict_lru_ops.accessed(&lists, &pg[0]);
	CHECK(is_active(0) && !(pg[0].flags & PG_REFERENCED));
	CHECK(named("active_file")->nr == 1);
}

/* Every page with PG_LRU is on exactly the list its flags name; counts match. */
static bool
lists_consistent(void)
{
	uint64_t counted[EVICT_MAX_LISTS] = { 0 };

	for (int l = 0; l < lists.nlists; l++) {
		struct list_head *pos;
		list_for_each(pos, &lists.list[l].pages) {
			struct page *p = list_entry(pos, struct page, lru);
			bool anon = lists.list[l].kind == EVICT_ANON;
			bool active = strncmp(lists.list[l].name, "active", 6) == 0;
			if (!(p->flags & PG_LRU) || ((p->flags & PG_ANON) != 0) != anon ||
			    ((p->flags & PG_ACTIVE) != 0) != active)
				return false;
			counted[l]++;
		}
		if (counted[l] != lists.list[l].nr)
			return false;
	}
	uint64_t on = 0, total = 0;
	for (int i = 0; i < NPAGES; i++)
		on += (pg[i].flags & PG_LRU) != 0;
	for (int l = 0; l < lists.nlists; l++)
		total += counted[l];
	return on == total;
}

static void
random_operations_keep_the_lists_consistent(void)
{
	unsigned long long rng = 7;
	bool managed[NPAGES] = { false };
	int v[EVICT_BATCH_MAX];

	setup();
	for (int step = 0; step < 20000 && !unit_case_failed; step++) {
		int i = (int)(unit_xorshift(&rng) % NPAGES);
		switch (unit_xorshift(&rng) % 5) {
		case 0:
			if (!managed[i]) {
				add(i, i % 3 != 0);
				managed[i] = true;
			}
			break;
		case 1:
			if (managed[i] && (pg[i].flags & PG_LRU)) {
				evict_lru_ops.remove(&lists, &pg[i]);
				managed[i] = false;
			}
			break;
		case 2:
			refs[i] = (int)(unit_xorshift(&rng) % 3);
			break;
		case 3: {
			int n = choose(i % 2 ? EVICT_ANON : EVICT_FILE, 1 + i % 8, v);
			for (int k = 0; k < n; k++) {
				CHECK(managed[v[k]] && !(pg[v[k]].flags & PG_LRU));
				if (unit_xorshift(&rng) % 2)
					evict_lru_ops.putback(&lists, &pg[v[k]]);
				else
					managed[v[k]] = false;       /* evicted */
			}
			break;
		}
		default:
			if (pg[i].flags & PG_LRU)
				evict_lru_ops.accessed(&lists, &pg[i]);
			break;
		}
		CHECK(lists_consistent());
	}
}

int
main(void)
{
	RUN(names_four_lists_by_kind);
	RUN(unused_pages_go_oldest_first);
	RUN(used_once_is_kept_and_marked_then_activated);
	RUN(marked_but_unused_is_reclaimed);
	RUN(two_ptes_at_once_activate_at_once);
	RUN(aging_moves_unused_active_pages_down);
	RUN(kinds_never_mix);
	RUN(putback_returns_to_the_inactive_head);
	RUN(remove_takes_a_page_off_any_list);
	RUN(read_accesses_mark_then_activate);
	RUN(random_operations_keep_the_lists_consistent);
	UNIT_EXIT();
}
