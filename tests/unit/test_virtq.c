/*
 * tests/unit/test_virtq.c - virtq_need_event() of drivers/virtq.h: when
 * one side of a virtio ring must notify the other under VIRTIO_F_EVENT_IDX.
 *
 * The model says it the long way: walk the entries a step published,
 * old_idx, old_idx + 1, ..., new_idx - 1 (mod 65536), and notify if one of
 * them is event_idx. The formula must agree with it everywhere, and in
 * particular where the indexes wrap past 65535.
 */
#include "unit.h"
#include "drivers/virtq.h"

static unsigned long long rng = 2929;

/* The model: is event_idx among the n entries from old_idx on? */
static bool
model_need_event(uint16_t event_idx, uint16_t old_idx, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		if ((uint16_t)(old_idx + k) == event_idx)
			return true;
	return false;
}

static void
the_entry_asked_about_notifies(void)
{
	CHECK(virtq_need_event(5, 6, 5));        /* one entry, the one at 5 */
	CHECK(!virtq_need_event(5, 5, 4));       /* one entry, at 4: too early */
	CHECK(!virtq_need_event(5, 7, 6));       /* one entry, at 6: already past */
	CHECK(virtq_need_event(5, 9, 2));        /* entries 2..8 include 5 */
	CHECK(!virtq_need_event(5, 5, 5));       /* nothing published */
}

static void
wraps_at_65536(void)
{
	CHECK(virtq_need_event(65535, 0, 65535));   /* the entry at 65535, idx wraps to 0 */
	CHECK(virtq_need_event(65535, 3, 65534));   /* 65534, 65535, 0, 1, 2 */
	CHECK(virtq_need_event(1, 3, 65534));
	CHECK(!virtq_need_event(3, 3, 65534));      /* 3 is the next one, not published */
	CHECK(!virtq_need_event(65533, 3, 65534));  /* before old_idx */
}

static void
agrees_with_the_model(void)
{
	for (int i = 0; i < 200000; i++) {
		uint16_t old_idx = (uint16_t)unit_xorshift(&rng);
		/* Steps of up to a queue's worth (at most 32768, the largest queue). */
		unsigned n = (unsigned)(unit_xorshift(&rng) % 300);
		if (i % 1000 == 0)
			n = 32768;
		/* Events near the step, where the answer changes, and anywhere. */
		uint16_t event_idx = i % 2 ? (uint16_t)(old_idx + n - 2 + unit_xorshift(&rng) % 5)
					   : (uint16_t)unit_xorshift(&rng);
		uint16_t new_idx = (uint16_t)(old_idx + n);
		if (virtq_need_event(event_idx, new_idx, old_idx) !=
		    model_need_event(event_idx, old_idx, n)) {
			CHECK(!"formula and model disagree");
			printf("    event %u old %u new %u\n", event_idx, old_idx, new_idx);
			return;
		}
	}
}

int
main(void)
{
	RUN(the_entry_asked_about_notifies);
	RUN(wraps_at_65536);
	RUN(agrees_with_the_model);
	UNIT_EXIT();
}
