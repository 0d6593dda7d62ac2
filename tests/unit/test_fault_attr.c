/*
 * tests/unit/test_fault_attr.c - kernel/fault_attr.c: when a fault-
 * injection point forces a failure, with Linux's meanings of probability,
 * interval, space and times, and its kernel-argument format.
 *
 * Each knob is checked on its own (probability 100 and 0, every
 * interval-th call, space used up first, times counting down to zero and
 * -1 for no limit), then together; the random sequence must replay
 * exactly from the same seed and differ between points and seeds; and the
 * failure rate must be near the probability over many calls.
 */
#include <stdbool.h>
#include <stdint.h>
#include "unit.h"
#include "kernel/fault_attr.h"

static struct fault_attr
attr(const char *name, uint64_t probability, uint64_t interval, int64_t space, int64_t times)
{
	struct fault_attr a = FAULT_ATTR_INIT(name);

	a.probability = probability;
	a.interval = interval;
	a.space = space;
	a.times = times;
	fault_attr_seed(&a, 1);
	return a;
}

/* How many of n calls of size bytes fail. */
static int
failures(struct fault_attr *a, int n, uint64_t size)
{
	int f = 0;

	for (int i = 0; i < n; i++)
		f += fault_attr_decide(a, size);
	return f;
}

static void
probability_100_fails_every_call_and_0_none(void)
{
	struct fault_attr all = attr("failslab", 100, 1, 0, -1), none = attr("failslab", 0, 1, 0, -1);

	CHECK(failures(&all, 1000, 64) == 1000);
	CHECK(all.injected == 1000);
	CHECK(all.times == -1);
	CHECK(failures(&none, 1000, 64) == 0);
	CHECK(none.injected == 0);
}

static void
times_limits_the_failures(void)
{
	struct fault_attr a = attr("failslab", 100, 1, 0, 3);

	CHECK(fault_attr_decide(&a, 8) && fault_attr_decide(&a, 8) && fault_attr_decide(&a, 8));
	CHECK(a.times == 0);
	CHECK(failures(&a, 100, 8) == 0);
	CHECK(a.injected == 3);
}

static void
interval_fails_every_nth_call(void)
{
	struct fault_attr a = attr("failslab", 100, 4, 0, -1);

	for (int call = 1; call <= 40; call++)
		CHECK(fault_attr_decide(&a, 8) == (call % 4 == 0));
	struct fault_attr one = attr("failslab", 100, 1, 0, -1), zero = attr("failslab", 100, 0, 0, -1);
	CHECK(failures(&one, 10, 8) == 10);          /* interval 0 and 1: every call */
	CHECK(failures(&zero, 10, 8) == 10);
}

static void
space_is_used_up_before_any_failure(void)
{
	struct fault_attr a = attr("fail_page_alloc", 100, 1, 10000, -1);

	CHECK(failures(&a, 2, 4096) == 0);           /* 10000 -> 5904 -> 1808 */
	CHECK(a.space == 1808);
	CHECK(fault_attr_decide(&a, 4096));          /* space no longer larger: fail */
	CHECK(a.space == 1808);                      /* a call that fails uses none */
	CHECK(fault_attr_decide(&a, 100) == false);  /* but smaller calls still fit */
	CHECK(a.space == 1708);
}

static void
times_are_spent_only_on_failures(void)
{
	struct fault_attr a = attr("failslab", 100, 3, 0, 2);

	CHECK(failures(&a, 5, 8) == 1);               /* calls 3 fails; 1, 2, 4, 5 pass */
	CHECK(a.times == 1);
	CHECK(failures(&a, 100, 8) == 1);
	CHECK(a.times == 0 && a.injected == 2);
}

static void
rate_is_near_the_probability(void)
{
	struct fault_attr a = attr("failslab", 10, 1, 0, -1);
	int f = failures(&a, 100000, 8);

	CHECK(f > 9500 && f < 10500);
	struct fault_attr b = attr("failslab", 50, 2, 0, -1);   /* half of every other call */
	f = failures(&b, 100000, 8);
	CHECK(f > 24000 && f < 26000);
}

static void
same_seed_replays_the_same_decisions(void)
{
	struct fault_attr a = attr("failslab", 30, 1, 0, -1), b = attr("failslab", 30, 1, 0, -1);
	struct fault_attr c = attr("fail_page_alloc", 30, 1, 0, -1);
	int same_as_other_point = 0;

	for (int i = 0; i < 1000; i++) {
		bool da = fault_attr_decide(&a, 8);
		CHECK(da == fault_attr_decide(&b, 8));
		same_as_other_point += da == fault_attr_decide(&c, 8);
	}
	CHECK(same_as_other_point < 1000);              /* each point has its own sequence */
	fault_attr_seed(&a, 2);
	fault_attr_seed(&b, 1);
	int differ = 0;
	for (int i = 0; i < 1000; i++)
		differ += fault_attr_decide(&a, 8) != fault_attr_decide(&b, 8);
	CHECK(differ > 0);
}

static void
parse_takes_linux_format(void)
{
	struct fault_attr a = FAULT_ATTR_INIT("failslab");

	CHECK(fault_attr_parse(&a, "1,2,0,30") == 0);
	CHECK(a.interval == 1 && a.probability == 2 && a.space == 0 && a.times == 30);
	CHECK(fault_attr_parse(&a, "10,100,4096,-1") == 0);
	CHECK(a.interval == 10 && a.probability == 100 && a.space == 4096 && a.times == -1);
}

static void
parse_refuses_garbage_and_keeps_the_old_values(void)
{
	struct fault_attr a = FAULT_ATTR_INIT("failslab");
	const char *bad[] = { "", "1,2,3", "1,2,3,4,5", "1,101,0,1", "-1,2,0,1", "1,2,0,-2",
			      "a,2,0,1", "1,2,0,1x", "1,,0,1", "1 ,2,0,1", "99999999999999999999,1,0,1" };

	CHECK(fault_attr_parse(&a, "3,4,5,6") == 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(fault_attr_parse(&a, bad[i]) == -1);
		CHECK(a.interval == 3 && a.probability == 4 && a.space == 5 && a.times == 6);
	}
}

int
main(void)
{
	RUN(probability_100_fails_every_call_and_0_none);
	RUN(times_limits_the_failures);
	RUN(interval_fails_every_nth_call);
	RUN(space_is_used_up_before_any_failure);
	RUN(times_are_spent_only_on_failures);
	RUN(rate_is_near_the_probability);
	RUN(same_seed_replays_the_same_decisions);
	RUN(parse_takes_linux_format);
	RUN(parse_refuses_garbage_and_keeps_the_old_values);
	UNIT_EXIT();
}
