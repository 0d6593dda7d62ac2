/*
 * mm/evict.h - which page to evict: the interface between reclaim and a
 * replacement policy.
 *
 * Reclaim (mm/reclaim.c) knows how to evict a page - drop a clean file
 * page, swap an anonymous one out - but not which. A policy knows which,
 * and nothing of how. Every user page that may be evicted is on the
 * policy's lists from the moment it is mapped or cached until it is
 * freed (PG_LRU says so):
 *
 *   fault / swap-in / page cache --add--> [ the policy's lists ]
 *   reclaim <--choose(kind, n)-- victims, taken off the lists
 *   reclaim --putback--> a victim that could not be evicted after all
 *   put_page --remove--> a page freed while on the lists
 *   read() of a cached page --accessed--> (no PTE saw that use)
 *
 * The policy owns the whole evict-or-keep decision: today's default,
 * "lru2" (mm/evict_lru.c), keeps Linux's active and inactive lists and
 * gives referenced pages second chances; a FIFO policy would give none.
 * Each policy is one file with one struct evict_ops. Its lists live in a
 * struct evict_lists, named so that /proc, GDB and the tests can show
 * any policy's lists the same way: one set for the machine, one per
 * memory group (mm/memcg.c; evict_lists_of() says which a page is on).
 *
 * Policies are plain C over struct page and lists, tested on the host
 * (tests/unit/test_evict_lru.c). They call page_referenced() (mm/rmap.c)
 * to learn whether a page was used; they do not sleep. No interrupt
 * handler touches the lists, so no interrupt masking is needed: a task
 * keeps the CPU until it sleeps (docs/memory.md, "Concurrency").
 */
#ifndef MM_EVICT_H
#define MM_EVICT_H

#include "kernel/list.h"
#include "mm/page.h"

enum evict_kind { EVICT_ANON, EVICT_FILE, NR_EVICT_KINDS };

struct evict_list {
	const char *name;            /* "inactive_anon" */
	enum evict_kind kind;        /* what it holds */
	struct list_head pages;      /* head: newest */
	uint64_t nr;
};

#define EVICT_MAX_LISTS 8
#define EVICT_BATCH_MAX 32   /* pages one choose() looks at, at most (one reclaim batch) */

/* Which pages came in one after the other: what scanmru watches for scans. */
struct evict_run {
	const void *owner;           /* the file or anonymous family of the last page added */
	uint64_t index;              /* ... and its page number there */
	uint32_t length;             /* pages added so far, each close to the one before */
	struct page *last;           /* the last page added as part of a scan, or NULL */
};

/* The pages one policy manages, in its lists (ops->init names them). */
struct evict_lists {
	const struct evict_ops *ops;
	struct evict_list list[EVICT_MAX_LISTS];
	int nlists;
	struct evict_run run;        /* a policy's own use (scanmru) */
	struct list_head link;       /* in mm/evict.c's list of all lists */
};

struct evict_ops {
	const char *name;            /* as in evict=NAME */
	void (*init)(struct evict_lists *l);
	/* A page starts being managed (PG_LRU not set yet; the op sets it). */
	void (*add)(struct evict_lists *l, struct page *p);
	/* It stops: freed while on the lists (the op clears PG_LRU). */
	void (*remove)(struct evict_lists *l, struct page *p);
	/* Looks at up to nr pages of kind (adding the number to *scanned) and
	 * returns those to evict in victims[], taken off the lists (PG_LRU
	 * clear). Those it keeps stay on the lists, where it decides. */
	int (*choose)(struct evict_lists *l, enum evict_kind kind, int nr,
		      struct page **victims, uint64_t *scanned);
	/* A victim reclaim could not evict (locked, mapped again ...) comes back. */
	void (*putback)(struct evict_lists *l, struct page *p);
	/* The page was used where no accessed bit could see it (read()). */
	void (*accessed)(struct evict_lists *l, struct page *p);
};

/* Policies (one file each). */
extern const struct evict_ops evict_lru_ops, evict_fifo_ops, evict_clock_ops, evict_scanmru_ops;

/* For policies: a page joins a list at its head, or leaves it. */
static inline void
evict_list_add(struct evict_list *list, struct page *p)
{
	list_add(&p->lru, &list->pages);
	list->nr++;
}

static inline void
evict_list_del(struct evict_list *list, struct page *p)
{
	list_del(&p->lru);
	list->nr--;
}

/* The oldest page of a list (its tail), or NULL. */
static inline struct page *
evict_list_oldest(struct evict_list *list)
{
	return list_empty(&list->pages) ? NULL : list_entry(list->pages.prev, struct page, lru);
}

/* Shared memory has no file to go back to: like anonymous memory, it can only go to swap. */
static inline enum evict_kind
evict_kind_of(const struct page *p)
{
	return (p->flags & (PG_ANON | PG_SHMEM)) ? EVICT_ANON : EVICT_FILE;
}

/*
 * For policies with one list per kind (fifo, clock): list[EVICT_ANON] and
 * list[EVICT_FILE], named anon and file; a page joins its kind's list at
 * the head and leaves it from anywhere.
 */
static inline void
evict_init_per_kind(struct evict_lists *l, const char *anon, const char *file)
{
	l->nlists = NR_EVICT_KINDS;
	l->list[EVICT_ANON] = (struct evict_list){ .name = anon, .kind = EVICT_ANON };
	l->list[EVICT_FILE] = (struct evict_list){ .name = file, .kind = EVICT_FILE };
	for (int i = 0; i < NR_EVICT_KINDS; i++)
		list_init(&l->list[i].pages);
}

static inline void
evict_per_kind_add(struct evict_lists *l, struct page *p)
{
	p->flags |= PG_LRU;
	evict_list_add(&l->list[evict_kind_of(p)], p);
}

static inline void
evict_per_kind_remove(struct evict_lists *l, struct page *p)
{
	evict_list_del(&l->list[evict_kind_of(p)], p);
	p->flags &= ~PG_LRU;
}

/* What the rest of mm calls (mm/evict.c). None of them sleeps. */
void evict_init(void);
const char *evict_policy_name(void);
int evict_set_policy(const char *name);
void evict_lists_register(struct evict_lists *l);
void evict_lists_unregister(struct evict_lists *l);
struct evict_lists *evict_lists_of(const struct page *p);
void evict_add(struct page *p);
void evict_remove(struct page *p);
int evict_choose(enum evict_kind kind, int nr, struct page **victims, uint64_t *scanned);
void evict_putback(struct page *p);
void evict_accessed(struct page *p);
uint64_t evict_count(enum evict_kind kind);
uint64_t evict_lists_count(const struct evict_lists *l, enum evict_kind kind);

#endif
