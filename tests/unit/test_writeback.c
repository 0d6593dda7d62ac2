/*
 * tests/unit/test_writeback.c - the pure parts of writeback: the dirty
 * limits (mm/dirty_limits.h, Linux's domain_dirty_limits()) and the
 * error sequence every open file description reads (mm/errseq.h, Linux's
 * lib/errseq.c), against what Linux's code gives.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "mm/dirty_limits.h"
#include "mm/errseq.h"

#define EIO 5
#define ENOSPC 28

static void
ratios_of_dirtyable_memory(void)
{
	struct dirty_knobs k = { .background_ratio = 10, .ratio = 20 };
	uint64_t bg, limit;

	dirty_limits(&k, 6000, &bg, &limit);
	CHECK(limit == 1200 && bg == 600);
	dirty_limits(&k, 0, &bg, &limit);
	CHECK(limit == 0 && bg == 0);
	dirty_limits(&k, 9, &bg, &limit);          /* rounded down, as Linux's integer math */
	CHECK(limit == 1 && bg == 0);
}

static void
bytes_replace_ratios(void)
{
	struct dirty_knobs k = { .background_ratio = 10, .ratio = 0, .bytes = 8 << 20 };
	uint64_t bg, limit;

	dirty_limits(&k, 6000, &bg, &limit);
	CHECK(limit == 2048 && bg == 600);
	k.bytes = 8193;                              /* a part of a page counts as a page */
	dirty_limits(&k, 6000, &bg, &limit);
	CHECK(limit == 3);
	k = (struct dirty_knobs){ .background_bytes = 1 << 20, .ratio = 20 };
	dirty_limits(&k, 6000, &bg, &limit);
	CHECK(limit == 1200 && bg == 256);
}

static void
background_not_below_limit_halves(void)
{
	struct dirty_knobs k = { .background_ratio = 30, .ratio = 20 };
	uint64_t bg, limit;

	dirty_limits(&k, 6000, &bg, &limit);
	CHECK(limit == 1200 && bg == 600);
	k.background_ratio = 20;                     /* equal: halved too */
	dirty_limits(&k, 6000, &bg, &limit);
	CHECK(bg == 600);
}

/* No error ever: every looker sees 0. */
static void
errseq_quiet(void)
{
	errseq_t e = { 0 };
	errseq_t a = errseq_sample(&e);

	CHECK(errseq_check_and_advance(&e, &a) == 0);
	CHECK(e.val == 0);
}

/* Two lookers open before an error each see it once; a third opened after it was seen does not. */
static void
errseq_once_per_looker(void)
{
	errseq_t e = { 0 };
	errseq_t a = errseq_sample(&e), b = errseq_sample(&e), c;

	errseq_set(&e, -EIO);
	CHECK(errseq_check_and_advance(&e, &a) == -EIO);
	CHECK(errseq_check_and_advance(&e, &a) == 0);
	c = errseq_sample(&e);
	CHECK(errseq_check_and_advance(&e, &b) == -EIO);
	CHECK(errseq_check_and_advance(&e, &b) == 0);
	CHECK(errseq_check_and_advance(&e, &c) == 0);
}

/* An error nobody has seen yet is reported to a looker that opens after it (Linux's errseq_sample). */
static void
errseq_unseen_error_reaches_new_looker(void)
{
	errseq_t e = { 0 };
	errseq_t a;

	errseq_set(&e, -EIO);
	a = errseq_sample(&e);
	CHECK(a.val == 0);
	CHECK(errseq_check_and_advance(&e, &a) == -EIO);
}

/* A second error after the first was seen is new (the counter moved); one before is the same. */
static void
errseq_counter_tells_new_from_same(void)
{
	errseq_t e = { 0 };
	errseq_t a = errseq_sample(&e), b = errseq_sample(&e);

	errseq_set(&e, -EIO);
	uint32_t first = e.val;
	errseq_set(&e, -ENOSPC);                     /* not seen yet: no new count, the latest errno */
	CHECK((e.val & ~ERRSEQ_MAX_ERRNO) == (first & ~ERRSEQ_MAX_ERRNO));
	CHECK(errseq_check_and_advance(&e, &a) == -ENOSPC);
	errseq_set(&e, -EIO);                        /* seen: a new error */
	CHECK((e.val & ~(ERRSEQ_MAX_ERRNO | ERRSEQ_SEEN)) == (first & ~ERRSEQ_MAX_ERRNO) + ERRSEQ_CTR_INC);
	CHECK(errseq_check_and_advance(&e, &a) == -EIO);
	CHECK(errseq_check_and_advance(&e, &b) == -EIO);
	CHECK(errseq_check_and_advance(&e, &b) == 0);
}

int
main(void)
{
	RUN(ratios_of_dirtyable_memory);
	RUN(bytes_replace_ratios);
	RUN(background_not_below_limit_halves);
	RUN(errseq_quiet);
	RUN(errseq_once_per_looker);
	RUN(errseq_unseen_error_reaches_new_looker);
	RUN(errseq_counter_tells_new_from_same);
	UNIT_EXIT();
}
