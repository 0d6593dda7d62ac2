/*
 * kernel/cmdline.h - the kernel command line as key=value options.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/types.h"

#define CMDLINE_MAX       1024
#define CMDLINE_MAX_OPTS  48

struct cmdline_opt {
	const char *key;
	const char *value;   /* "" for a bare flag such as "noswap" */
};

struct cmdline {
	char buf[CMDLINE_MAX];
	int count;
	struct cmdline_opt opt[CMDLINE_MAX_OPTS];
};

/* Pure functions (tested on the host). */
int cmdline_parse(struct cmdline *cl, const char *text);
const char *cmdline_get(const struct cmdline *cl, const char *key);
int parse_size(const char *s, uint64_t *out);
int parse_u64(const char *s, uint64_t *out);

/* The kernel's own command line, from the multiboot2 tag. */
extern struct cmdline kernel_cmdline;
const char *karg_get(const char *key);
bool karg_has(const char *key);
uint64_t karg_get_u64(const char *key, uint64_t fallback);

#endif
