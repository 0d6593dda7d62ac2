/*
 * tests/unit/test_haltpoll.c - kernel/haltpoll.c: how long the idle task
 * polls before it halts, after idle periods of given lengths.
 *
 * Each row of the file's table: a short wait after the limit grows it
 * (from 50 us, doubling, up to the ceiling), a wait within it keeps it,
 * a long sleep halves it; with a ceiling of 0 (idle=halt) it never
 * polls. A long random sequence checks the limit stays within bounds.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "kernel/haltpoll.h"

static unsigned long long rng = 77;

static void
starts_without_polling(void)
{
	struct haltpoll hp;

	haltpoll_init(&hp, HALTPOLL_MAX_NS);
	CHECK(hp.limit_ns == 0);
}

static void
short_waits_grow_it_to_the_ceiling(void)
{
	struct haltpoll hp;

	haltpoll_init(&hp, HALTPOLL_MAX_NS);
	haltpoll_idled(&hp, 150000);            /* ended after the limit (0), within 200 us */
	CHECK(hp.limit_ns == 50000);
	haltpoll_idled(&hp, 150000);
	CHECK(hp.limit_ns == 100000);
	haltpoll_idled(&hp, 150000);
	CHECK(hp.limit_ns == 200000);           /* 200 us, not 200 */
	haltpoll_idled(&hp, 150000);            /* within the limit now: stays */
	CHECK(hp.limit_ns == 200000);
	haltpoll_idled(&hp, 199999);
	CHECK(hp.limit_ns == 200000);
}

static void
a_wait_within_the_limit_keeps_it(void)
{
	struct haltpoll hp;

	haltpoll_init(&hp, HALTPOLL_MAX_NS);
	haltpoll_idled(&hp, 10000);
	CHECK(hp.limit_ns == 50000);
	haltpoll_idled(&hp, 10000);             /* polling found it: no change */
	CHECK(hp.limit_ns == 50000);
	haltpoll_idled(&hp, 50000);
	CHECK(hp.limit_ns == 50000);
}

static void
long_sleeps_halve_it(void)
{
	struct haltpoll hp;

	haltpoll_init(&hp, HALTPOLL_MAX_NS);
	for (int i = 0; i < 3; i++)
		haltpoll_idled(&hp, 150000);
	CHECK(hp.limit_ns == 200000);
	haltpoll_idled(&hp, 10000000);          /* a 10 ms timer */
	CHECK(hp.limit_ns == 100000);
	haltpoll_idled(&hp, 10000000);
	CHECK(hp.limit_ns == 50000);
	haltpoll_idled(&hp, 10000000);
	CHECK(hp.limit_ns == 25000);
	for (int i = 0; i < 20; i++)
		haltpoll_idled(&hp, 10000000);
	CHECK(hp.limit_ns == 0);
	haltpoll_idled(&hp, 100000);            /* short again: from 50 us */
	CHECK(hp.limit_ns == 50000);
}

static void
ceiling_zero_never_polls(void)
{
	struct haltpoll hp;

	haltpoll_init(&hp, 0);
	haltpoll_idled(&hp, 0);
	CHECK(hp.limit_ns == 0);
	haltpoll_idled(&hp, 1000);
	CHECK(hp.limit_ns == 0);
	haltpoll_idled(&hp, 100000000);
	CHECK(hp.limit_ns == 0);
}

static void
random_periods_stay_in_bounds(void)
{
	struct haltpoll hp;

	haltpoll_init(&hp, HALTPOLL_MAX_NS);
	for (int step = 0; step < 100000 && !unit_case_failed; step++) {
		uint64_t before = hp.limit_ns, idle = unit_xorshift(&rng) % 400000;

		haltpoll_idled(&hp, idle);
		CHECK(hp.limit_ns <= HALTPOLL_MAX_NS);
		if (idle > HALTPOLL_MAX_NS)
			CHECK(hp.limit_ns == before / 2);
		else if (idle > before)
			CHECK(hp.limit_ns > before || hp.limit_ns == HALTPOLL_MAX_NS);
		else
			CHECK(hp.limit_ns == before);
	}
}

int
main(void)
{
	RUN(starts_without_polling);
	RUN(short_waits_grow_it_to_the_ceiling);
	RUN(a_wait_within_the_limit_keeps_it);
	RUN(long_sleeps_halve_it);
	RUN(ceiling_zero_never_polls);
	RUN(random_periods_stay_in_bounds);
	UNIT_EXIT();
}
