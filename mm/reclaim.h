/*
 * mm/reclaim.h - the one door through which user memory gets frames.
 */
#ifndef MM_RECLAIM_H
#define MM_RECLAIM_H

#include "mm/page.h"

struct page *alloc_user_page(bool zeroed);

#endif
