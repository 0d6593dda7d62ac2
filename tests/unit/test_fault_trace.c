/*
 * tests/unit/test_fault_trace.c - mm/fault_trace.c: the filter of
 * trace=fault, parsed from the text /proc/sys/debug/trace_fault takes,
 * printed back as the same text, and matched against faults.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "unit.h"
#include "kernel/errno.h"
#include "mm/fault_trace.h"

static struct fault_filter f;
static char text[FAULT_FILTER_TEXT];

/* Parses s into f and prints f back into text. */
static int
set(const char *s)
{
	int err = fault_filter_parse(&f, s);

	fault_filter_format(&f, text, sizeof(text));
	return err;
}

static void
off_and_on(void)
{
	CHECK(set("off") == 0);
	CHECK_STR(text, "off");
	CHECK(!fault_filter_match(&f, 1, 0x401000, "file", true));
	CHECK(set("on") == 0);
	CHECK_STR(text, "on");
	CHECK(fault_filter_match(&f, 1, 0x401000, "file", true));
	CHECK(fault_filter_match(&f, 9, 0x7fffffffe000, "stack", false));
}

static void
every_word_prints_back_as_written(void)
{
	CHECK(set("pid=7 addr=0x400000-0x500000 kind=cow,swap major") == 0);
	CHECK_STR(text, "on pid=7 addr=0x400000-0x500000 kind=cow,swap major");
	CHECK(set(text) == 0);                 /* what it reads is what it takes */
	CHECK_STR(text, "on pid=7 addr=0x400000-0x500000 kind=cow,swap major");
	CHECK(set("  kind=swap,anon\tpid=3 ") == 0);
	CHECK_STR(text, "on pid=3 kind=anon,swap");   /* kinds in their own order */
}

static void
each_condition_must_hold(void)
{
	CHECK(set("pid=7 addr=0x400000-0x500000 kind=swap major") == 0);
	CHECK(fault_filter_match(&f, 7, 0x400000, "swap", true));
	CHECK(fault_filter_match(&f, 7, 0x4fffff, "swap", true));
	CHECK(!fault_filter_match(&f, 8, 0x400000, "swap", true));      /* another process */
	CHECK(!fault_filter_match(&f, 7, 0x500000, "swap", true));      /* the range's end */
	CHECK(!fault_filter_match(&f, 7, 0x3fffff, "swap", true));
	CHECK(!fault_filter_match(&f, 7, 0x400000, "cow", true));       /* another kind */
	CHECK(!fault_filter_match(&f, 7, 0x400000, "swap", false));     /* minor */
	CHECK(set("kind=file") == 0);
	CHECK(fault_filter_match(&f, 1, 0, "file", false));
	CHECK(!fault_filter_match(&f, 1, 0, "bogus", false));
}

static void
bad_filters_change_nothing(void)
{
	static const char *const bad[] = {
		"", "   ", "pid=0", "pid=x", "pid=", "pid=99999999", "addr=0x500000-0x400000",
		"addr=0x400000", "addr=0x400000-", "addr=-0x10", "kind=", "kind=swap,", "kind=bogus",
		"kind=swap,,cow", "major=1", "off pid=3", "on please", "kind=swapx",
	};

	CHECK(set("pid=5 kind=anon") == 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(set(bad[i]) == -EINVAL);
		CHECK_STR(text, "on pid=5 kind=anon");
	}
}

static void
the_longest_filter_fits(void)
{
	CHECK(set("pid=4194304 addr=0xffffffffffff0000-0xffffffffffffffff "
		  "kind=anon,file,cow,reuse,swap,stack major") == 0);
	CHECK_STR(text, "on pid=4194304 addr=0xffffffffffff0000-0xffffffffffffffff "
			"kind=anon,file,cow,reuse,swap,stack major");
}

int
main(void)
{
	RUN(off_and_on);
	RUN(every_word_prints_back_as_written);
	RUN(each_condition_must_hold);
	RUN(bad_filters_change_nothing);
	RUN(the_longest_filter_fits);
	UNIT_EXIT();
}
