/*
 * mm/fault_trace.h - which page faults trace=fault prints: a filter by
 * process, address range, kind and major/minor, set at boot or at run time
 * through /proc/sys/debug/trace_fault (mm/fault_trace.c).
 */
#ifndef MM_FAULT_TRACE_H
#define MM_FAULT_TRACE_H

#include "kernel/types.h"

#define FAULT_FILTER_TEXT 160      /* the longest filter, as text, with its newline */

struct fault_filter {
	bool on;                   /* off: nothing is printed */
	int pid;                   /* 0: any process */
	uint64_t lo, hi;           /* [lo, hi); hi == 0: any address */
	unsigned kinds;            /* bit i: fault_kinds[i]; 0: any kind */
	bool major_only;           /* only faults that read a disk */
};

/* Pure functions, tested on the host (tests/unit/test_fault_trace.c). */
int fault_filter_parse(struct fault_filter *f, const char *text);
void fault_filter_format(const struct fault_filter *f, char *buf, size_t size);
bool fault_filter_match(const struct fault_filter *f, int pid, uint64_t addr, const char *kind,
			bool major);

/* The filter mm/fault.c applies. */
void fault_trace_init(void);
bool fault_trace_wanted(int pid, uint64_t addr, const char *kind, bool major);
const char *fault_trace_show(void);
int fault_trace_store(const char *text);

#endif
