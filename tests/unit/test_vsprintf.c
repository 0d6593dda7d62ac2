/*
 * tests/unit/test_vsprintf.c - kernel/vsprintf.c against the host's libc.
 *
 * Every format here is one the C standard defines, so the host's
 * snprintf is the reference: same text, same return value, same
 * truncation. kernel/vsprintf.c is compiled with its functions renamed
 * to kern_* so both can live in one program.
 */
#include <stdarg.h>
#include <stdint.h>
#include "unit.h"

int kern_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME(...)                                                                \
	do {                                                                     \
		char want[256], got[256];                                        \
		int nw = snprintf(want, sizeof(want), __VA_ARGS__);              \
		int ng = kern_snprintf(got, sizeof(got), __VA_ARGS__);           \
		CHECK_STR(got, want);                                            \
		CHECK(nw == ng);                                                 \
	} while (0)

static void
integers(void)
{
	SAME("%d %i %u", 0, -1, 42u);
	SAME("%d %d", INT32_MIN, INT32_MAX);
	SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME("%lld %llu", -5LL, 5ULL);
	SAME("%zu %zd", (size_t)123456789, (ssize_t)-3);
	SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	SAME("%+d %+d % d % d", 5, -5, 5, -5);
}

static void
hex_and_octal(void)
{
	SAME("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
	SAME("%#x %#X %#o %#x %#o", 255u, 255u, 8u, 0u, 0u);
	SAME("%#018lx", 0x100000UL);
	SAME("%016lx|%-16lx|%16lx", 0xabcUL, 0xabcUL, 0xabcUL);
	SAME("%lx", (unsigned long)UINT64_MAX);
}

static void
widths_and_precisions(void)
{
	SAME("[%5d] [%-5d] [%05d] [%-05d]", 42, 42, 42, 42);
	SAME("[%05d] [%5.3d] [%.0d] [%.0d]", -42, 7, 0, 1);
	SAME("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 9);
	SAME("[%*d]", -6, 1);
	SAME("[%08.3x]", 0x1fu);
}

static void
strings_and_chars(void)
{
	SAME("[%s] [%10s] [%-10s] [%.2s] [%10.2s]", "abc", "abc", "abc", "abc", "abc");
	SAME("[%c] [%3c] [%-3c]", 'x', 'y', 'z');
	SAME("100%% sure");
	SAME("%s", "");
}

static void
truncation(void)
{
	char buf[8];
	int n = kern_snprintf(buf, sizeof(buf), "%s", "0123456789");

	CHECK(n == 10);
	CHECK_STR(buf, "0123456");
	n = kern_snprintf(buf, 1, "%d", 12345);
	CHECK(n == 5);
	CHECK(buf[0] == '\0');
	CHECK(kern_snprintf(NULL, 0, "%d", 12345) == 5);
}

static void
pointers(void)
{
	char buf[64];

	kern_snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80100000UL);
	CHECK_STR(buf, "0xffffffff80100000");
	kern_snprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	CHECK_STR(buf, "0x0000000000001000");
}

int
main(void)
{
	RUN(integers);
	RUN(hex_and_octal);
	RUN(widths_and_precisions);
	RUN(strings_and_chars);
	RUN(truncation);
	RUN(pointers);
	UNIT_EXIT();
}
