/*
 * refstring.h - reading a reference string: "1,2,3,4,1,2,5" or "0w 1 0 2w".
 *
 * Page numbers separated by commas, spaces or new lines, each optionally
 * followed by "w" (a write) or "r" (a read, the default); "#" starts a
 * comment that runs to the end of the line. The workloads write their
 * traces in this form (WORKLOAD_TRACE, workload.h), refstr replays it on
 * pagoda and tools/policysim.c simulates it: one format, one parser.
 *
 * Header-only; the caller owns the arrays (refstr keeps them out of
 * mmap'd memory, which would count against its RLIMIT_RSS).
 */
#ifndef USER_REFSTRING_H
#define USER_REFSTRING_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct refstring {
	uint32_t *page;         /* page[i]: the page of reference i */
	char *is_write;         /* is_write[i]: 1 if it writes */
	long n, max;            /* references so far; room for max */
	uint32_t max_page;      /* pages must be below this */
};

/*
 * Appends the references in s (NUL-terminated). Returns 0, or -1 with a
 * message in err (a bad character, a page too large, too many references).
 */
static inline int
refstring_parse(struct refstring *rs, const char *s, char *err, size_t errlen)
{
	while (*s) {
		if (*s == '#') {
			while (*s && *s != '\n')
				s++;
		} else if (*s >= '0' && *s <= '9') {
			char *end;
			unsigned long page = strtoul(s, &end, 10);
			if (page >= rs->max_page || rs->n == rs->max) {
				snprintf(err, errlen, "page %lu or reference %ld is too large", page,
					 rs->n + 1);
				return -1;
			}
			s = end;
			rs->is_write[rs->n] = *s == 'w';
			if (*s == 'w' || *s == 'r')
				s++;
			rs->page[rs->n++] = (uint32_t)page;
		} else if (*s == ',' || *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
		} else {
			snprintf(err, errlen, "unexpected '%c' in the reference string", *s);
			return -1;
		}
	}
	return 0;
}

#endif
