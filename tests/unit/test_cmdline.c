/*
 * tests/unit/test_cmdline.c - kernel/cmdline.c: options, quotes, init=, sizes.
 */
#include <stdint.h>
#include <stdbool.h>
#include "unit.h"
#include "kernel/cmdline.h"

static struct cmdline cl;

static void
keys_values_and_flags(void)
{
	CHECK(cmdline_parse(&cl, "mem=32M  noswap loglevel=4\ttest=all") == 0);
	CHECK(cl.count == 4);
	CHECK_STR(cmdline_get(&cl, "mem"), "32M");
	CHECK_STR(cmdline_get(&cl, "noswap"), "");
	CHECK_STR(cmdline_get(&cl, "loglevel"), "4");
	CHECK_STR(cmdline_get(&cl, "test"), "all");
	CHECK(cmdline_get(&cl, "swappiness") == NULL);
	CHECK(cmdline_get(&cl, "me") == NULL);
}

static void
empty_and_null(void)
{
	CHECK(cmdline_parse(&cl, "") == 0);
	CHECK(cl.count == 0);
	CHECK(cmdline_parse(&cl, NULL) == 0);
	CHECK(cl.count == 0);
	CHECK(cmdline_parse(&cl, "   ") == 0);
	CHECK(cl.count == 0);
	CHECK(cmdline_parse(&cl, "key=") == 0);
	CHECK_STR(cmdline_get(&cl, "key"), "");
}

static void
last_one_wins(void)
{
	cmdline_parse(&cl, "loglevel=3 loglevel=7");
	CHECK_STR(cmdline_get(&cl, "loglevel"), "7");
}

static void
quoted_values(void)
{
	cmdline_parse(&cl, "a=\"x y z\" b=2 c=\"unterminated");
	CHECK_STR(cmdline_get(&cl, "a"), "x y z");
	CHECK_STR(cmdline_get(&cl, "b"), "2");
	CHECK_STR(cmdline_get(&cl, "c"), "unterminated");
}

static void
init_takes_the_rest(void)
{
	cmdline_parse(&cl, "mem=8M init=/bin/memhog 16M --verify  ");
	CHECK_STR(cmdline_get(&cl, "init"), "/bin/memhog 16M --verify");
	CHECK_STR(cmdline_get(&cl, "mem"), "8M");
	CHECK(cmdline_get(&cl, "--verify") == NULL);
}

static void
too_long_or_too_many(void)
{
	char big[CMDLINE_MAX + 100];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(cmdline_parse(&cl, big) == -1);
	CHECK(cl.count == 1);
	big[0] = '\0';
	for (int i = 0; i < CMDLINE_MAX_OPTS + 5; i++)
		strcat(big, "x ");
	CHECK(cmdline_parse(&cl, big) == -1);
	CHECK(cl.count == CMDLINE_MAX_OPTS);
}

static void
sizes(void)
{
	uint64_t v;

	CHECK(parse_size("4096", &v) == 0 && v == 4096);
	CHECK(parse_size("16k", &v) == 0 && v == 16384);
	CHECK(parse_size("32M", &v) == 0 && v == 32UL << 20);
	CHECK(parse_size("2G", &v) == 0 && v == 2UL << 30);
	CHECK(parse_size("0x1000", &v) == 0 && v == 0x1000);
	CHECK(parse_size("", &v) == -1);
	CHECK(parse_size("M", &v) == -1);
	CHECK(parse_size("12x", &v) == -1);
	CHECK(parse_size("-5", &v) == -1);
	CHECK(parse_size("99999999999999999999", &v) == -1);
	CHECK(parse_size("17179869184G", &v) == -1);   /* 2^64 bytes overflows */
}

int
main(void)
{
	RUN(keys_values_and_flags);
	RUN(empty_and_null);
	RUN(last_one_wins);
	RUN(quoted_values);
	RUN(init_takes_the_rest);
	RUN(too_long_or_too_many);
	RUN(sizes);
	UNIT_EXIT();
}
