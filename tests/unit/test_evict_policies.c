/*
 * tests/unit/test_evict_policies.c - the other replacement policies:
 * mm/evict_fifo.c, mm/evict_clock.c and mm/evict_scanmru.c, with the same
 * fake "referenced" as test_evict_lru.c (each page's accessed bits are
 * what the test says, and a look clears them).
 *
 * The worked cases check each policy's rule. The replay cases run a
 * reference string the way local replacement does in the kernel (a
 * fault with every frame in use evicts one page, chosen with nr = 1; a
 * touch sets the page's accessed bit) and check the textbook's fault
 * counts: FIFO's Belady anomaly (9 faults with 3 frames, 10 with 4) and
 * Silberschatz's string (FIFO 15 with 3 frames).
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "mm/evict.h"

#define NPAGES 64

static struct page pg[NPAGES];
static int refs[NPAGES];
static struct evict_lists lists;
static const struct evict_ops *ops;
static uint64_t index_step = 100;    /* page i is at page number i * index_step */

int
page_referenced(struct page *p)
{
	int n = refs[p - pg];

	refs[p - pg] = 0;
	return n;
}

static void
setup(const struct evict_ops *o)
{
	memset(pg, 0, sizeof(pg));
	memset(refs, 0, sizeof(refs));
	ops = o;
	lists = (struct evict_lists){ .ops = o };
	o->init(&lists);
	for (int i = 0; i < NPAGES; i++)
		pg[i].index = (uint64_t)i * index_step;   /* far apart: no scans unless a test says */
}

static void
add(int i)
{
	pg[i].flags = PG_ANON;
	ops->add(&lists, &pg[i]);
}

/* The one victim choose(nr = 1) gives, or -1. */
static int
choose_one(void)
{
	struct page *v;
	uint64_t scanned = 0;

	return ops->choose(&lists, EVICT_ANON, 1, &v, &scanned) ? (int)(v - pg) : -1;
}

/*
 * Replays s (pages < NPAGES) with frames frames as the kernel's local
 * replacement does; returns the faults, or -1 if the policy found no
 * victim.
 */
static int
replay(const struct evict_ops *o, const int *s, int n, int frames)
{
	bool resident[NPAGES] = { false };
	int faults = 0, used = 0;

	setup(o);
	for (int i = 0; i < n; i++) {
		int p = s[i];
		if (!resident[p]) {
			faults++;
			if (used == frames) {
				int v = choose_one();
				for (int tries = 1; v < 0 && tries <= 2 * NPAGES; tries++)
					v = choose_one();      /* a policy may need looks */
				if (v < 0)
					return -1;             /* no victim at all: a broken policy */
				resident[v] = false;
				used--;
			}
			add(p);
			resident[p] = true;
			used++;
		}
		refs[p] = 1;                         /* the touch sets the accessed bit */
	}
	return faults;
}

static const int belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
static const int silberschatz[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1 };
#define LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void
fifo_evicts_in_arrival_order_whatever_the_use(void)
{
	setup(&evict_fifo_ops);
	add(1);
	add(2);
	add(3);
	refs[1] = refs[2] = refs[3] = 1;
	CHECK(choose_one() == 1);
	CHECK(choose_one() == 2);
	ops->putback(&lists, &pg[2]);         /* could not go: back as if new */
	CHECK(choose_one() == 3);
	CHECK(choose_one() == 2);
	CHECK(choose_one() == -1);
}

static void
fifo_shows_beladys_anomaly(void)
{
	CHECK(replay(&evict_fifo_ops, belady, LEN(belady), 3) == 9);
	CHECK(replay(&evict_fifo_ops, belady, LEN(belady), 4) == 10);
	CHECK(replay(&evict_fifo_ops, silberschatz, LEN(silberschatz), 3) == 15);
}

static void
clock_gives_used_pages_a_second_chance(void)
{
	setup(&evict_clock_ops);
	add(1);
	add(2);
	add(3);
	refs[1] = 1;                          /* 1 was used: the hand passes it, clearing */
	CHECK(choose_one() == 2);
	CHECK(refs[1] == 0 && (pg[1].flags & PG_LRU));
	refs[3] = 1;
	CHECK(choose_one() == 1);             /* 3 passed over; 1's chance was used up */
}

static void
clock_finds_a_victim_when_every_page_was_used(void)
{
	setup(&evict_clock_ops);
	for (int i = 0; i < 4; i++) {
		add(i);
		refs[i] = 1;
	}
	CHECK(choose_one() == 0);             /* a full sweep clears them all: FIFO order */
	CHECK(choose_one() == 1);
}

static void
clock_matches_the_simulator(void)
{
	/* tools/policysim -p clock: 14 faults with 3 frames, 9 with 4; 9 and 10 on Belady's. */
	CHECK(replay(&evict_clock_ops, silberschatz, LEN(silberschatz), 3) == 14);
	CHECK(replay(&evict_clock_ops, silberschatz, LEN(silberschatz), 4) == 9);
	CHECK(replay(&evict_clock_ops, belady, LEN(belady), 3) == 9);
}

/* Adds pages first..first+n-1 at consecutive page numbers: a scan once 32 came in a row. */
static void
add_scan(int first, int n)
{
	for (int i = first; i < first + n; i++) {
		pg[i].index = 5000 + (uint64_t)i;
		add(i);
	}
}

static void
scanmru_puts_a_scan_on_its_stack_and_evicts_the_newest(void)
{
	setup(&evict_scanmru_ops);
	add(60);                              /* not part of the scan */
	add_scan(0, 40);
	CHECK(pg[31].flags & PG_SCAN);        /* the 32nd in a row is a scan page */
	CHECK(!(pg[30].flags & PG_SCAN) && !(pg[60].flags & PG_SCAN));
	CHECK(choose_one() == 39);            /* most recently used first */
	CHECK(choose_one() == 38);
}

static void
scanmru_promotes_a_scan_page_used_again(void)
{
	setup(&evict_scanmru_ops);
	add_scan(0, 40);
	refs[39] = 1;                         /* the newest is the victim, used or not */
	refs[38] = 1;                         /* used again after the next page came in */
	CHECK(choose_one() == 39);
	CHECK(choose_one() == 37);
	CHECK((pg[38].flags & PG_LRU) && !(pg[38].flags & PG_SCAN));
}

static void
scanmru_sees_no_scan_in_backward_or_scattered_pages(void)
{
	setup(&evict_scanmru_ops);
	for (int i = 0; i < 40; i++) {
		pg[i].index = 9000 - (uint64_t)i;   /* descending */
		add(i);
	}
	for (int i = 0; i < 40; i++)
		CHECK(!(pg[i].flags & PG_SCAN));
	CHECK(choose_one() == 0);             /* lru2: the oldest unused */
}

static void
scanmru_is_lru2_without_scans(void)
{
	int random_string[200];
	unsigned x = 12345;

	for (int i = 0; i < LEN(random_string); i++) {
		x = x * 1103515245 + 12345;
		random_string[i] = (int)(x >> 16) % 12;
	}
	CHECK(replay(&evict_scanmru_ops, random_string, LEN(random_string), 5) ==
	      replay(&evict_lru_ops, random_string, LEN(random_string), 5));
}

static void
scanmru_keeps_most_of_a_loop_resident(void)
{
	int loop[3 * 48];

	for (int i = 0; i < LEN(loop); i++)
		loop[i] = i % 48;
	/* Three passes over 48 consecutive pages in 40 frames: LRU faults on
	 * every reference (144), OPT 48 + 2 * 9 = 66 (tools/policysim). */
	index_step = 1;
	CHECK(replay(&evict_lru_ops, loop, LEN(loop), 40) == 144);
	CHECK(replay(&evict_scanmru_ops, loop, LEN(loop), 40) <= 66 * 3 / 2);
	index_step = 100;
}

int
main(void)
{
	RUN(fifo_evicts_in_arrival_order_whatever_the_use);
	RUN(fifo_shows_beladys_anomaly);
	RUN(clock_gives_used_pages_a_second_chance);
	RUN(clock_finds_a_victim_when_every_page_was_used);
	RUN(clock_matches_the_simulator);
	RUN(scanmru_puts_a_scan_on_its_stack_and_evicts_the_newest);
	RUN(scanmru_promotes_a_scan_page_used_again);
	RUN(scanmru_sees_no_scan_in_backward_or_scattered_pages);
	RUN(scanmru_is_lru2_without_scans);
	RUN(scanmru_keeps_most_of_a_loop_resident);
	UNIT_EXIT();
}
