/*
 * mm/dirty_limits.h - how many dirty pages the flusher and writers allow,
 * as Linux's domain_dirty_limits() (mm/page-writeback.c) computes it. Pure
 * C: mm/writeback.c calls it with the knobs of /proc/sys/vm and the
 * dirtyable memory now; tests/unit/test_writeback.c checks it on the host.
 *
 *   limit       = dirty_bytes in pages (rounded up) if set,
 *                 else dirtyable * dirty_ratio / 100          writers wait above it
 *   background  = dirty_background_bytes in pages if set,
 *                 else dirtyable * dirty_background_ratio / 100   the flusher starts
 *   background >= limit  ->  background = limit / 2
 */
#ifndef MM_DIRTY_LIMITS_H
#define MM_DIRTY_LIMITS_H

#include "kernel/types.h"

struct dirty_knobs {
	unsigned background_ratio, ratio;     /* % of dirtyable memory */
	uint64_t background_bytes, bytes;     /* 0: the ratio counts */
};

static inline void
dirty_limits(const struct dirty_knobs *k, uint64_t dirtyable, uint64_t *background, uint64_t *limit)
{
	*limit = k->bytes ? (k->bytes + PAGE_SIZE - 1) / PAGE_SIZE : dirtyable * k->ratio / 100;
	*background = k->background_bytes ? (k->background_bytes + PAGE_SIZE - 1) / PAGE_SIZE
					  : dirtyable * k->background_ratio / 100;
	if (*background >= *limit)
		*background = *limit / 2;
}

#endif
