/*
 * smaps.h - one region's figures from /proc/self/smaps, the same on pagoda
 * and on Linux: a block per region, its maps line ("7f00...-7f00... rw-p
 * ...") then "Name:   N kB" lines up to "VmFlags:". Header-only, for the
 * test programs.
 */
#ifndef USER_SMAPS_H
#define USER_SMAPS_H

#include <stdio.h>
#include <string.h>

#include "procfs.h"

static char smaps_buf[65536];

/* Loads /proc/self/smaps (into a buffer touched already: reading adds no page). */
static inline const char *
smaps_load(void)
{
	return proc_load("/proc/self/smaps", smaps_buf, sizeof(smaps_buf));
}

/* The block of the region that starts at addr in the loaded text, or NULL. */
static inline const char *
smaps_block(const char *text, const void *addr)
{
	char head[32];
	size_t len = (size_t)snprintf(head, sizeof(head), "%08lx-", (unsigned long)addr);

	for (const char *p = text; *p; p++)
		if ((p == text || p[-1] == '\n') && strncmp(p, head, len) == 0)
			return p;
	return NULL;
}

/* Field name ("Rss", "Swap", ...) of the block, in kB; -1 if missing. */
static inline long
smaps_block_field(const char *block, const char *name)
{
	size_t len = strlen(name);
	const char *end = block ? strstr(block, "VmFlags:") : NULL;

	for (const char *p = block; p && p < end; p = strchr(p, '\n') + 1)
		if (strncmp(p, name, len) == 0 && p[len] == ':')
			return strtol(p + len + 1, NULL, 10);
	return -1;
}

/* Field name of the region at addr, freshly read; -1 if there is none. */
static inline long
smaps_field(const void *addr, const char *name)
{
	return smaps_block_field(smaps_block(smaps_load(), addr), name);
}

/* The VmFlags line of the region at addr ("VmFlags: rd wr ... "), or "". */
static inline const char *
smaps_vmflags(const void *addr)
{
	static char line[160];
	const char *b = smaps_block(smaps_load(), addr);
	const char *f = b ? strstr(b, "VmFlags:") : NULL;
	size_t n = f ? strcspn(f, "\n") : 0;

	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, f ? f : "", n);
	line[n] = '\0';
	return line;
}

/* The sum of field name over every region (kB). */
static inline long
smaps_total(const char *text, const char *name)
{
	size_t len = strlen(name);
	long sum = 0;

	for (const char *p = text; *p; p++)
		if ((p == text || p[-1] == '\n') && strncmp(p, name, len) == 0 && p[len] == ':')
			sum += strtol(p + len + 1, NULL, 10);
	return sum;
}

#endif
