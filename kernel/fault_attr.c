/*
 * kernel/fault_attr.c - when to force a failure: the decision of Linux's
 * fault-injection framework (lib/fault-inject.c, should_fail()), as pure
 * C that the host tests check (tests/unit/test_fault_attr.c).
 *
 * Every call of an injection point (a kmalloc, a frame allocation, a disk
 * request, a swap slot) asks fault_attr_decide() whether it fails:
 *
 *   probability 0, or no failures left (times 0)    -> no
 *   space still larger than the call's size         -> no (space -= size)
 *   interval > 1 and this is not an interval-th
 *     call among those that got this far            -> no
 *   a random number 0..99 at or above probability   -> no
 *   otherwise                                       -> fail; times -= 1
 *                                                      (unless it is -1)
 *
 * The random numbers come from the point's own xorshift generator, so
 * one seed (fail_seed=) replays the same sequence of decisions for the
 * same sequence of calls, whatever the other points do.
 *
 * Not here: whether injection is on at all, and the console line for
 * each failure (kernel/fault_inject.c).
 */
#include "kernel/fault_attr.h"

/* The next number of the point's generator, 0..99. */
static uint64_t
next_percent(struct fault_attr *a)
{
	uint64_t x = a->random;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	a->random = x;
	return x % 100;
}

/* Should this call of a's point fail? size: what the call asks for, in bytes. */
bool
fault_attr_decide(struct fault_attr *a, uint64_t size)
{
	if (a->probability == 0 || a->times == 0)
		return false;
	if (a->space > 0 && (uint64_t)a->space > size) {
		a->space -= (int64_t)size;
		return false;
	}
	if (a->interval > 1 && ++a->count % a->interval != 0)
		return false;
	if (next_percent(a) >= a->probability)
		return false;
	if (a->times > 0)
		a->times--;
	a->injected++;
	return true;
}

/* One signed decimal number from *s, moving *s past it. Returns 0 or -1. */
static int
take_number(const char **s, int64_t *out)
{
	const char *p = *s;
	bool negative = *p == '-';
	int64_t v = 0;

	if (negative)
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*out = negative ? -v : v;
	*s = p;
	return 0;
}

/*
 * Sets a from "<interval>,<probability>,<space>,<times>" (Linux's
 * setup_fault_attr()). Returns 0, or -1 with a unchanged if text is not
 * four numbers or a probability is over 100.
 */
int
fault_attr_parse(struct fault_attr *a, const char *text)
{
	int64_t v[4];
	const char *s = text;

	for (int i = 0; i < 4; i++) {
		if (take_number(&s, &v[i]) != 0 || *s != (i < 3 ? ',' : '\0'))
			return -1;
		s++;
	}
	if (v[0] < 0 || v[1] < 0 || v[1] > 100 || v[3] < -1)
		return -1;
	a->interval = (uint64_t)v[0];
	a->probability = (uint64_t)v[1];
	a->space = v[2];
	a->times = v[3];
	return 0;
}

/* Restarts a's random sequence from seed (mixed with the point's name). */
void
fault_attr_seed(struct fault_attr *a, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15UL;

	for (const char *c = a->name; c && *c; c++)
		x = (x ^ (uint8_t)*c) * 0x100000001b3UL;
	a->random = x ? x : 1;          /* xorshift never leaves 0 */
	a->count = 0;
}
