/*
 * mm/fault_trace.c - which page faults trace=fault prints.
 *
 * One small workload takes thousands of faults, and a line for each
 * buries the one you are looking for. So the trace has a filter, written
 * as words, all of which a fault must match:
 *
 *   pid=7                      faults of process 7 only
 *   addr=0x400000-0x500000     addresses in [0x400000, 0x500000)
 *   kind=swap,cow              these kinds (anon file cow reuse swap stack shmem)
 *   major                      only faults that waited for a disk
 *
 * "on" alone traces every fault, "off" none. The same text is what
 * /proc/sys/debug/trace_fault reads and takes at run time (like Linux's
 * /proc/sys/debug/exception-trace, a debugging switch), and at boot
 * sysctl.debug.trace_fault="kind=swap major" sets it, as any /proc/sys
 * file can be (kernel/sysctl.c); trace=fault is "on". A filter that does
 * not parse changes nothing and is EINVAL.
 *
 * mm/fault.c asks fault_trace_wanted() before it prints a line. The
 * parsing and matching are pure functions, tested on the host
 * (tests/unit/test_fault_trace.c).
 */
#include "mm/fault_trace.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

#define PID_MAX_LIMIT 4194304   /* Linux's largest pid (threads-max aside) */

/* The kinds mm/fault.c's trace() names, in the order of the filter's bits. */
static const char *const fault_kinds[] = { "anon", "file", "cow", "reuse", "swap", "stack", "shmem" };
#define NR_FAULT_KINDS (sizeof(fault_kinds) / sizeof(fault_kinds[0]))

/* The bit of kind (len bytes of it), or 0 if there is no such kind. */
static unsigned
kind_bit(const char *kind, size_t len)
{
	for (unsigned i = 0; i < NR_FAULT_KINDS; i++)
		if (strlen(fault_kinds[i]) == len && strncmp(fault_kinds[i], kind, len) == 0)
			return 1u << i;
	return 0;
}

/* "swap,cow": the kinds' bits, or 0 if one of them is not a kind. */
static unsigned
parse_kinds(const char *list)
{
	unsigned kinds = 0;

	for (const char *k = list;; k++) {
		const char *end = strchr(k, ',');
		size_t len = end ? (size_t)(end - k) : strlen(k);
		unsigned bit = kind_bit(k, len);
		if (!bit)
			return 0;
		kinds |= bit;
		if (!end)
			return kinds;
		k = end;
	}
}

/* "0x400000-0x500000": a non-empty range [lo, hi). 0 or -1. */
static int
parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	char first[24];
	const char *dash = strchr(s, '-');

	if (!dash || (size_t)(dash - s) >= sizeof(first))
		return -1;
	memcpy(first, s, (size_t)(dash - s));
	first[dash - s] = '\0';
	if (parse_u64(first, lo) != 0 || parse_u64(dash + 1, hi) != 0 || *lo >= *hi)
		return -1;
	return 0;
}

/* One word of a filter into f. 0, or -1 if it is not a filter word. */
static int
parse_word(struct fault_filter *f, const char *w)
{
	uint64_t v;

	if (strcmp(w, "on") == 0)
		return 0;
	if (strcmp(w, "major") == 0) {
		f->major_only = true;
		return 0;
	}
	if (strncmp(w, "pid=", 4) == 0) {
		if (parse_u64(w + 4, &v) != 0 || v == 0 || v > PID_MAX_LIMIT)
			return -1;
		f->pid = (int)v;
		return 0;
	}
	if (strncmp(w, "addr=", 5) == 0)
		return parse_range(w + 5, &f->lo, &f->hi);
	if (strncmp(w, "kind=", 5) == 0)
		return (f->kinds = parse_kinds(w + 5)) ? 0 : -1;
	return -1;
}

/*
 * Sets *f from text: "off", or filter words separated by spaces (any of
 * them turns the trace on). Returns 0, or -EINVAL and leaves *f alone.
 */
int
fault_filter_parse(struct fault_filter *f, const char *text)
{
	struct fault_filter nf = { .on = true };
	char word[FAULT_FILTER_TEXT];
	int words = 0;

	if (strcmp(text, "off") == 0) {
		*f = (struct fault_filter){ .on = false };
		return 0;
	}
	for (const char *s = text; *s;) {
		size_t len;
		while (*s == ' ' || *s == '\t')
			s++;
		for (len = 0; s[len] && s[len] != ' ' && s[len] != '\t'; len++)
			;
		if (len == 0)
			break;
		if (len >= sizeof(word))
			return -EINVAL;
		memcpy(word, s, len);
		word[len] = '\0';
		if (parse_word(&nf, word) != 0)
			return -EINVAL;
		words++;
		s += len;
	}
	if (words == 0)
		return -EINVAL;
	*f = nf;
	return 0;
}

/* The filter as the text that would set it: "off", "on", "on pid=7 kind=swap". */
void
fault_filter_format(const struct fault_filter *f, char *buf, size_t size)
{
	size_t n;

	if (!f->on) {
		snprintf(buf, size, "off");
		return;
	}
	n = (size_t)snprintf(buf, size, "on");
	if (f->pid && n < size)
		n += (size_t)snprintf(buf + n, size - n, " pid=%d", f->pid);
	if (f->hi && n < size)
		n += (size_t)snprintf(buf + n, size - n, " addr=%#lx-%#lx", f->lo, f->hi);
	for (unsigned i = 0, sep = '='; i < NR_FAULT_KINDS && n < size; i++)
		if (f->kinds & 1u << i) {
			n += (size_t)snprintf(buf + n, size - n, "%s%c%s", sep == '=' ? " kind" : "",
					      sep, fault_kinds[i]);
			sep = ',';
		}
	if (f->major_only && n < size)
		snprintf(buf + n, size - n, " major");
}

/* Whether a fault of process pid at addr, of this kind, is one f lets through. */
bool
fault_filter_match(const struct fault_filter *f, int pid, uint64_t addr, const char *kind,
		   bool major)
{
	if (!f->on)
		return false;
	if (f->pid && pid != f->pid)
		return false;
	if (f->hi && (addr < f->lo || addr >= f->hi))
		return false;
	if (f->kinds && !(f->kinds & kind_bit(kind, strlen(kind))))
		return false;
	return major || !f->major_only;
}

/* The kernel's filter: off until trace=fault or a write says otherwise. */
static struct fault_filter filter;
static char shown[FAULT_FILTER_TEXT];

/* trace=fault on the command line: every fault (sysctl.debug.trace_fault= may narrow it later). */
void
fault_trace_init(void)
{
	const char *t = karg_get("trace");

	filter = (struct fault_filter){ .on = t && strcmp(t, "fault") == 0 };
}

bool
fault_trace_wanted(int pid, uint64_t addr, const char *kind, bool major)
{
	return fault_filter_match(&filter, pid, addr, kind, major);
}

/* /proc/sys/debug/trace_fault, read. */
const char *
fault_trace_show(void)
{
	fault_filter_format(&filter, shown, sizeof(shown));
	return shown;
}

/* /proc/sys/debug/trace_fault, written. 0 or -EINVAL. */
int
fault_trace_store(const char *text)
{
	return fault_filter_parse(&filter, text);
}
