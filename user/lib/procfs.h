/*
 * procfs.h - reading numbers from /proc files, the same on pagoda and on
 * Linux: "/proc/meminfo" lines look like "MemFree:   1234 kB", /proc/vmstat
 * lines like "pswpin 12", /proc/PID/status lines like "VmRSS:\t  80 kB".
 * Header-only, for the test programs and the memory tools.
 */
#ifndef USER_PROCFS_H
#define USER_PROCFS_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "retry.h"

/*
 * Reads a whole /proc file into buf (NUL-terminated). Returns buf, or
 * an empty string if the file is missing, so every field reads as 0.
 * An open that fails for want of kernel memory is tried again (retry.h).
 */
static inline char *
proc_load(const char *path, char *buf, size_t size)
{
	int fd = open_retrying(path, O_RDONLY);
	size_t n = 0;
	ssize_t r = 0;

	while (fd >= 0 && n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	if (fd >= 0)
		close(fd);
	buf[n] = '\0';
	return buf;
}

/* The line of buf that starts with "name:" or "name ", or NULL. */
static inline const char *
proc_line(const char *buf, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = buf; *p; p++)
		if ((p == buf || p[-1] == '\n') && strncmp(p, name, len) == 0 &&
		    (p[len] == ':' || p[len] == ' '))
			return p + len + 1;
	return NULL;
}

/* The number after "name:" or "name " in buf, or 0 if there is no such line. */
static inline long
proc_field(const char *buf, const char *name)
{
	const char *p = proc_line(buf, name);

	return p ? strtol(p, NULL, 10) : 0;
}

/* The field name of the file path, or -1 if the file or the field is missing. */
static inline long
proc_get(const char *path, const char *name)
{
	static char buf[16384];
	const char *p = proc_line(proc_load(path, buf, sizeof(buf)), name);

	return p ? strtol(p, NULL, 10) : -1;
}

#endif
