/*
 * kernel/rlimit.h - resource limits (getrlimit(2)), Linux's numbering.
 */
#ifndef KERNEL_RLIMIT_H
#define KERNEL_RLIMIT_H

#include "kernel/types.h"

enum {
	RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE,
	RLIMIT_RSS,             /* enforced here on mmap'd anonymous memory: mm/memcg.c */
	RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS,
	RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME,
	RLIM_NLIMITS
};

#define RLIM_INFINITY (~0UL)

struct rlimit {
	uint64_t rlim_cur;      /* the soft limit: what is enforced */
	uint64_t rlim_max;      /* the hard limit: how far the soft one may be raised */
};

struct task;

/* Never sleep. */
void rlimit_init_defaults(struct rlimit *rlim);

#endif
