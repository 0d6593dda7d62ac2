/*
 * mm/lru.h - the LRU lists: which pages were used least recently.
 */
#ifndef MM_LRU_H
#define MM_LRU_H

#include "kernel/list.h"
#include "mm/page.h"

enum lru_list {
	LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, NR_LRU_LISTS,
};

extern struct list_head lru_lists[NR_LRU_LISTS];
extern uint64_t lru_sizes[NR_LRU_LISTS];

void lru_add(struct page *p);
void lru_del(struct page *p);
void lru_move(struct page *p, bool active, bool to_head);
enum lru_list lru_of(const struct page *p);

#endif
