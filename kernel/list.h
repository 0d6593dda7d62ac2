/*
 * kernel/list.h - intrusive doubly-linked lists, as in Linux and xv6's
 * successors: the links live inside the object, so putting a page on a
 * free list or an LRU list never allocates.
 *
 *     head <-> a.lru <-> b.lru <-> c.lru <-> (back to head)
 *
 * list_entry(node, struct page, lru) gets from the links back to the page.
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <stddef.h>
#include <stdbool.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

static inline void
list_init(struct list_head *h)
{
	h->next = h->prev = h;
}

static inline bool
list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void
list_insert_between(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

/* Adds n right after h: the front of the list. */
static inline void
list_add(struct list_head *n, struct list_head *h)
{
	list_insert_between(n, h, h->next);
}

/* Adds n right before h: the back of the list. */
static inline void
list_add_tail(struct list_head *n, struct list_head *h)
{
	list_insert_between(n, h->prev, h);
}

static inline void
list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

/* The struct of type that ptr's member is in. */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define list_entry(ptr, type, member) container_of(ptr, type, member)

#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)

#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)

#define list_for_each_safe(pos, tmp, head) \
	for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

#endif
