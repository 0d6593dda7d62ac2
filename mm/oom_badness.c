/*
 * mm/oom_badness.c - the badness of a process: how much the OOM killer
 * wants to kill it (Linux's oom_badness()).
 *
 * Badness is the memory that killing the process would give back, in
 * pages, moved up or down by the process's oom_score_adj:
 *
 *   points = resident pages + swap entries + page-table pages
 *            + oom_score_adj * totalpages / 1000
 *
 * totalpages is RAM plus swap, so oom_score_adj is a share of all memory
 * in thousandths: +1000 outweighs any real usage, -500 forgives half of
 * everything. Swap entries count because exiting frees their slots:
 * when swap is full, the process hoarding it is the one to kill.
 *
 * mm/oom.c decides who may be killed at all (not init, not kernel
 * threads) and picks the highest score. This file is only the
 * arithmetic: pure C, tested on the host (tests/unit/test_oom_badness.c).
 */
#include "mm/oom_badness.h"

/* LAB 8 BEGIN: page_table_pages(u): the page tables killing it would free, estimated */
/*
 * Page tables it would free, estimated: the lowest-level table of each
 * region, plus one table for every 512 resident pages (a table maps 512).
 */
static uint64_t
page_table_pages(const struct oom_usage *u)
{
	return u->nvmas + u->rss / 512;
}
/* LAB 8 END */

/*
 * Points for a process using u, with oom_score_adj (-1000..1000), where
 * totalpages is RAM + swap in pages. Returns -1 for OOM_SCORE_ADJ_MIN
 * (never kill it), else at least 1: a process that may be killed always
 * beats having no victim, however far a negative adjustment pulls it.
 */
long
oom_badness_points(const struct oom_usage *u, int oom_score_adj, uint64_t totalpages)
{
	/* LAB 8 BEGIN: the badness formula, the exemption at -1000 and the clamp to 1 */
	long points;

	if (oom_score_adj == OOM_SCORE_ADJ_MIN)
		return -1;
	points = (long)(u->rss + u->swap_ents + page_table_pages(u));
	points += (long)oom_score_adj * (long)totalpages / 1000;
	return points > 0 ? points : 1;
	/* LAB 8 STUB: (void)u; (void)oom_score_adj; (void)totalpages; */
	/* LAB 8 STUB: return 0; */
	/* LAB 8 END */
}
