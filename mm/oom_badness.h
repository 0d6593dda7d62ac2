/*
 * mm/oom_badness.h - the OOM killer's badness formula.
 */
#ifndef MM_OOM_BADNESS_H
#define MM_OOM_BADNESS_H

#include "kernel/types.h"

#define OOM_SCORE_ADJ_MIN (-1000)     /* never kill */
#define OOM_SCORE_ADJ_MAX 1000

/* What killing a process would give back, in pages. */
struct oom_usage {
	uint64_t rss;                 /* resident pages it maps */
	uint64_t swap_ents;           /* swap slots its page tables hold */
	uint64_t nvmas;               /* its memory regions */
};

long oom_badness_points(const struct oom_usage *u, int oom_score_adj, uint64_t totalpages);

#endif
