/*
 * mm/errseq.h - "did an error happen since I last looked?", for many
 * lookers at once: Linux's errseq_t (lib/errseq.c), which lets every open
 * file description of a file learn of a writeback error exactly once.
 *
 * Writeback fails long after write(2) returned, in the flusher, with no
 * process to tell. So the error is recorded in the file's mapping, and
 * each open file description keeps the value it saw last:
 *
 *    bit 31 ............ 13 | 12   | 11 ......... 0
 *        counter            | SEEN | errno (positive)
 *
 *   errseq_set()       an error: the errno goes in; the counter moves on
 *                      if the previous error was seen by someone, so a
 *                      looker can tell "the same error" from "a new one".
 *   errseq_sample()    at open: the current value, or 0 if its error has
 *                      not been seen yet (then the first fsync reports it).
 *   errseq_check_and_advance()  at fsync: the error if the value moved
 *                      since the looker's sample; marks it SEEN and the
 *                      looker is up to date (a second fsync says 0).
 *
 * Pure C, no locking (tests/unit/test_writeback.c runs it on the host):
 * a caller that may race with an interrupt handler (block completions
 * record errors) turns interrupts off around errseq_set.
 */
#ifndef MM_ERRSEQ_H
#define MM_ERRSEQ_H

#include "kernel/types.h"

typedef struct {
	uint32_t val;
} errseq_t;

#define ERRSEQ_MAX_ERRNO 4095u
#define ERRSEQ_SEEN      (1u << 12)
#define ERRSEQ_CTR_INC   (1u << 13)

/* Records err (negative errno). Never sleeps. */
static inline void
errseq_set(errseq_t *eseq, int err)
{
	uint32_t old = eseq->val;
	uint32_t new = (old & ~(ERRSEQ_MAX_ERRNO | ERRSEQ_SEEN)) | ((uint32_t)-err & ERRSEQ_MAX_ERRNO);

	if (old & ERRSEQ_SEEN)
		new += ERRSEQ_CTR_INC;
	eseq->val = new;
}

/* What a new looker starts from. Never sleeps. */
static inline errseq_t
errseq_sample(const errseq_t *eseq)
{
	uint32_t old = eseq->val;

	return (errseq_t){ (old & ERRSEQ_SEEN) ? old : 0 };
}

/* -errno if an error was recorded since *since (which is brought up to date), else 0. */
static inline int
errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
	uint32_t old = eseq->val;

	if (old == since->val)
		return 0;
	eseq->val = old | ERRSEQ_SEEN;
	since->val = old | ERRSEQ_SEEN;
	return -(int)(old & ERRSEQ_MAX_ERRNO);
}

#endif
