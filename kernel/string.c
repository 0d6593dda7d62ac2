/*
 * kernel/string.c - memcpy and friends for a kernel without libc.
 *
 * Plain loops, except memcpy and memset: they move 64 bytes per step as
 * eight 8-byte loads and stores, then the rest by words and bytes. Real
 * CPUs copy as fast with rep movsb, but QEMU's TCG runs a rep instruction
 * one step at a time, each step a trip through its loop: a 4 KiB page
 * cleared by rep stosb takes about 10 us, by rep stosq 1.4 us, and by
 * this loop 0.6 us; copied by rep movsq 16 us, by this loop 4.7 us
 * (measured under TCG on this project's machine). Every new anonymous
 * page and every copy-on-write copy pays it. The compiler may call
 * memcpy/memset itself; the empty asm in each loop keeps it from turning
 * the loop back into a call to the function it is in.
 */
#include "kernel/string.h"

typedef uint64_t __attribute__((may_alias)) word_t;     /* any memory, 8 bytes at a time */

void *
memcpy(void *dst, const void *src, size_t n)
{
	word_t *d = dst;
	const word_t *s = src;
	unsigned char *db;
	const unsigned char *sb;

	for (; n >= 64; n -= 64, d += 8, s += 8) {
		word_t a = s[0], b = s[1], c = s[2], e = s[3];
		d[0] = a; d[1] = b; d[2] = c; d[3] = e;
		a = s[4]; b = s[5]; c = s[6]; e = s[7];
		d[4] = a; d[5] = b; d[6] = c; d[7] = e;
		__asm__ volatile("" ::: "memory");
	}
	for (; n >= 8; n -= 8)
		*d++ = *s++;
	for (db = (unsigned char *)d, sb = (const unsigned char *)s; n > 0; n--) {
		*db++ = *sb++;
		__asm__ volatile("" ::: "memory");
	}
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n-- > 0)
		d[n] = s[n];
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	word_t pattern = 0x0101010101010101ULL * (uint8_t)c, *d = dst;
	unsigned char *db;

	for (; n >= 64; n -= 64, d += 8) {
		d[0] = pattern; d[1] = pattern; d[2] = pattern; d[3] = pattern;
		d[4] = pattern; d[5] = pattern; d[6] = pattern; d[7] = pattern;
		__asm__ volatile("" ::: "memory");
	}
	for (; n >= 8; n -= 8)
		*d++ = pattern;
	for (db = (unsigned char *)d; n > 0; n--) {
		*db++ = (unsigned char)c;
		__asm__ volatile("" ::: "memory");
	}
	return dst;
}

/*
 * The first byte of [start, start+n) that is not c, or NULL if all are
 * (Linux's memchr_inv(): the slab allocator checks its poison with it).
 * 8 bytes per step while they match.
 */
void *
memchr_inv(const void *start, int c, size_t n)
{
	const word_t pattern = 0x0101010101010101ULL * (uint8_t)c, *w = start;
	const unsigned char *b;

	for (; n >= 8 && *w == pattern; n -= 8)
		w++;
	for (b = (const unsigned char *)w; n > 0; n--, b++)
		if (*b != (unsigned char)c)
			return (void *)b;
	return NULL;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
