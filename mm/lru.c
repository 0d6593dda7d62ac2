/*
 * mm/lru.c - four LRU lists, as Linux keeps them.
 *
 *               anonymous memory           file pages (page cache)
 *   active:   [ hot ....... cooling ]    [ hot ....... cooling ]
 *                                 | aged: not referenced
 *   inactive: [ new ......... old ] -->  reclaim looks at the old end
 *              ^ new pages                  (tail) of the inactive lists
 *
 * A page starts on its inactive list. Reclaim (mm/reclaim.c) takes pages
 * from the tail; the accessed bits of the PTEs that map a page
 * (mm/rmap.c) give it a second chance: referenced since the last look ->
 * to the active list; not referenced -> reclaimed. When an inactive list
 * gets shorter than its active list, the tail of the active one is aged:
 * referenced pages go back to its head, the others down to inactive.
 *
 * The lists hold no reference: a page leaves its list when it is freed
 * (put_page). Interrupts off is the lock.
 */
#include "mm/lru.h"
#include "kernel/x86.h"

struct list_head lru_lists[NR_LRU_LISTS] = {
	LIST_HEAD_INIT(lru_lists[0]), LIST_HEAD_INIT(lru_lists[1]),
	LIST_HEAD_INIT(lru_lists[2]), LIST_HEAD_INIT(lru_lists[3]),
};
uint64_t lru_sizes[NR_LRU_LISTS];

enum lru_list
lru_of(const struct page *p)
{
	bool anon = p->flags & PG_ANON, active = p->flags & PG_ACTIVE;

	return anon ? (active ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON) :
		      (active ? LRU_ACTIVE_FILE : LRU_INACTIVE_FILE);
}

/* Puts a page on the head of its inactive list. */
void
lru_add(struct page *p)
{
	uint64_t flags = irq_save();

	if (!(p->flags & PG_LRU)) {
		p->flags = (p->flags & ~PG_ACTIVE) | PG_LRU;
		list_add(&p->lru, &lru_lists[lru_of(p)]);
		lru_sizes[lru_of(p)]++;
	}
	irq_restore(flags);
}

void
lru_del(struct page *p)
{
	uint64_t flags = irq_save();

	if (p->flags & PG_LRU) {
		list_del(&p->lru);
		lru_sizes[lru_of(p)]--;
		p->flags &= ~(PG_LRU | PG_ACTIVE);
	}
	irq_restore(flags);
}

/* Moves a page to the active or inactive list of its kind, head or tail. */
void
lru_move(struct page *p, bool active, bool to_head)
{
	uint64_t flags = irq_save();

	if (p->flags & PG_LRU) {
		list_del(&p->lru);
		lru_sizes[lru_of(p)]--;
		p->flags = active ? p->flags | PG_ACTIVE : p->flags & ~PG_ACTIVE;
		if (to_head)
			list_add(&p->lru, &lru_lists[lru_of(p)]);
		else
			list_add_tail(&p->lru, &lru_lists[lru_of(p)]);
		lru_sizes[lru_of(p)]++;
	}
	irq_restore(flags);
}
